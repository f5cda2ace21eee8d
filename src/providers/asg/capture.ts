import { DeployError } from '../../errors.js';
import type { ProviderContext } from '../types.js';
import { isActive, type AsgApi } from './api.js';
import type { PreflightInput } from './preflight.js';
import { describeRefresh } from './refresh.js';
import { designRefresh } from './request.js';
import { captureGroup, restoreVersionOf, templateOf, type AsgSnapshot } from './snapshot.js';
import { modeOf } from './target.js';

/**
 * Re-reads what preflight checked (moments may have passed) and keeps the exact configuration a rollback puts
 * back: launch template, sizes and instances of each group, the refreshes that existed, and the one refresh
 * request this deployment will send.
 */
export async function captureAsg(api: AsgApi, input: PreflightInput, ctx: ProviderContext): Promise<AsgSnapshot> {
  const { target, plan } = input;
  const mode = modeOf(target);
  const names = [target.autoScalingGroupName, ...(target.newGroupName ? [target.newGroupName] : [])];
  const groups = await api.groups(names, ctx.signal);
  const group = groups.get(target.autoScalingGroupName);
  if (!group || !templateOf(group)) throw new DeployError('DRIFT', `${api.label}: ${target.autoScalingGroupName} changed since preflight (missing, or without a launch template)`);
  const refreshes = await api.refreshes(target.autoScalingGroupName, ctx.signal);
  const active = refreshes.find(isActive);
  if (active) throw new DeployError('DRIFT', `${api.label}: an instance refresh ${describeRefresh(active)} started on ${target.autoScalingGroupName} since preflight`);
  const restore = restoreVersionOf(group);
  if ('problem' in restore) throw new DeployError('DRIFT', `${api.label}: ${restore.problem}`);
  const planPercents = plan.steps.flatMap((s) => (s.type === 'deployCapacity' ? [s.percent] : []));
  const base = {
    provider: 'asg' as const,
    version: 1 as const,
    mode,
    capturedAt: ctx.clock.now(),
    group: captureGroup(group),
    restoreVersion: restore.version,
    knownRefreshIds: refreshes.map((r) => r.InstanceRefreshId ?? '').filter(Boolean),
    planPercents,
  };
  if (mode === 'twoGroups') {
    const fresh = groups.get(target.newGroupName!);
    if (!fresh || !templateOf(fresh)) throw new DeployError('DRIFT', `${api.label}: ${target.newGroupName} changed since preflight (missing, or without a launch template)`);
    return { ...base, newGroup: captureGroup(fresh), checkpoints: [] };
  }
  const design = designRefresh({ ...input, group });
  return { ...base, request: design.request, rollbackPreferences: design.rollbackPreferences, checkpoints: design.checkpoints.checkpoints };
}
