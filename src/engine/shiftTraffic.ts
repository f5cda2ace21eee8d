import { DeployError, messageOf } from '../errors.js';
import { isThrottled } from '../aws/failure.js';
import type { Json, ShiftContext, TrafficProvider, WeightCheck } from '../providers/types.js';
import { abortError } from '../time/clock.js';
import type { Runtime } from './runtime.js';

export const DEFAULT_VERIFY = { attempts: 4, backoffMs: 1000 };

/**
 * Moves one traffic provider to `percent` and proves it by reading back. A mismatch is read again after a
 * backoff before anything is concluded (stale reads settle); a write that did not take is applied again; a
 * foreign change that persists is drift and fails the step. A call the SDK gave up on because AWS kept throttling
 * it changed nothing (AWS refuses before acting), so the round is tried again after the backoff: setWeight reads
 * first and writes only what is missing.
 */
export async function shiftAndVerify(provider: TrafficProvider, percent: number, ctx: ShiftContext, runtime: Runtime, stop: AbortSignal = ctx.signal): Promise<void> {
  const { attempts, backoffMs } = runtime.verify ?? DEFAULT_VERIFY;
  let lastProblem: Error | undefined;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    // A write already sent is seen through (ctx.signal), but once a rollback has begun (`stop`) nothing new is
    // written: the retry after a backoff is abandoned.
    if (attempt > 1) await runtime.clock.sleep(backoffMs * 2 ** (attempt - 2), stop);
    let check: WeightCheck;
    try {
      await provider.setWeight(percent, ctx);
      // A rollback began while the write was in flight: it restores the captured state whatever this write did,
      // so the shift is not reported as done after the rollback started.
      if (stop.aborted) throw abortError(stop);
      check = await provider.verifyWeight(percent, ctx);
    } catch (error) {
      const drift = error instanceof DeployError && error.code === 'DRIFT';
      if (!drift && !isThrottled(error)) throw error;
      lastProblem = error as Error;
      continue;
    }
    if (stop.aborted) throw abortError(stop);
    if (check.status === 'ok') {
      runtime.emit({ type: 'weight.set', target: provider.label, percent, verified: true, attempts: attempt });
      return;
    }
    lastProblem =
      check.status === 'drift'
        ? new DeployError('DRIFT', `${provider.label} was changed by someone else: ${check.detail}`)
        : new DeployError('AWS_ERROR', `${provider.label}: the write of ${percent}% did not take: ${check.detail}`);
  }
  throw lastProblem ?? new DeployError('INTERNAL', `${provider.label}: could not verify ${percent}%`);
}

export function snapshotFor(snapshots: Record<string, Json>, key: string): Json {
  const snapshot = snapshots[key];
  if (snapshot === undefined) throw new DeployError('INTERNAL', `no captured configuration for ${key}; refusing to write without one`);
  return snapshot;
}

export function describeError(error: unknown): string {
  return messageOf(error);
}
