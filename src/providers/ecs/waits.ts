import { DeployError, messageOf } from '../../errors.js';
import { formatDuration } from '../../util/duration.js';
import { isAbortError } from '../../time/clock.js';
import type { ProviderContext } from '../types.js';

/** How long the provider waits for ECS, on the deployment's clock (tests shorten it). */
export interface WaitPolicy {
  /** Between two reads, ms (the ServicesStable waiter reads every 15 s). */
  readonly pollMs: number;
  /** Give up after this long, ms: a rollback reports failure (with the manual commands) instead of hanging. */
  readonly timeoutMs: number;
}

/** How hard a write is tried before it is reported as failed. */
export interface WritePolicy {
  /** Writes tried; each is followed by a read-back. */
  readonly attempts: number;
  /** First wait before re-reading a write that does not show yet, doubled each time. */
  readonly backoffMs: number;
}

export const DEFAULT_WAIT: WaitPolicy = { pollMs: 15_000, timeoutMs: 30 * 60_000 };
export const DEFAULT_WRITE: WritePolicy = { attempts: 4, backoffMs: 2_000 };

/** `undefined` when the read shows what was wanted, else what is still different. */
export type Check = () => Promise<string | undefined>;

/** A failed read is a finding to retry on, not the end; aborts end it. */
async function safely(check: Check): Promise<string | undefined> {
  try {
    return await check();
  } catch (error) {
    if (isAbortError(error)) throw error;
    return `could not read: ${messageOf(error)}`;
  }
}

/**
 * Write, then read back. A read that does not show the write yet is read again after a backoff (a stale read
 * settles); only if it still differs is the write sent again (a lost write). A write that fails may still have
 * applied (timeout after apply), so the read decides. Every write deployctl makes is idempotent: sending it
 * twice leaves the same state.
 */
export async function writeConfirmed(what: string, write: () => Promise<void>, confirmed: Check, ctx: ProviderContext, policy: WritePolicy = DEFAULT_WRITE): Promise<void> {
  let problem: string | undefined = 'not written yet';
  for (let attempt = 1; attempt <= policy.attempts; attempt++) {
    let failure = '';
    try {
      await write();
    } catch (error) {
      if (isAbortError(error)) throw error;
      failure = ` (the write failed: ${messageOf(error)})`;
    }
    problem = await safely(confirmed);
    if (problem !== undefined) problem += failure;
    if (problem === undefined) return;
    await ctx.clock.sleep(policy.backoffMs * 2 ** (attempt - 1), ctx.signal);
    problem = await safely(confirmed);
    if (problem === undefined) return;
  }
  throw new DeployError('AWS_ERROR', `${what} did not take after ${policy.attempts} writes: ${problem}`);
}

/** Reads until `check` passes or the policy's deadline; says what was still different at the end. */
export async function waitUntil(what: string, check: Check, ctx: ProviderContext, policy: WaitPolicy = DEFAULT_WAIT): Promise<void> {
  const deadline = ctx.clock.now() + policy.timeoutMs;
  for (;;) {
    const problem = await safely(check);
    if (problem === undefined) return;
    if (ctx.clock.now() >= deadline) throw new DeployError('CAPACITY_FAILED', `${what}: not reached after ${formatDuration(policy.timeoutMs / 1000)}: ${problem}`);
    await ctx.clock.sleep(Math.min(policy.pollMs, Math.max(0, deadline - ctx.clock.now())), ctx.signal);
  }
}

/**
 * Remembers, per deployment, the best percent it has reached and when, so a deployment that stops moving (tasks
 * crash-looping without a circuit breaker, no capacity to place tasks) is reported instead of followed forever.
 * Tasks that start and then fail do not count as progress: only a new best does. Kept in memory: after a restart
 * the clock starts again, which only ever makes the deadline later.
 */
export class ProgressWatch {
  private readonly best = new Map<string, { readonly percent: number; readonly since: number }>();
  private readonly readFailures = new Map<string, number>();
  private readonly percents = new Map<string, number>();

  remember(key: string, percent: number): void {
    this.percents.set(key, percent);
  }

  /** The last percent reported for a deployment (0 before the first), reported again while reads fail. */
  lastPercent(key: string): number {
    return this.percents.get(key) ?? 0;
  }

  /** How long the deployment has gone without reaching a new best percent, ms. */
  stalledFor(key: string, percent: number, now: number): number {
    const last = this.best.get(key);
    if (!last || percent > last.percent) {
      this.best.set(key, { percent, since: now });
      return 0;
    }
    return now - last.since;
  }

  /** Counts consecutive failed reads of a deployment; a successful read resets the count. */
  failedRead(key: string): number {
    const count = (this.readFailures.get(key) ?? 0) + 1;
    this.readFailures.set(key, count);
    return count;
  }

  readSucceeded(key: string): void {
    this.readFailures.delete(key);
  }
}
