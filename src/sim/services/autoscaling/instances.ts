/**
 * Instances of Auto Scaling groups: launch (Pending → InService after the version's startSeconds), registration
 * into the group's elbv2 target groups, health checks after the grace period, and termination.
 */
import { targetRegistry } from '../contracts.js';
import { finishActivity, isoSeconds, startActivity } from './activities.js';
import type { Ctx } from './errors.js';
import { resolveTemplate } from './launchTemplates.js';
import type { GroupRecord, InstanceRecord, TemplateRef } from './state.js';

/** Seconds from Terminating until the instance is gone (EC2 shutdown; ELB draining happens on ELB's side). UNVERIFIED. */
export const TERMINATE_SECONDS = 20;
/** How often Auto Scaling re-reads ELB target health of in-service instances. UNVERIFIED cadence. */
export const HEALTH_POLL_SECONDS = 30;

/** Resource key for the traffic model: traffic through a group depends on its instances. */
export function groupKey(name: string): string {
  return `autoscaling:group:${name}`;
}

export function instancesOf(ctx: Ctx, group: string): InstanceRecord[] {
  return Object.values(ctx.state.instances)
    .filter((i) => i.group === group)
    .sort((a, b) => a.launchedAt - b.launchedAt || a.id.localeCompare(b.id));
}

/** Instances that count toward capacity: everything not already terminating. */
export function aliveInstances(ctx: Ctx, group: string): InstanceRecord[] {
  return instancesOf(ctx, group).filter((i) => i.lifecycle !== 'Terminating');
}

export function elbTargetGroups(group: GroupRecord): string[] {
  return group.trafficSources.filter((s) => s.type === 'elbv2').map((s) => s.identifier);
}

export interface LaunchOptions {
  /** A fixed instance id (seeded instances get stable ids). */
  readonly id?: string;
  /** Seeded instances start InService. */
  readonly inService?: boolean;
}

export function launchInstance(ctx: Ctx, group: GroupRecord, ref: TemplateRef, cause: string, options: LaunchOptions = {}): InstanceRecord {
  const template = resolveTemplate(ctx.state, ref);
  const version = ctx.world.versionOfArtifact(template.imageId);
  const id = options.id ?? ctx.id('i-');
  const inServiceAt = options.inService ? ctx.now : ctx.now + ctx.world.version(version).startSeconds * 1000;
  const instance: InstanceRecord = {
    id,
    group: group.name,
    availabilityZone: leastUsedZone(ctx, group),
    lifecycle: options.inService ? 'InService' : 'Pending',
    health: 'Healthy',
    template,
    version,
    launchedAt: ctx.now,
    inServiceAt,
    nextHealthCheckAt: inServiceAt + group.healthCheckGracePeriod * 1000,
    registeredIn: [],
    protectedFromScaleIn: group.newInstancesProtectedFromScaleIn,
  };
  ctx.state.instances[id] = instance;
  // Registered at launch, so the load balancer's health checks start while the application boots; seeded
  // instances are already up and healthy.
  registerInstance(ctx, instance, elbTargetGroups(group), options.inService ? { healthy: true } : {});
  const activity = startActivity(ctx, group, `Launching a new EC2 instance: ${id}`, cause, { 'Availability Zone': instance.availabilityZone });
  if (options.inService) finishActivity(ctx, activity.id);
  else instance.launchActivity = activity.id;
  ctx.touch(groupKey(group.name));
  return instance;
}

export function registerInstance(ctx: Ctx, instance: InstanceRecord, targetGroups: readonly string[], options: { readonly healthy?: boolean } = {}): void {
  const registry = targetRegistry(ctx.world);
  for (const arn of targetGroups) {
    if (instance.registeredIn.includes(arn)) continue;
    registry?.register(ctx.world, arn, [{ id: instance.id, version: instance.version, availabilityZone: instance.availabilityZone, ...(options.healthy ? { started: true, healthy: true } : {}) }]);
    instance.registeredIn.push(arn);
  }
}

export function terminateInstance(ctx: Ctx, instance: InstanceRecord, cause: string): void {
  if (instance.lifecycle === 'Terminating') return;
  const group = ctx.state.groups[instance.group];
  instance.lifecycle = 'Terminating';
  instance.goneAt = ctx.now + TERMINATE_SECONDS * 1000;
  delete instance.nextHealthCheckAt;
  const registry = targetRegistry(ctx.world);
  for (const arn of instance.registeredIn) registry?.deregister(ctx.world, arn, [instance.id]);
  instance.registeredIn = [];
  finishActivity(ctx, instance.launchActivity, 'Cancelled');
  if (group) {
    const activity = startActivity(ctx, group, `Terminating EC2 instance: ${instance.id}`, cause, { 'Availability Zone': instance.availabilityZone });
    instance.terminateActivity = activity.id;
  }
  ctx.touch(groupKey(instance.group));
}

/** "At <time> an instance was started in response to a difference between desired and actual capacity, ..." */
export function capacityCause(ctx: Ctx, from: number, to: number, started: boolean): string {
  const what = started ? 'an instance was started' : 'an instance was taken out of service';
  const change = started ? 'increasing' : 'shrinking';
  return `At ${isoSeconds(ctx.now)} ${what} in response to a difference between desired and actual capacity, ${change} the capacity from ${from} to ${to}.`;
}

/** The earliest time any instance of the service changes by itself. */
export function nextInstanceEvent(ctx: Ctx): number | undefined {
  let next: number | undefined;
  const consider = (t: number | undefined): void => {
    if (t !== undefined && (next === undefined || t < next)) next = t;
  };
  for (const instance of Object.values(ctx.state.instances)) {
    if (instance.lifecycle === 'Pending') consider(instance.inServiceAt);
    if (instance.lifecycle === 'Terminating') consider(instance.goneAt);
    if (instance.lifecycle === 'InService') consider(instance.nextHealthCheckAt);
  }
  return next;
}

/** Applies instance transitions due by now: InService, gone, and health checks. */
export function advanceInstances(ctx: Ctx): void {
  for (const instance of Object.values(ctx.state.instances).sort((a, b) => a.id.localeCompare(b.id))) {
    if (instance.lifecycle === 'Pending' && instance.inServiceAt <= ctx.now) {
      instance.lifecycle = 'InService';
      finishActivity(ctx, instance.launchActivity);
      ctx.touch(groupKey(instance.group));
    }
    if (instance.lifecycle === 'Terminating' && (instance.goneAt ?? 0) <= ctx.now) {
      finishActivity(ctx, instance.terminateActivity);
      delete ctx.state.instances[instance.id];
      ctx.touch(groupKey(instance.group));
    }
  }
  for (const instance of Object.values(ctx.state.instances).sort((a, b) => a.id.localeCompare(b.id))) {
    if (instance.lifecycle === 'InService' && instance.nextHealthCheckAt !== undefined && instance.nextHealthCheckAt <= ctx.now) checkHealth(ctx, instance);
  }
}

function checkHealth(ctx: Ctx, instance: InstanceRecord): void {
  const group = ctx.state.groups[instance.group];
  if (!group) return;
  const elb = usesElbHealth(ctx, group, instance);
  const failure = elb ? elbFailure(ctx, instance) : ec2Failure(ctx, instance);
  instance.nextHealthCheckAt = elb && !failure ? nextPollTick(ctx.now) : undefined;
  if (!failure) return;
  instance.health = 'Unhealthy';
  terminateInstance(ctx, instance, `At ${isoSeconds(ctx.now)} an instance was taken out of service in response to ${failure}.`);
}

/** ELB health applies when the group asks for it, has elbv2 target groups, and ELB is in the world. */
function usesElbHealth(ctx: Ctx, group: GroupRecord, instance: InstanceRecord): boolean {
  return group.healthCheckType.split(',').includes('ELB') && instance.registeredIn.length > 0 && targetRegistry(ctx.world) !== undefined;
}

function elbFailure(ctx: Ctx, instance: InstanceRecord): string | undefined {
  const registry = targetRegistry(ctx.world);
  const unhealthy = instance.registeredIn.some((arn) => registry?.health(ctx.world, arn, instance.id) === 'unhealthy');
  return unhealthy ? 'an ELB system health check failure' : undefined;
}

/** A version that fails health checks fails them on the instance too (the world's AppVersion.healthy). */
function ec2Failure(ctx: Ctx, instance: InstanceRecord): string | undefined {
  return ctx.world.version(instance.version).healthy ? undefined : 'an EC2 instance status check failure';
}

/**
 * After the group's health check type or target groups change, instances whose checks had ended (EC2 checks run
 * once, at the end of the grace period) are checked again from the next poll on.
 */
export function resumeHealthChecks(ctx: Ctx, group: GroupRecord): void {
  for (const instance of aliveInstances(ctx, group.name)) {
    if (instance.nextHealthCheckAt !== undefined) continue;
    instance.nextHealthCheckAt = Math.max(nextPollTick(ctx.now), instance.inServiceAt + group.healthCheckGracePeriod * 1000);
  }
}

/** Polls are aligned to a fixed grid, so all instances are checked in one event. */
function nextPollTick(now: number): number {
  const period = HEALTH_POLL_SECONDS * 1000;
  return (Math.floor(now / period) + 1) * period;
}

function leastUsedZone(ctx: Ctx, group: GroupRecord): string {
  const counts = new Map(group.availabilityZones.map((zone) => [zone, 0]));
  for (const instance of aliveInstances(ctx, group.name)) counts.set(instance.availabilityZone, (counts.get(instance.availabilityZone) ?? 0) + 1);
  let best = group.availabilityZones[0] ?? `${ctx.world.state.region}a`;
  for (const zone of group.availabilityZones) if ((counts.get(zone) ?? 0) < (counts.get(best) ?? 0)) best = zone;
  return best;
}
