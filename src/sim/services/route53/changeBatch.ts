import { invalidChangeBatch } from './errors.js';
import { answerKey, describeRecordSet, isWithinZone, recordKey } from './names.js';
import { checkRecordSetRules } from './recordRules.js';
import type { HostedZone, RecordSet } from './state.js';
import type { NormalizedChange } from './validateChange.js';

/** "A request cannot contain more than 1,000 ResourceRecord elements"; UPSERT counts twice (DNSLimitations). */
const MAX_RESOURCE_RECORDS_PER_REQUEST = 1000;

export interface BatchResult {
  /** The zone's record sets after the batch. */
  readonly records: RecordSet[];
  /** Answer keys (`name|type`) the batch wrote to. */
  readonly touched: ReadonlySet<string>;
  /** Record sets the batch created or upserted. */
  readonly written: readonly RecordSet[];
}

/**
 * Validates a change batch as a whole and computes the zone after it, without touching the zone: Route 53
 * "validates the changes ... and then either makes all or none". Changes are checked in order against a working
 * copy (so DELETE old + CREATE new works as a compare-and-swap); a change that fails is not applied and the
 * next changes see the zone without it, which is why one real response can say both "values provided do not
 * match" and "already exists". Rules about the final zone (routing policies, CNAME, TTL, limits) come last.
 * Every problem is reported, in one InvalidChangeBatch.
 */
export function applyChangeBatch(zone: HostedZone, changes: readonly NormalizedChange[]): BatchResult {
  const messages: string[] = [...batchLimitMessages(changes)];
  const rejected = invalidSequences(changes, messages);
  const working = new Map(zone.records.map((record) => [recordKey(record), record]));
  const touched = new Set<string>();
  const written: RecordSet[] = [];
  for (const change of changes) {
    if (rejected.has(recordKey(change.record))) continue;
    const problem = applyOne(zone, working, change);
    if (problem) messages.push(problem);
    else if (change.action !== 'DELETE') written.push(change.record);
    touched.add(answerKey(change.record.Name, change.record.Type));
  }
  const records = [...working.values()];
  messages.push(...checkRecordSetRules(zone, records, written, touched));
  if (messages.length > 0) invalidChangeBatch([...new Set(messages)]);
  return { records, touched, written };
}

/** One change against the working copy; returns Route 53's message when it cannot be applied. */
function applyOne(zone: HostedZone, working: Map<string, RecordSet>, change: NormalizedChange): string | undefined {
  const { record } = change;
  if (!isWithinZone(record.Name, zone.name)) return `RRSet with DNS name ${record.Name} is not permitted in zone ${zone.name}`;
  const key = recordKey(record);
  const existing = working.get(key);
  switch (change.action) {
    case 'CREATE':
      if (existing) return `Tried to create resource record set ${describeRecordSet(record)} but it already exists`;
      working.set(key, record);
      return undefined;
    case 'DELETE':
      if (!existing) return `Tried to delete resource record set ${describeRecordSet(record)} but it was not found`;
      if (canonical(existing) !== canonical(record)) return `Tried to delete resource record set ${describeRecordSet(record)} but the values provided do not match the current values`;
      working.delete(key);
      return undefined;
    case 'UPSERT':
      working.set(key, record);
      return undefined;
  }
}

/**
 * A batch may change one record set once, or DELETE it and then CREATE it again; anything else (two UPSERTs,
 * two DELETEs, CREATE twice...) is "an invalid set of changes" (wording from real responses).
 */
function invalidSequences(changes: readonly NormalizedChange[], messages: string[]): Set<string> {
  const actions = new Map<string, string[]>();
  for (const { action, record } of changes) actions.set(recordKey(record), [...(actions.get(recordKey(record)) ?? []), action]);
  const rejected = new Set<string>();
  for (const { record } of changes) {
    const key = recordKey(record);
    const sequence = (actions.get(key) ?? []).join(',');
    if (sequence.includes(',') && sequence !== 'DELETE,CREATE' && !rejected.has(key)) {
      rejected.add(key);
      messages.push(`The request contains an invalid set of changes for a resource record set '${record.Type} ${record.Name}'`);
    }
  }
  return rejected;
}

function batchLimitMessages(changes: readonly NormalizedChange[]): string[] {
  const count = changes.reduce((sum, { action, record }) => sum + (record.ResourceRecords?.length ?? 0) * (action === 'UPSERT' ? 2 : 1), 0);
  return count > MAX_RESOURCE_RECORDS_PER_REQUEST ? [`Number of records limit of ${MAX_RESOURCE_RECORDS_PER_REQUEST} exceeded.`] : [];
}

/** A record set's values for the exact-match rule of DELETE: member order and value order do not matter. */
function canonical(record: RecordSet): string {
  const values = record.ResourceRecords?.map((r) => r.Value).sort();
  return JSON.stringify(sortKeys({ ...record, ...(values ? { ResourceRecords: values } : {}) }));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]));
  }
  return value;
}
