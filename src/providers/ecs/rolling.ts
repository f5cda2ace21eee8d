import type { Deployment, Service } from '@aws-sdk/client-ecs';
import { DeployError } from '../../errors.js';
import type { CapacityStatus, Json, ProviderContext } from '../types.js';
import { configDifferences, describeDeployments, primaryOf, runningPercent } from './live.js';
import { restoreService } from './restore.js';
import { notVisibleYet, parseHandle, progressOrStall, readForStatus, warn, type Runner } from './runner.js';
import type { CapturedService, NativeSnapshot, RollingSnapshot } from './snapshot.js';
import { shortTaskDefinition } from './target.js';
import { writeConfirmed } from './waits.js';

/**
 * Rolling and big-bang: one UpdateService to the new task definition with the deployment configuration fixed at
 * capture, then ECS replaces the tasks while the gates watch. The new task definition identifies our deployment,
 * so a process that crashed before it saved the handle adopts the deployment instead of starting a second one.
 */

type OneService = RollingSnapshot | NativeSnapshot;

/** A deployment of the new task definition started after capture: ours (or the same change by someone else). */
export function ourDeployment(service: Service, snapshot: OneService): Deployment | undefined {
  const captured = snapshot.service;
  if (captured.taskDefinition === snapshot.targetTaskDefinition) return service.deployments?.find((d) => d.id === captured.primaryDeploymentId);
  return service.deployments?.find((d) => d.taskDefinition === snapshot.targetTaskDefinition && d.id !== captured.primaryDeploymentId);
}

/** Before the first write the service must still be as captured: anything else is someone else's change. */
export function assertAsCaptured(run: Runner, service: Service, snapshot: OneService): void {
  const captured = snapshot.service;
  const primary = primaryOf(service);
  const changes: string[] = [];
  if (primary?.id !== captured.primaryDeploymentId) changes.push(`a deployment started since capture: ${describeDeployments(service)}${primary?.rolloutStateReason ? ` (${primary.rolloutStateReason})` : ''}`);
  if (service.taskDefinition !== captured.taskDefinition) changes.push(`task definition ${shortTaskDefinition(captured.taskDefinition)} → ${shortTaskDefinition(service.taskDefinition ?? '?')}`);
  changes.push(...configDifferences(captured.deploymentConfiguration, service.deploymentConfiguration));
  if (changes.length > 0) throw new DeployError('DRIFT', `${run.label}: service ${captured.name} was changed by someone else: ${changes.join('; ')}`);
}

export async function startRolling(run: Runner, snapshot: RollingSnapshot, handle: Json | undefined, ctx: ProviderContext): Promise<Json> {
  const existing = parseHandle(handle, 'rolling', run.label);
  if (existing) return existing;
  const name = snapshot.service.name;
  const service = await run.api.service(name, ctx.signal);
  const adopted = ourDeployment(service, snapshot);
  if (adopted?.id) return { mode: 'rolling', deploymentId: adopted.id };
  assertAsCaptured(run, service, snapshot);
  let started: string | undefined;
  await writeConfirmed(
    `${run.label}: UpdateService to ${shortTaskDefinition(snapshot.targetTaskDefinition)}`,
    async () => void (await run.api.update(name, { taskDefinition: snapshot.targetTaskDefinition, deploymentConfiguration: snapshot.send }, ctx.signal)),
    async () => {
      started = ourDeployment(await run.api.service(name, ctx.signal), snapshot)?.id;
      return started ? undefined : `no deployment of ${shortTaskDefinition(snapshot.targetTaskDefinition)} yet`;
    },
    ctx,
    run.policy.write,
  );
  return { mode: 'rolling', deploymentId: started! };
}

export async function rollingStatus(run: Runner, snapshot: OneService, deploymentId: string, ctx: ProviderContext): Promise<CapacityStatus> {
  const read = await readForStatus(run, deploymentId, snapshot.service.name, ctx);
  if ('status' in read) return read.status;
  const { service } = read;
  const ours = service.deployments?.find((d) => d.id === deploymentId);
  const primary = primaryOf(service);
  if (!ours && primary?.id === snapshot.service.primaryDeploymentId && snapshot.service.taskDefinition !== snapshot.targetTaskDefinition) {
    // ECS never makes the deployment from before the rollout PRIMARY again (a rollback is a new deployment): a stale read.
    return notVisibleYet(run, deploymentId, `the service still shows the deployment from before the rollout (${describeDeployments(service)})`);
  }
  run.watch.readSucceeded(deploymentId);
  if (!ours || ours.status !== 'PRIMARY') return replaced(run, service, snapshot, ours);
  if (ours.rolloutState === 'FAILED') return { state: 'failed', reason: `ECS failed the deployment: ${ours.rolloutStateReason ?? 'no reason given'}` };
  const completed = (ours.rolloutState ?? (service.deployments?.length === 1 ? 'COMPLETED' : 'IN_PROGRESS')) === 'COMPLETED';
  const percent = runningPercent(ours, service.desiredCount ?? 0, completed);
  if (completed) {
    const settled = await settleConfiguration(run, snapshot.service, service, ctx);
    return { state: 'succeeded', percent, detail: `${service.runningCount ?? 0} of ${service.desiredCount ?? 0} tasks on ${shortTaskDefinition(primary?.taskDefinition ?? '?')}${settled}` };
  }
  const detail = describeDeployments(service);
  return progressOrStall(run, deploymentId, { state: 'inProgress', percent, detail }, ctx, `${detail}; latest event: ${service.events?.[0]?.message ?? 'none'}`);
}

/**
 * Once ECS has finished, the service gets its own deployment configuration back (the rollout's surge or native
 * strategy was for this deployment only); only the configuration is sent, which starts no deployment.
 */
export async function settleConfiguration(run: Runner, captured: CapturedService, service: Service, ctx: ProviderContext): Promise<string> {
  if (configDifferences(captured.deploymentConfiguration, service.deploymentConfiguration).length === 0) return '';
  await writeConfirmed(
    `${run.label}: restoring the deployment configuration of service ${captured.name}`,
    async () => void (await run.api.update(captured.name, { deploymentConfiguration: captured.deploymentConfiguration }, ctx.signal)),
    async () => configDifferences(captured.deploymentConfiguration, (await run.api.service(captured.name, ctx.signal)).deploymentConfiguration).join('; ') || undefined,
    ctx,
    run.policy.write,
  );
  return '; deployment configuration back as captured';
}

/** Our deployment is no longer the PRIMARY one: ECS rolled it back, or someone else deployed over it. */
function replaced(run: Runner, service: Service, snapshot: OneService, ours: Deployment | undefined): CapacityStatus {
  const primary = primaryOf(service);
  const now = describeDeployments(service);
  if (ours?.rolloutState === 'FAILED') return { state: 'failed', reason: `ECS failed the deployment: ${ours.rolloutStateReason ?? 'no reason given'}; ECS is rolling back: ${now}` };
  if (primary?.taskDefinition === snapshot.service.taskDefinition) {
    return { state: 'failed', reason: `the deployment was rolled back to ${shortTaskDefinition(snapshot.service.taskDefinition)}: ${now}${primary.rolloutStateReason ? ` (${primary.rolloutStateReason})` : ''}` };
  }
  throw new DeployError('DRIFT', `${run.label}: someone else started a deployment over ours: ${now}`);
}

/** Back to the captured task definition and deployment configuration, then steady there. */
export async function rollbackRolling(run: Runner, snapshot: RollingSnapshot, handle: Json | undefined, ctx: ProviderContext): Promise<void> {
  if (await nothingOfOurs(run, snapshot, handle, ctx)) return;
  await restoreService(run, snapshot.service, { taskDefinition: true, deploymentConfiguration: true, desiredCount: false }, ctx, { ours: [snapshot.targetTaskDefinition] });
}

/**
 * Without a handle the rollout may never have written (start refused: someone else changed the service after
 * capture). Then the service carries no trace of ours — no deployment of the new task definition, not our
 * deployment configuration — and a rollback must not revert someone else's change: it is left, and said.
 */
export async function nothingOfOurs(run: Runner, snapshot: OneService, handle: Json | undefined, ctx: ProviderContext): Promise<boolean> {
  if (handle !== undefined && handle !== null) return false;
  const live = await run.api.service(snapshot.service.name, ctx.signal);
  const ourConfig = configDifferences(snapshot.service.deploymentConfiguration, snapshot.send).length > 0 && configDifferences(snapshot.send, live.deploymentConfiguration).length === 0;
  if (ourDeployment(live, snapshot) || ourConfig) return false;
  const changes = [
    ...(live.taskDefinition !== snapshot.service.taskDefinition ? [`task definition ${shortTaskDefinition(snapshot.service.taskDefinition)} → ${shortTaskDefinition(live.taskDefinition ?? '?')}`] : []),
    ...configDifferences(snapshot.service.deploymentConfiguration, live.deploymentConfiguration),
  ];
  if (changes.length > 0) warn(ctx, `${run.label}: deployctl wrote nothing to service ${snapshot.service.name}; the changes found were made by someone else and are left as they are: ${changes.join('; ')}`);
  return true;
}

/** Stops our deployment if it still runs (ECS rolls it back to the previous service revision). */
export async function cancelDeployment(run: Runner, snapshot: OneService, deploymentId: string, ctx: ProviderContext): Promise<void> {
  const service = await run.api.service(snapshot.service.name, ctx.signal);
  const ours = service.deployments?.find((d) => d.id === deploymentId);
  if (!ours || ours.status !== 'PRIMARY' || ours.rolloutState !== 'IN_PROGRESS' || !service.currentServiceDeployment) return;
  await run.api.stopWithRollback(service.currentServiceDeployment, ctx.signal);
}
