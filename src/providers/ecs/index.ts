import type { ECSClient } from '@aws-sdk/client-ecs';
import type { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { ParsedDeploySpec } from '../../config/schema.js';
import { DeployError } from '../../errors.js';
import type { Plan } from '../../strategies/types.js';
import type { CapacityContext, CapacityProvider, CapacityStatus, Json } from '../types.js';
import { EcsApi } from './api.js';
import { captureEcs } from './capture.js';
import { ElbReader } from './elb.js';
import { manualRestoreCommands } from './manual.js';
import { nativeStatus, rollbackNative, startNative } from './native.js';
import { preflightEcs, type Found } from './preflight.js';
import { cancelDeployment, rollbackRolling, rollingStatus, startRolling } from './rolling.js';
import { DEFAULT_POLICY, newRunner, parseHandle, type EcsPolicy } from './runner.js';
import { parseSnapshot, snapshotJson } from './snapshot.js';
import { restoreOld, retireOld, rollbackSplit, splitStatus, startSplit } from './split.js';
import { labelFor, lockKeyFor, resolveEcsTarget, type EcsTargetSpec } from './target.js';

export { ecsCallsFor, ecsReadCalls, ecsResourceArns, ecsWriteCalls } from './calls.js';
export type { EcsCalls, EcsResources } from './calls.js';
export type { EcsSnapshot } from './snapshot.js';
export type { EcsMode, EcsTargetSpec } from './target.js';
export type { EcsPolicy } from './runner.js';
export { nativePlan } from './planShape.js';
export { maximumPercentFor, rollingConfiguration, surgeTasks } from './config.js';

export interface EcsProviderDeps {
  /** Built by the engine's client factory (region, credentials, retries, rate limits); never built here. */
  readonly client: ECSClient;
  /** The rollout's plan: its batch sets the surge, its steps are checked against what ECS can express. */
  readonly plan: Plan;
  /** The whole spec: an alb target next to this one means the traffic split at the ALB. */
  readonly spec: ParsedDeploySpec;
  /** ELBv2, read only (which group serves, traffic gone before a scale-down, target health, native weights). */
  readonly elbv2: () => Promise<ElasticLoadBalancingV2Client>;
  /** Waits, write attempts and the progress deadline (tests shorten them). */
  readonly policy?: Partial<EcsPolicy>;
}

/**
 * Brings up a new task definition on an ECS service. Three modes, chosen from the spec (see EcsMode): an ECS
 * rolling deployment, a second service behind the ALB's canary target group, or an ECS-native BLUE_GREEN / LINEAR
 * / CANARY deployment. The label stays the same for the whole deployment (the engine keys the captured
 * configuration by it); everything a resumed process needs is in the snapshot and the handle.
 */
export function createEcsProvider(target: EcsTargetSpec, deps: EcsProviderDeps): CapacityProvider {
  const ref = resolveEcsTarget(target, deps.spec);
  const label = labelFor(ref);
  const api = new EcsApi(deps.client, ref.cluster, label);
  const elb = new ElbReader(deps.elbv2, label);
  const run = newRunner({ api, elb, label, policy: { ...DEFAULT_POLICY, ...deps.policy } });
  const parts = { api, elb, ref, plan: deps.plan };
  const snapshotOf = (json: Json) => parseSnapshot(json, label);
  let found: Found | undefined;

  return {
    kind: 'ecs',
    lockKey: lockKeyFor(ref),
    label,
    capabilities: { checkpoints: false, nativeAlarmRollback: true },
    async preflight(ctx) {
      const result = await preflightEcs(parts, ctx.signal);
      found = result.found;
      return result.report;
    },
    capture: async (ctx) => snapshotJson(await captureEcs(parts, found, ctx)),
    async start(percent, handle, ctx) {
      const snapshot = snapshotOf(ctx.snapshot);
      if (snapshot.mode === 'split') return startSplit(run, snapshot, percent, handle, ctx);
      if (snapshot.mode === 'native') return startNative(run, snapshot, handle, ctx);
      return startRolling(run, snapshot, handle, ctx);
    },
    async status(handle, ctx): Promise<CapacityStatus> {
      const snapshot = snapshotOf(ctx.snapshot);
      if (snapshot.mode === 'split') return splitStatus(run, snapshot, handle, ctx);
      if (snapshot.mode === 'native') return nativeStatus(run, snapshot, handle, ctx);
      return rollingStatus(run, snapshot, deploymentIdOf(handle, label), ctx);
    },
    async cancel(handle, ctx) {
      const snapshot = snapshotOf(ctx.snapshot);
      // A split deployment has no ECS deployment of its own to stop: rollback scales the new side back.
      if (snapshot.mode !== 'split') await cancelDeployment(run, snapshot, deploymentIdOf(handle, label), ctx);
    },
    async rollback(json, handle, ctx: CapacityContext) {
      const snapshot = snapshotOf(json);
      if (snapshot.mode === 'split') return rollbackSplit(run, snapshot, handle, ctx);
      if (snapshot.mode === 'native') return rollbackNative(run, snapshot, handle, ctx);
      return rollbackRolling(run, snapshot, handle, ctx);
    },
    async retireOld(ctx) {
      const snapshot = snapshotOf(ctx.snapshot);
      // Rolling replaces the old tasks itself and native ECS retires blue after its bake: nothing to scale down.
      if (snapshot.mode === 'split') await retireOld(run, snapshot, ctx);
    },
    async restoreOld(json, ctx) {
      const snapshot = snapshotOf(json);
      if (snapshot.mode === 'split') await restoreOld(run, snapshot, ctx);
    },
    manualRestoreCommands: (json) => manualRestoreCommands(json, ref, label),
  };
}

function deploymentIdOf(handle: Json, label: string): string {
  const value = handle as { mode?: string; deploymentId?: unknown } | null;
  if (value?.mode === 'native') return parseHandle(handle, 'native', label)!.deploymentId;
  const rolling = parseHandle(handle, 'rolling', label);
  if (!rolling || typeof rolling.deploymentId !== 'string') throw new DeployError('INTERNAL', `${label}: no deployment handle to follow`);
  return rolling.deploymentId;
}
