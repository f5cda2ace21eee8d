import type { Matcher, Tag, TargetGroup } from '@aws-sdk/client-elastic-load-balancing-v2';
import { fail } from '../common.js';
import { loadBalancerNotFound, requireTargetGroup, targetGroupNotFound, validationError } from './errors.js';
import { rescheduleVerdicts } from './health.js';
import { checkResourceName, defaultVpcId, freshId, targetGroupArn } from './naming.js';
import { pageOf } from './pages.js';
import { DEFAULT_TARGET_GROUP_ATTRIBUTES, keys, type Elbv2Context, type Elbv2State, type HealthCheckSettings, type TargetGroupRecord } from './state.js';
import { setTags } from './tags.js';
import { groupAssociations } from './usage.js';

/**
 * Target groups: create (idempotent for the same settings, DuplicateTargetGroupName otherwise), describe with
 * pagination, modify health checks, delete (ResourceInUse while a listener or rule forwards to it; deleting an
 * unknown group succeeds, as the model lists no not-found error for DeleteTargetGroup). Health check defaults
 * and ranges: API reference CreateTargetGroup; facts §2.1.
 */
export interface TargetGroupSpec {
  readonly name: string;
  readonly protocol?: string;
  readonly protocolVersion?: string;
  readonly port?: number;
  readonly vpcId?: string;
  readonly targetType?: string;
  readonly ipAddressType?: string;
  readonly healthCheck?: Partial<HealthCheckSettings>;
  readonly tags?: readonly Tag[];
}

export function createTargetGroup(ctx: Elbv2Context, input: Record<string, unknown>): { TargetGroups: TargetGroup[] } {
  const spec = specOf(input);
  const existing = Object.values(ctx.state.targetGroups).find((g) => g.name === spec.name);
  if (existing) {
    const same = existing.protocol === spec.protocol && existing.port === spec.port && existing.targetType === (spec.targetType ?? 'instance');
    if (!same) fail('DuplicateTargetGroupName', `A target group with the same name '${spec.name}' exists, but with different settings`);
    return { TargetGroups: [describeTargetGroup(ctx.state, existing)] };
  }
  return { TargetGroups: [describeTargetGroup(ctx.state, addTargetGroup(ctx, spec, freshId(ctx)))] };
}

/** Creates the record (seeding passes a stable id). */
export function addTargetGroup(ctx: Elbv2Context, spec: TargetGroupSpec, id: string): TargetGroupRecord {
  checkResourceName('target group', spec.name);
  const targetType = spec.targetType ?? 'instance';
  if (targetType !== 'lambda' && (spec.protocol === undefined || spec.port === undefined)) validationError('A protocol and a port must be specified for target groups whose target type is not lambda');
  const group: TargetGroupRecord = {
    arn: targetGroupArn(ctx, spec.name, id),
    name: spec.name,
    id,
    targetType,
    healthCheck: { ...defaultHealthCheck(targetType, spec.protocol), ...definedOnly(spec.healthCheck ?? {}) },
    attributes: { ...DEFAULT_TARGET_GROUP_ATTRIBUTES },
    targets: [],
    inUse: false,
  };
  if (spec.protocol !== undefined) group.protocol = spec.protocol;
  if (spec.protocolVersion !== undefined || /^HTTP/.test(spec.protocol ?? '')) group.protocolVersion = spec.protocolVersion ?? 'HTTP1';
  if (spec.port !== undefined) group.port = spec.port;
  if (targetType !== 'lambda') group.vpcId = spec.vpcId ?? defaultVpcId(ctx);
  if (spec.ipAddressType !== undefined) group.ipAddressType = spec.ipAddressType;
  checkHealthCheck(group.healthCheck);
  ctx.state.targetGroups[group.arn] = group;
  if (spec.tags?.length) setTags(ctx.state, group.arn, spec.tags);
  return group;
}

export function describeTargetGroups(ctx: Elbv2Context, input: Record<string, unknown>): { TargetGroups: TargetGroup[]; NextMarker?: string } {
  const arns = input.TargetGroupArns as string[] | undefined;
  const names = input.Names as string[] | undefined;
  const lbArn = input.LoadBalancerArn as string | undefined;
  if ([arns?.length, names?.length, lbArn].filter(Boolean).length > 1) validationError('You can specify only one of LoadBalancerArn, TargetGroupArns or Names');
  let groups = Object.values(ctx.state.targetGroups);
  if (lbArn !== undefined) {
    if (!ctx.state.loadBalancers[lbArn]) loadBalancerNotFound([lbArn]);
    const associations = groupAssociations(ctx.state);
    groups = groups.filter((g) => associations.get(g.arn)?.has(lbArn));
  } else if (arns?.length || names?.length) {
    const wanted = arns?.length ? arns : names!;
    const keyOf = (g: TargetGroupRecord): string => (arns?.length ? g.arn : g.name);
    const missing = wanted.filter((w) => !groups.some((g) => keyOf(g) === w));
    if (missing.length > 0) targetGroupNotFound(missing);
    groups = groups.filter((g) => wanted.includes(keyOf(g)));
  }
  const { page, NextMarker } = pageOf(groups, input.Marker, input.PageSize);
  return { TargetGroups: page.map((g) => describeTargetGroup(ctx.state, g)), ...(NextMarker ? { NextMarker } : {}) };
}

export function modifyTargetGroup(ctx: Elbv2Context, input: Record<string, unknown>): { TargetGroups: TargetGroup[] } {
  const group = requireTargetGroup(ctx.state, input.TargetGroupArn);
  const changes = healthCheckInput(input);
  const updated = { ...group.healthCheck, ...changes };
  checkHealthCheck(updated);
  group.healthCheck = updated;
  rescheduleVerdicts(ctx, group);
  ctx.touch(keys.targetGroup(group.arn));
  return { TargetGroups: [describeTargetGroup(ctx.state, group)] };
}

export function deleteTargetGroup(ctx: Elbv2Context, input: Record<string, unknown>): Record<string, never> {
  const arn = String(input.TargetGroupArn);
  if (!ctx.state.targetGroups[arn]) return {};
  if (groupAssociations(ctx.state).has(arn)) fail('ResourceInUse', `Target group '${arn}' is currently in use by a listener or a rule`);
  delete ctx.state.targetGroups[arn];
  delete ctx.state.tags[arn];
  ctx.touch(keys.targetGroup(arn));
  return {};
}

export function describeTargetGroup(state: Elbv2State, group: TargetGroupRecord): TargetGroup {
  const hc = group.healthCheck;
  const output: TargetGroup = {
    TargetGroupArn: group.arn,
    TargetGroupName: group.name,
    HealthCheckEnabled: hc.enabled,
    HealthCheckIntervalSeconds: hc.intervalSeconds,
    HealthCheckTimeoutSeconds: hc.timeoutSeconds,
    HealthyThresholdCount: hc.healthyThreshold,
    UnhealthyThresholdCount: hc.unhealthyThreshold,
    LoadBalancerArns: [...(groupAssociations(state).get(group.arn) ?? [])],
    TargetType: group.targetType as TargetGroup['TargetType'],
  };
  return Object.assign(output, definedOnly({
    Protocol: group.protocol as TargetGroup['Protocol'],
    Port: group.port,
    VpcId: group.vpcId,
    HealthCheckProtocol: hc.protocol as TargetGroup['HealthCheckProtocol'],
    HealthCheckPort: group.targetType === 'lambda' ? undefined : hc.port,
    HealthCheckPath: hc.path,
    Matcher: hc.matcher ? { ...hc.matcher } : undefined,
    ProtocolVersion: group.protocolVersion,
    IpAddressType: group.ipAddressType as TargetGroup['IpAddressType'],
  }));
}

/** AWS defaults: HTTP(S) interval 30 s, timeout 6 s (HTTP) / 10 s (HTTPS), 5 healthy / 2 unhealthy checks; Lambda 35 s, 30 s, 5 / 2, disabled. */
function defaultHealthCheck(targetType: string, protocol: string | undefined): HealthCheckSettings {
  if (targetType === 'lambda') return { enabled: false, port: 'traffic-port', path: '/', intervalSeconds: 35, timeoutSeconds: 30, healthyThreshold: 5, unhealthyThreshold: 2, matcher: { HttpCode: '200' } };
  const http = /^HTTP/.test(protocol ?? '');
  const settings: HealthCheckSettings = { enabled: true, protocol, port: 'traffic-port', intervalSeconds: 30, timeoutSeconds: protocol === 'HTTPS' ? 10 : http ? 6 : 10, healthyThreshold: 5, unhealthyThreshold: 2 };
  if (http) Object.assign(settings, { path: '/', matcher: { HttpCode: '200' } });
  return settings;
}

/** The health-check members CreateTargetGroup and ModifyTargetGroup share, those given only. */
function healthCheckInput(input: Record<string, unknown>): Partial<HealthCheckSettings> {
  return definedOnly({
    enabled: input.HealthCheckEnabled as boolean | undefined,
    protocol: input.HealthCheckProtocol as string | undefined,
    port: input.HealthCheckPort as string | undefined,
    path: input.HealthCheckPath as string | undefined,
    intervalSeconds: input.HealthCheckIntervalSeconds as number | undefined,
    timeoutSeconds: input.HealthCheckTimeoutSeconds as number | undefined,
    healthyThreshold: input.HealthyThresholdCount as number | undefined,
    unhealthyThreshold: input.UnhealthyThresholdCount as number | undefined,
    matcher: input.Matcher as Matcher | undefined,
  });
}

function checkHealthCheck(hc: HealthCheckSettings): void {
  if (hc.timeoutSeconds >= hc.intervalSeconds) validationError(`Health check timeout '${hc.timeoutSeconds}' must be smaller than the interval '${hc.intervalSeconds}'`);
}

function specOf(input: Record<string, unknown>): TargetGroupSpec {
  const healthCheck = healthCheckInput(input);
  return {
    name: String(input.Name),
    protocol: input.Protocol as string | undefined,
    protocolVersion: input.ProtocolVersion as string | undefined,
    port: input.Port as number | undefined,
    vpcId: input.VpcId as string | undefined,
    targetType: input.TargetType as string | undefined,
    ipAddressType: input.IpAddressType as string | undefined,
    healthCheck,
    tags: input.Tags as Tag[] | undefined,
  };
}

/** The object without its undefined members (so spreading it does not erase defaults). */
export function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
