import type { DeploymentConfiguration } from '@aws-sdk/client-ecs';
import { SimServiceError } from '../../protocol/index.js';
import { isNativeStrategy } from './config.js';
import { alarmsInAlarm, serviceDeploymentOf } from './deployments.js';
import { addEvent } from './events.js';
import { isServing, launchTask, liveTasks, serviceTasks, stopTask, type Batch } from './taskLifecycle.js';
import type { DeploymentRecord, EcsContext, NativeShiftState, ServiceRecord } from './state.js';

/**
 * ECS-native BLUE_GREEN, LINEAR and CANARY (ECS developer guide "Amazon ECS blue/green deployments", API reference
 * DeploymentConfiguration / LinearConfiguration / CanaryConfiguration; facts §2.3): a new deployment (green) starts
 * its full desired count in the target group that is not serving production (each load balancer's
 * targetGroupArn / advancedConfiguration.alternateTargetGroupArn pair alternates), leaving the running tasks
 * (blue) alone. Once every green task is healthy, ECS itself rewrites the forward weights of the production
 * listener rule (and points the test listener rule at green): BLUE_GREEN 100% at once; CANARY canaryPercent
 * (default 5), canaryBakeTimeInMinutes (default 10), then 100%; LINEAR stepPercent (default 10) every
 * stepBakeTimeInMinutes (default 6) up to 100%. Then BAKE_TIME (bakeTimeInMinutes; 0 when not given for LINEAR and
 * CANARY), then CLEAN_UP stops the blue tasks and green becomes blue. On failure with rollback, production goes
 * back to blue and the blue deployment becomes PRIMARY again (InfoQ, "Amazon ECS Adds Automated Rollbacks": "The
 * active deployment is promoted back to being the primary deployment"); the green tasks are stopped.
 * The first deployment of a service has nothing to shift from and runs like a rolling one. Weights are written
 * in tenths of a percent (e.g. 950/50 for 5%), 100/0 at the ends (UNVERIFIED: the weights ECS itself writes).
 */

const MINUTE = 60_000;

/** The next traffic step or end of bake, while the shifting deployment is still in progress. */
export function nativeNextAt(service: ServiceRecord): number | undefined {
  const primary = service.deployments[0];
  const shifting = primary !== undefined && primary.id === service.native?.deploymentId && primary.rolloutState === 'IN_PROGRESS';
  return shifting ? service.native?.nextAt : undefined;
}

/** Traffic steps of the strategy, in percent of production on green. */
function steps(config: DeploymentConfiguration): number[] {
  if (config.strategy === 'CANARY') return [config.canaryConfiguration?.canaryPercent ?? 5, 100];
  if (config.strategy !== 'LINEAR') return [100];
  const step = config.linearConfiguration?.stepPercent ?? 10;
  const list: number[] = [];
  for (let i = 1; i * step < 100 - 1e-9; i++) list.push(Math.round(i * step * 10) / 10);
  return [...list, 100];
}

function stepBakeMs(config: DeploymentConfiguration): number {
  if (config.strategy === 'CANARY') return (config.canaryConfiguration?.canaryBakeTimeInMinutes ?? 10) * MINUTE;
  if (config.strategy === 'LINEAR') return (config.linearConfiguration?.stepBakeTimeInMinutes ?? 6) * MINUTE;
  return 0;
}

function shiftOf(service: ServiceRecord): NativeShiftState {
  return (service.native ??= { blue: service.loadBalancers.map((lb) => lb.targetGroupArn ?? ''), greenPercent: 0 });
}

/** Per load balancer: the target group of the pair that does not serve production. */
function greenGroups(service: ServiceRecord, shift: NativeShiftState): string[] {
  return service.loadBalancers.map((lb, i) => (shift.blue[i] === lb.targetGroupArn ? (lb.advancedConfiguration?.alternateTargetGroupArn ?? '') : (lb.targetGroupArn ?? '')));
}

/** Moves a native deployment through its stages (called on every scheduler pass, before scaling). */
export function advanceNative(ctx: EcsContext, service: ServiceRecord): void {
  const primary = service.deployments[0];
  if (!primary || primary.rolloutState !== 'IN_PROGRESS') return;
  const shift = shiftOf(service);
  if (primary.native === undefined) begin(ctx, service, primary, shift);
  if (primary.native !== 'shifting' || shift.deploymentId !== primary.id) return;
  switch (shift.stage) {
    case 'SCALE_UP':
      if (greenReady(ctx, service, primary)) {
        writeTestRules(ctx, service, primary.targetGroups ?? []);
        nextStep(ctx, service, shift);
      }
      return;
    case 'PRODUCTION_TRAFFIC_SHIFT':
      if (shift.nextAt !== undefined && ctx.now >= shift.nextAt) nextStep(ctx, service, shift);
      return;
    case 'BAKE_TIME':
      if (ctx.now >= (shift.nextAt ?? 0)) setStage(ctx, service, shift, 'CLEAN_UP');
      return;
    default:
      if (serviceTasks(ctx, service).every((t) => t.deploymentId === primary.id)) finishShift(service, primary, shift);
  }
}

function begin(ctx: EcsContext, service: ServiceRecord, primary: DeploymentRecord, shift: NativeShiftState): void {
  const running = liveTasks(ctx, service).some((t) => t.deploymentId !== primary.id);
  if (!running || !isNativeStrategy(service.deploymentConfiguration)) {
    primary.native = 'done';
    return;
  }
  primary.native = 'shifting';
  primary.targetGroups = greenGroups(service, shift);
  shift.deploymentId = primary.id;
  writeProduction(ctx, service, shift, primary.targetGroups, 0);
  setStage(ctx, service, shift, 'SCALE_UP');
}

function greenReady(ctx: EcsContext, service: ServiceRecord, primary: DeploymentRecord): boolean {
  const green = liveTasks(ctx, service).filter((t) => t.deploymentId === primary.id);
  return green.length === service.desiredCount && green.every(isServing);
}

function nextStep(ctx: EcsContext, service: ServiceRecord, shift: NativeShiftState): void {
  const config = service.deploymentConfiguration;
  const next = steps(config).find((p) => p > shift.greenPercent + 1e-9) ?? 100;
  const primary = service.deployments[0]!;
  setStage(ctx, service, shift, 'PRODUCTION_TRAFFIC_SHIFT');
  writeProduction(ctx, service, shift, primary.targetGroups ?? [], next);
  if (next < 100) {
    shift.nextAt = ctx.now + stepBakeMs(config);
    return;
  }
  setStage(ctx, service, shift, 'BAKE_TIME');
  shift.nextAt = ctx.now + (config.bakeTimeInMinutes ?? 0) * MINUTE;
}

function setStage(ctx: EcsContext, service: ServiceRecord, shift: NativeShiftState, stage: NonNullable<NativeShiftState['stage']>): void {
  shift.stage = stage;
  delete shift.nextAt;
  const primary = service.deployments[0];
  const record = primary ? serviceDeploymentOf(ctx, primary) : undefined;
  if (record) {
    record.lifecycleStage = stage;
    record.updatedAt = ctx.now;
  }
}

function finishShift(service: ServiceRecord, primary: DeploymentRecord, shift: NativeShiftState): void {
  shift.blue = [...(primary.targetGroups ?? shift.blue)];
  primary.native = 'done';
  delete shift.deploymentId;
  delete shift.stage;
  delete shift.nextAt;
}

/** Scaling during a shift: green starts its full count at once, blue stays until CLEAN_UP. */
export function nativeScale(ctx: EcsContext, service: ServiceRecord, batch: Batch): boolean {
  const primary = service.deployments[0];
  if (!primary || primary.native !== 'shifting') return false;
  if (primary.rolloutState === 'FAILED') return true;
  const live = liveTasks(ctx, service);
  if (service.native?.stage === 'CLEAN_UP') {
    for (const task of live.filter((t) => t.deploymentId !== primary.id)) stopTask(ctx, service, task, { code: 'ServiceSchedulerInitiated', reason: `Scaling activity initiated by (deployment ${primary.id})` }, batch);
  }
  const need = service.desiredCount - live.filter((t) => t.deploymentId === primary.id).length;
  for (let i = 0; i < need; i++) launchTask(ctx, service, primary, batch);
  return true;
}

/** The deployment serving production (blue) while `failed` was shifting to green. */
export function blueDeployment(ctx: EcsContext, service: ServiceRecord, failed: DeploymentRecord): DeploymentRecord | undefined {
  if (failed.native !== 'shifting') return undefined;
  const live = liveTasks(ctx, service);
  return service.deployments.find((d) => d !== failed && live.some((t) => t.deploymentId === d.id));
}

/** Rolls a failed shift back: production to blue, blue's deployment PRIMARY again (inside the failed service deployment). */
export function rollBackShift(ctx: EcsContext, service: ServiceRecord, failed: DeploymentRecord, blue: DeploymentRecord, reason: string): void {
  const shift = shiftOf(service);
  writeProduction(ctx, service, shift, failed.targetGroups ?? [], 0);
  writeTestRules(ctx, service, shift.blue);
  delete shift.deploymentId;
  delete shift.stage;
  delete shift.nextAt;
  service.deployments = [blue, ...service.deployments.filter((d) => d !== blue)];
  for (const d of service.deployments) d.status = d === blue ? 'PRIMARY' : 'ACTIVE';
  // Like any new deployment, the rollback ignores alarms already in ALARM (the one that failed green).
  Object.assign(blue, { rolloutState: 'IN_PROGRESS', rolloutStateReason: reason, updatedAt: ctx.now, failedTasks: 0, native: 'done', serviceDeploymentArn: failed.serviceDeploymentArn, ignoredAlarms: alarmsInAlarm(ctx, service) });
  serviceDeploymentOf(ctx, failed)?.deploymentIds.push(blue.id);
  service.taskDefinitionArn = blue.taskDefinitionArn;
  service.steady = false;
  service.tickAt = ctx.now;
}

/** Forward weights blue/green in tenths of a percent. */
function weights(percent: number): [number, number] {
  if (percent <= 0) return [100, 0];
  if (percent >= 100) return [0, 100];
  const green = Math.round(percent * 10);
  return [1000 - green, green];
}

function writeProduction(ctx: EcsContext, service: ServiceRecord, shift: NativeShiftState, green: readonly string[], percent: number): void {
  shift.greenPercent = percent;
  const [blueWeight, greenWeight] = weights(percent);
  service.loadBalancers.forEach((lb, i) => {
    const rule = lb.advancedConfiguration?.productionListenerRule;
    if (rule && shift.blue[i] && green[i]) writeForward(ctx, service, rule, [[shift.blue[i]!, blueWeight], [green[i]!, greenWeight]]);
  });
}

/** Test traffic goes all to the given target groups (green while testing, blue after a rollback). */
function writeTestRules(ctx: EcsContext, service: ServiceRecord, to: readonly string[]): void {
  service.loadBalancers.forEach((lb, i) => {
    const rule = lb.advancedConfiguration?.testListenerRule;
    const other = to[i] === lb.targetGroupArn ? lb.advancedConfiguration?.alternateTargetGroupArn : lb.targetGroupArn;
    if (rule && to[i] && other) writeForward(ctx, service, rule, [[other, 0], [to[i]!, 100]]);
  });
}

function writeForward(ctx: EcsContext, service: ServiceRecord, arn: string, groups: readonly [string, number][]): void {
  if (!ctx.world.hasService('elbv2')) return;
  const action = { Type: 'forward', ForwardConfig: { TargetGroups: groups.map(([TargetGroupArn, Weight]) => ({ TargetGroupArn, Weight })) } };
  try {
    if (arn.includes(':listener-rule/')) ctx.world.invoke('elbv2', 'ModifyRule', { RuleArn: arn, Actions: [action] });
    else ctx.world.invoke('elbv2', 'ModifyListener', { ListenerArn: arn, DefaultActions: [action] });
  } catch (error) {
    if (!(error instanceof SimServiceError)) throw error;
    addEvent(ctx, service, `was unable to update the listener ${arn}: ${error.message}`); // UNVERIFIED wording
  }
}
