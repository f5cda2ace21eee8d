import { targetRegistry, type TargetHealthState } from '../contracts.js';
import { addEvent, messages } from './events.js';
import { randomHex, taskAddress, taskArn } from './ids.js';
import { taskDefinitionByArn } from './resolve.js';
import { firstContainer } from './taskDefinitions.js';
import { trafficKey, type DeploymentRecord, type EcsContext, type ServiceRecord, type TaskRecord } from './state.js';

/**
 * A task's life (ECS developer guide "Task lifecycle"): PROVISIONING → PENDING → RUNNING once its version has
 * started (AppVersion.startSeconds); stopping goes DEACTIVATING (while its load balancer targets drain, for the
 * target group's deregistration delay) → STOPPING → STOPPED. Health: behind a load balancer a task is healthy
 * when its targets are (the target registry of ELBv2); without one, the scheduler counts it healthy 40 s after
 * RUNNING (API reference, minimumHealthyPercent: "the service scheduler will wait for 40 seconds after a task
 * reaches a RUNNING state"), and a version that fails health checks fails its container health check after
 * 90 s (the container HealthCheck defaults: interval 30 s, retries 3).
 */

const PROVISIONING_MS = 5_000;
const STOPPING_MS = 5_000;
export const NO_LB_HEALTHY_MS = 40_000;
export const CONTAINER_UNHEALTHY_MS = 90_000;
/** How long ECS keeps STOPPED tasks describable (about an hour). */
const STOPPED_RETENTION_MS = 3_600_000;
const HEALTHY_TARGET: ReadonlySet<TargetHealthState | undefined> = new Set(['healthy', 'unused', 'unavailable']);

/** What one pass of the scheduler did, reported as grouped service events like ECS does. */
export interface Batch {
  started: TaskRecord[];
  stopped: TaskRecord[];
  registered: Record<string, number>;
  deregistered: Record<string, number>;
  draining: number;
}

export function newBatch(): Batch {
  return { started: [], stopped: [], registered: {}, deregistered: {}, draining: 0 };
}

export function flushBatch(ctx: EcsContext, service: ServiceRecord, batch: Batch): void {
  for (const [group, count] of Object.entries(batch.registered)) addEvent(ctx, service, messages.registered(count, group));
  if (batch.draining > 0) addEvent(ctx, service, messages.draining(batch.draining));
  for (const [group, count] of Object.entries(batch.deregistered)) addEvent(ctx, service, messages.deregistered(count, group));
  if (batch.stopped.length > 0) addEvent(ctx, service, messages.stopped(batch.stopped));
  if (batch.started.length > 0) addEvent(ctx, service, messages.started(batch.started));
}

export function launchTask(ctx: EcsContext, service: ServiceRecord, deployment: DeploymentRecord, batch: Batch, id = randomHex(ctx, 32)): TaskRecord {
  const definition = taskDefinitionByArn(ctx.state, deployment.taskDefinitionArn);
  const container = definition ? firstContainer(definition) : {};
  const image = container.image ?? '';
  const version = ctx.world.versionOfArtifact(image);
  const startMs = ctx.world.version(version).startSeconds * 1000;
  const live = liveTasks(ctx, service).length;
  const task: TaskRecord = {
    id,
    arn: taskArn(ctx, service.cluster, id),
    cluster: service.cluster,
    service: service.name,
    deploymentId: deployment.id,
    taskDefinitionArn: deployment.taskDefinitionArn,
    containerName: container.name ?? 'app',
    image,
    version,
    lastStatus: 'PROVISIONING',
    desiredStatus: 'RUNNING',
    health: 'UNKNOWN',
    launchType: service.launchType,
    createdAt: ctx.now,
    pendingAt: ctx.now + Math.min(PROVISIONING_MS, startMs / 2),
    runningAt: ctx.now + startMs,
    ip: taskAddress(ctx),
    port: taskPort(service, container.portMappings?.[0]?.containerPort),
    availabilityZone: `${ctx.world.state.region}${'abc'[live % 3]}`,
    targetGroups: [],
  };
  task.nextAt = task.pendingAt;
  ctx.state.tasks[id] = task;
  batch.started.push(task);
  return task;
}

function taskPort(service: ServiceRecord, mapped: number | undefined): number {
  return service.loadBalancers[0]?.containerPort ?? mapped ?? 80;
}

/** Tasks of a service ECS still wants running (PROVISIONING, PENDING or RUNNING). */
export function liveTasks(ctx: EcsContext, service: ServiceRecord): TaskRecord[] {
  return serviceTasks(ctx, service).filter((t) => t.desiredStatus === 'RUNNING');
}

/** Every task of the service that has not finished stopping. */
export function serviceTasks(ctx: EcsContext, service: ServiceRecord): TaskRecord[] {
  return Object.values(ctx.state.tasks).filter((t) => t.cluster === service.cluster && t.service === service.name && t.lastStatus !== 'STOPPED');
}

export function isServing(task: TaskRecord): boolean {
  return task.desiredStatus === 'RUNNING' && task.lastStatus === 'RUNNING' && task.health === 'HEALTHY';
}

/** Applies a task's time-driven change (start steps, health verdict without a load balancer, end of stop). */
export function stepTask(ctx: EcsContext, service: ServiceRecord, task: TaskRecord): void {
  delete task.nextAt;
  switch (task.lastStatus) {
    case 'PROVISIONING':
      task.lastStatus = 'PENDING';
      task.nextAt = task.runningAt;
      return;
    case 'PENDING':
      task.lastStatus = 'RUNNING';
      if (!usesLoadBalancer(ctx, service)) task.nextAt = ctx.now + noLoadBalancerVerdictMs(service, ctx.world.version(task.version).healthy);
      return;
    case 'RUNNING':
      task.health = ctx.world.version(task.version).healthy ? 'HEALTHY' : 'UNHEALTHY';
      if (task.health === 'HEALTHY') task.healthyAt = ctx.now;
      ctx.touch(trafficKey(service.cluster, service.name));
      return;
    case 'STOPPING':
      task.lastStatus = 'STOPPED';
      task.stoppedAt = ctx.now;
      return;
    default:
      return;
  }
}

/** Healthy after 40 s; a failing container health check counts only after the grace period (API reference). */
function noLoadBalancerVerdictMs(service: ServiceRecord, healthy: boolean): number {
  return healthy ? NO_LB_HEALTHY_MS : Math.max(CONTAINER_UNHEALTHY_MS, (service.healthCheckGracePeriodSeconds ?? 0) * 1000);
}

export function usesLoadBalancer(ctx: EcsContext, service: ServiceRecord): boolean {
  return service.loadBalancers.some((lb) => lb.targetGroupArn) && targetRegistry(ctx.world) !== undefined;
}

/** The target groups a deployment's tasks register into (native strategies alternate between two). */
export function deploymentTargetGroups(service: ServiceRecord, deployment: DeploymentRecord | undefined): string[] {
  return deployment?.targetGroups ?? service.native?.blue ?? service.loadBalancers.map((lb) => lb.targetGroupArn).filter((arn): arn is string => !!arn);
}

export function registerTask(ctx: EcsContext, task: TaskRecord, groups: readonly string[], batch: Batch, options: { readonly healthy?: boolean } = {}): void {
  const registry = targetRegistry(ctx.world);
  if (!registry) return;
  for (const group of groups) {
    // Registered once RUNNING: the container already started, so the load balancer needs no start-up time.
    registry.register(ctx.world, group, [{ id: task.ip, port: task.port, version: task.version, availabilityZone: task.availabilityZone, started: true, ...(options.healthy ? { healthy: true } : {}) }]);
    if (!task.targetGroups.includes(group)) task.targetGroups.push(group);
    batch.registered[group] = (batch.registered[group] ?? 0) + 1;
  }
}

/** The worst health the load balancer reports for a task's targets; undefined when one is not registered. */
export function targetHealth(ctx: EcsContext, task: TaskRecord): 'healthy' | 'unhealthy' | 'pending' | 'missing' {
  const registry = targetRegistry(ctx.world);
  if (!registry) return 'healthy';
  const states = task.targetGroups.map((group) => registry.health(ctx.world, group, task.ip));
  if (states.some((s) => s === undefined || s === 'draining')) return 'missing';
  if (states.some((s) => s === 'unhealthy')) return 'unhealthy';
  return states.every((s) => HEALTHY_TARGET.has(s)) ? 'healthy' : 'pending';
}

export interface StopReason {
  readonly code: 'ServiceSchedulerInitiated' | 'UserInitiated' | 'TaskFailedToStart' | 'EssentialContainerExited';
  readonly reason: string;
}

/** Stops a task: its targets drain first (DEACTIVATING), then it stops. */
export function stopTask(ctx: EcsContext, service: ServiceRecord, task: TaskRecord, why: StopReason, batch: Batch): void {
  if (task.desiredStatus === 'STOPPED') return;
  const wasServing = isServing(task);
  task.desiredStatus = 'STOPPED';
  task.stoppingAt = ctx.now;
  task.stopCode = why.code;
  task.stoppedReason = why.reason;
  batch.stopped.push(task);
  if (wasServing) ctx.touch(trafficKey(service.cluster, service.name));
  const registry = targetRegistry(ctx.world);
  if (registry && task.targetGroups.length > 0) {
    for (const group of task.targetGroups) {
      registry.deregister(ctx.world, group, [task.ip]);
      batch.deregistered[group] = (batch.deregistered[group] ?? 0) + 1;
    }
    batch.draining += 1;
    task.lastStatus = 'DEACTIVATING';
    delete task.nextAt;
    return;
  }
  beginStopping(ctx, task);
}

function beginStopping(ctx: EcsContext, task: TaskRecord): void {
  task.lastStatus = 'STOPPING';
  task.targetGroups = [];
  task.nextAt = ctx.now + STOPPING_MS;
}

/** Tasks whose targets finished draining move on to STOPPING. */
export function progressDraining(ctx: EcsContext, service: ServiceRecord): void {
  const registry = targetRegistry(ctx.world);
  for (const task of serviceTasks(ctx, service)) {
    if (task.lastStatus !== 'DEACTIVATING') continue;
    const draining = registry ? task.targetGroups.some((group) => registry.health(ctx.world, group, task.ip) !== undefined) : false;
    if (!draining) beginStopping(ctx, task);
  }
}

/** Forgets STOPPED tasks older than the retention window. */
export function pruneStoppedTasks(ctx: EcsContext): void {
  for (const [id, task] of Object.entries(ctx.state.tasks)) {
    if (task.lastStatus === 'STOPPED' && (task.stoppedAt ?? 0) + STOPPED_RETENTION_MS < ctx.now) delete ctx.state.tasks[id];
  }
}
