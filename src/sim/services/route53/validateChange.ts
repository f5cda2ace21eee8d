import { copy } from '../common.js';
import { invalidInput } from './errors.js';
import { bareZoneId, normalizeName } from './names.js';
import type { RecordSet } from './state.js';

export type ChangeAction = 'CREATE' | 'DELETE' | 'UPSERT';

/** One change of a batch, its record set normalized the way Route 53 stores it. */
export interface NormalizedChange {
  readonly action: ChangeAction;
  readonly record: RecordSet;
}

interface RawChange {
  readonly Action: ChangeAction;
  readonly ResourceRecordSet: RecordSet;
}

/** Routing-policy members, as named in Route 53's "Expected exactly one of [...]" message. */
const ROUTING_POLICIES = ['Weight', 'Region', 'Failover', 'GeoLocation', 'MultiValueAnswer', 'GeoProximityLocation', 'CidrRoutingConfig'] as const;

/**
 * Checks every change for what the model cannot express (the wire layer already checked required members,
 * enums, ranges and lengths) and rejects the whole request with InvalidInput on the first problem, as Route 53
 * does for malformed changes (message texts from real responses: "Invalid request: Expected exactly one of ...").
 */
export function normalizeChanges(changes: readonly unknown[]): NormalizedChange[] {
  return (changes as RawChange[]).map((change) => {
    const rrs = change.ResourceRecordSet;
    checkName(rrs.Name);
    checkValueShape(change);
    checkRoutingPolicy(change);
    return { action: change.Action, record: normalizeRecordSet(rrs) };
  });
}

/** A record set as stored: name normalized, alias target normalized, no undefined members. */
export function normalizeRecordSet(rrs: RecordSet): RecordSet {
  const record = copy(rrs);
  record.Name = normalizeName(rrs.Name);
  if (record.AliasTarget) {
    record.AliasTarget.DNSName = normalizeName(record.AliasTarget.DNSName);
    record.AliasTarget.HostedZoneId = bareZoneId(record.AliasTarget.HostedZoneId);
  }
  return record;
}

function describeChange(change: RawChange): string {
  const rrs = change.ResourceRecordSet;
  return `[Action=${change.Action}, Name=${rrs.Name}, Type=${rrs.Type}, SetIdentifier=${rrs.SetIdentifier ?? 'null'}]`;
}

/** Alias target, or TTL with values, or a traffic policy instance: exactly one of them. */
function checkValueShape(change: RawChange): void {
  const rrs = change.ResourceRecordSet;
  const alias = rrs.AliasTarget !== undefined;
  const basicAny = rrs.TTL !== undefined || rrs.ResourceRecords !== undefined;
  const basicFull = rrs.TTL !== undefined && rrs.ResourceRecords !== undefined;
  const policy = rrs['TrafficPolicyInstanceId'] !== undefined;
  const found = (alias && basicAny) || (policy && (alias || basicAny)) ? 'more than one' : alias || policy || basicFull ? undefined : 'none';
  if (found) {
    invalidInput(`Invalid request: Expected exactly one of [AliasTarget, all of [TTL, and ResourceRecords], or TrafficPolicyInstanceId], but found ${found} in Change with ${describeChange(change)}`);
  }
}

/** A set identifier needs exactly one routing policy, and a routing policy needs a set identifier. */
function checkRoutingPolicy(change: RawChange): void {
  const rrs = change.ResourceRecordSet;
  const policies = ROUTING_POLICIES.filter((member) => rrs[member] !== undefined);
  const expected = `Expected exactly one of [Weight, Region, Failover, GeoLocation, MultiValueAnswer, GeoProximityLocation, or CidrRoutingConfig]`;
  if (rrs.SetIdentifier !== undefined && policies.length === 0) invalidInput(`Invalid request: ${expected}, but found none in Change with ${describeChange(change)}`);
  if (policies.length > 1) invalidInput(`Invalid request: ${expected}, but found more than one in Change with ${describeChange(change)}`);
  if (policies.length === 1 && rrs.SetIdentifier === undefined) invalidInput(`Invalid request: Missing field 'SetIdentifier' in Change with ${describeChange(change)}`);
}

/** Labels of 1..63 characters, at most 255 in all (DNS domain name format doc). */
function checkName(name: string): void {
  const labels = name.replace(/\.$/, '').split('.');
  const bad = name.length === 0 || name.length > 255 || labels.some((label) => label.length === 0 || label.length > 63);
  if (bad) invalidInput(`Invalid request: ${JSON.stringify(name)} is not a valid DNS name`);
}
