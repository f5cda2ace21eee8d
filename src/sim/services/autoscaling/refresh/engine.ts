/**
 * The instance refresh state machine, stepped whenever the world reaches one of its events (an instance
 * transition, a warmup ending, a checkpoint delay or bake time running out, an alarm poll) or a call changes it:
 *
 *   Pending → InProgress (checkpoint waits keep InProgress) → Baking → Successful
 *   InProgress/Baking → Failed (alarm in ALARM, a replacement failing health checks), or with AutoRollback
 *   → RollbackInProgress → RollbackSuccessful | RollbackFailed
 *   Pending/InProgress/Baking/RollbackInProgress → Cancelling → Cancelled (CancelInstanceRefresh, no rollback)
 */
import { alarmReader } from '../../contracts.js';
import { isoSeconds } from '../activities.js';
import type { Ctx } from '../errors.js';
import { aliveInstances, groupKey, instancesOf } from '../instances.js';
import type { GroupRecord, RefreshRecord } from '../state.js';
import { measure, replaceBatch, warmingReason, type Progress, type ReplacementPlan } from './replacement.js';

/** How often a refresh reads its alarms. UNVERIFIED: AWS does not publish the cadence. */
export const ALARM_POLL_SECONDS = 10;

export function stepRefresh(ctx: Ctx, group: GroupRecord, refresh: RefreshRecord): void {
  if (refresh.status === 'Pending') {
    if (refresh.waitUntil === undefined || refresh.waitUntil > ctx.now) return;
    refresh.status = 'InProgress';
    delete refresh.waitUntil;
    if (refresh.settings.alarms.length > 0) refresh.nextAlarmCheckAt = ctx.now;
  }
  if (refresh.status === 'InProgress') return stepForward(ctx, group, refresh);
  if (refresh.status === 'Baking') return stepBaking(ctx, group, refresh);
  if (refresh.status === 'Cancelling') return stepCancelling(ctx, group, refresh);
  if (refresh.status === 'RollbackInProgress') return stepRollback(ctx, group, refresh);
}

function forwardPlan(group: GroupRecord, refresh: RefreshRecord): ReplacementPlan {
  const checkpoint = refresh.settings.checkpoints[refresh.nextCheckpoint] ?? 100;
  return {
    toReplace: refresh.toReplace,
    total: refresh.total,
    baseline: refresh.skipped,
    launchConfig: refresh.target,
    settings: refresh.settings,
    paceLimit: Math.ceil((refresh.total * checkpoint) / 100),
    since: refresh.startTime,
  };
}

function stepForward(ctx: Ctx, group: GroupRecord, refresh: RefreshRecord): void {
  const alarm = firedAlarm(ctx, refresh);
  if (alarm) return failRefresh(ctx, group, refresh, `The instance refresh failed because the CloudWatch alarm ${alarm} is in the ALARM state.`);
  pruneGone(ctx, refresh);
  const progress = measure(ctx, group, forwardPlan(group, refresh));
  if (progress.failed) return failRefresh(ctx, group, refresh, healthFailure(progress));
  record(refresh, progress);
  if (refresh.waitUntil !== undefined) {
    if (refresh.waitUntil > ctx.now) return;
    delete refresh.waitUntil;
    delete refresh.statusReason;
  }
  if (finishedOrPaused(ctx, group, refresh, progress)) return;
  const plan = forwardPlan(group, refresh);
  replaceBatch(ctx, group, plan, progress);
  const after = measure(ctx, group, plan);
  record(refresh, after);
  // Terminating the last old instances (after their replacements warmed up) can finish a step by itself.
  if (finishedOrPaused(ctx, group, refresh, after)) return;
  refresh.statusReason = warmingReason(after);
  if (refresh.statusReason === undefined) delete refresh.statusReason;
}

/** Completes the refresh once the last checkpoint (100 without checkpoints) is replaced, or pauses at a checkpoint. */
function finishedOrPaused(ctx: Ctx, group: GroupRecord, refresh: RefreshRecord, progress: Progress): boolean {
  const last = refresh.settings.checkpoints[refresh.settings.checkpoints.length - 1] ?? 100;
  // A scale-in can take old instances away unreplaced: once none is left, every instance runs the new configuration.
  const noneLeft = progress.old.length === 0;
  if ((progress.percentage >= last || noneLeft) && progress.inflight.length === 0 && atCapacity(group, progress)) {
    if (noneLeft) record(refresh, { ...progress, done: refresh.total, percentage: 100 });
    finishReplacing(ctx, group, refresh);
    return true;
  }
  return reachCheckpoints(ctx, refresh, progress.percentage);
}

/**
 * Passing one or more checkpoints (a jump past several waits only once, as AWS's checkpoint docs describe)
 * starts the checkpoint delay; the refresh stays InProgress and continues by itself afterwards.
 * StatusReason wording UNVERIFIED.
 */
function reachCheckpoints(ctx: Ctx, refresh: RefreshRecord, percentage: number): boolean {
  const checkpoints = refresh.settings.checkpoints;
  let reached: number | undefined;
  // The last checkpoint is the end of the refresh, not a pause.
  while (refresh.nextCheckpoint < checkpoints.length - 1 && percentage >= checkpoints[refresh.nextCheckpoint]!) {
    reached = checkpoints[refresh.nextCheckpoint];
    refresh.nextCheckpoint += 1;
  }
  if (reached === undefined) return false;
  const delay = refresh.settings.checkpointDelaySeconds;
  refresh.waitUntil = ctx.now + delay * 1000;
  refresh.statusReason = `Checkpoint ${reached}% reached at ${isoSeconds(ctx.now)}. Waiting ${delay} seconds (the checkpoint delay) before continuing.`;
  return true;
}

/** All replaced (or, with a last checkpoint below 100, that share): bake if asked, then succeed. */
function finishReplacing(ctx: Ctx, group: GroupRecord, refresh: RefreshRecord): void {
  delete refresh.statusReason;
  if (refresh.settings.bakeSeconds > 0) {
    refresh.status = 'Baking';
    refresh.waitUntil = ctx.now + refresh.settings.bakeSeconds * 1000;
    return;
  }
  succeed(ctx, group, refresh);
}

function stepBaking(ctx: Ctx, group: GroupRecord, refresh: RefreshRecord): void {
  const alarm = firedAlarm(ctx, refresh);
  if (alarm) return failRefresh(ctx, group, refresh, `The instance refresh failed because the CloudWatch alarm ${alarm} is in the ALARM state.`);
  if (refresh.waitUntil !== undefined && refresh.waitUntil <= ctx.now) succeed(ctx, group, refresh);
}

/** On success the group takes the desired configuration (StartInstanceRefresh docs). */
function succeed(ctx: Ctx, group: GroupRecord, refresh: RefreshRecord): void {
  refresh.status = 'Successful';
  end(ctx, refresh);
  if (refresh.desiredConfiguration) group.template = refresh.target;
  ctx.touch(groupKey(group.name));
}

/** A failure ends the refresh, or starts the rollback when AutoRollback is on. */
export function failRefresh(ctx: Ctx, group: GroupRecord, refresh: RefreshRecord, reason: string): void {
  if (refresh.settings.autoRollback) return startRollback(ctx, group, refresh, reason, reason);
  refresh.status = 'Failed';
  refresh.statusReason = reason;
  end(ctx, refresh);
}

/** Rolls back what the refresh deployed so far: every instance it launched is replaced with the original configuration. */
export function startRollback(ctx: Ctx, group: GroupRecord, refresh: RefreshRecord, rollbackReason: string, statusReason: string): void {
  const pending = new Set(refresh.toReplace);
  const alive = aliveInstances(ctx, group.name);
  const deployed = alive.filter((i) => !pending.has(i.id) && i.launchedAt >= refresh.startTime);
  refresh.rollback = {
    reason: rollbackReason,
    startTime: ctx.now,
    percentageCompleteOnRollback: refresh.percentageComplete,
    instancesToUpdateOnRollback: refresh.instancesToUpdate,
    toReplace: deployed.map((i) => i.id),
    total: deployed.length,
    kept: alive.length - deployed.length,
  };
  refresh.status = 'RollbackInProgress';
  refresh.statusReason = statusReason;
  delete refresh.waitUntil;
  delete refresh.nextAlarmCheckAt;
  stepRollback(ctx, group, refresh);
}

function stepRollback(ctx: Ctx, group: GroupRecord, refresh: RefreshRecord): void {
  const rollback = refresh.rollback;
  if (!rollback) return;
  rollback.toReplace = rollback.toReplace.filter((id) => ctx.state.instances[id] !== undefined);
  const plan: ReplacementPlan = { toReplace: rollback.toReplace, total: rollback.total, baseline: rollback.kept, launchConfig: refresh.original, settings: refresh.settings, paceLimit: rollback.total, since: rollback.startTime };
  const progress = measure(ctx, group, plan);
  if (progress.failed) {
    refresh.status = 'RollbackFailed';
    refresh.statusReason = healthFailure(progress);
    return end(ctx, refresh);
  }
  // PercentageComplete counts only the refresh's own replacements, so it goes back down to zero.
  refresh.percentageComplete = refresh.total === 0 ? 0 : Math.floor((100 * Math.min(refresh.total, progress.old.length)) / refresh.total);
  if (progress.old.length === 0 && progress.inflight.length === 0 && atCapacity(group, progress)) {
    refresh.status = 'RollbackSuccessful';
    refresh.percentageComplete = 0;
    return end(ctx, refresh);
  }
  replaceBatch(ctx, group, plan, progress);
  refresh.percentageComplete = refresh.total === 0 ? 0 : Math.floor((100 * Math.min(refresh.total, measure(ctx, group, plan).old.length)) / refresh.total);
}

/** With WaitForTransitioningInstances (the default), instances still launching finish first. */
function stepCancelling(ctx: Ctx, group: GroupRecord, refresh: RefreshRecord): void {
  const launching = instancesOf(ctx, group.name).filter((i) => i.lifecycle === 'Pending' && i.launchedAt >= refresh.startTime);
  if (refresh.waitForTransitioning && launching.length > 0) return;
  refresh.status = 'Cancelled';
  end(ctx, refresh);
}

/** Replacements of instances lost on the way (health, scale-in) must be back before a pass counts as done. */
function atCapacity(group: GroupRecord, progress: Progress): boolean {
  return progress.old.length + progress.fresh.length >= group.desiredCapacity;
}

function end(ctx: Ctx, refresh: RefreshRecord): void {
  refresh.endTime = ctx.now;
  delete refresh.waitUntil;
  delete refresh.nextAlarmCheckAt;
  if (refresh.status === 'Successful' || refresh.status === 'Cancelled' || refresh.status === 'RollbackSuccessful') delete refresh.statusReason;
}

function record(refresh: RefreshRecord, progress: Progress): void {
  refresh.percentageComplete = progress.percentage;
  refresh.instancesToUpdate = refresh.total - progress.done;
}

function pruneGone(ctx: Ctx, refresh: RefreshRecord): void {
  refresh.toReplace = refresh.toReplace.filter((id) => ctx.state.instances[id] !== undefined);
}

/** Polls the refresh's alarms when a poll is due; the name of one in ALARM. */
function firedAlarm(ctx: Ctx, refresh: RefreshRecord): string | undefined {
  if (refresh.nextAlarmCheckAt === undefined || refresh.nextAlarmCheckAt > ctx.now) return undefined;
  refresh.nextAlarmCheckAt = ctx.now + ALARM_POLL_SECONDS * 1000;
  const reader = alarmReader(ctx.world);
  return refresh.settings.alarms.find((name) => reader?.state(ctx.world, name) === 'ALARM');
}

/** StatusReason when a replacement fails its health checks (wording UNVERIFIED). */
function healthFailure(progress: Progress): string {
  const id = progress.failed?.id ?? 'unknown';
  return `Instance refresh failed: instance ${id} failed its health check after launch. The new configuration is not healthy.`;
}
