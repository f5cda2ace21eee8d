/**
 * StartInstanceRefresh: the checks AWS makes beyond the model (RefreshPreferences docs, facts §2.2), the
 * defaults it applies, and the new refresh in Pending.
 */
import { aliveInstances } from '../instances.js';
import { activeRefresh } from '../capacity.js';
import { refreshInProgress, requireGroup, validationError, type Ctx } from '../errors.js';
import { isFloatingVersion, matchesConfiguration, templateOutput, templateRef, type LaunchTemplateSpec } from '../launchTemplates.js';
import { uuid } from '../activities.js';
import type { GroupRecord, RefreshRecord, RefreshSettings, TemplateRef } from '../state.js';
import { stepRefresh } from './engine.js';

/** Seconds a refresh stays Pending ("initializing ... should then quickly change to InProgress"). UNVERIFIED duration. */
export const PENDING_SECONDS = 5;
/** DescribeInstanceRefreshes returns the previous six weeks; older ones are dropped. */
export const RETENTION_MS = 42 * 24 * 3600 * 1000;
const INVALID = "The request isn't valid.";

interface Preferences {
  readonly MinHealthyPercentage?: number;
  readonly MaxHealthyPercentage?: number;
  readonly InstanceWarmup?: number;
  readonly CheckpointPercentages?: number[];
  readonly CheckpointDelay?: number;
  readonly SkipMatching?: boolean;
  readonly AutoRollback?: boolean;
  readonly ScaleInProtectedInstances?: string;
  readonly StandbyInstances?: string;
  readonly AlarmSpecification?: { readonly Alarms?: string[] };
  readonly BakeTime?: number;
}

interface DesiredConfiguration {
  readonly LaunchTemplate?: LaunchTemplateSpec;
  readonly MixedInstancesPolicy?: unknown;
}

export function startInstanceRefresh(ctx: Ctx, input: Record<string, unknown>): unknown {
  const group = requireGroup(ctx, input.AutoScalingGroupName);
  if (activeRefresh(ctx, group.name)) refreshInProgress();
  if (input.Strategy !== undefined && input.Strategy !== 'Rolling') validationError('The simulated Auto Scaling supports only the Rolling strategy.');
  const desired = input.DesiredConfiguration as DesiredConfiguration | undefined;
  const target = desiredTemplate(ctx, group, desired);
  const prefs = (input.Preferences ?? {}) as Preferences;
  checkPreferences(prefs);
  checkAutoRollback(prefs, group, desired, target);
  const settings = resolveSettings(group, prefs);
  const alive = aliveInstances(ctx, group.name);
  const toReplace = alive.filter((i) => !settings.skipMatching || !matchesConfiguration(ctx.state, i.template, target)).map((i) => i.id);
  const refresh: RefreshRecord = {
    id: uuid(ctx),
    group: group.name,
    status: 'Pending',
    startTime: ctx.now,
    strategy: 'Rolling',
    preferences: echoPreferences(prefs, settings),
    ...(desired?.LaunchTemplate ? { desiredConfiguration: { LaunchTemplate: templateOutput(target) } } : {}),
    settings,
    target,
    original: group.template,
    toReplace,
    total: toReplace.length,
    skipped: alive.length - toReplace.length,
    nextCheckpoint: 0,
    waitUntil: ctx.now + PENDING_SECONDS * 1000,
    waitForTransitioning: true,
    percentageComplete: 0,
    instancesToUpdate: toReplace.length,
  };
  ctx.state.refreshes = ctx.state.refreshes.filter((r) => r.startTime >= ctx.now - RETENTION_MS);
  ctx.state.refreshes.push(refresh);
  stepRefresh(ctx, group, refresh);
  return { InstanceRefreshId: refresh.id };
}

function desiredTemplate(ctx: Ctx, group: GroupRecord, desired: DesiredConfiguration | undefined): TemplateRef {
  if (desired?.MixedInstancesPolicy !== undefined) validationError('The simulated Auto Scaling supports a DesiredConfiguration with a LaunchTemplate only, not a MixedInstancesPolicy.');
  return desired?.LaunchTemplate ? templateRef(ctx.state, desired.LaunchTemplate) : group.template;
}

/** The rules the model cannot express (RefreshPreferences docs); wording UNVERIFIED, in AWS's "The request isn't valid." style. */
function checkPreferences(prefs: Preferences): void {
  const { MinHealthyPercentage: min, MaxHealthyPercentage: max, CheckpointPercentages: checkpoints } = prefs;
  if (max !== undefined && min === undefined) {
    validationError(`${INVALID} You must specify MinHealthyPercentage when you specify MaxHealthyPercentage.`);
  }
  if (max !== undefined && min !== undefined && max - min > 100) {
    validationError(`${INVALID} The difference between MaxHealthyPercentage and MinHealthyPercentage can't be greater than 100.`);
  }
  if (prefs.CheckpointDelay !== undefined && (checkpoints === undefined || checkpoints.length === 0)) {
    validationError(`${INVALID} You must specify CheckpointPercentages when you specify CheckpointDelay.`);
  }
  if (checkpoints?.some((p, i) => i > 0 && p <= checkpoints[i - 1]!)) {
    validationError(`${INVALID} CheckpointPercentages must be unique and in ascending order.`);
  }
  if ((prefs.AlarmSpecification?.Alarms?.length ?? 0) > 10) {
    validationError(`${INVALID} You can specify up to 10 alarms in AlarmSpecification.`);
  }
}

/**
 * AutoRollback needs a desired configuration ("The request isn't valid. The AutoRollback parameter cannot be set
 * to true when the DesiredConfiguration parameter is empty. ..." — verbatim from hashicorp/terraform-provider-aws
 * #29830) and numbered launch template versions (RefreshPreferences docs; wording of that error UNVERIFIED).
 */
function checkAutoRollback(prefs: Preferences, group: GroupRecord, desired: DesiredConfiguration | undefined, target: TemplateRef): void {
  if (prefs.AutoRollback !== true) return;
  if (!desired?.LaunchTemplate) {
    validationError(`${INVALID} The AutoRollback parameter cannot be set to true when the DesiredConfiguration parameter is empty. Set AutoRollback to false or specify a desired configuration and try again.`);
  }
  if (isFloatingVersion(group.template.version) || isFloatingVersion(target.version)) {
    validationError(`${INVALID} The AutoRollback parameter cannot be set to true when the Auto Scaling group or the desired configuration uses the $Latest or $Default launch template version. Specify a launch template version number and try again.`);
  }
}

function resolveSettings(group: GroupRecord, prefs: Preferences): RefreshSettings {
  const checkpoints = prefs.CheckpointPercentages ?? [];
  return {
    minHealthy: prefs.MinHealthyPercentage ?? 90,
    ...(prefs.MaxHealthyPercentage !== undefined ? { maxHealthy: prefs.MaxHealthyPercentage } : {}),
    warmupSeconds: prefs.InstanceWarmup ?? group.defaultInstanceWarmup ?? group.healthCheckGracePeriod,
    checkpoints,
    checkpointDelaySeconds: checkpoints.length > 0 ? (prefs.CheckpointDelay ?? 3600) : 0,
    bakeSeconds: prefs.BakeTime ?? 0,
    skipMatching: prefs.SkipMatching ?? false,
    autoRollback: prefs.AutoRollback ?? false,
    alarms: prefs.AlarmSpecification?.Alarms ?? [],
  };
}

/** Preferences as DescribeInstanceRefreshes shows them: what was given, plus the documented defaults. */
function echoPreferences(prefs: Preferences, settings: RefreshSettings): Record<string, unknown> {
  return {
    ...prefs,
    MinHealthyPercentage: settings.minHealthy,
    SkipMatching: settings.skipMatching,
    AutoRollback: settings.autoRollback,
    ScaleInProtectedInstances: prefs.ScaleInProtectedInstances ?? 'Wait',
    StandbyInstances: prefs.StandbyInstances ?? 'Wait',
    ...(settings.checkpoints.length > 0 ? { CheckpointDelay: settings.checkpointDelaySeconds } : {}),
  };
}
