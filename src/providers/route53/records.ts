import type { ResourceRecordSet } from '@aws-sdk/client-route-53';
import { plainCopy } from '../../util/plainJson.js';

/**
 * Pure functions over record sets as ListResourceRecordSets returns them. Field-by-field comparison treats the
 * values of a record as a set (DNS answers carry no order) and everything else exactly.
 */

const MAX_DIFFERENCES = 8;

/** `'blue' (CNAME, weight 90)` */
export function describeSet(record: ResourceRecordSet): string {
  const policy = record.Weight !== undefined ? `weight ${record.Weight}` : routingPolicyOf(record);
  return `'${record.SetIdentifier ?? ''}' (${record.Type}, ${policy})`;
}

/** The routing policy a record with a set identifier uses, for messages. */
export function routingPolicyOf(record: ResourceRecordSet): string {
  if (record.Weight !== undefined) return 'weighted';
  if (record.Failover !== undefined) return `failover ${record.Failover}`;
  if (record.Region !== undefined) return `latency ${record.Region}`;
  if (record.GeoLocation !== undefined) return 'geolocation';
  if (record.GeoProximityLocation !== undefined) return 'geoproximity';
  if (record.MultiValueAnswer !== undefined) return 'multivalue answer';
  if (record.CidrRoutingConfig !== undefined) return 'IP-based';
  return record.SetIdentifier === undefined ? 'simple' : 'unknown';
}

export function withWeight(record: ResourceRecordSet, weight: number): ResourceRecordSet {
  return { ...structuredClone(record), Weight: weight };
}

/** TTL resolvers may cache an answer for: the record's TTL, or 60 s for an alias record (ELB alias TTL). */
export function cacheSeconds(record: ResourceRecordSet): number {
  return record.TTL ?? 60;
}

function comparable(record: ResourceRecordSet, ignoreWeight: boolean): Record<string, unknown> {
  const copy: Record<string, unknown> = plainCopy({ ...record });
  if (ignoreWeight) delete copy.Weight;
  if (record.ResourceRecords) copy.ResourceRecords = record.ResourceRecords.map((r) => r.Value ?? '').sort();
  return copy;
}

/** Differences `member from → to` between the captured record and the live one. */
export function recordDifferences(captured: ResourceRecordSet, live: ResourceRecordSet | undefined, options: { ignoreWeight?: boolean } = {}): string[] {
  const where = `'${captured.SetIdentifier ?? ''}'`;
  if (!live) return [`${where} was deleted`];
  const out: string[] = [];
  jsonDifferences(comparable(captured, options.ignoreWeight ?? false), comparable(live, options.ignoreWeight ?? false), where, out);
  return out.slice(0, MAX_DIFFERENCES);
}

function jsonDifferences(a: unknown, b: unknown, where: string, out: string[], path = ''): void {
  if (out.length >= MAX_DIFFERENCES) return;
  if (isObject(a) && isObject(b)) {
    for (const key of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) jsonDifferences(a[key], b[key], where, out, path ? `${path}.${key}` : key);
    return;
  }
  if (JSON.stringify(a) !== JSON.stringify(b)) out.push(`${where} ${path || 'value'} ${show(a)} → ${show(b)}`);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function show(value: unknown): string {
  return value === undefined ? '(absent)' : JSON.stringify(value);
}
