/**
 * CreateAutoScalingGroup, UpdateAutoScalingGroup, SetDesiredCapacity and DeleteAutoScalingGroup, with AWS's
 * ValidationError wording for sizes ("Max bound, 3, must be greater than or equal to min bound, 5",
 * "Desired capacity:7 must be between the specified min size:2 and max size:5", "New SetDesiredCapacity value 2 is
 * above max value 1 for the AutoScalingGroup." — all quoted from real responses in public repositories).
 */
import { fail } from '../common.js';
import { uuid } from './activities.js';
import { activeRefresh, reconcileCapacity } from './capacity.js';
import { requireGroup, validationError, type Ctx } from './errors.js';
import { aliveInstances, groupKey, instancesOf, resumeHealthChecks } from './instances.js';
import { templateRef, type LaunchTemplateSpec } from './launchTemplates.js';
import type { GroupRecord, TagRecord } from './state.js';
import { checkTargetGroups, trafficSourcesFrom } from './trafficSources.js';

export interface GroupSettings {
  readonly name: string;
  readonly template: GroupRecord['template'];
  readonly minSize: number;
  readonly maxSize: number;
  readonly desiredCapacity?: number;
  readonly availabilityZones: string[];
  readonly vpcZoneIdentifier?: string;
  readonly healthCheckType?: string;
  readonly healthCheckGracePeriod?: number;
  readonly defaultInstanceWarmup?: number;
  readonly trafficSources: GroupRecord['trafficSources'];
  readonly tags?: TagRecord[];
  readonly defaultCooldown?: number;
  readonly newInstancesProtectedFromScaleIn?: boolean;
  /** A fixed UUID for the ARN (seeded groups keep their ARN from run to run). */
  readonly arnId?: string;
}

export function groupArn(ctx: Ctx, name: string, id: string): string {
  const { region, accountId } = ctx.world.state;
  return `arn:aws:autoscaling:${region}:${accountId}:autoScalingGroup:${id}:autoScalingGroupName/${name}`;
}

/** Adds a group without launching anything (the caller reconciles or seeds instances). */
export function addGroup(ctx: Ctx, settings: GroupSettings): GroupRecord {
  checkSizes(settings.minSize, settings.maxSize, settings.desiredCapacity ?? settings.minSize);
  const group: GroupRecord = {
    name: settings.name,
    arn: groupArn(ctx, settings.name, settings.arnId ?? uuid(ctx)),
    createdAt: ctx.now,
    template: settings.template,
    minSize: settings.minSize,
    maxSize: settings.maxSize,
    desiredCapacity: settings.desiredCapacity ?? settings.minSize,
    defaultCooldown: settings.defaultCooldown ?? 300,
    availabilityZones: settings.availabilityZones,
    ...(settings.vpcZoneIdentifier !== undefined ? { vpcZoneIdentifier: settings.vpcZoneIdentifier } : {}),
    healthCheckType: settings.healthCheckType ?? 'EC2',
    healthCheckGracePeriod: settings.healthCheckGracePeriod ?? 0,
    ...(settings.defaultInstanceWarmup !== undefined && settings.defaultInstanceWarmup >= 0 ? { defaultInstanceWarmup: settings.defaultInstanceWarmup } : {}),
    trafficSources: settings.trafficSources,
    tags: settings.tags ?? [],
    newInstancesProtectedFromScaleIn: settings.newInstancesProtectedFromScaleIn ?? false,
    deleting: false,
  };
  ctx.state.groups[group.name] = group;
  ctx.touch(groupKey(group.name));
  return group;
}

export function createAutoScalingGroup(ctx: Ctx, input: Record<string, unknown>): unknown {
  const name = String(input.AutoScalingGroupName);
  if (ctx.state.groups[name]) {
    fail('AlreadyExists', `AutoScalingGroup by this name already exists - A group with the name ${name} already exists`);
  }
  const template = launchSource(ctx, input);
  const sources = trafficSourcesFrom(input.TargetGroupARNs as string[] | undefined, input.TrafficSources as { Identifier: string; Type?: string }[] | undefined);
  checkTargetGroups(ctx, sources);
  const group = addGroup(ctx, {
    name,
    template,
    minSize: input.MinSize as number,
    maxSize: input.MaxSize as number,
    ...(input.DesiredCapacity !== undefined ? { desiredCapacity: input.DesiredCapacity as number } : {}),
    ...placement(ctx, input),
    ...optionalSettings(input),
    trafficSources: sources,
    tags: ((input.Tags ?? []) as { Key: string; Value?: string; PropagateAtLaunch?: boolean }[]).map((t) => ({ key: t.Key, value: t.Value ?? '', propagateAtLaunch: t.PropagateAtLaunch ?? false })),
  });
  reconcileCapacity(ctx, group);
  return {};
}

/** Only launch templates are simulated; AWS's own message when no launch source is given. */
function launchSource(ctx: Ctx, input: Record<string, unknown>): GroupRecord['template'] {
  if (input.LaunchConfigurationName !== undefined || input.MixedInstancesPolicy !== undefined || input.InstanceId !== undefined) {
    validationError('The simulated Auto Scaling supports groups with a LaunchTemplate only (no launch configurations, mixed instances policies or instance ids).');
  }
  if (input.LaunchTemplate === undefined) {
    validationError('Valid requests must contain either LaunchTemplate, LaunchConfigurationName, InstanceId or MixedInstancesPolicy parameter.');
  }
  return templateRef(ctx.state, input.LaunchTemplate as LaunchTemplateSpec);
}

/** Zones from AvailabilityZones, or derived from the subnets ("At least one Availability Zone or VPC Subnet is required." — moto's wording). */
function placement(ctx: Ctx, input: Record<string, unknown>): { availabilityZones: string[]; vpcZoneIdentifier?: string } {
  const zones = input.AvailabilityZones as string[] | undefined;
  const subnets = input.VPCZoneIdentifier as string | undefined;
  if ((!zones || zones.length === 0) && !subnets) validationError('At least one Availability Zone or VPC Subnet is required.');
  if (zones && zones.length > 0) return { availabilityZones: zones, ...(subnets ? { vpcZoneIdentifier: subnets } : {}) };
  return { availabilityZones: zonesOfSubnets(ctx, subnets!), vpcZoneIdentifier: subnets! };
}

/** EC2 is not simulated: each subnet sits in a zone chosen from its id, the same way every run. */
export function zonesOfSubnets(ctx: Ctx, subnets: string): string[] {
  const zones = subnets
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => `${ctx.world.state.region}${'abc'[[...s].reduce((h, c) => (h * 31 + c.charCodeAt(0)) % 3, 0)]}`);
  return [...new Set(zones)];
}

function optionalSettings(input: Record<string, unknown>): Partial<GroupSettings> {
  const pick = <K extends keyof GroupSettings>(key: K, member: string): Partial<GroupSettings> => (input[member] !== undefined ? { [key]: input[member] } : {});
  return {
    ...pick('healthCheckType', 'HealthCheckType'),
    ...pick('healthCheckGracePeriod', 'HealthCheckGracePeriod'),
    ...pick('defaultInstanceWarmup', 'DefaultInstanceWarmup'),
    ...pick('defaultCooldown', 'DefaultCooldown'),
    ...pick('newInstancesProtectedFromScaleIn', 'NewInstancesProtectedFromScaleIn'),
  };
}

function checkSizes(min: number, max: number, desired: number): void {
  if (max < min) validationError(`Max bound, ${max}, must be greater than or equal to min bound, ${min}`);
  if (desired < min || desired > max) validationError(`Desired capacity:${desired} must be between the specified min size:${min} and max size:${max}`);
}

/**
 * Changes only what is given. A new MinSize above the current desired capacity (or MaxSize below it) moves the
 * desired capacity along when DesiredCapacity is not given (UpdateAutoScalingGroup docs).
 */
export function updateAutoScalingGroup(ctx: Ctx, input: Record<string, unknown>): unknown {
  const group = requireGroup(ctx, input.AutoScalingGroupName, 'null');
  if (input.LaunchConfigurationName !== undefined || input.MixedInstancesPolicy !== undefined) launchSource(ctx, input);
  const template = input.LaunchTemplate !== undefined ? templateRef(ctx.state, input.LaunchTemplate as LaunchTemplateSpec) : group.template;
  const min = (input.MinSize as number | undefined) ?? group.minSize;
  const max = (input.MaxSize as number | undefined) ?? group.maxSize;
  const desired = (input.DesiredCapacity as number | undefined) ?? Math.min(max, Math.max(min, group.desiredCapacity));
  checkSizes(min, max, desired);
  Object.assign(group, { template, minSize: min, maxSize: max, desiredCapacity: desired });
  if (input.AvailabilityZones !== undefined || input.VPCZoneIdentifier !== undefined) Object.assign(group, placement(ctx, input));
  const settings = optionalSettings(input);
  Object.assign(group, settings);
  if (settings.defaultInstanceWarmup !== undefined && settings.defaultInstanceWarmup < 0) delete group.defaultInstanceWarmup;
  if (settings.healthCheckType !== undefined) resumeHealthChecks(ctx, group);
  ctx.touch(groupKey(group.name));
  reconcileCapacity(ctx, group);
  return {};
}

export function setDesiredCapacity(ctx: Ctx, input: Record<string, unknown>): unknown {
  const group = requireGroup(ctx, input.AutoScalingGroupName, 'null');
  const desired = input.DesiredCapacity as number;
  if (desired > group.maxSize) validationError(`New SetDesiredCapacity value ${desired} is above max value ${group.maxSize} for the AutoScalingGroup.`);
  if (desired < group.minSize) validationError(`New SetDesiredCapacity value ${desired} is below min value ${group.minSize} for the AutoScalingGroup.`);
  group.desiredCapacity = desired;
  reconcileCapacity(ctx, group);
  return {};
}

/**
 * Without ForceDelete a group with instances is refused (ResourceInUse), and one with launches or terminations
 * under way too (ScalingActivityInProgress) — wording from AWS's documented error responses. With ForceDelete its
 * instances terminate and the group shows Status "Delete in progress" until they are gone.
 */
export function deleteAutoScalingGroup(ctx: Ctx, input: Record<string, unknown>): unknown {
  const group = requireGroup(ctx, input.AutoScalingGroupName);
  if (input.ForceDelete !== true) {
    const instances = instancesOf(ctx, group.name);
    if (instances.some((i) => i.lifecycle !== 'InService')) {
      fail('ScalingActivityInProgress', 'You cannot delete an AutoScalingGroup while there are scaling activities in progress for that group.');
    }
    if (aliveInstances(ctx, group.name).length > 0) {
      fail('ResourceInUse', 'You cannot delete an AutoScalingGroup while there are instances or pending Spot instance request(s) still in the group.');
    }
  }
  group.deleting = true;
  const refresh = activeRefresh(ctx, group.name);
  if (refresh) Object.assign(refresh, { status: 'Cancelled', endTime: ctx.now });
  ctx.touch(groupKey(group.name));
  reconcileCapacity(ctx, group);
  return {};
}
