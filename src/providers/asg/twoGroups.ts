import type { Activity, AutoScalingGroup, UpdateAutoScalingGroupCommandInput } from '@aws-sdk/client-auto-scaling';
import { DeployError } from '../../errors.js';
import { isAbortError } from '../../time/clock.js';
import type { CapacityContext, CapacityStatus, Json } from '../types.js';
import type { AsgApi } from './api.js';
import { fleetOf, isSettled, liveInstances, summary, type Wanted } from './fleet.js';
import { writableTemplate, type AsgSnapshot, type GroupCapture } from './snapshot.js';
import { isPinned, showVersion } from './target.js';
import { inGracePeriod, notYetHealthyTargets, type ElbClientSource } from './targetHealth.js';
import { waitUntil, warn, type AsgTimings } from './waiting.js';

/**
 * Blue-green with two groups: the new group (behind the ALB target's canary target group) is brought up to the
 * old group's size at the new version; the ALB provider moves traffic; retireOld scales the old group to zero.
 */
export interface TwoGroupsHandle {
  readonly mode: 'twoGroups';
  readonly group: string;
  readonly startedAt: number;
}

export function twoGroupsHandleOf(json: Json | undefined): TwoGroupsHandle | undefined {
  const h = json as Partial<TwoGroupsHandle> | null | undefined;
  return h && typeof h === 'object' && h.mode === 'twoGroups' && typeof h.group === 'string' ? (h as TwoGroupsHandle) : undefined;
}

/**
 * The new group takes the old group's sizes (it becomes production, so its scaling bounds must be production's)
 * and its own launch template at the new version. Sizes are the captured ones, so a resumed start recognises it.
 */
export function newGroupUpdate(snapshot: AsgSnapshot, version: string): UpdateAutoScalingGroupCommandInput & { LaunchTemplate: { LaunchTemplateId: string; Version: string } } {
  const { group: old, newGroup } = snapshot;
  return {
    AutoScalingGroupName: newGroup!.name,
    LaunchTemplate: { LaunchTemplateId: newGroup!.launchTemplate.LaunchTemplateId, Version: version },
    MinSize: old.minSize,
    MaxSize: old.maxSize,
    DesiredCapacity: old.desiredCapacity,
  };
}

/** Differences between a group and wanted settings, in words (`desired 0 → 4`); empty when it matches. */
export function differences(group: AutoScalingGroup, want: { templateId: string; version?: string | undefined; min: number; max: number; desired: number }): string[] {
  const t = group.LaunchTemplate;
  return [
    t?.LaunchTemplateId !== want.templateId ? `launch template ${want.templateId} → ${t?.LaunchTemplateId ?? 'none'}` : '',
    t?.Version !== want.version ? `version ${showVersion(want.version)} → ${showVersion(t?.Version)}` : '',
    group.MinSize !== want.min ? `min ${want.min} → ${group.MinSize}` : '',
    group.MaxSize !== want.max ? `max ${want.max} → ${group.MaxSize}` : '',
    group.DesiredCapacity !== want.desired ? `desired ${want.desired} → ${group.DesiredCapacity}` : '',
  ].filter(Boolean);
}

function asCaptured(capture: GroupCapture) {
  return { templateId: capture.launchTemplate.LaunchTemplateId, version: capture.launchTemplate.Version, min: capture.minSize, max: capture.maxSize, desired: capture.desiredCapacity };
}

function asUpdate(update: ReturnType<typeof newGroupUpdate>) {
  return { templateId: update.LaunchTemplate.LaunchTemplateId, version: update.LaunchTemplate.Version, min: update.MinSize!, max: update.MaxSize!, desired: update.DesiredCapacity! };
}

async function readGroup(api: AsgApi, name: string, ctx: CapacityContext): Promise<AutoScalingGroup> {
  const group = await api.group(name, ctx.signal);
  if (!group) throw new DeployError('DRIFT', `${api.label}: Auto Scaling group ${name} no longer exists`);
  return group;
}

/** Sets the new group's version and size once; a resumed start finds it done and adopts it. */
export async function startTwoGroups(api: AsgApi, snapshot: AsgSnapshot, version: string, handle: Json | undefined, ctx: CapacityContext): Promise<Json> {
  if (twoGroupsHandleOf(handle)) return handle!;
  const update = newGroupUpdate(snapshot, version);
  const name = snapshot.newGroup!.name;
  const group = await readGroup(api, name, ctx);
  if (differences(group, asUpdate(update)).length > 0) {
    const foreign = differences(group, asCaptured(snapshot.newGroup!));
    if (foreign.length > 0) throw new DeployError('DRIFT', `${api.label}: ${name} was changed by someone else since the capture (${foreign.join(', ')}); not scaling it up`);
    try {
      await api.update(update, ctx.signal);
    } catch (error) {
      // The update may have landed before the failure: look before concluding.
      if (isAbortError(error) || differences(await readGroup(api, name, ctx), asUpdate(update)).length > 0) throw error;
    }
  }
  return { mode: 'twoGroups', group: name, startedAt: ctx.clock.now() };
}

/** The version instances of the new group must run: a floating version resolves to some number, so then any. */
function wantedNew(snapshot: AsgSnapshot, version: string): Wanted {
  return { templateId: snapshot.newGroup!.launchTemplate.LaunchTemplateId, version: isPinned(version) ? version : null };
}

/** Health-check replacements and failed launches of the new group since the capture, from its scaling activities. */
export function launchFailure(activities: readonly Activity[], since: number): string | undefined {
  const recent = activities.filter((a) => (a.StartTime?.getTime() ?? 0) >= since);
  const unhealthy = recent.find((a) => (a.Description ?? '').startsWith('Terminating') && /health check|status check/i.test(a.Cause ?? ''));
  if (unhealthy) return `an instance of the new version failed its health check (${unhealthy.Description}: ${unhealthy.Cause})`;
  const failed = recent.filter((a) => (a.Description ?? '').startsWith('Launching') && a.StatusCode === 'Failed');
  if (failed.length >= 3) return `${failed.length} launches failed: ${failed[0]!.StatusMessage ?? failed[0]!.Description}`;
  return undefined;
}

/**
 * Instances the load balancer does not call healthy yet: from target health with an ELBv2 client, else those still
 * in their health check grace period. Traffic must not move to a group before this is empty.
 */
async function loadBalancerWaiting(api: AsgApi, group: AutoScalingGroup, ctx: CapacityContext, elb: ElbClientSource | undefined, activities?: readonly Activity[]): Promise<string[]> {
  if (elb) return notYetHealthyTargets(elb, group, api.label, ctx.signal);
  return inGracePeriod(group, activities ?? (await api.activities(group.AutoScalingGroupName ?? '', ctx.signal)), ctx.clock.now());
}

export interface StatusDeps {
  readonly timings: AsgTimings;
  readonly elb?: ElbClientSource | undefined;
}

/**
 * Ready means every instance InService and healthy on the new version, and the load balancer calling each of them
 * healthy (Auto Scaling says Healthy during the grace period whatever the load balancer says); failed means a new
 * instance failed its health check, launches keep failing, or the group is not ready in time.
 */
export async function twoGroupsStatus(api: AsgApi, snapshot: AsgSnapshot, version: string, handle: Json, ctx: CapacityContext, deps: StatusDeps): Promise<CapacityStatus> {
  const h = twoGroupsHandleOf(handle);
  if (!h) throw new DeployError('INTERNAL', `${api.label}: the deployment handle is not a blue-green one: ${JSON.stringify(handle)}`);
  const group = await api.group(h.group, ctx.signal);
  if (!group) return { state: 'failed', reason: `Auto Scaling group ${h.group} no longer exists` };
  const drift = differences(group, asUpdate(newGroupUpdate(snapshot, version)));
  if (drift.length > 0) return { state: 'failed', reason: `${h.group} was changed by someone else while coming up (${drift.join(', ')})` };
  const activities = await api.activities(h.group, ctx.signal);
  const failure = launchFailure(activities, snapshot.capturedAt);
  if (failure) return { state: 'failed', reason: `${h.group}: ${failure}` };
  const wanted = wantedNew(snapshot, version);
  const fleet = fleetOf(group, wanted);
  let detail = summary(fleet, wanted);
  if (isSettled(fleet)) {
    const waiting = await loadBalancerWaiting(api, group, ctx, deps.elb, activities);
    if (waiting.length === 0) return { state: 'succeeded', percent: 100, detail };
    detail = `${detail}; waiting for the load balancer: ${waiting.slice(0, 5).join(', ')}${waiting.length > 5 ? ` and ${waiting.length - 5} more` : ''}`;
  }
  if (ctx.clock.now() - h.startedAt > deps.timings.readyTimeoutMs) return { state: 'failed', reason: `${h.group} is not ready after ${Math.round(deps.timings.readyTimeoutMs / 60_000)} minutes: ${detail}` };
  const percent = fleet.desired > 0 ? Math.floor((100 * Math.min(fleet.ready, fleet.desired)) / fleet.desired) : 100;
  return { state: 'inProgress', percent: Math.min(percent, 99), detail };
}

/** After the final bake: the old group to zero (its maximum kept, so restoreOld only puts min and desired back). */
export async function retireOldGroup(api: AsgApi, snapshot: AsgSnapshot, ctx: CapacityContext): Promise<void> {
  const old = snapshot.group;
  const group = await readGroup(api, old.name, ctx);
  const template = group.LaunchTemplate;
  if (template?.LaunchTemplateId !== old.launchTemplate.LaunchTemplateId || template?.Version !== old.launchTemplate.Version) {
    throw new DeployError('DRIFT', `${api.label}: ${old.name}'s launch template was changed by someone else (now ${showVersion(template?.Version)}, captured ${showVersion(old.launchTemplate.Version)}); not scaling it down`);
  }
  if (group.MinSize === 0 && group.DesiredCapacity === 0) return;
  await api.update({ AutoScalingGroupName: old.name, MinSize: 0, DesiredCapacity: 0 }, ctx.signal);
  const after = await readGroup(api, old.name, ctx);
  if (after.MinSize !== 0 || after.DesiredCapacity !== 0) throw new DeployError('AWS_ERROR', `${api.label}: ${old.name} reads min ${after.MinSize}, desired ${after.DesiredCapacity} after scaling it to zero`);
}

/**
 * Puts a group's captured sizes (and, with `template`, its launch template) back. `ours` tells the state this
 * deployment left it in; anything else is someone else's change, said before it is overwritten.
 */
async function putBack(api: AsgApi, capture: GroupCapture, ctx: CapacityContext, template: boolean, ours: (g: AutoScalingGroup) => boolean): Promise<void> {
  const group = await readGroup(api, capture.name, ctx);
  const want = asCaptured(capture);
  const off = differences(group, template ? want : { ...want, templateId: group.LaunchTemplate?.LaunchTemplateId ?? '', version: group.LaunchTemplate?.Version });
  if (off.length === 0) return;
  if (!ours(group)) warn(ctx, `${api.label}: putting ${capture.name} back as captured over a change deployctl did not make (captured → now: ${off.join(', ')})`);
  const sizes = { MinSize: capture.minSize, MaxSize: capture.maxSize, DesiredCapacity: capture.desiredCapacity };
  await api.update({ AutoScalingGroupName: capture.name, ...sizes, ...(template ? { LaunchTemplate: writableTemplate(capture.launchTemplate) } : {}) }, ctx.signal);
}

function oldWanted(snapshot: AsgSnapshot): Wanted {
  return { templateId: snapshot.group.launchTemplate.LaunchTemplateId, version: snapshot.restoreVersion };
}

/**
 * The old group back to its captured sizes, waited until every instance is in service and healthy on the old
 * version and the load balancer calls each healthy: the traffic provider moves traffic back right after this.
 */
export async function restoreOldGroup(api: AsgApi, snapshot: AsgSnapshot, ctx: CapacityContext, deps: StatusDeps): Promise<void> {
  const retired = (g: AutoScalingGroup): boolean => g.MinSize === 0 && g.DesiredCapacity === 0 && g.MaxSize === snapshot.group.maxSize;
  await putBack(api, snapshot.group, ctx, false, retired);
  await waitOldServing(api, snapshot, ctx, deps);
}

async function waitOldServing(api: AsgApi, snapshot: AsgSnapshot, ctx: CapacityContext, deps: StatusDeps): Promise<void> {
  const wanted = oldWanted(snapshot);
  const old = snapshot.group.name;
  const problem = async (): Promise<string | undefined> => {
    const group = await readGroup(api, old, ctx);
    const fleet = fleetOf(group, wanted);
    if (!isSettled(fleet)) return summary(fleet, wanted);
    const waiting = await loadBalancerWaiting(api, group, ctx, deps.elb);
    return waiting.length > 0 ? `waiting for the load balancer: ${waiting.slice(0, 5).join(', ')}` : undefined;
  };
  await waitUntil(`${api.label}: ${old} back in service`, problem, (left) => left, ctx, { pollMs: deps.timings.pollMs, timeoutMs: deps.timings.rollbackTimeoutMs });
}

/** The new group back to its captured launch template and sizes (usually empty), and the old group serving. */
export async function rollbackTwoGroups(api: AsgApi, snapshot: AsgSnapshot, version: string, ctx: CapacityContext, deps: StatusDeps): Promise<void> {
  const capture = snapshot.newGroup!;
  const started = asUpdate(newGroupUpdate(snapshot, version));
  await putBack(api, capture, ctx, true, (g) => differences(g, started).length === 0);
  const settled = (g: AutoScalingGroup): string | undefined => {
    const off = differences(g, asCaptured(capture));
    if (off.length > 0) return `still ${off.join(', ')}`;
    const live = liveInstances(g).length;
    return live === capture.desiredCapacity ? undefined : `${live} instances running, ${capture.desiredCapacity} captured`;
  };
  await waitUntil(`${api.label}: ${capture.name} back as captured`, () => readGroup(api, capture.name, ctx), settled, ctx, { pollMs: deps.timings.pollMs, timeoutMs: deps.timings.rollbackTimeoutMs });
  await waitOldServing(api, snapshot, ctx, deps);
}
