import { fail } from '../common.js';
import { hash32 } from '../../random.js';
import type { ServiceContext } from '../../types.js';
import { changeInfo, newChange } from './changes.js';
import { zoneOrFail } from './errors.js';
import { normalizeName } from './names.js';
import type { HostedZone, RecordSet, Route53State } from './state.js';

type Ctx = ServiceContext<Route53State>;

/** TTLs Route 53 gives the records it creates with a zone (NS 2 days, SOA 15 minutes). */
const NS_TTL_SECONDS = 172800;
const SOA_TTL_SECONDS = 900;

export interface NewZone {
  readonly id: string;
  readonly name: string;
  readonly callerReference: string;
  readonly comment?: string;
  readonly vpc?: { VPCRegion?: string; VPCId?: string };
}

/** A zone with the SOA and NS records Route 53 creates for every new hosted zone. */
export function addZone(ctx: Ctx, spec: NewZone): HostedZone {
  const nameServers = nameServersFor(spec.id);
  const zone: HostedZone = {
    id: spec.id,
    name: spec.name,
    callerReference: spec.callerReference,
    ...(spec.comment !== undefined ? { comment: spec.comment } : {}),
    privateZone: spec.vpc !== undefined,
    ...(spec.vpc ? { vpc: spec.vpc } : {}),
    nameServers,
    records: defaultRecords(spec.name, nameServers),
    answers: {},
  };
  ctx.state.zones[zone.id] = zone;
  return zone;
}

/** Four name servers in four top-level domains, as Route 53 assigns them (derived from the zone id). */
function nameServersFor(zoneId: string): string[] {
  return ['com', 'net', 'org', 'co.uk'].map((tld, i) => {
    const h = hash32(`${zoneId}/ns/${i}`);
    return `ns-${h % 2048}.awsdns-${String((h >>> 11) % 64).padStart(2, '0')}.${tld}`;
  });
}

function defaultRecords(zoneName: string, nameServers: readonly string[]): RecordSet[] {
  return [
    { Name: zoneName, Type: 'NS', TTL: NS_TTL_SECONDS, ResourceRecords: nameServers.map((ns) => ({ Value: `${ns}.` })) },
    { Name: zoneName, Type: 'SOA', TTL: SOA_TTL_SECONDS, ResourceRecords: [{ Value: `${nameServers[0]}. awsdns-hostmaster.amazon.com. 1 7200 900 1209600 86400` }] },
  ];
}

/** The HostedZone member of outputs; `Id` carries the `/hostedzone/` prefix as the real API's does. */
export function zoneOutput(zone: HostedZone): Record<string, unknown> {
  return {
    Id: `/hostedzone/${zone.id}`,
    Name: zone.name,
    CallerReference: zone.callerReference,
    Config: { ...(zone.comment !== undefined ? { Comment: zone.comment } : {}), PrivateZone: zone.privateZone },
    ResourceRecordSetCount: zone.records.length,
  };
}

function delegationOrVpcs(zone: HostedZone): Record<string, unknown> {
  return zone.vpc ? { VPCs: [{ ...zone.vpc }] } : { DelegationSet: { NameServers: [...zone.nameServers] } };
}

/** Labels of 1..63 characters and 255 in all (DNS domain name format). */
export function isValidDomainName(name: string): boolean {
  const labels = name.replace(/\.$/, '').split('.');
  return name.length > 0 && name.length <= 255 && labels.every((label) => label.length > 0 && label.length <= 63);
}

export function createHostedZone(ctx: Ctx, input: Record<string, unknown>): unknown {
  const name = String(input.Name);
  const callerReference = String(input.CallerReference);
  if (!isValidDomainName(name)) fail('InvalidDomainName', `${name} is not a valid domain name.`, { httpStatus: 400 });
  if (input.DelegationSetId !== undefined) fail('NoSuchDelegationSet', `No reusable delegation set found with ID: ${String(input.DelegationSetId)}`);
  // CallerReference makes CreateHostedZone safe to retry: the same reference never creates a second zone.
  if (Object.values(ctx.state.zones).some((z) => z.callerReference === callerReference)) {
    fail('HostedZoneAlreadyExists', 'A hosted zone has already been created with the specified caller reference.', { httpStatus: 409 });
  }
  const config = input.HostedZoneConfig as { Comment?: string } | undefined;
  const vpc = input.VPC as NewZone['vpc'];
  const id = ctx.id('Z', 20).toUpperCase();
  const zone = addZone(ctx, { id, name: normalizeName(name), callerReference, ...(config?.Comment !== undefined ? { comment: config.Comment } : {}), ...(vpc ? { vpc } : {}) });
  const change = newChange(ctx, zone.id);
  return {
    HostedZone: zoneOutput(zone),
    ChangeInfo: changeInfo(change),
    ...delegationOrVpcs(zone),
    ...(vpc ? { VPC: { ...vpc } } : {}),
    Location: `https://route53.amazonaws.com/2013-04-01/hostedzone/${zone.id}`,
  };
}

export function getHostedZone(ctx: Ctx, input: Record<string, unknown>): unknown {
  const zone = zoneOrFail(ctx.state, input.Id);
  return { HostedZone: zoneOutput(zone), ...delegationOrVpcs(zone) };
}
