import type { AutoScalingGroup, InstanceRefresh } from '@aws-sdk/client-auto-scaling';
import { DeployError, messageOf } from '../../errors.js';
import { formatDuration } from '../../util/duration.js';
import { isAbortError } from '../../time/clock.js';
import type { CapacityContext } from '../types.js';
import { awsCodeOf, isActive, type AsgApi } from './api.js';
import { fleetOf, isSettled, summary, type Wanted } from './fleet.js';
import { describeRefresh, whoseRefresh, type RefreshHandle } from './refresh.js';
import type { RefreshRequest } from './request.js';
import { writableTemplate, type AsgSnapshot } from './snapshot.js';
import { isPinned, showVersion } from './target.js';
import { warn, type AsgTimings } from './waiting.js';

/** One look at the group and its refreshes decides the next move; the loop re-reads after every move. */
export type RollbackMove =
  | { readonly type: 'done' }
  | { readonly type: 'wait'; readonly why: string }
  | { readonly type: 'rollback'; readonly why: string }
  | { readonly type: 'cancel'; readonly why: string }
  | { readonly type: 'restart'; readonly why: string }
  | { readonly type: 'retemplate'; readonly why: string }
  | { readonly type: 'stuck'; readonly why: string };

/** What this rollback has done so far (a resumed process starts afresh, which is safe: every move re-reads). */
export interface RollbackMemory {
  irreversible: boolean;
  restarts: number;
}

/** Refreshes back to the captured version this rollback may start before it gives up (the old version may be broken too). */
const MAX_RESTARTS = 2;

export function wantedOf(snapshot: AsgSnapshot): Wanted {
  return { templateId: snapshot.group.launchTemplate.LaunchTemplateId, version: snapshot.restoreVersion };
}

/** RollbackInstanceRefresh needs a desired configuration (always ours) and numbered versions on both sides. */
function reversible(snapshot: AsgSnapshot): boolean {
  return isPinned(snapshot.group.launchTemplate.Version) && isPinned(snapshot.request?.DesiredConfiguration.LaunchTemplate.Version);
}

export function nextMove(group: AutoScalingGroup, refreshes: readonly InstanceRefresh[], snapshot: AsgSnapshot, handle: RefreshHandle | undefined, memory: RollbackMemory): RollbackMove {
  const active = refreshes.find(isActive);
  if (active) return moveForActive(active, snapshot, handle, memory);
  const wanted = wantedOf(snapshot);
  const fleet = fleetOf(group, wanted);
  const back = showVersion(wanted.version ?? snapshot.group.launchTemplate.Version);
  if (fleet.offVersion.length > 0) {
    const lastRestore = refreshes.find((r) => whoseRefresh(r, snapshot, handle) === 'restore');
    if (memory.restarts >= MAX_RESTARTS) {
      return { type: 'stuck', why: `refreshed back to ${back} ${memory.restarts} times and ${fleet.offVersion.length} instances are still not on it${lastRestore ? `; the last refresh ${describeRefresh(lastRestore)} says: ${lastRestore.StatusReason ?? 'no reason given'}` : ''}` };
    }
    return { type: 'restart', why: `${fleet.offVersion.length} instances are not on ${back}: ${summary(fleet, wanted)}` };
  }
  if (!isSettled(fleet)) return { type: 'wait', why: summary(fleet, wanted) };
  const live = group.LaunchTemplate;
  const captured = snapshot.group.launchTemplate;
  if (live?.LaunchTemplateId !== captured.LaunchTemplateId || live?.Version !== captured.Version) {
    return { type: 'retemplate', why: `the group names ${showVersion(live?.Version)}, the captured configuration ${showVersion(captured.Version)}` };
  }
  return { type: 'done' };
}

function moveForActive(active: InstanceRefresh, snapshot: AsgSnapshot, handle: RefreshHandle | undefined, memory: RollbackMemory): RollbackMove {
  const whose = whoseRefresh(active, snapshot, handle);
  const what = describeRefresh(active);
  if (!whose) return { type: 'stuck', why: `another instance refresh ${what} is active on ${snapshot.group.name}; deployctl does not cancel a refresh it did not start` };
  if (active.Status === 'RollbackInProgress') return { type: 'wait', why: `Auto Scaling is rolling ${what} back, ${active.PercentageComplete ?? 0}% still on the new version` };
  if (active.Status === 'Cancelling') return { type: 'wait', why: `${what} is being cancelled` };
  if (whose === 'restore') return { type: 'wait', why: `refreshing back to ${showVersion(snapshot.restoreVersion ?? undefined)}: ${what}, ${active.PercentageComplete ?? 0}% done` };
  if (reversible(snapshot) && !memory.irreversible) return { type: 'rollback', why: `${what} is still active` };
  return { type: 'cancel', why: `${what} is active and cannot be rolled back by Auto Scaling ($Latest/$Default), so it is cancelled and the captured version refreshed back` };
}

/** The refresh back to the captured version: only the instances not on it are replaced (SkipMatching). */
export function restoreRequest(snapshot: AsgSnapshot): RefreshRequest {
  const captured = snapshot.group.launchTemplate;
  return {
    AutoScalingGroupName: snapshot.group.name,
    DesiredConfiguration: { LaunchTemplate: { LaunchTemplateId: captured.LaunchTemplateId, Version: snapshot.restoreVersion ?? captured.Version ?? '$Default' } },
    Preferences: { ...(snapshot.rollbackPreferences ?? {}), SkipMatching: true },
  };
}

/** Codes that mean "the world moved on between the read and the call": re-read and decide again. */
const RACES = new Set(['ActiveInstanceRefreshNotFound', 'InstanceRefreshInProgress']);

async function perform(move: RollbackMove, api: AsgApi, snapshot: AsgSnapshot, memory: RollbackMemory, ctx: CapacityContext): Promise<void> {
  try {
    if (move.type === 'rollback') await api.rollback(snapshot.group.name, ctx.signal);
    if (move.type === 'cancel') await api.cancel(snapshot.group.name, ctx.signal);
    if (move.type === 'restart') {
      await api.start(restoreRequest(snapshot), ctx.signal);
      memory.restarts += 1;
    }
    if (move.type === 'retemplate') {
      warn(ctx, `${api.label}: putting ${snapshot.group.name}'s launch template back to ${showVersion(snapshot.group.launchTemplate.Version)} as captured (${move.why})`);
      await api.update({ AutoScalingGroupName: snapshot.group.name, LaunchTemplate: writableTemplate(snapshot.group.launchTemplate) }, ctx.signal);
    }
  } catch (error) {
    if (isAbortError(error)) throw error;
    const code = awsCodeOf(error);
    if (code === 'IrreversibleInstanceRefresh') memory.irreversible = true;
    else if (!RACES.has(code)) throw error;
  }
}

/**
 * Back to the captured version and healthy there: RollbackInstanceRefresh while our refresh is active and AWS
 * allows it, else cancel and refresh back; then every instance InService, healthy, on the captured version, and
 * the group's launch template as captured. Failed reads and calls are retried until the deadline.
 */
export async function rollbackRefresh(api: AsgApi, snapshot: AsgSnapshot, handle: RefreshHandle | undefined, ctx: CapacityContext, timings: AsgTimings): Promise<void> {
  const memory: RollbackMemory = { irreversible: false, restarts: 0 };
  const deadline = ctx.clock.now() + timings.rollbackTimeoutMs;
  let last: string;
  for (;;) {
    try {
      const [group, refreshes] = await Promise.all([api.group(snapshot.group.name, ctx.signal), api.refreshes(snapshot.group.name, ctx.signal)]);
      if (!group) throw new DeployError('CAPACITY_FAILED', `${api.label}: Auto Scaling group ${snapshot.group.name} no longer exists`);
      const move = nextMove(group, refreshes, snapshot, handle, memory);
      if (move.type === 'done') return leftAsFound(group, snapshot, api, ctx);
      if (move.type === 'stuck') throw new DeployError('CAPACITY_FAILED', `${api.label}: ${move.why}`);
      last = move.why;
      if (move.type !== 'wait') await perform(move, api, snapshot, memory, ctx);
    } catch (error) {
      if (isAbortError(error) || (error instanceof DeployError && error.code === 'CAPACITY_FAILED')) throw error;
      last = messageOf(error);
    }
    if (ctx.clock.now() >= deadline) throw new DeployError('CAPACITY_FAILED', `${api.label}: not back on the captured version after ${formatDuration(timings.rollbackTimeoutMs / 1000)}: ${last}`);
    await ctx.clock.sleep(timings.pollMs, ctx.signal);
  }
}

/** A refresh never changes sizes: different ones now are scaling or someone else's, said and left alone. */
function leftAsFound(group: AutoScalingGroup, snapshot: AsgSnapshot, api: AsgApi, ctx: CapacityContext): void {
  const captured = snapshot.group;
  const changed = [
    group.MinSize !== captured.minSize ? `min ${captured.minSize} → ${group.MinSize}` : '',
    group.MaxSize !== captured.maxSize ? `max ${captured.maxSize} → ${group.MaxSize}` : '',
    group.DesiredCapacity !== captured.desiredCapacity ? `desired ${captured.desiredCapacity} → ${group.DesiredCapacity}` : '',
  ].filter(Boolean);
  if (changed.length > 0) warn(ctx, `${api.label}: instances are back on the captured version; sizes changed during the deployment (scaling or someone else) and were left as found: ${changed.join(', ')}`);
}
