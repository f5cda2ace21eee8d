import type { AutoScalingGroup, RefreshPreferences } from '@aws-sdk/client-auto-scaling';
import type { ParsedDeploySpec } from '../../config/schema.js';
import type { Plan } from '../../strategies/types.js';
import { parseDuration } from '../../util/duration.js';
import { checkpointPlan, type CheckpointPlan } from './checkpoints.js';
import { gateAlarms, isPinned, showVersion, versionOf, type AsgTargetSpec } from './target.js';

/** AlarmSpecification takes at most this many alarm names (facts §2.2). */
export const MAX_REFRESH_ALARMS = 10;
/** MinHealthyPercentage when AWS's default applies and MaxHealthyPercentage forces us to name one. */
const AWS_DEFAULT_MIN_HEALTHY = 90;

/** StartInstanceRefresh's input, as plain JSON kept in the snapshot (so a resumed process sends the same). */
export interface RefreshRequest {
  readonly AutoScalingGroupName: string;
  readonly DesiredConfiguration: { readonly LaunchTemplate: { readonly LaunchTemplateId: string; readonly Version: string } };
  readonly Preferences: RefreshPreferences;
}

export interface RefreshDesign {
  readonly request: RefreshRequest;
  /** The preferences of a refresh back to the captured version: same pace, no checkpoints, no alarms. */
  readonly rollbackPreferences: RefreshPreferences;
  readonly checkpoints: CheckpointPlan;
  /** AutoRollback is on: Auto Scaling rolls back by itself on a failed replacement or an alarm. */
  readonly autoRollback: boolean;
  readonly errors: readonly string[];
  readonly warnings: readonly string[];
}

interface Context {
  readonly target: AsgTargetSpec;
  readonly plan: Plan;
  readonly spec: ParsedDeploySpec;
  readonly group: AutoScalingGroup;
}

/** The whole refresh, configured once from the plan (checkpoints, pace, bake) and the gates (alarms). */
export function designRefresh(ctx: Context): RefreshDesign {
  const errors: string[] = [];
  const warnings: string[] = [];
  const checkpoints = checkpointPlan(ctx.plan);
  const pace = pacePreferences(ctx, errors);
  const safety = nativeSafety(ctx, warnings);
  const preferences: RefreshPreferences = {
    ...pace,
    ...(ctx.target.skipMatching !== undefined ? { SkipMatching: ctx.target.skipMatching } : {}),
    ...(checkpoints.checkpoints.length > 0 ? { CheckpointPercentages: checkpoints.checkpoints.map((c) => c.aws), CheckpointDelay: checkpoints.delaySeconds } : {}),
    ...(checkpoints.bakeSeconds > 0 ? { BakeTime: checkpoints.bakeSeconds } : {}),
    ...safety.preferences,
  };
  const request: RefreshRequest = {
    AutoScalingGroupName: ctx.target.autoScalingGroupName,
    DesiredConfiguration: { LaunchTemplate: { LaunchTemplateId: ctx.group.LaunchTemplate?.LaunchTemplateId ?? '', Version: versionOf(ctx.target) } },
    Preferences: preferences,
  };
  return {
    request,
    rollbackPreferences: { ...pace, SkipMatching: true },
    checkpoints,
    autoRollback: safety.preferences.AutoRollback === true,
    errors: [...checkpoints.errors, ...errors],
    warnings: [...checkpoints.warnings, ...warnings],
  };
}

/** MinHealthyPercentage from the batch (100 − batch%) unless the target sets it; MaxHealthyPercentage from the target. */
function pacePreferences(ctx: Context, errors: string[]): RefreshPreferences {
  const { target, group } = ctx;
  // Big-bang replaces everything at once by launching the whole new fleet first (max 200%) and keeping every old
  // instance until then (min 100%): MinHealthyPercentage 0 would terminate them all first, an outage.
  const replaceAll = ctx.plan.batch !== undefined && 'percent' in ctx.plan.batch && ctx.plan.batch.percent >= 100;
  if (replaceAll && target.minHealthyPercentage === undefined && target.maxHealthyPercentage === undefined) {
    const warmup = target.instanceWarmup === undefined ? undefined : Math.round(parseDuration(target.instanceWarmup, 'instanceWarmup'));
    return { MinHealthyPercentage: 100, MaxHealthyPercentage: 200, ...(warmup !== undefined ? { InstanceWarmup: warmup } : {}) };
  }
  const max = target.maxHealthyPercentage;
  const policyMin = group.InstanceMaintenancePolicy?.MinHealthyPercentage;
  const min = target.minHealthyPercentage ?? minFromBatch(ctx.plan.batch, group.DesiredCapacity ?? 0) ?? (max !== undefined ? (policyMin !== undefined && policyMin >= 0 ? policyMin : AWS_DEFAULT_MIN_HEALTHY) : undefined);
  if (max !== undefined && min !== undefined && max - min > 100) {
    errors.push(`maxHealthyPercentage ${max} and minHealthyPercentage ${min} are more than 100 apart, which Auto Scaling refuses; raise minHealthyPercentage to at least ${max - 100}`);
  }
  const warmup = target.instanceWarmup === undefined ? undefined : Math.round(parseDuration(target.instanceWarmup, 'instanceWarmup'));
  return {
    ...(min !== undefined ? { MinHealthyPercentage: min } : {}),
    ...(max !== undefined ? { MaxHealthyPercentage: max } : {}),
    ...(warmup !== undefined ? { InstanceWarmup: warmup } : {}),
  };
}

/** 25% batches keep 75% healthy; a batch of 2 of 8 instances keeps 75%; big-bang's 100% keeps 0. */
export function minFromBatch(batch: Plan['batch'], desired: number): number | undefined {
  if (!batch) return undefined;
  const share = 'percent' in batch ? batch.percent : desired > 0 ? (100 * Math.min(batch.count, desired)) / desired : 100;
  return Math.max(0, Math.min(100, Math.floor(100 - share + 1e-9)));
}

/**
 * AlarmSpecification with the gates' alarms (AWS stops the refresh on them even when deployctl is gone) and
 * AutoRollback where AWS allows it: numbered launch template versions on both sides (facts §2.2).
 */
function nativeSafety(ctx: Context, warnings: string[]): { preferences: RefreshPreferences } {
  const alarms = gateAlarms(ctx.spec);
  const passed = ctx.spec.gates?.ignoreFiringAlarms ? [] : alarms.slice(0, MAX_REFRESH_ALARMS);
  if (ctx.spec.gates?.ignoreFiringAlarms && alarms.length > 0) {
    warnings.push('ignoreFiringAlarms is set: the alarms are left to deployctl\'s gates, because Auto Scaling would fail the refresh at once on an alarm already in ALARM');
  } else if (alarms.length > MAX_REFRESH_ALARMS) {
    warnings.push(`an instance refresh watches at most ${MAX_REFRESH_ALARMS} alarms; ${alarms.slice(MAX_REFRESH_ALARMS).join(', ')} are watched by deployctl's gates only`);
  }
  if (ctx.spec.gates?.alarmPrefix) warnings.push(`alarms named by the prefix ${ctx.spec.gates.alarmPrefix} are watched by deployctl's gates only (AlarmSpecification takes names)`);
  const groupVersion = ctx.group.LaunchTemplate?.Version;
  const floating = [
    ...(isPinned(versionOf(ctx.target)) ? [] : [`the new launch template version is ${versionOf(ctx.target)}`]),
    ...(isPinned(groupVersion) ? [] : [`the group uses ${showVersion(groupVersion)}`]),
  ];
  if (floating.length > 0) {
    warnings.push(`Auto Scaling's AutoRollback is off: AWS refuses it for $Latest/$Default and ${floating.join(' and ')}. deployctl's gates still roll back (by cancelling and refreshing back to the captured version); pin version numbers to get native rollback`);
  }
  return {
    preferences: {
      ...(passed.length > 0 ? { AlarmSpecification: { Alarms: [...passed] } } : {}),
      ...(floating.length === 0 ? { AutoRollback: true } : {}),
    },
  };
}
