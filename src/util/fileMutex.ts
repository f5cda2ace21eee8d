import { closeSync, openSync, rmSync, statSync } from 'node:fs';

export interface FileMutexOptions {
  /** A lock file older than this was left by a process that crashed: it is broken. */
  readonly staleMs: number;
  /** How long to sleep between attempts (the work under these locks takes milliseconds). */
  readonly pollMs: number;
  readonly maxAttempts: number;
  /** Called when the lock is still held after maxAttempts: throw to give up; return to break the lock. */
  readonly onStuck: (path: string) => void;
}

/** A cross-process mutex: the file `path` created exclusively for the duration of `work`, then removed. */
export function withFileMutex<T>(path: string, options: FileMutexOptions, work: () => T): T {
  for (let attempt = 0; ; attempt++) {
    try {
      closeSync(openSync(path, 'wx'));
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      if (isStale(path, options.staleMs)) rmSync(path, { force: true });
      else if (attempt >= options.maxAttempts) {
        options.onStuck(path);
        rmSync(path, { force: true });
      } else Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, options.pollMs);
    }
  }
  try {
    return work();
  } finally {
    rmSync(path, { force: true });
  }
}

function isStale(path: string, staleMs: number): boolean {
  const modified = statSync(path, { throwIfNoEntry: false })?.mtimeMs;
  return modified !== undefined && Date.now() - modified > staleMs;
}
