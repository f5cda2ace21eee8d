import type { Change, ChangeInfo, ResourceRecordSet } from '@aws-sdk/client-route-53';
import { DeployError, messageOf } from '../../errors.js';
import { isAbortError } from '../../time/clock.js';
import type { ProviderContext } from '../types.js';
import { errorName, type Route53Api } from './api.js';

export interface SyncPolicy {
  /** GetChange every pollMs until INSYNC. */
  readonly pollMs: number;
  /** Give up after this long: "changes generally propagate to all Route 53 name servers within 60 seconds". */
  readonly timeoutMs: number;
  /** How long to wait for propagation when a change applied but its id was lost with the response. */
  readonly unknownChangeWaitMs: number;
}

export const DEFAULT_SYNC: SyncPolicy = { pollMs: 5_000, timeoutMs: 15 * 60_000, unknownChangeWaitMs: 60_000 };

/**
 * A restore's first GetChange comes 1 s after the write, then the interval doubles up to pollMs: a rollback is
 * reported done soon after Route 53 is INSYNC, for a few extra calls (rollbacks are rare). Forward shifts keep
 * the plain interval; a bake follows them anyway.
 */
export const RESTORE_FIRST_POLL_MS = 1_000;

/** GetChange failures in a row (after the SDK's own retries) before the wait is given up. */
const MAX_POLL_FAILURES = 3;

/**
 * DELETE(current) + CREATE(next) of one record set. DELETE must match the current record exactly, so the pair
 * is a compare-and-swap: if anyone changed the record since it was read, Route 53 rejects the whole batch.
 */
export function swap(current: ResourceRecordSet, next: ResourceRecordSet): Change[] {
  return [
    { Action: 'DELETE', ResourceRecordSet: structuredClone(current) },
    { Action: 'CREATE', ResourceRecordSet: structuredClone(next) },
  ];
}

/**
 * Polls GetChange on the deployment's clock until the change is INSYNC on every Route 53 name server. Returns
 * 'unknown' when Route 53 does not know the change id (NoSuchChange): then only the records can tell. The first
 * poll comes after firstPollMs, and the interval doubles up to policy.pollMs.
 */
export async function waitInsync(api: Route53Api, info: ChangeInfo, ctx: ProviderContext, policy: SyncPolicy, firstPollMs = policy.pollMs): Promise<'insync' | 'unknown'> {
  const id = info.Id!;
  let interval = Math.min(firstPollMs, policy.pollMs);
  const deadline = ctx.clock.now() + policy.timeoutMs;
  let status: string | undefined = info.Status;
  let failures = 0;
  while (status !== 'INSYNC') {
    if (ctx.clock.now() >= deadline) {
      throw new DeployError('AWS_ERROR', `${api.label}: change ${id} is still ${String(status)} after ${policy.timeoutMs / 60_000} min (Route 53 normally propagates a change within 60 s)`);
    }
    // The write is acknowledged: a rollback that began meanwhile need not wait for its propagation.
    await ctx.clock.sleep(interval, (ctx as ProviderContext & { stop?: AbortSignal }).stop ?? ctx.signal);
    interval = Math.min(interval * 2, policy.pollMs);
    try {
      status = await api.changeStatus(id, ctx.signal);
      failures = 0;
    } catch (error) {
      if (errorName(error) === 'NoSuchChange') return 'unknown';
      if (isAbortError(error) || ++failures >= MAX_POLL_FAILURES) throw api.failure(`GetChange ${id}`, error);
    }
  }
  return 'insync';
}

/**
 * The records show our change but the response with its id was lost (a timeout after Route 53 took it, then
 * the SDK's retry was refused because the DELETE no longer matched). There is no way to look a change up
 * without its id, so wait the documented propagation time instead, and say so.
 */
export async function waitUnknownChange(api: Route53Api, ctx: ProviderContext, policy: SyncPolicy, cause: unknown): Promise<void> {
  const message = `${api.label}: the change applied but its id was lost with the response (${messageOf(cause)}); waiting ${policy.unknownChangeWaitMs / 1000} s for it to propagate instead of GetChange`;
  ctx.emit({ type: 'warning', message, deploymentId: ctx.deploymentId, at: ctx.clock.now() });
  await ctx.clock.sleep(policy.unknownChangeWaitMs, ctx.signal);
}
