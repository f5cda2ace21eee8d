/**
 * Keeping a group at its desired capacity: launching when short, terminating when over (by the termination
 * order below), and finishing a forced delete. During an instance refresh, launches use the refresh's
 * configuration (the original one while rolling back or after a cancel) and the group may run above desired
 * capacity up to the refresh's MaxHealthyPercentage.
 */
import { isoSeconds } from './activities.js';
import type { Ctx } from './errors.js';
import { aliveInstances, capacityCause, groupKey, instancesOf, launchInstance, terminateInstance } from './instances.js';
import { matchesConfiguration } from './launchTemplates.js';
import { ACTIVE_REFRESH_STATUSES, type GroupRecord, type InstanceRecord, type RefreshRecord, type TemplateRef } from './state.js';

export function activeRefresh(ctx: Ctx, group: string): RefreshRecord | undefined {
  return ctx.state.refreshes.find((r) => r.group === group && ACTIVE_REFRESH_STATUSES.includes(r.status));
}

/** The configuration new instances get: the refresh's target while it moves forward, else the group's. */
export function launchConfigFor(ctx: Ctx, group: GroupRecord): TemplateRef {
  const refresh = activeRefresh(ctx, group.name);
  if (refresh && (refresh.status === 'Pending' || refresh.status === 'InProgress' || refresh.status === 'Baking')) return refresh.target;
  return group.template;
}

/** How many instances the group may run: desired capacity, or more while a refresh launches before terminating. */
export function capacityCeiling(ctx: Ctx, group: GroupRecord): number {
  const refresh = activeRefresh(ctx, group.name);
  const maxHealthy = refresh?.settings.maxHealthy ?? 100;
  return Math.max(group.desiredCapacity, Math.floor((group.desiredCapacity * maxHealthy) / 100));
}

export function reconcileCapacity(ctx: Ctx, group: GroupRecord): void {
  if (group.deleting) return finishDelete(ctx, group);
  const alive = aliveInstances(ctx, group.name);
  if (alive.length < group.desiredCapacity) {
    const ref = launchConfigFor(ctx, group);
    for (let n = alive.length; n < group.desiredCapacity; n++) launchInstance(ctx, group, ref, capacityCause(ctx, n, n + 1, true));
  }
  const ceiling = capacityCeiling(ctx, group);
  if (alive.length > ceiling) {
    const victims = scaleInOrder(ctx, group, alive).slice(0, alive.length - ceiling);
    victims.forEach((instance, k) => terminateInstance(ctx, instance, capacityCause(ctx, alive.length - k, alive.length - k - 1, false)));
  }
}

/**
 * Which instances go first on scale-in: unhealthy ones, then those not on the configuration new instances get
 * (AWS's default termination policy prefers the oldest launch template), then the oldest. Instances protected
 * from scale-in stay.
 */
export function scaleInOrder(ctx: Ctx, group: GroupRecord, instances: readonly InstanceRecord[]): InstanceRecord[] {
  const ref = launchConfigFor(ctx, group);
  const rank = (i: InstanceRecord): number => (i.health === 'Unhealthy' ? 0 : matchesConfiguration(ctx.state, i.template, ref) ? 2 : 1);
  return instances.filter((i) => !i.protectedFromScaleIn).sort((a, b) => rank(a) - rank(b) || a.launchedAt - b.launchedAt || a.id.localeCompare(b.id));
}

function finishDelete(ctx: Ctx, group: GroupRecord): void {
  for (const instance of aliveInstances(ctx, group.name)) {
    terminateInstance(ctx, instance, `At ${isoSeconds(ctx.now)} a user request deleted the AutoScalingGroup.`);
  }
  if (instancesOf(ctx, group.name).length > 0) return;
  removeGroup(ctx, group.name);
}

export function removeGroup(ctx: Ctx, name: string): void {
  delete ctx.state.groups[name];
  ctx.touch(groupKey(name));
  ctx.state.refreshes = ctx.state.refreshes.filter((r) => r.group !== name);
  for (const activity of ctx.state.activities) if (activity.group === name) activity.groupDeleted = true;
}
