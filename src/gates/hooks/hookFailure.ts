/** What a hook sends (Lambda payload, HTTP body) and what a command finds in its environment. */
export interface HookPayload {
  readonly deploymentId: string;
  /** Index of the plan step that runs the hook. */
  readonly step: number;
  /** Traffic share on the new version when the hook runs, percent. */
  readonly weight: number;
  readonly hook: string;
}

/** A hook ran and answered "no" (or could not run): the message says what it answered. */
export class HookFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HookFailure';
  }
}

/** Settles with `work`, or rejects as soon as the signal aborts (for work that might not notice the signal). */
export function abortable<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/** "1.2s" for a duration in ms. */
export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)}s`;
}

/** The last `count` lines of a text, each cut to a readable length, for error messages. */
export function lastLines(text: string, count: number): string[] {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  while (lines.length > 0 && lines[lines.length - 1]!.trim() === '') lines.pop();
  return lines.slice(-count).map((line) => (line.length > 300 ? `${line.slice(0, 300)}…` : line));
}
