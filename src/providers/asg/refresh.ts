import type { InstanceRefresh } from '@aws-sdk/client-auto-scaling';
import { DeployError } from '../../errors.js';
import { isAbortError } from '../../time/clock.js';
import type { CapacityContext, CapacityStatus, Json } from '../types.js';
import { isActive, type AsgApi } from './api.js';
import { reachedPercent } from './checkpoints.js';
import type { AsgSnapshot } from './snapshot.js';
import { showVersion } from './target.js';
import type { AsgTimings } from './waiting.js';

/** Kept with the deployment: the refresh this deployment started (or adopted). */
export interface RefreshHandle {
  readonly mode: 'refresh';
  readonly refreshId: string;
  readonly group: string;
  readonly startedAt: number;
}

export function refreshHandleOf(json: Json | undefined): RefreshHandle | undefined {
  const h = json as Partial<RefreshHandle> | null | undefined;
  return h && typeof h === 'object' && h.mode === 'refresh' && typeof h.refreshId === 'string' && h.refreshId !== '' ? (h as RefreshHandle) : undefined;
}

/** Clock skew allowed between deployctl's clock and AWS's StartTime when recognising a refresh. */
const SKEW_MS = 5 * 60_000;

/**
 * Whose refresh this is. Ours: the handle's, or one started after the capture (not listed then) that carries our
 * exact desired configuration — the target version (`forward`) or the captured version (`restore`, our rollback).
 * StartInstanceRefresh takes no client token, so the desired configuration is what identifies it.
 */
export function whoseRefresh(refresh: InstanceRefresh, snapshot: AsgSnapshot, handle?: RefreshHandle): 'forward' | 'restore' | undefined {
  const id = refresh.InstanceRefreshId ?? '';
  if (handle && id === handle.refreshId) return 'forward';
  if (snapshot.knownRefreshIds.includes(id)) return undefined;
  if (refresh.StartTime && refresh.StartTime.getTime() < snapshot.capturedAt - SKEW_MS) return undefined;
  const desired = refresh.DesiredConfiguration?.LaunchTemplate;
  const captured = snapshot.group.launchTemplate;
  const sameTemplate = desired?.LaunchTemplateId === captured.LaunchTemplateId || (desired?.LaunchTemplateId === undefined && desired?.LaunchTemplateName === captured.LaunchTemplateName);
  if (!desired || !sameTemplate) return undefined;
  if (desired.Version === snapshot.request?.DesiredConfiguration.LaunchTemplate.Version) return 'forward';
  if (snapshot.restoreVersion !== null && desired.Version === snapshot.restoreVersion) return 'restore';
  return undefined;
}

/** `4f1c… (InProgress since 2026-01-01T00:05:00Z)` */
export function describeRefresh(refresh: InstanceRefresh): string {
  const since = refresh.StartTime ? ` since ${refresh.StartTime.toISOString().replace(/\.\d{3}Z$/, 'Z')}` : '';
  return `${refresh.InstanceRefreshId ?? '(no id)'} (${refresh.Status ?? 'unknown status'}${since})`;
}

function foreignRefresh(api: AsgApi, snapshot: AsgSnapshot, refresh: InstanceRefresh): DeployError {
  return new DeployError('DRIFT', `${api.label}: another instance refresh ${describeRefresh(refresh)} is active on ${snapshot.group.name}; deployctl neither overwrites nor cancels a refresh it did not start`);
}

/** Our refresh when one exists (after a crash), else nothing; a foreign active refresh is an error. */
async function adopt(api: AsgApi, snapshot: AsgSnapshot, ctx: CapacityContext): Promise<RefreshHandle | undefined> {
  const refreshes = await api.refreshes(snapshot.group.name, ctx.signal);
  const ours = refreshes.find((r) => whoseRefresh(r, snapshot) === 'forward');
  if (ours) return { mode: 'refresh', refreshId: ours.InstanceRefreshId!, group: snapshot.group.name, startedAt: ours.StartTime?.getTime() ?? ctx.clock.now() };
  const active = refreshes.find(isActive);
  if (active) throw foreignRefresh(api, snapshot, active);
  return undefined;
}

/** The refresh writes over the group's launch template on success: it must still be the one captured. */
async function checkTemplateUnchanged(api: AsgApi, snapshot: AsgSnapshot, ctx: CapacityContext): Promise<void> {
  const group = await api.group(snapshot.group.name, ctx.signal);
  if (!group) throw new DeployError('DRIFT', `${api.label}: Auto Scaling group ${snapshot.group.name} no longer exists`);
  const live = group.LaunchTemplate;
  const captured = snapshot.group.launchTemplate;
  if (live?.LaunchTemplateId !== captured.LaunchTemplateId || live?.Version !== captured.Version) {
    const now = live?.LaunchTemplateId ? `${live.LaunchTemplateName ?? live.LaunchTemplateId} ${showVersion(live.Version)}` : 'no launch template';
    throw new DeployError('DRIFT', `${api.label}: ${snapshot.group.name}'s launch template was changed by someone else since the capture, from ${captured.LaunchTemplateName ?? captured.LaunchTemplateId} ${showVersion(captured.Version)} to ${now}`);
  }
}

/** Starts the one refresh of the deployment at the first capacity step; later steps (and a resumed process) continue it. */
export async function startRefresh(api: AsgApi, snapshot: AsgSnapshot, handle: Json | undefined, ctx: CapacityContext): Promise<Json> {
  if (refreshHandleOf(handle)) return handle!;
  const adopted = await adopt(api, snapshot, ctx);
  if (adopted) return toJson(adopted);
  await checkTemplateUnchanged(api, snapshot, ctx);
  try {
    const refreshId = await api.start(snapshot.request!, ctx.signal);
    return toJson({ mode: 'refresh', refreshId, group: snapshot.group.name, startedAt: ctx.clock.now() });
  } catch (error) {
    if (isAbortError(error)) throw error;
    // The start may have landed (a timeout after AWS accepted it) or raced with another starter: look first.
    const again = await adopt(api, snapshot, ctx);
    if (again) return toJson(again);
    throw error;
  }
}

function toJson(handle: RefreshHandle): Json {
  return { ...handle };
}

export async function refreshStatus(api: AsgApi, snapshot: AsgSnapshot, handle: Json, ctx: CapacityContext, timings: AsgTimings): Promise<CapacityStatus> {
  const h = refreshHandleOf(handle);
  if (!h) throw new DeployError('INTERNAL', `${api.label}: the deployment handle is not an instance refresh: ${JSON.stringify(handle)}`);
  const [refresh] = await api.refreshes(h.group, ctx.signal, [h.refreshId]);
  if (refresh) return statusOf(refresh, snapshot);
  if (ctx.clock.now() - h.startedAt < timings.listingGraceMs) return { state: 'inProgress', percent: 0, detail: `instance refresh ${h.refreshId} accepted, not listed yet` };
  return { state: 'failed', reason: `instance refresh ${h.refreshId} is no longer listed for ${h.group}` };
}

/** A refresh's status as the machine needs it: the checkpoint reached, or why it stopped. */
export function statusOf(refresh: InstanceRefresh, snapshot: AsgSnapshot): CapacityStatus {
  const id = refresh.InstanceRefreshId ?? '';
  const done = refresh.PercentageComplete ?? 0;
  const reason = refresh.StatusReason ? `: ${refresh.StatusReason}` : '';
  switch (refresh.Status) {
    case 'Pending':
      return { state: 'inProgress', percent: 0, detail: `instance refresh ${id} pending` };
    case 'InProgress': {
      const percent = reachedPercent(done, snapshot.checkpoints, snapshot.planPercents, snapshot.checkpoints.length > 0);
      return { state: 'inProgress', percent, detail: `${done}% of instances replaced${reason}` };
    }
    case 'Baking':
      return { state: 'inProgress', percent: 100, detail: 'every instance replaced; the refresh bakes (BakeTime) while the gates watch' };
    case 'Successful':
      return { state: 'succeeded', percent: 100, detail: `instance refresh ${id} successful` };
    case 'Failed':
      return { state: 'failed', reason: `instance refresh ${id} failed${reason}` };
    case 'Cancelling':
    case 'Cancelled':
      return { state: 'failed', reason: `instance refresh ${id} was cancelled (not by this deployment)${reason}` };
    default: {
      const why = refresh.RollbackDetails?.RollbackReason ?? refresh.StatusReason;
      return { state: 'failed', reason: `Auto Scaling rolled instance refresh ${id} back (${refresh.Status})${why ? `: ${why}` : ''}` };
    }
  }
}

/** Cancels our refresh while it moves forward ("Cancelling does not roll back any changes"): rollback undoes them. */
export async function cancelRefresh(api: AsgApi, snapshot: AsgSnapshot, handle: Json, ctx: CapacityContext): Promise<void> {
  const h = refreshHandleOf(handle);
  if (!h) return;
  const [refresh] = await api.refreshes(h.group, ctx.signal, [h.refreshId]);
  if (refresh && ['Pending', 'InProgress', 'Baking'].includes(refresh.Status ?? '')) await api.cancel(snapshot.group.name, ctx.signal);
}
