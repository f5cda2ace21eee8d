import { alarmsEnabled, isNativeStrategy } from './config.js';
import { finishServiceDeployment, serviceDeploymentOf } from './deployments.js';
import { addEvent, messages } from './events.js';
import { checkAlarms, checkCircuitBreaker, countFailure, countHealthy, primaryAtSteadyState } from './monitors.js';
import { advanceNative, nativeNextAt } from './native.js';
import { scale } from './scaling.js';
import {
  deploymentTargetGroups,
  flushBatch,
  newBatch,
  progressDraining,
  pruneStoppedTasks,
  registerTask,
  serviceTasks,
  stepTask,
  stopTask,
  targetHealth,
  usesLoadBalancer,
  type Batch,
} from './taskLifecycle.js';
import { serviceKey, trafficKey, type EcsContext, type ServiceRecord, type TaskRecord } from './state.js';
import { requestedStop } from './stop.js';

/**
 * The service scheduler, driven by the world's time: task lifecycle steps fall due at exact times, and each
 * service that is not steady is looked at every TICK_MS (health of targets, failure detection, starting and
 * stopping tasks, completing deployments). A steady service schedules nothing.
 */

export const TICK_MS = 5_000;

export function nextEventAt(ctx: EcsContext): number | undefined {
  let next: number | undefined;
  const consider = (at: number | undefined): void => {
    if (at !== undefined && (next === undefined || at < next)) next = at;
  };
  for (const task of Object.values(ctx.state.tasks)) consider(task.nextAt);
  for (const service of Object.values(ctx.state.services)) {
    consider(service.tickAt);
    consider(nativeNextAt(service));
  }
  return next;
}

export function advance(ctx: EcsContext): void {
  const touched = new Set<ServiceRecord>();
  for (const task of Object.values(ctx.state.tasks)) {
    if (task.nextAt === undefined || task.nextAt > ctx.now) continue;
    const service = ctx.state.services[serviceKey(task.cluster, task.service)];
    if (!service) {
      delete task.nextAt;
      continue;
    }
    stepTask(ctx, service, task);
    touched.add(service);
  }
  for (const service of Object.values(ctx.state.services)) {
    const due = (service.tickAt !== undefined && service.tickAt <= ctx.now) || (nativeNextAt(service) ?? Infinity) <= ctx.now;
    if (due || touched.has(service)) reconcile(ctx, service);
  }
  pruneStoppedTasks(ctx);
}

/** One pass of the scheduler over a service. */
export function reconcile(ctx: EcsContext, service: ServiceRecord): void {
  const health = newBatch();
  progressDraining(ctx, service);
  assessHealth(ctx, service, health);
  flushBatch(ctx, service, health);
  const batch = newBatch();
  requestedStop(ctx, service);
  checkCircuitBreaker(ctx, service);
  checkAlarms(ctx, service);
  advanceNative(ctx, service);
  scale(ctx, service, batch);
  flushBatch(ctx, service, batch);
  progress(ctx, service);
  finishDraining(ctx, service);
  service.tickAt = needsTick(ctx, service) ? Math.min(ctx.now + TICK_MS, service.stopRequested?.at ?? Infinity) : undefined;
}

/** RUNNING tasks: register with the load balancer, then judge health; failing tasks are stopped and counted. */
function assessHealth(ctx: EcsContext, service: ServiceRecord, batch: Batch): void {
  const lb = usesLoadBalancer(ctx, service);
  for (const task of serviceTasks(ctx, service)) {
    if (task.desiredStatus !== 'RUNNING' || task.lastStatus !== 'RUNNING') continue;
    const deployment = service.deployments.find((d) => d.id === task.deploymentId);
    if (!lb) {
      if (task.health === 'UNHEALTHY') failTask(ctx, service, task, batch, messages.containerUnhealthy(task), 'Task failed container health checks');
      else if (task.health === 'HEALTHY' && task.healthyAt === ctx.now) countHealthy(service, deployment);
      continue;
    }
    if (task.targetGroups.length === 0) registerTask(ctx, task, deploymentTargetGroups(service, deployment), batch);
    judgeTarget(ctx, service, task, batch);
  }
}

function judgeTarget(ctx: EcsContext, service: ServiceRecord, task: TaskRecord, batch: Batch): void {
  const deployment = service.deployments.find((d) => d.id === task.deploymentId);
  const health = targetHealth(ctx, task);
  const graceOver = ctx.now >= (task.runningAt ?? 0) + (service.healthCheckGracePeriodSeconds ?? 0) * 1000;
  if (health === 'missing') {
    task.targetGroups = [];
    registerTask(ctx, task, deploymentTargetGroups(service, deployment), batch);
  } else if (health === 'unhealthy' && graceOver) {
    const group = task.targetGroups[0] ?? '';
    failTask(ctx, service, task, batch, messages.targetUnhealthy(task, group), `Task failed ELB health checks in (target-group ${group})`);
  } else if (health === 'healthy' && task.health !== 'HEALTHY') {
    task.health = 'HEALTHY';
    task.healthyAt = ctx.now;
    countHealthy(service, deployment);
    ctx.touch(trafficKey(service.cluster, service.name));
  }
}

function failTask(ctx: EcsContext, service: ServiceRecord, task: TaskRecord, batch: Batch, event: string, reason: string): void {
  task.health = 'UNHEALTHY';
  addEvent(ctx, service, event);
  stopTask(ctx, service, task, { code: 'ServiceSchedulerInitiated', reason }, batch);
  countFailure(ctx, service.deployments.find((d) => d.id === task.deploymentId));
}

/** Completes the PRIMARY deployment at steady state (after the alarm bake), reports steady state. */
function progress(ctx: EcsContext, service: ServiceRecord): void {
  const primary = service.deployments[0];
  if (!primary || service.status !== 'ACTIVE') return;
  const steady = primaryAtSteadyState(ctx, service) && service.native?.deploymentId === undefined;
  if (primary.rolloutState === 'IN_PROGRESS') {
    if (!steady) {
      delete primary.bakeUntil;
      return;
    }
    // Native strategies bake in their own BAKE_TIME stage.
    if (alarmsEnabled(service.deploymentConfiguration) && !isNativeStrategy(service.deploymentConfiguration)) {
      primary.bakeUntil ??= ctx.now + ctx.state.settings.alarmBakeSeconds * 1000;
      if (ctx.now < primary.bakeUntil) return;
    }
    completeDeployment(ctx, service);
  }
  if (steady && !service.steady && primary.rolloutState === 'COMPLETED') {
    service.steady = true;
    addEvent(ctx, service, messages.steady());
  } else if (!steady) {
    service.steady = false;
  }
}

export function completeDeployment(ctx: EcsContext, service: ServiceRecord): void {
  const primary = service.deployments[0]!;
  primary.rolloutState = 'COMPLETED';
  primary.rolloutStateReason = `ECS deployment ${primary.id} completed.`;
  primary.updatedAt = ctx.now;
  delete primary.bakeUntil;
  service.deployments = [primary];
  service.lastCompleted = { deploymentId: primary.id, taskDefinitionArn: primary.taskDefinitionArn, revisionArn: primary.revisionArn };
  addEvent(ctx, service, messages.completed(primary.id));
  const record = serviceDeploymentOf(ctx, primary);
  if (record && (record.status === 'IN_PROGRESS' || record.status === 'ROLLBACK_IN_PROGRESS')) {
    finishServiceDeployment(ctx, record, record.status === 'ROLLBACK_IN_PROGRESS' ? 'ROLLBACK_SUCCESSFUL' : 'SUCCESSFUL');
  }
}

/**
 * ACTIVE deployments leave `deployments[]` once their tasks are gone, except while a deployment with alarms is
 * still in progress (ECS keeps the old deployment until the bake ends). A deleted service becomes INACTIVE.
 */
function finishDraining(ctx: EcsContext, service: ServiceRecord): void {
  const tasks = serviceTasks(ctx, service);
  const primary = service.deployments[0];
  const keepDrained = primary?.rolloutState === 'IN_PROGRESS' && alarmsEnabled(service.deploymentConfiguration);
  if (!keepDrained) service.deployments = service.deployments.filter((d, i) => i === 0 || tasks.some((t) => t.deploymentId === d.id));
  if (service.status === 'DRAINING' && tasks.length === 0) {
    service.status = 'INACTIVE';
    service.deployments = [];
  }
}

function needsTick(ctx: EcsContext, service: ServiceRecord): boolean {
  if (service.status === 'INACTIVE') return false;
  const tasks = serviceTasks(ctx, service);
  const primary = service.deployments[0];
  if (service.status === 'DRAINING') return tasks.length > 0;
  if (primary?.rolloutState === 'IN_PROGRESS' || service.stopRequested) return true;
  if (service.deployments.length > 1 && primary?.rolloutState !== 'FAILED') return true;
  if (tasks.some((t) => t.lastStatus === 'DEACTIVATING' || (t.desiredStatus === 'RUNNING' && t.health !== 'HEALTHY'))) return true;
  const live = tasks.filter((t) => t.desiredStatus === 'RUNNING');
  return primary?.rolloutState !== 'FAILED' && live.length !== service.desiredCount;
}
