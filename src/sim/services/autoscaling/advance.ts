/**
 * Time-driven change: instances entering service, terminating, and being health-checked; refreshes moving on
 * when a replacement finishes its warmup, a wait ends or an alarm poll is due; groups kept at capacity.
 */
import { activeRefresh, reconcileCapacity } from './capacity.js';
import type { Ctx } from './errors.js';
import { advanceInstances, instancesOf, nextInstanceEvent } from './instances.js';
import { stepRefresh } from './refresh/engine.js';
import { warmupEnd } from './refresh/replacement.js';
import type { GroupRecord } from './state.js';

export function nextEventAt(ctx: Ctx): number | undefined {
  const times = [nextInstanceEvent(ctx), ...Object.values(ctx.state.groups).flatMap((g) => refreshTimes(ctx, g))];
  const defined = times.filter((t): t is number => t !== undefined);
  return defined.length > 0 ? Math.min(...defined) : undefined;
}

function refreshTimes(ctx: Ctx, group: GroupRecord): (number | undefined)[] {
  const refresh = activeRefresh(ctx, group.name);
  if (!refresh) return [];
  const warmups = instancesOf(ctx, group.name)
    .filter((i) => i.lifecycle === 'InService' && i.health === 'Healthy')
    .map((i) => warmupEnd(i, refresh.settings.warmupSeconds))
    // world.state.now is the last applied event time (ctx.now here is the clock's, which may be ahead).
    .filter((t) => t > ctx.world.state.now);
  return [refresh.waitUntil, refresh.nextAlarmCheckAt, ...warmups];
}

export function advance(ctx: Ctx): void {
  advanceInstances(ctx);
  for (const group of Object.values(ctx.state.groups).sort((a, b) => a.name.localeCompare(b.name))) settleGroup(ctx, group);
}

/** Moves a group's refresh on and brings the group to its capacity (after every event and every change by a call). */
export function settleGroup(ctx: Ctx, group: GroupRecord): void {
  const refresh = activeRefresh(ctx, group.name);
  if (refresh && !group.deleting) stepRefresh(ctx, group, refresh);
  reconcileCapacity(ctx, group);
}
