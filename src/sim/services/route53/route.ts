import type { Flow, MetricSeries, ServiceContext } from '../../types.js';
import type { World } from '../../world.js';
import { currentAnswer } from './answers.js';
import { bareZoneId, hostKey, normalizeName, trafficKey } from './names.js';
import type { RecordSet, Route53State } from './state.js';

type Ctx = ServiceContext<Route53State>;
type Depend = (resourceKey: string) => void;

/**
 * Traffic arriving at `<zoneId>|<recordName>|<type>` (also `zoneId:name:type`): clients resolve the name with
 * the answer resolvers currently serve (see answers.ts), pick a weighted record in proportion to its weight,
 * and send their requests to its value: a load balancer of the world (followed into ELBv2) or an endpoint
 * whose version comes from the world file's `endpoints` (or the world's artifacts).
 */
export function routeRecordTraffic(ctx: Ctx, resource: string, rps: number, depend: Depend): Flow[] {
  const parsed = parseResource(resource);
  const zone = parsed ? ctx.state.zones[bareZoneId(parsed.zoneId)] : undefined;
  if (!parsed || !zone) return [];
  const name = normalizeName(parsed.name);
  depend(trafficKey(zone.id, name, parsed.type));
  let records = currentAnswer(zone, name, parsed.type);
  if (records.length === 0 && parsed.type !== 'CNAME') {
    // A name with a CNAME answers every type with the CNAME; resolvers follow it.
    depend(trafficKey(zone.id, name, 'CNAME'));
    records = currentAnswer(zone, name, 'CNAME');
  }
  if (records.length === 0) return [];
  const balancers = loadBalancerDnsNames(ctx.world);
  return shares(records).flatMap(([record, share]) => {
    const targets = record.AliasTarget ? [record.AliasTarget.DNSName] : (record.ResourceRecords ?? []).map((r) => r.Value);
    return targets.flatMap((target) => flowsTo(ctx, record, target, (rps * share) / targets.length, depend, balancers));
  });
}

/** Zone ids and types never contain the separator; names may (DNS allows `|` and `:` in labels). */
function parseResource(resource: string): { zoneId: string; name: string; type: string } | undefined {
  const separator = resource.includes('|') ? '|' : ':';
  const first = resource.indexOf(separator);
  const last = resource.lastIndexOf(separator);
  if (first < 0 || first === last) return undefined;
  const [zoneId, name, type] = [resource.slice(0, first), resource.slice(first + 1, last), resource.slice(last + 1)];
  return zoneId && name && type ? { zoneId, name, type } : undefined;
}

/**
 * Each record's share of the queries: weight / sum of weights; weight 0 gets nothing unless every weight is 0,
 * then all share equally (Weight doc: "traffic is routed to all resources with equal probability"). Records
 * without a weight (simple, or a policy this simulator does not route by) share equally.
 */
export function shares(records: readonly RecordSet[]): [RecordSet, number][] {
  const weighted = records.filter((r) => r.Weight !== undefined);
  if (weighted.length === 0) return records.map((r) => [r, 1 / records.length]);
  const total = weighted.reduce((sum, r) => sum + (r.Weight ?? 0), 0);
  if (total === 0) return weighted.map((r) => [r, 1 / weighted.length]);
  return weighted.filter((r) => (r.Weight ?? 0) > 0).map((r) => [r, (r.Weight ?? 0) / total]);
}

function flowsTo(ctx: Ctx, record: RecordSet, target: string, rps: number, depend: Depend, balancers: ReadonlyMap<string, string>): Flow[] {
  if (rps <= 0) return [];
  const balancer = balancers.get(hostKey(target));
  if (balancer !== undefined) return ctx.world.route('elbv2', balancer, rps, depend);
  const key = hostKey(target);
  const label = Object.hasOwn(ctx.state.endpoints, key) ? ctx.state.endpoints[key]! : ctx.world.versionOfArtifact(target);
  const version = ctx.world.version(label);
  return [{ rps, version: label, errorRate: version.healthy ? version.errorRate : 1, latencyMs: version.latencyMs, series: [endpointSeries(record)] }];
}

function endpointSeries(record: RecordSet): MetricSeries {
  return {
    namespace: 'Sim/Route53Endpoint',
    dimensions: { RecordName: record.Name, ...(record.SetIdentifier !== undefined ? { SetIdentifier: record.SetIdentifier } : {}) },
    requests: 'RequestCount',
    errors: ['5XXError'],
    latency: { name: 'Latency', unit: 'Milliseconds' },
  };
}

/**
 * Host key -> DNS name of every load balancer in the world, read through ELBv2's own DescribeLoadBalancers
 * (the core has no cross-service contract for this; see the service report).
 */
function loadBalancerDnsNames(world: World): Map<string, string> {
  const found = new Map<string, string>();
  const describe = world.hasService('elbv2') ? world.service('elbv2').operations['DescribeLoadBalancers'] : undefined;
  if (!describe) return found;
  let marker: string | undefined;
  for (let page = 0; page < 100; page++) {
    let output: { LoadBalancers?: { DNSName?: string }[]; NextMarker?: string };
    try {
      output = describe(world.context('elbv2'), marker === undefined ? {} : { Marker: marker }) as typeof output;
    } catch {
      return found;
    }
    for (const lb of output.LoadBalancers ?? []) if (lb.DNSName) found.set(hostKey(lb.DNSName), lb.DNSName);
    marker = output.NextMarker;
    if (!marker) break;
  }
  return found;
}
