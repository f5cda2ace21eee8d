import type { LockHolder } from './types.js';

/** Whether `current` (the stored holder) may be replaced by `candidate`. Shared by every store. */
export function canTakeOver(current: LockHolder | undefined, candidate: LockHolder, now: number, isAlive: (pid: number) => boolean, host: string): boolean {
  if (!current) return true;
  if (current.instance === candidate.instance) return true;
  // The same deployment continues in a new process (promote after --no-wait, resume after a crash): a paused
  // lock is handed over; a running one only once its process is gone.
  if (current.deploymentId === candidate.deploymentId && current.until === null) return true;
  return leaseGone(current, now, isAlive, host);
}

/** A lease is gone when it expired, or when its process is known dead on this host. Paused locks never expire. */
function leaseGone(holder: LockHolder, now: number, isAlive: (pid: number) => boolean, host: string): boolean {
  if (holder.until === null) return false;
  if (holder.until < now) return true;
  return holder.host === host && !isAlive(holder.pid);
}

export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
