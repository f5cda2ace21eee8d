import type { Change, ChangeInfo, ResourceRecordSet } from '@aws-sdk/client-route-53';
import { DeployError, messageOf } from '../../errors.js';
import { isAbortError } from '../../time/clock.js';
import { DEFAULT_RESTORE, type ProviderContext, type RestorePolicy, type ShiftContext, type WeightCheck } from '../types.js';
import type { Route53Api } from './api.js';
import { RESTORE_FIRST_POLL_MS, swap, waitInsync, waitUnknownChange, type SyncPolicy } from './change.js';
import { assess, driftDetail, isAt, pairAt, type Assessment } from './live.js';
import { recordDifferences, withWeight } from './records.js';
import { ROLES, type Route53Snapshot } from './snapshot.js';
import { formatPercent } from './weights.js';

/**
 * Weight changes and restore. Every shift is read, compare, then ONE change batch of DELETE(current) +
 * CREATE(next) for both record sets: Route 53 applies all or none and a DELETE must match exactly, so a record
 * someone changed since our read makes the whole batch fail (InvalidChangeBatch) instead of being overwritten.
 */

export { DEFAULT_RESTORE, type RestorePolicy };

/** Reads after a refused or failed batch, pollMs apart, before concluding (a lagging read settles). */
const READS_AFTER_FAILURE = 3;

function comment(ctx: ProviderContext, what: string): string {
  return `deployctl ${ctx.deploymentId}: ${what}`;
}

export async function setWeight(api: Route53Api, snapshot: Route53Snapshot, percent: number, ctx: ShiftContext, sync: SyncPolicy, seenInsync: Set<number> = new Set()): Promise<void> {
  const before = assess(snapshot, await api.readGroup(ctx.signal));
  if (isAt(before, percent)) {
    // Already there, but not by a change this process saw reach INSYNC (a resumed deployment whose write landed
    // before its process died): its propagation may still be under way, so wait it out before the bake starts.
    if (!seenInsync.has(percent)) await waitUnknownChange(api, ctx, sync, 'the weights were already set when this process started');
    seenInsync.add(percent);
    return;
  }
  if (!isAt(before, ctx.fromPercent)) throw new DeployError('DRIFT', `${api.label} was changed by someone else: ${driftDetail(before, [ctx.fromPercent, percent])}`);
  const pair = pairAt(percent);
  // isAt() above saw both records.
  const stable = before.live.stable!;
  const canary = before.live.canary!;
  const changes = [...swap(stable, withWeight(stable, pair.stable)), ...swap(canary, withWeight(canary, pair.canary))];
  let info: ChangeInfo;
  try {
    info = await api.changeRaw(changes, comment(ctx, `canary ${formatPercent(percent)}`), ctx.signal);
  } catch (error) {
    if (isAbortError(error)) throw error;
    return settleAfterFailure(api, snapshot, percent, ctx, sync, error);
  }
  if ((await waitInsync(api, info, ctx, sync)) === 'insync') {
    seenInsync.add(percent);
    return;
  }
  // Route 53 does not know the change it just acknowledged: if the records show it, wait out propagation; if
  // not, the write did not take, and verifyWeight will say so (the engine writes again).
  const after = assess(snapshot, await api.readGroup(ctx.signal));
  if (isAt(after, percent)) await waitUnknownChange(api, ctx, sync, `NoSuchChange ${String(info.Id)}`);
}

/**
 * A refused or failed batch may still have been ours: a timeout after Route 53 applied it makes the SDK retry,
 * and the retry's DELETE no longer matches. Read again: at the target it was ours; moved elsewhere it is drift;
 * still where it was, the write failed.
 */
async function settleAfterFailure(api: Route53Api, snapshot: Route53Snapshot, percent: number, ctx: ShiftContext, sync: SyncPolicy, error: unknown): Promise<void> {
  for (let read = 1; read <= READS_AFTER_FAILURE; read++) {
    if (read > 1) await ctx.clock.sleep(sync.pollMs, ctx.signal);
    const state = assess(snapshot, await api.readGroup(ctx.signal));
    if (isAt(state, percent)) return waitUnknownChange(api, ctx, sync, error);
    if (!isAt(state, ctx.fromPercent)) {
      throw new DeployError('DRIFT', `${api.label} was changed by someone else (the change batch was refused: ${messageOf(error)}): ${driftDetail(state, [ctx.fromPercent, percent])}`);
    }
  }
  throw api.failure('ChangeResourceRecordSets', error);
}

export async function verifyWeight(api: Route53Api, snapshot: Route53Snapshot, percent: number, ctx: ShiftContext): Promise<WeightCheck> {
  const state = assess(snapshot, await api.readGroup(ctx.signal));
  if (isAt(state, percent)) return { status: 'ok' };
  if (isAt(state, ctx.fromPercent)) return { status: 'lost', detail: `still ${state.weights}, expected ${formatPercent(percent)}` };
  return { status: 'drift', detail: driftDetail(state, [ctx.fromPercent, percent]) };
}

export async function readWeight(api: Route53Api, snapshot: Route53Snapshot, ctx: ProviderContext): Promise<number | undefined> {
  return assess(snapshot, await api.readGroup(ctx.signal)).share;
}

function remainingDifferences(snapshot: Route53Snapshot, state: Assessment): string[] {
  return ROLES.flatMap((role) => recordDifferences(snapshot[role], state.live[role]));
}

/** Both records back exactly as captured: swapped when they differ, created again when someone deleted one. */
function restoreChanges(snapshot: Route53Snapshot, state: Assessment): Change[] {
  return ROLES.flatMap((role) => {
    const captured: ResourceRecordSet = snapshot[role];
    const live = state.live[role];
    if (!live) return [{ Action: 'CREATE' as const, ResourceRecordSet: structuredClone(captured) }];
    return recordDifferences(captured, live).length > 0 ? swap(live, captured) : [];
  });
}

/** What one restore batch came to: refused batches are reported, not thrown (the next read decides). */
interface BatchOutcome {
  /** The batch may have applied without a change id to wait on (lost response, or NoSuchChange). */
  readonly unsynced: boolean;
  readonly error?: string;
}

async function writeCaptured(api: Route53Api, snapshot: Route53Snapshot, state: Assessment, ctx: ProviderContext, sync: SyncPolicy): Promise<BatchOutcome> {
  let info: ChangeInfo;
  try {
    info = await api.changeRaw(restoreChanges(snapshot, state), comment(ctx, 'restore the captured records'), ctx.signal);
  } catch (error) {
    if (isAbortError(error)) throw error;
    // It may have applied all the same (a timeout, then a refused SDK retry): its id is lost then.
    return { unsynced: true, error: messageOf(error) };
  }
  // Not caught: a change that never goes INSYNC is a failed restore, whatever the records say.
  return { unsynced: (await waitInsync(api, info, ctx, sync, RESTORE_FIRST_POLL_MS)) === 'unknown' };
}

async function readState(api: Route53Api, snapshot: Route53Snapshot, ctx: ProviderContext): Promise<Assessment | string> {
  try {
    return assess(snapshot, await api.readGroup(ctx.signal));
  } catch (error) {
    if (isAbortError(error)) throw error;
    return messageOf(error);
  }
}

/**
 * Writes both captured records back until a read shows them field by field (weights, TTL, values, alias target,
 * health check), waiting for INSYNC after each batch. A batch refused because a record changed under it is
 * simply tried again from a fresh read. Throws when the captured records never show.
 */
export async function restore(api: Route53Api, snapshot: Route53Snapshot, ctx: ProviderContext, policy: RestorePolicy, sync: SyncPolicy): Promise<void> {
  let problem = 'not read yet';
  let last: BatchOutcome | undefined;
  for (let attempt = 1; attempt <= policy.attempts + 1; attempt++) {
    // Read back at once after a batch that went through (time-to-restore matters); wait before trying again.
    if (attempt > 1 && (last === undefined || last.error !== undefined)) await ctx.clock.sleep(policy.backoffMs * 2 ** (attempt - 2), ctx.signal);
    const state = await readState(api, snapshot, ctx);
    if (typeof state === 'string') {
      problem = state;
      last = undefined;
      continue;
    }
    const remaining = remainingDifferences(snapshot, state);
    if (remaining.length === 0) return last?.unsynced ? waitUnknownChange(api, ctx, sync, last.error ?? 'NoSuchChange') : undefined;
    problem = remaining.join('; ');
    if (attempt > policy.attempts) break;
    warnForeign(api.label, snapshot, state, ctx, policy.planPercents ?? []);
    last = await writeCaptured(api, snapshot, state, ctx, sync);
    if (last.error !== undefined) problem = `${problem} (ChangeResourceRecordSets: ${last.error})`;
  }
  throw new DeployError('AWS_ERROR', `${api.label}: the captured records did not take after ${policy.attempts} change batches; still different: ${problem}`);
}

/** Restore replaces what it finds: when that is not a state of this rollout's plan, say what is being replaced. */
function warnForeign(label: string, snapshot: Route53Snapshot, state: Assessment, ctx: ProviderContext, planPercents: readonly number[]): void {
  if ([0, ...planPercents].some((p) => isAt(state, p))) return;
  const foreign = state.foreign.length > 0 ? state.foreign.join('; ') : state.weights;
  const message = `${label}: restoring the captured records replaces a change made by someone else during the rollout: ${foreign}`;
  ctx.emit({ type: 'warning', message, deploymentId: ctx.deploymentId, at: ctx.clock.now() });
}
