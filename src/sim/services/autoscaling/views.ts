/**
 * DescribeAutoScalingGroups and DescribeAutoScalingInstances. Outputs are fresh objects built from state, so they
 * never alias it. Group instances show HealthStatus "Healthy"/"Unhealthy"; DescribeAutoScalingInstances shows
 * "HEALTHY"/"UNHEALTHY" (AWS CLI example outputs of both operations).
 */
import { date, paginate } from '../common.js';
import type { Ctx } from './errors.js';
import { elbTargetGroups, instancesOf } from './instances.js';
import { templateOutput } from './launchTemplates.js';
import type { GroupRecord, InstanceRecord } from './state.js';

interface Filter {
  readonly Name?: string;
  readonly Values?: string[];
}

export function describeAutoScalingGroups(ctx: Ctx, input: Record<string, unknown>): unknown {
  const names = input.AutoScalingGroupNames as string[] | undefined;
  const filters = (input.Filters ?? []) as Filter[];
  const groups = Object.values(ctx.state.groups)
    .filter((g) => !names || names.length === 0 || names.includes(g.name))
    .filter((g) => filters.every((f) => matchesFilter(g, f)))
    .sort((a, b) => a.name.localeCompare(b.name));
  const { page, next } = paginate(groups, input.NextToken, (input.MaxRecords as number | undefined) ?? 50, 100);
  const withInstances = input.IncludeInstances !== false;
  return { AutoScalingGroups: page.map((g) => groupOutput(ctx, g, withInstances)), ...(next ? { NextToken: next } : {}) };
}

/** Tag filters: `tag-key`, `tag-value` and `tag:<key>` (DescribeAutoScalingGroups docs); other names match nothing. */
function matchesFilter(group: GroupRecord, filter: Filter): boolean {
  const values = filter.Values ?? [];
  const name = filter.Name ?? '';
  if (name === 'tag-key') return group.tags.some((t) => values.includes(t.key));
  if (name === 'tag-value') return group.tags.some((t) => values.includes(t.value));
  if (name.startsWith('tag:')) return group.tags.some((t) => t.key === name.slice(4) && values.includes(t.value));
  return false;
}

function groupOutput(ctx: Ctx, g: GroupRecord, withInstances: boolean): Record<string, unknown> {
  return {
    AutoScalingGroupName: g.name,
    AutoScalingGroupARN: g.arn,
    LaunchTemplate: templateOutput(g.template),
    MinSize: g.minSize,
    MaxSize: g.maxSize,
    DesiredCapacity: g.desiredCapacity,
    DefaultCooldown: g.defaultCooldown,
    AvailabilityZones: [...g.availabilityZones],
    LoadBalancerNames: g.trafficSources.filter((s) => s.type === 'elb').map((s) => s.identifier),
    TargetGroupARNs: elbTargetGroups(g),
    HealthCheckType: g.healthCheckType,
    HealthCheckGracePeriod: g.healthCheckGracePeriod,
    ...(withInstances ? { Instances: instancesOf(ctx, g.name).map(instanceOutput) } : {}),
    CreatedTime: date(g.createdAt),
    SuspendedProcesses: [],
    ...(g.vpcZoneIdentifier !== undefined ? { VPCZoneIdentifier: g.vpcZoneIdentifier } : {}),
    EnabledMetrics: [],
    ...(g.deleting ? { Status: 'Delete in progress' } : {}),
    Tags: g.tags.map((t) => ({ ResourceId: g.name, ResourceType: 'auto-scaling-group', Key: t.key, Value: t.value, PropagateAtLaunch: t.propagateAtLaunch })),
    TerminationPolicies: ['Default'],
    NewInstancesProtectedFromScaleIn: g.newInstancesProtectedFromScaleIn,
    ...(g.defaultInstanceWarmup !== undefined ? { DefaultInstanceWarmup: g.defaultInstanceWarmup } : {}),
    TrafficSources: g.trafficSources.map((s) => ({ Identifier: s.identifier, Type: s.type })),
  };
}

function instanceOutput(i: InstanceRecord): Record<string, unknown> {
  return {
    InstanceId: i.id,
    InstanceType: i.template.instanceType,
    AvailabilityZone: i.availabilityZone,
    LifecycleState: i.lifecycle,
    HealthStatus: i.health,
    LaunchTemplate: { LaunchTemplateId: i.template.id, LaunchTemplateName: i.template.name, Version: i.template.version },
    ImageId: i.template.imageId,
    ProtectedFromScaleIn: i.protectedFromScaleIn,
  };
}

/** All instances of all groups, or the ones named (unknown ids are ignored, per the docs); 50 per page at most. */
export function describeAutoScalingInstances(ctx: Ctx, input: Record<string, unknown>): unknown {
  const ids = input.InstanceIds as string[] | undefined;
  const instances = Object.values(ctx.state.instances)
    .filter((i) => !ids || ids.length === 0 || ids.includes(i.id))
    .sort((a, b) => a.id.localeCompare(b.id));
  const { page, next } = paginate(instances, input.NextToken, input.MaxRecords as number | undefined, 50);
  const details = page.map((i) => ({ ...instanceOutput(i), AutoScalingGroupName: i.group, HealthStatus: i.health.toUpperCase() }));
  return { AutoScalingInstances: details, ...(next ? { NextToken: next } : {}) };
}
