/**
 * CancelInstanceRefresh, RollbackInstanceRefresh and DescribeInstanceRefreshes.
 */
import { date, paginate } from '../../common.js';
import { activeRefresh } from '../capacity.js';
import { irreversibleRefresh, noActiveRefresh, requireGroup, type Ctx } from '../errors.js';
import { reconcileCapacity } from '../capacity.js';
import { isFloatingVersion } from '../launchTemplates.js';
import type { RefreshRecord } from '../state.js';
import { startRollback, stepRefresh } from './engine.js';
import { RETENTION_MS } from './start.js';

/** "Cancels an instance refresh or rollback that is in progress" (CancelInstanceRefresh docs); no rollback. */
export function cancelInstanceRefresh(ctx: Ctx, input: Record<string, unknown>): unknown {
  const group = requireGroup(ctx, input.AutoScalingGroupName);
  const refresh = activeRefresh(ctx, group.name);
  if (!refresh || refresh.status === 'Cancelling') noActiveRefresh(group.name);
  refresh.status = 'Cancelling';
  refresh.waitForTransitioning = input.WaitForTransitioningInstances !== false;
  delete refresh.waitUntil;
  delete refresh.nextAlarmCheckAt;
  delete refresh.statusReason;
  stepRefresh(ctx, group, refresh);
  reconcileCapacity(ctx, group);
  return { InstanceRefreshId: refresh.id };
}

/**
 * Rolls back a refresh that is still moving forward ("You can't roll it back after it's finished", rollback
 * docs): refused with IrreversibleInstanceRefresh without a desired configuration or with `$Latest`/`$Default`.
 */
export function rollbackInstanceRefresh(ctx: Ctx, input: Record<string, unknown>): unknown {
  const group = requireGroup(ctx, input.AutoScalingGroupName);
  const refresh = activeRefresh(ctx, group.name);
  if (!refresh || !['Pending', 'InProgress', 'Baking'].includes(refresh.status)) noActiveRefresh(group.name);
  if (!refresh.desiredConfiguration) irreversibleRefresh('a desired configuration was not found for the instance refresh');
  if (isFloatingVersion(refresh.original.version) || isFloatingVersion(refresh.target.version)) {
    irreversibleRefresh('the Auto Scaling group or the desired configuration uses the launch template version $Latest or $Default');
  }
  startRollback(ctx, group, refresh, 'Rollback initiated by a RollbackInstanceRefresh request.', 'A rollback was initiated by a RollbackInstanceRefresh request.');
  reconcileCapacity(ctx, group);
  return { InstanceRefreshId: refresh.id };
}

/** Newest first, only the previous six weeks (DescribeInstanceRefreshes docs), MaxRecords 50 by default, 100 at most. */
export function describeInstanceRefreshes(ctx: Ctx, input: Record<string, unknown>): unknown {
  const group = requireGroup(ctx, input.AutoScalingGroupName);
  const ids = input.InstanceRefreshIds as string[] | undefined;
  const refreshes = ctx.state.refreshes
    .map((refresh, index) => ({ refresh, index }))
    .filter(({ refresh }) => refresh.group === group.name && refresh.startTime >= ctx.now - RETENTION_MS && (!ids || ids.length === 0 || ids.includes(refresh.id)))
    .sort((a, b) => b.refresh.startTime - a.refresh.startTime || b.index - a.index)
    .map(({ refresh }) => refresh);
  const { page, next } = paginate(refreshes, input.NextToken, (input.MaxRecords as number | undefined) ?? 50, 100);
  return { InstanceRefreshes: page.map(refreshOutput), ...(next ? { NextToken: next } : {}) };
}

function refreshOutput(r: RefreshRecord): Record<string, unknown> {
  const progress = { LivePoolProgress: { PercentageComplete: r.percentageComplete, InstancesToUpdate: r.instancesToUpdate } };
  return {
    InstanceRefreshId: r.id,
    AutoScalingGroupName: r.group,
    Status: r.status,
    ...(r.statusReason !== undefined ? { StatusReason: r.statusReason } : {}),
    StartTime: date(r.startTime),
    ...(r.endTime !== undefined ? { EndTime: date(r.endTime) } : {}),
    PercentageComplete: r.percentageComplete,
    InstancesToUpdate: r.instancesToUpdate,
    ProgressDetails: progress,
    Preferences: structuredClone(r.preferences),
    ...(r.desiredConfiguration ? { DesiredConfiguration: structuredClone(r.desiredConfiguration) } : {}),
    ...(r.rollback ? { RollbackDetails: rollbackOutput(r) } : {}),
    Strategy: r.strategy,
  };
}

function rollbackOutput(r: RefreshRecord): Record<string, unknown> {
  const rollback = r.rollback!;
  return {
    RollbackReason: rollback.reason,
    RollbackStartTime: date(rollback.startTime),
    PercentageCompleteOnRollback: rollback.percentageCompleteOnRollback,
    InstancesToUpdateOnRollback: rollback.instancesToUpdateOnRollback,
    ProgressDetailsOnRollback: { LivePoolProgress: { PercentageComplete: rollback.percentageCompleteOnRollback, InstancesToUpdate: rollback.instancesToUpdateOnRollback } },
  };
}
