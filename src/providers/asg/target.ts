import type { z } from 'zod';
import type { AsgTarget, ParsedDeploySpec, TargetSpec } from '../../config/schema.js';
import type { Plan } from '../../strategies/types.js';

export type AsgTargetSpec = z.output<typeof AsgTarget>;
type AlbTargetSpec = Extract<TargetSpec, { type: 'alb' }>;

/**
 * `refresh`: an instance refresh replaces the group's instances in place (rolling, canary by checkpoints,
 * big-bang). `twoGroups`: blue-green with a second group behind the ALB target's canary target group.
 */
export type AsgMode = 'refresh' | 'twoGroups';

export function modeOf(target: AsgTargetSpec): AsgMode {
  return target.newGroupName ? 'twoGroups' : 'refresh';
}

/** The version as Auto Scaling takes it: a number as a string, `$Latest` or `$Default`. */
export function versionOf(target: AsgTargetSpec): string {
  return String(target.launchTemplateVersion);
}

/** A numbered version: AutoRollback and RollbackInstanceRefresh need one on both sides (facts §2.2). */
export function isPinned(version: string | undefined): version is string {
  return version !== undefined && /^[1-9]\d*$/.test(version);
}

/** `v7` for a number, else as given (`$Latest`). */
export function showVersion(version: string | undefined): string {
  if (version === undefined) return '$Default';
  return isPinned(version) ? `v${version}` : version;
}

/**
 * Known from the spec alone: the engine keys the captured configuration by the label, and a resumed process
 * builds the provider before it reads AWS, so the label cannot name the launch template (only AWS knows it).
 */
export function labelFor(target: AsgTargetSpec): string {
  const groups = target.newGroupName ? `${target.autoScalingGroupName} → ${target.newGroupName}` : target.autoScalingGroupName;
  return `asg ${groups} (launch template ${showVersion(versionOf(target))})`;
}

export function lockKeyFor(target: AsgTargetSpec): string {
  return `asg:${target.autoScalingGroupName}`;
}

/** The Region of an Auto Scaling group ARN (`arn:aws:autoscaling:<region>:...`). */
export function regionOf(arn: string | undefined): string | undefined {
  const region = arn?.split(':')[3];
  return region ? region : undefined;
}

export function albTargetsOf(spec: ParsedDeploySpec): AlbTargetSpec[] {
  return spec.targets.filter((t): t is AlbTargetSpec => t.type === 'alb');
}

export function movesTraffic(plan: Plan): boolean {
  return plan.steps.some((s) => s.type === 'setWeight');
}

/** Alarm names our gates watch by name (a prefix is resolved by the gate at run time, not here). */
export function gateAlarms(spec: ParsedDeploySpec): readonly string[] {
  return spec.gates?.alarms ?? [];
}
