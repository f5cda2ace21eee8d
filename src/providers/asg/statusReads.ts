import { messageOf } from '../../errors.js';
import { isAbortError } from '../../time/clock.js';
import type { CapacityStatus } from '../types.js';
import { AsgCallError } from './api.js';

/** Failed progress reads in a row tolerated before status fails (the SDK has already retried each one). */
export const MAX_FAILED_READS = 5;

/** Errors no retry will fix: they fail at once. */
const PERMANENT = new Set(['ValidationError', 'AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation', 'InvalidClientTokenId', 'ExpiredToken', 'ExpiredTokenException']);

/**
 * Progress is polled for many minutes: a read that fails after the SDK's retries (a throttling storm, a 5xx)
 * should not roll a healthy deployment back. The last status seen stands in for it, a few times in a row.
 */
export class StatusReads {
  private readonly last = new Map<string, { status: CapacityStatus; failures: number }>();

  async read(key: string, run: () => Promise<CapacityStatus>): Promise<CapacityStatus> {
    try {
      const status = await run();
      this.last.set(key, { status, failures: 0 });
      return status;
    } catch (error) {
      if (isAbortError(error) || !(error instanceof AsgCallError) || PERMANENT.has(error.awsCode)) throw error;
      const seen = this.last.get(key) ?? { status: { state: 'inProgress', percent: 0 } as CapacityStatus, failures: 0 };
      if (seen.failures + 1 >= MAX_FAILED_READS) throw error;
      this.last.set(key, { ...seen, failures: seen.failures + 1 });
      if (seen.status.state !== 'inProgress') return seen.status;
      return { ...seen.status, detail: `progress not read (${error.operation} failed: ${messageOf(error.cause)}); last seen: ${seen.status.detail ?? `${seen.status.percent}%`}` };
    }
  }
}
