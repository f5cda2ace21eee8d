import { isThrottlingError } from '@smithy/core/retry';
import { DeployError, messageOf } from '../errors.js';
import { isAbortError } from '../time/clock.js';

/** SDK failures become AWS_ERROR with the operation named; aborts and our own errors pass through unchanged. */
export function awsFailure(operation: string, label: string, error: unknown): Error {
  if (isAbortError(error) || error instanceof DeployError) return error as Error;
  return new DeployError('AWS_ERROR', `${label}: ${operation} failed: ${messageOf(error)}`, { cause: error });
}

/**
 * The SDK gave up on a throttled call (its attempt budget ran out), here or anywhere down the cause chain. AWS
 * refuses a throttled request before acting on it, so nothing was applied and the call may be made again.
 */
export function isThrottled(error: unknown): boolean {
  for (let e = error, depth = 0; e instanceof Error && depth < 10; e = e.cause, depth++) {
    if (isThrottlingError(e as Parameters<typeof isThrottlingError>[0])) return true;
  }
  return false;
}
