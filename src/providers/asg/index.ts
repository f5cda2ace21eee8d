import type { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import type { ParsedDeploySpec } from '../../config/schema.js';
import type { Plan } from '../../strategies/types.js';
import type { CapacityContext, CapacityProvider, Json } from '../types.js';
import { AsgApi } from './api.js';
import { captureAsg } from './capture.js';
import { manualRestoreCommands } from './manual.js';
import { preflightAsg, type PreflightInput } from './preflight.js';
import { cancelRefresh, refreshHandleOf, refreshStatus, startRefresh } from './refresh.js';
import { rollbackRefresh } from './rollback.js';
import { parseSnapshot, snapshotJson, type AsgSnapshot } from './snapshot.js';
import { StatusReads } from './statusReads.js';
import { gateAlarms, isPinned, labelFor, lockKeyFor, modeOf, versionOf, type AsgTargetSpec } from './target.js';
import type { ElbClientSource } from './targetHealth.js';
import { restoreOldGroup, retireOldGroup, rollbackTwoGroups, startTwoGroups, twoGroupsStatus } from './twoGroups.js';
import { DEFAULT_TIMINGS, type AsgTimings } from './waiting.js';

export { asgCallsFor, asgLaunchTemplatePermissions, asgReadCalls, asgResources, asgWriteCalls } from './calls.js';
export type { AsgCallsFor, AsgResources } from './calls.js';
export type { AsgSnapshot } from './snapshot.js';
export type { AsgTargetSpec } from './target.js';
export type { AsgTimings } from './waiting.js';
export type { ElbClientSource } from './targetHealth.js';

export interface AsgProviderDeps {
  /** Built by the engine's client factory (region, credentials, retries, rate limits); never built here. */
  readonly client: AutoScalingClient;
  /** The rollout's plan: its capacity steps and bakes configure the refresh (checkpoints, delay, pace). */
  readonly plan: Plan;
  /** The whole spec: an ALB target next to this one means blue-green with two groups; gates give the alarms. */
  readonly spec: ParsedDeploySpec;
  /**
   * Blue-green: the engine's ELBv2 client, to wait until the load balancer calls the new instances healthy before
   * traffic moves. Without it, instances count as ready once their health check grace period has passed.
   */
  readonly elbv2?: ElbClientSource;
  /** How long and how often to wait (tests shorten them). */
  readonly timings?: Partial<AsgTimings>;
}

/** Checkpoints and native alarm rollback are instance refresh features; blue-green with two groups runs none. */
function capabilitiesOf(target: AsgTargetSpec, spec: ParsedDeploySpec): CapacityProvider['capabilities'] {
  const refresh = modeOf(target) === 'refresh';
  return { checkpoints: refresh, nativeAlarmRollback: refresh && isPinned(versionOf(target)) && gateAlarms(spec).length > 0 };
}

/**
 * EC2 Auto Scaling: an instance refresh to a launch template version (rolling, canary by checkpoints,
 * big-bang), or blue-green with a second group behind the ALB target's canary target group (newGroupName).
 */
export function createAsgProvider(target: AsgTargetSpec, deps: AsgProviderDeps): CapacityProvider {
  const label = labelFor(target);
  const api = new AsgApi(deps.client, label);
  const timings: AsgTimings = { ...DEFAULT_TIMINGS, ...deps.timings };
  const input: PreflightInput = { target, plan: deps.plan, spec: deps.spec, readsTargetHealth: deps.elbv2 !== undefined };
  const version = versionOf(target);
  const twoGroups = modeOf(target) === 'twoGroups';
  const snapshotOf = (json: Json): AsgSnapshot => parseSnapshot(json, label);
  const reads = new StatusReads();

  return {
    kind: 'asg',
    lockKey: lockKeyFor(target),
    label,
    capabilities: capabilitiesOf(target, deps.spec),
    preflight: (ctx) => preflightAsg(api, input, ctx.signal),
    capture: async (ctx) => snapshotJson(await captureAsg(api, input, ctx)),
    start(_percent: number, handle: Json | undefined, ctx: CapacityContext) {
      const snapshot = snapshotOf(ctx.snapshot);
      return twoGroups ? startTwoGroups(api, snapshot, version, handle, ctx) : startRefresh(api, snapshot, handle, ctx);
    },
    status(handle, ctx) {
      const snapshot = snapshotOf(ctx.snapshot);
      const read = () => (twoGroups ? twoGroupsStatus(api, snapshot, version, handle, ctx, { timings, elb: deps.elbv2 }) : refreshStatus(api, snapshot, handle, ctx, timings));
      return reads.read(JSON.stringify(handle), read);
    },
    async cancel(handle, ctx) {
      if (!twoGroups) await cancelRefresh(api, snapshotOf(ctx.snapshot), handle, ctx);
    },
    rollback(json, handle, ctx) {
      const snapshot = snapshotOf(json);
      return twoGroups ? rollbackTwoGroups(api, snapshot, version, ctx, { timings, elb: deps.elbv2 }) : rollbackRefresh(api, snapshot, refreshHandleOf(handle), ctx, timings);
    },
    async retireOld(ctx) {
      if (twoGroups) await retireOldGroup(api, snapshotOf(ctx.snapshot), ctx);
    },
    async restoreOld(json, ctx) {
      if (twoGroups) await restoreOldGroup(api, snapshotOf(json), ctx, { timings, elb: deps.elbv2 });
    },
    manualRestoreCommands: (json) => manualRestoreCommands(json, target, label),
  };
}
