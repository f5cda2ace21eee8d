import type { Service } from '@aws-sdk/client-ecs';
import { DeployError } from '../../errors.js';
import type { CapacityStatus, Json, ProviderContext } from '../types.js';
import { describeLive, shareOf, shortGroup } from './elb.js';
import { describeDeployments, isSteady, primaryOf } from './live.js';
import { backAsCaptured, restoreService } from './restore.js';
import { notVisibleYet, parseHandle, progressOrStall, readForStatus, warn, type Runner } from './runner.js';
import type { SplitSnapshot } from './snapshot.js';
import { shortTaskDefinition } from './target.js';
import { waitUntil, writeConfirmed } from './waits.js';

/**
 * Traffic split at the ALB: the second service brings up the new version at the live service's desired count
 * (start), the ALB provider moves the weights, retireOld scales the old side to 0 once no traffic reaches it,
 * restoreOld brings it back (and waits until it is healthy), rollback scales the new side back to its capture.
 * Never scales a side down while the listener still sends it traffic.
 */

export async function startSplit(run: Runner, snapshot: SplitSnapshot, percent: number, handle: Json | undefined, ctx: ProviderContext): Promise<Json> {
  const existing = parseHandle(handle, 'split', run.label);
  if (existing && existing.desiredCount >= Math.ceil((existing.fullCount * percent) / 100)) return existing;
  const [stable, canary] = (await run.api.servicesInOrder([snapshot.stable.name, snapshot.canary.name], ctx.signal)) as [Service, Service];
  const fullCount = existing?.fullCount ?? stable.desiredCount ?? 0;
  const wanted = Math.ceil((fullCount * percent) / 100);
  assertSides(run, snapshot, stable, canary);
  const target = snapshot.targetTaskDefinition;
  if (canary.taskDefinition !== target || (canary.desiredCount ?? 0) < wanted) {
    const update = { ...(canary.taskDefinition !== target ? { taskDefinition: target } : {}), desiredCount: wanted };
    await writeConfirmed(
      `${run.label}: UpdateService ${snapshot.canary.name} to ${shortTaskDefinition(target)} × ${wanted}`,
      async () => void (await run.api.update(snapshot.canary.name, update, ctx.signal)),
      async () => {
        const now = await run.api.service(snapshot.canary.name, ctx.signal);
        return now.taskDefinition === target && (now.desiredCount ?? 0) >= wanted ? undefined : `${shortTaskDefinition(now.taskDefinition ?? '?')} × ${String(now.desiredCount)}`;
      },
      ctx,
      run.policy.write,
    );
  }
  return { mode: 'split', desiredCount: wanted, fullCount };
}

/** The live side runs what was captured; the new side runs the captured or the new task definition. */
function assertSides(run: Runner, snapshot: SplitSnapshot, stable: Service, canary: Service): void {
  if (stable.taskDefinition !== snapshot.stable.taskDefinition) {
    throw new DeployError('DRIFT', `${run.label}: the live service ${snapshot.stable.name} now runs ${shortTaskDefinition(stable.taskDefinition ?? '?')}, captured ${shortTaskDefinition(snapshot.stable.taskDefinition)}`);
  }
  if (canary.taskDefinition !== snapshot.canary.taskDefinition && canary.taskDefinition !== snapshot.targetTaskDefinition) {
    throw new DeployError('DRIFT', `${run.label}: service ${snapshot.canary.name} now runs ${shortTaskDefinition(canary.taskDefinition ?? '?')}, neither the captured ${shortTaskDefinition(snapshot.canary.taskDefinition)} nor ${shortTaskDefinition(snapshot.targetTaskDefinition)}`);
  }
}

/** Percent = healthy targets of the new side in the canary target group / the live side's desired count. */
export async function splitStatus(run: Runner, snapshot: SplitSnapshot, handleJson: Json, ctx: ProviderContext): Promise<CapacityStatus> {
  const handle = parseHandle(handleJson, 'split', run.label);
  if (!handle) throw new DeployError('INTERNAL', `${run.label}: no deployment handle to follow`);
  const key = `split:${snapshot.canary.name}`;
  const read = await readForStatus(run, key, snapshot.canary.name, ctx);
  if ('status' in read) return read.status;
  const { service } = read;
  const primary = primaryOf(service);
  if (service.taskDefinition !== snapshot.targetTaskDefinition) return notOnTarget(run, snapshot, service, key);
  run.watch.readSucceeded(key);
  if (primary?.rolloutState === 'FAILED') return { state: 'failed', reason: `ECS failed the deployment of service ${snapshot.canary.name}: ${primary.rolloutStateReason ?? 'no reason given'}` };
  const healthy = await run.elb.healthyTargets(snapshot.roles.canary, ctx.signal);
  const up = Math.min(healthy, handle.desiredCount);
  const percent = handle.fullCount > 0 ? (up * 100) / handle.fullCount : 100;
  const detail = `${healthy} healthy in ${shortGroup(snapshot.roles.canary)}; ${describeDeployments(service)}`;
  if (isSteady(service) && healthy >= handle.desiredCount) return { state: handle.desiredCount >= handle.fullCount ? 'succeeded' : 'inProgress', percent, detail };
  return progressOrStall(run, key, { state: 'inProgress', percent, detail }, ctx, `${detail}; latest event: ${service.events?.[0]?.message ?? 'none'}`);
}

/** The new side is not on the new task definition: a stale read, ECS's own rollback, or someone else's change. */
function notOnTarget(run: Runner, snapshot: SplitSnapshot, service: Service, key: string): CapacityStatus {
  const name = snapshot.canary.name;
  const now = describeDeployments(service);
  // ECS never makes the deployment from before the rollout PRIMARY again (a rollback is a new deployment): a stale read.
  if (primaryOf(service)?.id === snapshot.canary.primaryDeploymentId) return notVisibleYet(run, key, `service ${name} still shows the deployment from before the rollout (${now})`);
  const ours = service.deployments?.find((d) => d.taskDefinition === snapshot.targetTaskDefinition);
  if (ours?.rolloutState === 'FAILED') return { state: 'failed', reason: `ECS failed the deployment of service ${name}: ${ours.rolloutStateReason ?? 'no reason given'}; ECS is rolling back: ${now}` };
  if (service.taskDefinition === snapshot.canary.taskDefinition) return { state: 'failed', reason: `service ${name} was rolled back to ${shortTaskDefinition(snapshot.canary.taskDefinition)}: ${now}` };
  throw new DeployError('DRIFT', `${run.label}: service ${name} now runs ${shortTaskDefinition(service.taskDefinition ?? '?')}, not ${shortTaskDefinition(snapshot.targetTaskDefinition)}: ${now}`);
}

/** A side may be scaled down only when the listener sends it nothing: else its traffic would fail. */
async function assertNoTraffic(run: Runner, snapshot: SplitSnapshot, group: string, service: string, ctx: ProviderContext): Promise<void> {
  const live = await run.elb.read(snapshot.listener, ctx.signal);
  const share = shareOf(live, group);
  if (share === undefined || share > 0) {
    throw new DeployError('DRIFT', `${run.label}: refusing to scale service ${service} down: ${snapshot.listener.resource} ${snapshot.listener.arn} ${describeLive(live)}, so traffic has not left ${shortGroup(group)}`);
  }
}

export async function retireOld(run: Runner, snapshot: SplitSnapshot, ctx: ProviderContext): Promise<void> {
  const name = snapshot.stable.name;
  await assertNoTraffic(run, snapshot, snapshot.roles.stable, name, ctx);
  const stable = await run.api.service(name, ctx.signal);
  if (stable.taskDefinition !== snapshot.stable.taskDefinition) throw new DeployError('DRIFT', `${run.label}: the old service ${name} now runs ${shortTaskDefinition(stable.taskDefinition ?? '?')}, captured ${shortTaskDefinition(snapshot.stable.taskDefinition)}`);
  if (stable.desiredCount === 0) return;
  await writeConfirmed(
    `${run.label}: scaling service ${name} to 0`,
    async () => void (await run.api.update(name, { desiredCount: 0 }, ctx.signal)),
    async () => ((await run.api.service(name, ctx.signal)).desiredCount === 0 ? undefined : 'desiredCount is not 0 yet'),
    ctx,
    run.policy.write,
  );
}

/** The old side back at its captured desired count, waited until its tasks are healthy in its target group. */
export async function restoreOld(run: Runner, snapshot: SplitSnapshot, ctx: ProviderContext): Promise<void> {
  const healthyEnough = async (): Promise<string | undefined> => {
    const healthy = await run.elb.healthyTargets(snapshot.roles.stable, ctx.signal);
    return healthy >= snapshot.stable.desiredCount ? undefined : `${healthy} of ${snapshot.stable.desiredCount} targets healthy in ${shortGroup(snapshot.roles.stable)}`;
  };
  await restoreService(run, snapshot.stable, { taskDefinition: false, deploymentConfiguration: false, desiredCount: true }, ctx, { alsoWait: healthyEnough });
}

/** The new side back to its captured task definition, desired count and configuration; the live side checked. */
export async function rollbackSplit(run: Runner, snapshot: SplitSnapshot, handle: Json | undefined, ctx: ProviderContext): Promise<void> {
  const canary = await run.api.service(snapshot.canary.name, ctx.signal);
  if ((handle === undefined || handle === null) && canary.taskDefinition !== snapshot.targetTaskDefinition) {
    // start never brought the new side up (it refused someone else's change): nothing of ours to scale back.
    if (canary.taskDefinition !== snapshot.canary.taskDefinition || canary.desiredCount !== snapshot.canary.desiredCount) {
      warn(ctx, `${run.label}: deployctl wrote nothing to service ${snapshot.canary.name}; it now runs ${shortTaskDefinition(canary.taskDefinition ?? '?')} × ${String(canary.desiredCount)}, changed by someone else, and is left as it is`);
    }
    return;
  }
  if ((canary.desiredCount ?? 0) > snapshot.canary.desiredCount) await assertNoTraffic(run, snapshot, snapshot.roles.canary, snapshot.canary.name, ctx);
  await restoreService(run, snapshot.canary, { taskDefinition: true, deploymentConfiguration: true, desiredCount: true }, ctx, { ours: [snapshot.targetTaskDefinition] });
  const fields = { taskDefinition: true, deploymentConfiguration: true, desiredCount: false };
  const serving = async (): Promise<string | undefined> => {
    const stable = await run.api.service(snapshot.stable.name, ctx.signal);
    if ((stable.desiredCount ?? 0) === 0 && snapshot.stable.desiredCount > 0) return `desiredCount 0, captured ${snapshot.stable.desiredCount}: nothing serves`;
    return backAsCaptured(stable, snapshot.stable, fields);
  };
  await waitUntil(`${run.label}: the live service ${snapshot.stable.name} as captured`, serving, ctx, run.policy.wait);
  const stable = await run.api.service(snapshot.stable.name, ctx.signal);
  if (stable.desiredCount !== snapshot.stable.desiredCount) {
    warn(ctx, `${run.label}: the live service ${snapshot.stable.name} runs ${String(stable.desiredCount)} tasks, ${snapshot.stable.desiredCount} at capture (left as it is: scaling is not deployctl's)`);
  }
}
