/**
 * Traffic sources of a group: elbv2 target groups (attached with AttachTrafficSources or the older
 * AttachLoadBalancerTargetGroups; both APIs see the same list). Attaching registers every instance of the group;
 * the state reads "InService" once an instance passes the ELB health check, else "Added" (model docs).
 */
import { fail, paginate } from '../common.js';
import { targetRegistry } from '../contracts.js';
import { activeRefresh } from './capacity.js';
import { requireGroup, validationError, type Ctx } from './errors.js';
import { aliveInstances, elbTargetGroups, groupKey, instancesOf, registerInstance, resumeHealthChecks } from './instances.js';
import type { GroupRecord, TrafficSourceRecord } from './state.js';

/** Type defaults from the identifier: a target group ARN is elbv2, a VPC Lattice ARN vpc-lattice, a name a Classic Load Balancer. */
export function trafficSourcesFrom(targetGroupArns: readonly string[] = [], sources: readonly { Identifier: string; Type?: string }[] = []): TrafficSourceRecord[] {
  const all = [...targetGroupArns.map((arn) => ({ identifier: arn, type: 'elbv2' })), ...sources.map((s) => ({ identifier: s.Identifier, type: s.Type ?? typeOf(s.Identifier) }))];
  return all.filter((s, i) => all.findIndex((o) => o.identifier === s.identifier) === i);
}

function typeOf(identifier: string): string {
  if (identifier.startsWith('arn:aws:elasticloadbalancing:')) return 'elbv2';
  if (identifier.startsWith('arn:aws:vpc-lattice:')) return 'vpc-lattice';
  return 'elb';
}

/** "Provided Target Groups may not be valid. Please ensure they exist and try again." (real AttachLoadBalancerTargetGroups responses). */
export function checkTargetGroups(ctx: Ctx, sources: readonly TrafficSourceRecord[]): void {
  const registry = targetRegistry(ctx.world);
  if (!registry) return;
  if (sources.some((s) => s.type === 'elbv2' && !registry.exists(ctx.world, s.identifier))) {
    validationError('Provided Target Groups may not be valid. Please ensure they exist and try again.');
  }
}

function attach(ctx: Ctx, group: GroupRecord, sources: readonly TrafficSourceRecord[]): void {
  checkTargetGroups(ctx, sources);
  // The model lists InstanceRefreshInProgress for both attach operations: no attaching during a refresh (wording UNVERIFIED).
  if (activeRefresh(ctx, group.name)) fail('InstanceRefreshInProgress', 'An Instance Refresh is in progress for this Auto Scaling group; attach traffic sources after it ends.');
  for (const source of sources) if (!group.trafficSources.some((s) => s.identifier === source.identifier)) group.trafficSources.push(source);
  for (const instance of aliveInstances(ctx, group.name)) registerInstance(ctx, instance, elbTargetGroups(group));
  resumeHealthChecks(ctx, group);
  ctx.touch(groupKey(group.name));
}

export function attachTrafficSources(ctx: Ctx, input: Record<string, unknown>): unknown {
  const group = requireGroup(ctx, input.AutoScalingGroupName);
  attach(ctx, group, trafficSourcesFrom([], input.TrafficSources as { Identifier: string; Type?: string }[]));
  return {};
}

export function attachLoadBalancerTargetGroups(ctx: Ctx, input: Record<string, unknown>): unknown {
  const group = requireGroup(ctx, input.AutoScalingGroupName);
  attach(ctx, group, trafficSourcesFrom(input.TargetGroupARNs as string[]));
  return {};
}

export function describeTrafficSources(ctx: Ctx, input: Record<string, unknown>): unknown {
  const group = requireGroup(ctx, input.AutoScalingGroupName);
  const type = input.TrafficSourceType as string | undefined;
  const sources = group.trafficSources.filter((s) => type === undefined || s.type === type);
  const { page, next } = paginate(sources, input.NextToken, input.MaxRecords as number | undefined, 50);
  const states = page.map((s) => ({ TrafficSource: s.identifier, Identifier: s.identifier, Type: s.type, State: sourceState(ctx, group, s) }));
  return { TrafficSources: states, ...(next ? { NextToken: next } : {}) };
}

export function describeLoadBalancerTargetGroups(ctx: Ctx, input: Record<string, unknown>): unknown {
  const group = requireGroup(ctx, input.AutoScalingGroupName);
  const sources = group.trafficSources.filter((s) => s.type === 'elbv2');
  const { page, next } = paginate(sources, input.NextToken, input.MaxRecords as number | undefined, 100);
  const states = page.map((s) => ({ LoadBalancerTargetGroupARN: s.identifier, State: sourceState(ctx, group, s) }));
  return { LoadBalancerTargetGroups: states, ...(next ? { NextToken: next } : {}) };
}

function sourceState(ctx: Ctx, group: GroupRecord, source: TrafficSourceRecord): string {
  const registry = targetRegistry(ctx.world);
  if (source.type !== 'elbv2' || !registry) return 'Added';
  const passing = instancesOf(ctx, group.name).some((i) => i.registeredIn.includes(source.identifier) && registry.health(ctx.world, source.identifier, i.id) === 'healthy');
  return passing ? 'InService' : 'Added';
}
