import { AsyncLocalStorage } from 'node:async_hooks';

/** Which retry budget AWS calls made inside this async context use. Rollback gets a larger one than forward. */
export type RetryPhase = 'forward' | 'rollback';

const phase = new AsyncLocalStorage<RetryPhase>();

export function withRetryPhase<T>(which: RetryPhase, work: () => Promise<T>): Promise<T> {
  return phase.run(which, work);
}

export function currentRetryPhase(): RetryPhase {
  return phase.getStore() ?? 'forward';
}
