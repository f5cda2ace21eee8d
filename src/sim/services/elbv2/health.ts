import type { TargetHealthState } from '../contracts.js';
import { deregistrationDelaySeconds, keys, type Elbv2Context, type Elbv2State, type TargetGroupRecord, type TargetRecord } from './state.js';

/**
 * Target health over time (ELB user guide, "Health checks for your target groups"; facts §2.1):
 * a target whose group receives traffic is `initial` (Elb.RegistrationInProgress during the first interval, then
 * Elb.InitialHealthChecking) until its version has started (AppVersion.startSeconds) and passed
 * HealthyThresholdCount checks, one per HealthCheckIntervalSeconds; then `healthy`. A version that fails health
 * checks turns `unhealthy` after UnhealthyThresholdCount checks instead. Targets of a group no listener or rule
 * forwards to are `unused` (Target.NotInUse) and are not checked. A deregistered target is `draining` for the
 * group's deregistration delay, then gone. The changes are time-driven events that touch the group's key.
 */

export interface NewTarget {
  readonly id: string;
  readonly port?: number | undefined;
  readonly version: string;
  readonly availabilityZone?: string | undefined;
  readonly started?: boolean | undefined;
  readonly healthy?: boolean | undefined;
}

export interface ReportedHealth {
  readonly State: TargetHealthState;
  readonly Reason?: string;
  readonly Description?: string;
}

/** Registers (or re-registers a draining) target; registering a registered target again changes nothing. */
export function registerTarget(ctx: Elbv2Context, group: TargetGroupRecord, target: NewTarget): void {
  const port = target.port ?? group.port;
  const existing = group.targets.find((t) => t.id === target.id && t.port === port);
  if (existing && existing.state !== 'draining') return;
  const record: TargetRecord = { id: target.id, version: target.version, state: 'initial', checkStart: ctx.now };
  if (port !== undefined) record.port = port;
  if (target.availabilityZone) record.availabilityZone = target.availabilityZone;
  if (target.started) record.started = true;
  if (existing) group.targets.splice(group.targets.indexOf(existing), 1, record);
  else group.targets.push(record);
  if (group.inUse && target.healthy) record.state = 'healthy';
  else if (group.inUse) startHealthChecks(ctx, group, record);
  ctx.touch(keys.targetGroup(group.arn));
}

/** Starts draining the matching targets (every port when `port` is undefined). */
export function deregisterTarget(ctx: Elbv2Context, group: TargetGroupRecord, id: string, port?: number): void {
  for (const target of group.targets) {
    if (target.id !== id || (port !== undefined && target.port !== port) || target.state === 'draining') continue;
    target.state = 'draining';
    target.nextAt = ctx.now + deregistrationDelaySeconds(group) * 1000;
  }
  ctx.touch(keys.targetGroup(group.arn));
}

/** (Re)starts health checks of a target, e.g. when its group starts receiving traffic. */
export function startHealthChecks(ctx: Elbv2Context, group: TargetGroupRecord, target: TargetRecord): void {
  target.state = 'initial';
  target.checkStart = ctx.now;
  target.nextAt = verdictAt(ctx, group, target);
}

/** When an initial target's health checks reach their verdict. */
function verdictAt(ctx: Elbv2Context, group: TargetGroupRecord, target: TargetRecord): number {
  const version = ctx.world.version(target.version);
  const { intervalSeconds, healthyThreshold, unhealthyThreshold } = group.healthCheck;
  const checks = version.healthy ? healthyThreshold : unhealthyThreshold;
  const startup = target.started ? 0 : version.startSeconds;
  return target.checkStart + (startup + intervalSeconds * checks) * 1000;
}

/** Health check settings changed: pending verdicts move with them. */
export function rescheduleVerdicts(ctx: Elbv2Context, group: TargetGroupRecord): void {
  for (const target of group.targets) if (target.state === 'initial' && group.inUse) target.nextAt = verdictAt(ctx, group, target);
}

/** The earliest pending change of any target (may be in the past: `advance` applies it). */
export function nextHealthEvent(state: Elbv2State): number | undefined {
  let next: number | undefined;
  for (const group of Object.values(state.targetGroups)) {
    for (const target of group.targets) if (target.nextAt !== undefined && (next === undefined || target.nextAt < next)) next = target.nextAt;
  }
  return next;
}

/** Applies every target change due at or before `ctx.now`. */
export function applyHealthEvents(ctx: Elbv2Context): void {
  for (const group of Object.values(ctx.state.targetGroups)) {
    const due = group.targets.filter((t) => t.nextAt !== undefined && t.nextAt <= ctx.now);
    if (due.length === 0) continue;
    for (const target of due) {
      if (target.state === 'draining') group.targets.splice(group.targets.indexOf(target), 1);
      else target.state = ctx.world.version(target.version).healthy ? 'healthy' : 'unhealthy';
      delete target.nextAt;
    }
    ctx.touch(keys.targetGroup(group.arn));
  }
}

/** The state and reason DescribeTargetHealth reports for a registered target. */
export function reportedHealth(ctx: Elbv2Context, group: TargetGroupRecord, target: TargetRecord): ReportedHealth {
  if (target.state === 'draining') return { State: 'draining', Reason: 'Target.DeregistrationInProgress', Description: 'Target deregistration is in progress' };
  if (!group.inUse) return { State: 'unused', Reason: 'Target.NotInUse', Description: 'Target group is not configured to receive traffic from the load balancer' };
  if (!group.healthCheck.enabled) return { State: 'unavailable', Reason: 'Target.HealthCheckDisabled', Description: 'Health checks are disabled' };
  switch (target.state) {
    case 'healthy':
      return { State: 'healthy' };
    case 'unhealthy':
      return /^HTTP/.test(group.healthCheck.protocol ?? '')
        ? { State: 'unhealthy', Reason: 'Target.ResponseCodeMismatch', Description: 'Health checks failed with these codes: [500]' }
        : { State: 'unhealthy', Reason: 'Target.FailedHealthChecks', Description: 'Health checks failed' };
    default:
      return ctx.now < target.checkStart + group.healthCheck.intervalSeconds * 1000
        ? { State: 'initial', Reason: 'Elb.RegistrationInProgress', Description: 'Target registration is in progress' }
        : { State: 'initial', Reason: 'Elb.InitialHealthChecking', Description: 'Initial health checks in progress' };
  }
}

export const NOT_REGISTERED: ReportedHealth = { State: 'unused', Reason: 'Target.NotRegistered', Description: 'Target is not registered to the target group' };
