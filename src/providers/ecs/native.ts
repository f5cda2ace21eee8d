import type { ServiceDeployment } from '@aws-sdk/client-ecs';
import { DeployError } from '../../errors.js';
import type { CapacityStatus, Json, ProviderContext } from '../types.js';
import { shareOf } from './elb.js';
import { describeDeployments, isSteady, primaryOf } from './live.js';
import { greenShare } from './nativeRules.js';
import { restoreService } from './restore.js';
import { assertAsCaptured, nothingOfOurs, ourDeployment, rollingStatus, settleConfiguration } from './rolling.js';
import { parseHandle, type Runner } from './runner.js';
import type { NativeSnapshot } from './snapshot.js';
import { shortTaskDefinition } from './target.js';
import { waitUntil, writeConfirmed } from './waits.js';

/**
 * ECS-native BLUE_GREEN / LINEAR / CANARY: one UpdateService with the plan translated into the strategy members
 * (fixed at capture), then ECS scales up the new revision and shifts the production listener rule itself. Status
 * follows the service deployment's lifecycle stage and the green share of that rule; a rollback asks ECS to stop
 * the service deployment with ROLLBACK (ECS moves the traffic back), then restores the captured configuration.
 */

const ONGOING = new Set(['PENDING', 'IN_PROGRESS', 'STOP_REQUESTED', 'ROLLBACK_REQUESTED', 'ROLLBACK_IN_PROGRESS']);
const STOPPABLE = new Set(['PENDING', 'IN_PROGRESS']);
const AFTER_SHIFT = new Set(['POST_PRODUCTION_TRAFFIC_SHIFT', 'BAKE_TIME', 'CLEAN_UP']);

export async function startNative(run: Runner, snapshot: NativeSnapshot, handle: Json | undefined, ctx: ProviderContext): Promise<Json> {
  const existing = parseHandle(handle, 'native', run.label);
  if (existing) return existing;
  const name = snapshot.service.name;
  const service = await run.api.service(name, ctx.signal);
  const adopted = ourDeployment(service, snapshot);
  if (adopted?.id) return handleOf(adopted.id, service.currentServiceDeployment);
  assertAsCaptured(run, service, snapshot);
  let started: Json | undefined;
  await writeConfirmed(
    `${run.label}: UpdateService to ${shortTaskDefinition(snapshot.targetTaskDefinition)} (${String(snapshot.send.strategy)})`,
    async () => void (await run.api.update(name, { taskDefinition: snapshot.targetTaskDefinition, deploymentConfiguration: snapshot.send }, ctx.signal)),
    async () => {
      const now = await run.api.service(name, ctx.signal);
      const ours = ourDeployment(now, snapshot);
      started = ours?.id ? handleOf(ours.id, now.currentServiceDeployment) : undefined;
      return started ? undefined : `no deployment of ${shortTaskDefinition(snapshot.targetTaskDefinition)} yet`;
    },
    ctx,
    run.policy.write,
  );
  return started!;
}

function handleOf(deploymentId: string, serviceDeploymentArn: string | undefined): Json {
  return { mode: 'native', deploymentId, ...(serviceDeploymentArn ? { serviceDeploymentArn } : {}) };
}

export async function nativeStatus(run: Runner, snapshot: NativeSnapshot, handleJson: Json, ctx: ProviderContext): Promise<CapacityStatus> {
  const handle = parseHandle(handleJson, 'native', run.label);
  if (!handle) throw new DeployError('INTERNAL', `${run.label}: no deployment handle to follow`);
  const record = handle.serviceDeploymentArn ? await run.api.serviceDeployment(handle.serviceDeploymentArn, ctx.signal) : undefined;
  // Without the service deployments API answer, the deployment's own rolloutState still tells the outcome.
  if (!record) return rollingStatus(run, snapshot, handle.deploymentId, ctx);
  const status = record.status ?? 'PENDING';
  if (status === 'SUCCESSFUL') {
    const settled = await settleConfiguration(run, snapshot.service, await run.api.service(snapshot.service.name, ctx.signal), ctx);
    return { state: 'succeeded', percent: 100, detail: `ECS finished the deployment${settled}` };
  }
  if (!STOPPABLE.has(status)) return { state: 'failed', reason: `ECS service deployment ${status}${record.statusReason ? `: ${record.statusReason}` : ''}` };
  const percent = await percentOf(run, snapshot, record, ctx);
  const shifted = AFTER_SHIFT.has(record.lifecycleStage ?? '') ? 'all production traffic' : `${percent}% of production traffic`;
  return { state: 'inProgress', percent, detail: `ECS stage ${record.lifecycleStage ?? 'starting'}, ${shifted} on ${shortTaskDefinition(snapshot.targetTaskDefinition)}` };
}

/**
 * Before the shift 0, during it the green share of the production rule. 100 only once ECS has finished (bake and
 * clean-up included): the last capacity step waits for that, so the rollout never ends while ECS still works.
 */
async function percentOf(run: Runner, snapshot: NativeSnapshot, record: ServiceDeployment, ctx: ProviderContext): Promise<number> {
  const stage = record.lifecycleStage ?? '';
  if (AFTER_SHIFT.has(stage)) return 99;
  if (stage !== 'PRODUCTION_TRAFFIC_SHIFT') return 0;
  return Math.min(99, (await greenShare(run.elb, snapshot.production, ctx.signal)) ?? 0);
}

/**
 * StopServiceDeployment ROLLBACK while ECS still runs it; once it has finished (SUCCESSFUL), a blue/green
 * deployment of the captured task definition without bake moves everything back at once. Then the captured
 * deployment configuration is written back and the production rules must send all traffic to blue again.
 */
export async function rollbackNative(run: Runner, snapshot: NativeSnapshot, handleJson: Json | undefined, ctx: ProviderContext): Promise<void> {
  if (await nothingOfOurs(run, snapshot, handleJson, ctx)) return;
  const captured = snapshot.service;
  const handle = parseHandle(handleJson ?? null, 'native', run.label);
  const service = await run.api.service(captured.name, ctx.signal);
  const arn = handle?.serviceDeploymentArn ?? (ourDeployment(service, snapshot)?.id === primaryOf(service)?.id ? service.currentServiceDeployment : undefined);
  if (arn) await stopAndWait(run, arn, ctx);
  if ((await run.api.service(captured.name, ctx.signal)).taskDefinition !== captured.taskDefinition) await switchBack(run, snapshot, ctx);
  // The configuration goes back only once no deployment runs under it any more.
  const settled = async (): Promise<string | undefined> => {
    const now = await run.api.service(captured.name, ctx.signal);
    return isSteady(now) ? undefined : describeDeployments(now);
  };
  await waitUntil(`${run.label}: service ${captured.name} steady on ${shortTaskDefinition(captured.taskDefinition)}`, settled, ctx, run.policy.wait);
  const blueServes = async (): Promise<string | undefined> => {
    for (const rule of snapshot.production) {
      const share = shareOf(await run.elb.read({ resource: rule.resource, arn: rule.arn }, ctx.signal), rule.blue);
      if (share !== 100) return `production ${rule.resource} ${rule.arn} sends ${share ?? 0}% to the captured group`;
    }
    return undefined;
  };
  await restoreService(run, captured, { taskDefinition: true, deploymentConfiguration: true, desiredCount: false }, ctx, { ours: [snapshot.targetTaskDefinition], alsoWait: blueServes });
}

async function stopAndWait(run: Runner, arn: string, ctx: ProviderContext): Promise<void> {
  const record = await run.api.serviceDeployment(arn, ctx.signal);
  if (record && STOPPABLE.has(record.status ?? '')) await run.api.stopWithRollback(arn, ctx.signal);
  const finished = async (): Promise<string | undefined> => {
    const now = await run.api.serviceDeployment(arn, ctx.signal);
    return now && ONGOING.has(now.status ?? '') ? `ECS service deployment ${now.status} (${now.lifecycleStage ?? 'no stage'})` : undefined;
  };
  await waitUntil(`${run.label}: ECS rolling the service deployment back`, finished, ctx, run.policy.wait);
}

async function switchBack(run: Runner, snapshot: NativeSnapshot, ctx: ProviderContext): Promise<void> {
  const captured = snapshot.service;
  const back = { ...snapshot.send, strategy: 'BLUE_GREEN' as const, bakeTimeInMinutes: 0 };
  await writeConfirmed(
    `${run.label}: UpdateService back to ${shortTaskDefinition(captured.taskDefinition)}`,
    async () => void (await run.api.update(captured.name, { taskDefinition: captured.taskDefinition, deploymentConfiguration: back }, ctx.signal)),
    async () => ((await run.api.service(captured.name, ctx.signal)).taskDefinition === captured.taskDefinition ? undefined : 'task definition not back yet'),
    ctx,
    run.policy.write,
  );
}
