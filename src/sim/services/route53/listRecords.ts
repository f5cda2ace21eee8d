import { copy } from '../common.js';
import type { ServiceContext } from '../../types.js';
import { invalidInput, zoneOrFail } from './errors.js';
import { compareAscii, compareRecordSets, normalizeName, reversedLabels } from './names.js';
import { pageSize } from './listZones.js';
import type { RecordSet, Route53State } from './state.js';

/** "ListResourceRecordSets returns up to 300 resource record sets at a time." */
const MAX_RECORDS_PER_PAGE = 300;

interface Start {
  readonly name?: string;
  readonly type?: string;
  readonly identifier?: string;
}

/**
 * Record sets in AWS order (name with labels reversed, then type, then set identifier), from the first one at or
 * after StartRecordName/Type/Identifier. Returns the current records, PENDING ones included (API reference).
 */
export function listResourceRecordSets(ctx: ServiceContext<Route53State>, input: Record<string, unknown>): unknown {
  const zone = zoneOrFail(ctx.state, input.HostedZoneId);
  // "If you specify Type but not Name, Amazon Route 53 returns the InvalidInput error."
  if (input.StartRecordType !== undefined && input.StartRecordName === undefined) invalidInput('Invalid request: StartRecordType requires StartRecordName');
  if (input.StartRecordIdentifier !== undefined && input.StartRecordType === undefined) invalidInput('Invalid request: StartRecordIdentifier requires StartRecordName and StartRecordType');
  const start: Start = {
    ...(input.StartRecordName !== undefined ? { name: normalizeName(String(input.StartRecordName)) } : {}),
    ...(input.StartRecordType !== undefined ? { type: String(input.StartRecordType) } : {}),
    ...(input.StartRecordIdentifier !== undefined ? { identifier: String(input.StartRecordIdentifier) } : {}),
  };
  const records = [...zone.records].sort(compareRecordSets);
  const { size, echo } = pageSize(input.MaxItems, MAX_RECORDS_PER_PAGE);
  const index = records.findIndex((r) => isAtOrAfter(r, start));
  const first = index < 0 ? records.length : index;
  const next = records[first + size];
  return {
    ResourceRecordSets: copy(records.slice(first, first + size)),
    IsTruncated: next !== undefined,
    ...(next ? nextRecord(next) : {}),
    MaxItems: echo,
  };
}

function isAtOrAfter(record: RecordSet, start: Start): boolean {
  if (start.name === undefined) return true;
  const byName = compareAscii(reversedLabels(record.Name), reversedLabels(start.name));
  if (byName !== 0 || start.type === undefined) return byName >= 0;
  const byType = compareAscii(record.Type, start.type);
  if (byType !== 0 || start.identifier === undefined) return byType >= 0;
  return compareAscii(record.SetIdentifier ?? '', start.identifier) >= 0;
}

function nextRecord(record: RecordSet): Record<string, string> {
  return { NextRecordName: record.Name, NextRecordType: record.Type, ...(record.SetIdentifier !== undefined ? { NextRecordIdentifier: record.SetIdentifier } : {}) };
}
