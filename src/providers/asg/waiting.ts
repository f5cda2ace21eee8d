import { DeployError, messageOf } from '../../errors.js';
import { formatDuration } from '../../util/duration.js';
import { isAbortError } from '../../time/clock.js';
import type { ProviderContext } from '../types.js';

/** How the provider waits for Auto Scaling (tests shorten these). */
export interface AsgTimings {
  /** Between reads while waiting (rollback, restoring the old group). */
  readonly pollMs: number;
  /** How long a rollback (or restoring the old group) may take before it is reported failed. */
  readonly rollbackTimeoutMs: number;
  /** Blue-green: how long the new group may take to be fully in service and healthy. */
  readonly readyTimeoutMs: number;
  /** A refresh AWS has accepted but does not list yet (eventual consistency) counts as pending this long. */
  readonly listingGraceMs: number;
}

/** Instance launches, warmups and health checks take minutes; a rollback of a large group can take an hour. */
export const DEFAULT_TIMINGS: AsgTimings = { pollMs: 15_000, rollbackTimeoutMs: 60 * 60_000, readyTimeoutMs: 30 * 60_000, listingGraceMs: 60_000 };

/**
 * Reads until `check` finds nothing left to wait for. A failed read (throttling past the SDK's retries, a 5xx)
 * is remembered and retried: the rollback path keeps trying until its deadline, then says what it saw last.
 */
export async function waitUntil<T>(what: string, read: () => Promise<T>, check: (value: T) => string | undefined, ctx: ProviderContext, timings: Pick<AsgTimings, 'pollMs'> & { timeoutMs: number }): Promise<T> {
  const deadline = ctx.clock.now() + timings.timeoutMs;
  let problem: string;
  for (;;) {
    try {
      const value = await read();
      const left = check(value);
      if (left === undefined) return value;
      problem = left;
    } catch (error) {
      if (isAbortError(error)) throw error;
      problem = messageOf(error);
    }
    if (ctx.clock.now() >= deadline) throw new DeployError('CAPACITY_FAILED', `${what}: still not done after ${formatDuration(timings.timeoutMs / 1000)}: ${problem}`);
    await ctx.clock.sleep(timings.pollMs, ctx.signal);
  }
}

export function warn(ctx: ProviderContext, message: string): void {
  ctx.emit({ type: 'warning', message, deploymentId: ctx.deploymentId, at: ctx.clock.now() });
}
