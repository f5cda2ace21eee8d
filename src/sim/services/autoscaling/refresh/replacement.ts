/**
 * One pass of replacing instances, shared by an instance refresh and its rollback. Capacity follows AWS's
 * instance maintenance rules (RefreshPreferences docs): at least MinHealthyPercentage of desired capacity stays
 * InService, healthy and warmed up, and at most MaxHealthyPercentage (100 when not given) runs, counting pending
 * instances. So with MaxHealthyPercentage above 100 new instances launch before old ones terminate; otherwise
 * old ones terminate first and their replacements launch at the same time. When the percentages allow no
 * replacement at all, one instance at a time is replaced (a group of one with MinHealthyPercentage 100 still
 * gets refreshed — alphagov/tech-ops#211 describes exactly that).
 */
import { isoSeconds } from '../activities.js';
import { capacityCeiling } from '../capacity.js';
import type { Ctx } from '../errors.js';
import { instancesOf, launchInstance, terminateInstance } from '../instances.js';
import type { GroupRecord, InstanceRecord, RefreshSettings, TemplateRef } from '../state.js';

export interface ReplacementPlan {
  /** Instances still to replace (an id that is gone is simply ignored). */
  readonly toReplace: readonly string[];
  readonly total: number;
  /** Up-to-date instances that were never part of the pass (they do not count as replacements). */
  readonly baseline: number;
  readonly launchConfig: TemplateRef;
  readonly settings: RefreshSettings;
  /** How many instances may have been replaced so far: pacing toward the next checkpoint. */
  readonly paceLimit: number;
  /** Instances launched at or after this belong to the pass (their health failures fail it). */
  readonly since: number;
}

export interface Progress {
  readonly old: readonly InstanceRecord[];
  readonly fresh: readonly InstanceRecord[];
  readonly ready: readonly InstanceRecord[];
  readonly inflight: readonly InstanceRecord[];
  readonly done: number;
  readonly percentage: number;
  /** A replacement that failed its health check. */
  readonly failed?: InstanceRecord;
}

export function measure(ctx: Ctx, group: GroupRecord, plan: ReplacementPlan): Progress {
  const pending = new Set(plan.toReplace);
  const all = instancesOf(ctx, group.name);
  const alive = all.filter((i) => i.lifecycle !== 'Terminating');
  const old = alive.filter((i) => pending.has(i.id));
  const fresh = alive.filter((i) => !pending.has(i.id));
  const ready = fresh.filter((i) => isReady(ctx, i, plan.settings.warmupSeconds));
  const inflight = fresh.filter((i) => !isReady(ctx, i, plan.settings.warmupSeconds));
  // Replaced = old ones gone, but only as far as ready replacements stand in for them.
  const done = Math.min(plan.total - old.length, Math.max(0, ready.length - plan.baseline));
  const failed = all.find((i) => !pending.has(i.id) && i.launchedAt >= plan.since && i.health === 'Unhealthy');
  return { old, fresh, ready, inflight, done, percentage: plan.total === 0 ? 100 : Math.floor((100 * done) / plan.total), ...(failed ? { failed } : {}) };
}

/** An instance counts as updated once it is InService, healthy, and past the warmup. */
export function isReady(ctx: Ctx, instance: InstanceRecord, warmupSeconds: number): boolean {
  return instance.lifecycle === 'InService' && instance.health === 'Healthy' && ctx.now >= instance.inServiceAt + warmupSeconds * 1000;
}

/** When the warmup of an in-service replacement ends: the next moment the pass can move on. */
export function warmupEnd(instance: InstanceRecord, warmupSeconds: number): number {
  return instance.inServiceAt + warmupSeconds * 1000;
}

/** Terminates what may go and launches what may start, within the healthy percentages and the pace. */
export function replaceBatch(ctx: Ctx, group: GroupRecord, plan: ReplacementPlan, progress: Progress): void {
  const minCount = Math.ceil((group.desiredCapacity * plan.settings.minHealthy) / 100);
  let healthy = progress.old.filter(isServing).length + progress.ready.length;
  let budget = plan.paceLimit - (plan.total - progress.old.length);
  let terminated = 0;
  for (const instance of [...progress.old].sort((a, b) => Number(isServing(a)) - Number(isServing(b)))) {
    const serving = isServing(instance);
    if (budget <= 0 || (serving && healthy - 1 < minCount)) break;
    terminateForRefresh(ctx, instance);
    budget -= 1;
    terminated += 1;
    if (serving) healthy -= 1;
  }
  let launches = launchRoom(ctx, group, plan, progress, terminated);
  if (terminated === 0 && launches === 0 && progress.inflight.length === 0 && progress.old.length > 0 && budget > 0) {
    terminateForRefresh(ctx, progress.old[0]!);
    terminated = 1;
    launches = launchRoom(ctx, group, plan, progress, terminated);
  }
  for (let n = 0; n < launches; n++) launchInstance(ctx, group, plan.launchConfig, `At ${isoSeconds(ctx.now)} an instance was launched in response to an instance refresh.`);
}

/** New instances that may start now: within MaxHealthyPercentage, and no more than the pace needs. */
function launchRoom(ctx: Ctx, group: GroupRecord, plan: ReplacementPlan, progress: Progress, terminated: number): number {
  const alive = progress.old.length - terminated + progress.fresh.length;
  const freshCap = Math.min(group.desiredCapacity, group.desiredCapacity - plan.total + plan.paceLimit);
  return Math.max(0, Math.min(capacityCeiling(ctx, group) - alive, freshCap - progress.fresh.length));
}

function isServing(instance: InstanceRecord): boolean {
  return instance.lifecycle === 'InService' && instance.health === 'Healthy';
}

function terminateForRefresh(ctx: Ctx, instance: InstanceRecord): void {
  const at = isoSeconds(ctx.now);
  terminateInstance(ctx, instance, `At ${at} an instance was taken out of service in response to an instance refresh.  At ${at} instance ${instance.id} was selected for termination.`);
}

/** AWS's wording while replacements warm up (AWS CLI example output for describe-instance-refreshes). */
export function warmingReason(progress: Progress): string | undefined {
  const example = progress.inflight[0];
  return example ? `Waiting for instances to warm up before continuing. For example: ${example.id} is warming up.` : undefined;
}
