import { DeployError } from '../errors.js';
import type { Plan } from '../strategies/types.js';
import type { CapacityContext, Json, ProviderContext } from '../providers/types.js';
import type { Runtime } from './runtime.js';

/**
 * A capacity step that stops making progress this long fails (and rolls back) instead of polling forever: long
 * enough for slow instance warm-ups and health checks, short enough that nobody waits all night.
 */
export const DEFAULT_CAPACITY_DEADLINE_MS = 60 * 60_000;

/** The capacity handle kept in the machine context is a map from provider lock key to that provider's handle. */
export function handleFor(handles: Json, key: string): Json | undefined {
  if (handles && typeof handles === 'object' && !Array.isArray(handles)) return (handles as Record<string, Json>)[key];
  return undefined;
}

export function capacityContext(base: ProviderContext, snapshot: Json, checkpoints: readonly number[], plan?: Plan): CapacityContext {
  return plan?.batch ? { ...base, snapshot, checkpoints, batch: plan.batch } : { ...base, snapshot, checkpoints };
}

export function checkpointsOf(plan: Plan): number[] {
  return plan.steps.flatMap((s) => (s.type === 'deployCapacity' ? [s.percent] : []));
}

/** Starts (or continues) every capacity provider towards `percent`; returns the updated handle map. */
export async function startCapacity(percent: number, handles: Json, snapshots: Record<string, Json>, plan: Plan, runtime: Runtime, base: ProviderContext): Promise<Json> {
  const next: Record<string, Json> = { ...(handles && typeof handles === 'object' && !Array.isArray(handles) ? (handles as Record<string, Json>) : {}) };
  for (const provider of runtime.capacity) {
    const ctx = capacityContext(base, snapshots[provider.lockKey] ?? null, checkpointsOf(plan), plan);
    next[provider.lockKey] = await provider.start(percent, handleFor(handles, provider.lockKey), ctx);
  }
  return next;
}

/** Polls every capacity provider on the clock until each has reached `percent`, or one has failed. */
export async function awaitCapacity(percent: number, handles: Json, snapshots: Record<string, Json>, plan: Plan, runtime: Runtime, base: ProviderContext): Promise<void> {
  const pollMs = runtime.capacityPollMs ?? 15_000;
  for (const provider of runtime.capacity) {
    const ctx = capacityContext(base, snapshots[provider.lockKey] ?? null, checkpointsOf(plan), plan);
    const handle = handleFor(handles, provider.lockKey);
    if (handle === undefined) throw new DeployError('INTERNAL', `${provider.label}: no deployment handle to follow`);
    let reported = -1;
    let progressAt = runtime.clock.now();
    const deadlineMs = runtime.capacityDeadlineMs ?? DEFAULT_CAPACITY_DEADLINE_MS;
    for (;;) {
      const status = await provider.status(handle, ctx);
      if (status.state === 'failed') throw new DeployError('CAPACITY_FAILED', `${provider.label}: ${status.reason}`);
      if (status.percent === reported && runtime.clock.now() - progressAt > deadlineMs) {
        throw new DeployError('CAPACITY_FAILED', `${provider.label}: no progress for ${Math.round(deadlineMs / 60_000)} minutes (stuck at ${status.percent}%${status.detail ? `: ${status.detail}` : ''})`);
      }
      if (status.percent !== reported) {
        progressAt = runtime.clock.now();
        reported = status.percent;
        runtime.emit({ type: 'capacity.progress', target: provider.label, percent: status.percent, ...(status.detail ? { detail: status.detail } : {}) });
      }
      if (status.state === 'succeeded' || status.percent >= percent) break;
      await runtime.clock.sleep(pollMs, base.signal);
    }
  }
}
