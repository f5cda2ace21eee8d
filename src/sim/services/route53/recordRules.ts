import { answerKey } from './names.js';
import type { HostedZone, RecordSet } from './state.js';

/** Weighted record sets with the same name and type (Weight doc in the Route 53 API reference). */
export const MAX_WEIGHTED_PER_NAME_AND_TYPE = 100;

type RoutingPolicy = 'simple' | 'weighted' | 'latency' | 'failover' | 'geolocation' | 'multivalue' | 'geoproximity' | 'cidr';

const POLICY_MEMBERS: readonly [string, RoutingPolicy][] = [
  ['Weight', 'weighted'],
  ['Region', 'latency'],
  ['Failover', 'failover'],
  ['GeoLocation', 'geolocation'],
  ['MultiValueAnswer', 'multivalue'],
  ['GeoProximityLocation', 'geoproximity'],
  ['CidrRoutingConfig', 'cidr'],
];

export function routingPolicy(record: RecordSet): RoutingPolicy {
  if (record.SetIdentifier === undefined) return 'simple';
  return POLICY_MEMBERS.find(([member]) => record[member] !== undefined)?.[1] ?? 'simple';
}

/**
 * Rules about the zone after a batch, for the record sets the batch wrote: routing policies cannot be mixed on
 * one name and type, CNAME stands alone at a name (and never at the apex), weighted sets share one TTL, and at
 * most 100 weighted sets per name and type. Messages are Route 53's, as quoted from real responses.
 */
export function checkRecordSetRules(zone: HostedZone, records: readonly RecordSet[], written: readonly RecordSet[], touched: ReadonlySet<string>): string[] {
  const messages: string[] = [];
  const present = new Set(records);
  for (const record of written) {
    if (!present.has(record)) continue;
    const sameName = records.filter((r) => r !== record && r.Name === record.Name);
    const sameType = sameName.filter((r) => r.Type === record.Type);
    messages.push(...cnameProblems(zone, record, sameName), ...policyProblems(record, sameType), ...ttlProblems(record, sameType));
  }
  for (const key of touched) {
    const weighted = records.filter((r) => answerKey(r.Name, r.Type) === key && routingPolicy(r) === 'weighted');
    const first = weighted[0];
    if (first && weighted.length > MAX_WEIGHTED_PER_NAME_AND_TYPE) messages.push(`Exceeded limit on number of weighted RRSets for ${first.Name}, type ${first.Type} in this zone.`);
  }
  return messages;
}

function cnameProblems(zone: HostedZone, record: RecordSet, sameName: readonly RecordSet[]): string[] {
  if (record.Type === 'CNAME' && record.Name === zone.name) return [`RRSet of type CNAME with DNS name ${record.Name} is not permitted at apex in zone ${zone.name}`];
  if (record.Type === 'CNAME' && sameName.some((r) => r.Type !== 'CNAME')) {
    return [`RRSet of type CNAME with DNS name ${record.Name} is not permitted as it conflicts with other records with the same DNS name in zone ${zone.name}`];
  }
  // Two spaces before CNAME: that is how Route 53's message reads.
  if (record.Type !== 'CNAME' && sameName.some((r) => r.Type === 'CNAME')) {
    return [`RRSet of type ${record.Type} with DNS name ${record.Name} is not permitted because a conflicting RRSet of type  CNAME with the same DNS name already exists in zone ${zone.name}`];
  }
  return [];
}

function policyProblems(record: RecordSet, sameType: readonly RecordSet[]): string[] {
  const policy = routingPolicy(record);
  const named = `RRSet with DNS name ${record.Name}, type ${record.Type}`;
  if (policy === 'simple') return sameType.length > 0 ? [`${named} cannot be created as other RRSets exist with the same name and type.`] : [];
  if (!sameType.some((r) => routingPolicy(r) !== policy)) return [];
  const id = `${named}, SetIdentifier ${record.SetIdentifier ?? ''}`;
  if (policy === 'weighted') return [`${id} cannot be created as a non-weighted set exists with the same name and type.`];
  if (policy === 'latency') return [`${id}, and Region Name=${String(record['Region'])} cannot be created because a non-latency RRSet with the same name and type already exists.`];
  return [`${id} cannot be created because a non-${policy} RRSet with the same name and type already exists.`];
}

function ttlProblems(record: RecordSet, sameType: readonly RecordSet[]): string[] {
  if (routingPolicy(record) !== 'weighted' || record.TTL === undefined) return [];
  const differs = sameType.some((r) => routingPolicy(r) === 'weighted' && r.TTL !== undefined && r.TTL !== record.TTL);
  return differs ? [`RRSet with DNS name ${record.Name} and type ${record.Type}, SetIdentifier ${record.SetIdentifier ?? ''} cannot be created as weighted sets must contain the same TTL.`] : [];
}
