import type { RetryErrorInfo, RetryStrategyV2, RetryToken, StandardRetryToken } from '@smithy/types';
import type { Clock } from '../time/clock.js';
import { currentRetryPhase, type RetryPhase } from './retryBudget.js';

/**
 * Attempts per call (first try included) for each phase. Throttling is the normal state of an account shared by
 * many pipelines, and giving up on it mid-rollout turns a slow deployment into a rollback: the forward path rides
 * out sustained throttling (with 50% of calls throttled, 8 attempts fail 1 call in 256), and the rollback path,
 * which must not give up, gets more still. Backoff is capped at 20 s, so a call waits at most about a minute.
 */
export const RETRY_BUDGETS: Readonly<Record<RetryPhase, number>> = { forward: 8, rollback: 12 };

const BASE_DELAY_MS = 50;
const THROTTLING_BASE_DELAY_MS = 1000;
const MAX_DELAY_MS = 20_000;

/** The retry count so far and the attempts this call may make (fixed when the call starts). */
class Token implements StandardRetryToken {
  constructor(
    readonly attempt: number,
    readonly maxAttempts: number,
  ) {}
  getRetryCount(): number {
    return this.attempt;
  }
  getRetryDelay(): number {
    return 0;
  }
  getRetryCost(): number | undefined {
    return undefined;
  }
}

/**
 * The SDK's standard retry behaviour (full-jitter exponential backoff, 50 ms base for transient errors and 1 s
 * for throttling, capped at 20 s, Retry-After honoured) with two changes: the number of attempts depends on the
 * phase (forward or rollback), and the backoff sleeps on the deployment's clock, so rehearsals in simulated time
 * see the same retries without waiting for them. The SDK still decides what is retryable (errorType).
 */
export class ClockRetryStrategy implements RetryStrategyV2 {
  readonly mode = 'standard';

  constructor(
    private readonly clock: Clock,
    private readonly budgets: Readonly<Record<RetryPhase, number>> = RETRY_BUDGETS,
    private readonly random: () => number = Math.random,
  ) {}

  async acquireInitialRetryToken(_scope: string): Promise<RetryToken> {
    return new Token(0, this.budgets[currentRetryPhase()]);
  }

  async refreshRetryTokenForRetry(previous: RetryToken, info: RetryErrorInfo): Promise<RetryToken> {
    const current = previous as Token;
    const retryable = info.errorType === 'THROTTLING' || info.errorType === 'TRANSIENT';
    if (!retryable || current.attempt + 1 >= current.maxAttempts) throw new Error('No retry token available');
    const base = info.errorType === 'THROTTLING' ? THROTTLING_BASE_DELAY_MS : BASE_DELAY_MS;
    let delay = Math.floor(this.random() * Math.min(base * 2 ** current.attempt, MAX_DELAY_MS));
    if (info.retryAfterHint instanceof Date) {
      delay = Math.max(delay, Math.min(info.retryAfterHint.getTime() - this.clock.now(), delay + 5_000));
    }
    await this.clock.sleep(delay);
    return new Token(current.attempt + 1, current.maxAttempts);
  }

  recordSuccess(_token: RetryToken): void {}
}
