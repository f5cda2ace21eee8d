import { date, fail } from '../common.js';
import type { ServiceContext } from '../../types.js';
import { scheduleAnswers } from './answers.js';
import { applyChangeBatch } from './changeBatch.js';
import { priorRequestNotComplete, zoneOrFail } from './errors.js';
import { bareChangeId, splitAnswerKey, trafficKey } from './names.js';
import type { ChangeRecord, HostedZone, Route53State } from './state.js';
import { normalizeChanges, type NormalizedChange } from './validateChange.js';

type Ctx = ServiceContext<Route53State>;

/** A change as the API returns it: `ChangeInfo.Id` keeps its `/change/` prefix, as the real API's does. */
export function changeInfo(change: ChangeRecord): Record<string, unknown> {
  return { Id: `/change/${change.id}`, Status: change.status, SubmittedAt: date(change.submittedAt), ...(change.comment !== undefined ? { Comment: change.comment } : {}) };
}

/** A new change of a zone: PENDING until it has propagated to every Route 53 name server. */
export function newChange(ctx: Ctx, zoneId: string, comment?: string): ChangeRecord {
  const insyncAt = ctx.now + ctx.state.propagationSeconds * 1000;
  const status = insyncAt <= ctx.now ? 'INSYNC' : 'PENDING';
  const change: ChangeRecord = { id: ctx.id('C', 20).toUpperCase(), zoneId, status, submittedAt: ctx.now, insyncAt, ...(comment !== undefined ? { comment } : {}) };
  ctx.state.changes[change.id] = change;
  if (status === 'PENDING') ctx.state.pendingChanges.push(change.id);
  return change;
}

/** Applies a validated batch all-or-nothing, records the change, and schedules what resolvers will answer. */
export function commitChangeBatch(ctx: Ctx, zone: HostedZone, changes: readonly NormalizedChange[], comment?: string): ChangeRecord {
  const result = applyChangeBatch(zone, changes);
  zone.records = result.records;
  const change = newChange(ctx, zone.id, comment);
  scheduleAnswers(ctx, zone, result.touched, change.insyncAt);
  for (const key of result.touched) {
    const { name, type } = splitAnswerKey(key);
    ctx.touch(trafficKey(zone.id, name, type));
  }
  return change;
}

function hasPendingChange(state: Route53State, zoneId: string): boolean {
  return state.pendingChanges.some((id) => state.changes[id]?.zoneId === zoneId);
}

export function changeResourceRecordSets(ctx: Ctx, input: Record<string, unknown>): unknown {
  const zone = zoneOrFail(ctx.state, input.HostedZoneId);
  const batch = input.ChangeBatch as { Comment?: string; Changes: unknown[] };
  const changes = normalizeChanges(batch.Changes);
  // Route 53 serializes changes per zone; the fault makes it say so while an earlier change is PENDING.
  if (ctx.world.faults.active('priorRequestNotComplete', 'route53') && hasPendingChange(ctx.state, zone.id)) priorRequestNotComplete();
  const change = commitChangeBatch(ctx, zone, changes, batch.Comment);
  return { ChangeInfo: changeInfo(change) };
}

export function getChange(ctx: Ctx, input: Record<string, unknown>): unknown {
  const id = bareChangeId(String(input.Id));
  const change = ctx.state.changes[id] ?? fail('NoSuchChange', `No change found with ID: ${id}`, { httpStatus: 404 });
  return { ChangeInfo: changeInfo(change) };
}
