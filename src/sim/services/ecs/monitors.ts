import { alarmReader } from '../contracts.js';
import { alarmsEnabled, circuitBreakerEnabled, failureThreshold } from './config.js';
import { finishServiceDeployment, serviceDeploymentOf, startRollbackDeployment } from './deployments.js';
import { addEvent, messages } from './events.js';
import { blueDeployment, rollBackShift } from './native.js';
import { isServing, liveTasks } from './taskLifecycle.js';
import type { DeploymentRecord, EcsContext, ServiceRecord } from './state.js';

/**
 * Deployment failure detection (facts §4.2; ECS developer guide "How the Amazon ECS deployment circuit breaker
 * detects failures", "How CloudWatch alarms detect Amazon ECS deployment failures"):
 * - the circuit breaker fails the PRIMARY deployment once its failed tasks reach the threshold;
 * - deployment alarms fail it when one of them is in ALARM while the deployment runs (monitoring starts once a
 *   task of the deployment is RUNNING) or bakes; an alarm already in ALARM when the deployment started is
 *   ignored until it leaves ALARM (copilot-cli docs, aws/copilot-cli#4512);
 * - a FAILED deployment launches no new tasks; with rollback on, ECS starts a new deployment of the most recent
 *   COMPLETED deployment's task definition ("rolling back to deploymentId ..."), which is then not eligible for
 *   another rollback until it completes; without one, the deployment is stalled.
 */

export type FailureCause = 'circuitBreaker' | 'alarm' | 'stopRequest';

const FAILED_REASON: Record<FailureCause, (id: string) => string> = {
  circuitBreaker: () => 'ECS deployment circuit breaker: tasks failed to start.',
  // UNVERIFIED wording for the two below (AWS's service events say "deployment failed: alarm detected.").
  alarm: () => 'ECS deployment failed: alarm detected.',
  stopRequest: (id) => `ECS deployment ${id} stopped: rollback requested.`,
};

const ROLLBACK_REASON: Record<FailureCause, string> = {
  circuitBreaker: 'ECS deployment circuit breaker: rolling back to deploymentId',
  alarm: 'ECS deployment alarm: rolling back to deploymentId', // UNVERIFIED wording
  stopRequest: 'ECS deployment rollback requested: rolling back to deploymentId', // UNVERIFIED wording
};

const EVENT_WHY: Record<FailureCause, string> = { circuitBreaker: 'tasks failed to start', alarm: 'alarm detected', stopRequest: 'rollback requested' };

/** Counts a task failure against its deployment (and its service deployment's circuit breaker). */
export function countFailure(ctx: EcsContext, deployment: DeploymentRecord | undefined): void {
  if (!deployment) return;
  deployment.failedTasks += 1;
  deployment.updatedAt = ctx.now;
  const record = serviceDeploymentOf(ctx, deployment);
  if (record) record.circuitBreaker.failureCount += 1;
}

/** A task of the deployment became healthy: with resetOnHealthyTask (the default) the failure count restarts. */
export function countHealthy(service: ServiceRecord, deployment: DeploymentRecord | undefined): void {
  if (deployment && service.deploymentConfiguration.deploymentCircuitBreaker?.resetOnHealthyTask !== false) deployment.failedTasks = 0;
}

export function checkCircuitBreaker(ctx: EcsContext, service: ServiceRecord): void {
  const primary = service.deployments[0];
  const config = service.deploymentConfiguration;
  if (!primary || primary.rolloutState !== 'IN_PROGRESS' || !circuitBreakerEnabled(config)) return;
  const threshold = failureThreshold(config, service.desiredCount);
  const record = serviceDeploymentOf(ctx, primary);
  if (record) record.circuitBreaker.threshold = threshold;
  if (primary.failedTasks >= threshold) failDeployment(ctx, service, primary, 'circuitBreaker', config.deploymentCircuitBreaker?.rollback === true);
}

export function checkAlarms(ctx: EcsContext, service: ServiceRecord): void {
  const primary = service.deployments[0];
  const config = service.deploymentConfiguration;
  const reader = alarmReader(ctx.world);
  if (!primary || primary.rolloutState !== 'IN_PROGRESS' || !alarmsEnabled(config) || !reader) return;
  const names = config.alarms?.alarmNames ?? [];
  const firing = names.filter((name) => reader.state(ctx.world, name) === 'ALARM');
  primary.ignoredAlarms = primary.ignoredAlarms.filter((name) => firing.includes(name));
  const monitoring = liveTasks(ctx, service).some((t) => t.deploymentId === primary.id && t.lastStatus === 'RUNNING') || primary.bakeUntil !== undefined;
  const triggered = firing.filter((name) => !primary.ignoredAlarms.includes(name));
  if (!monitoring || triggered.length === 0) return;
  const record = serviceDeploymentOf(ctx, primary);
  if (record) record.alarms.triggeredAlarmNames = triggered;
  failDeployment(ctx, service, primary, 'alarm', config.alarms?.rollback === true);
}

/** Marks the PRIMARY deployment FAILED, then rolls back or leaves it stalled. */
export function failDeployment(ctx: EcsContext, service: ServiceRecord, primary: DeploymentRecord, cause: FailureCause, rollback: boolean): void {
  primary.rolloutState = 'FAILED';
  primary.rolloutStateReason = FAILED_REASON[cause](primary.id);
  primary.updatedAt = ctx.now;
  delete primary.bakeUntil;
  addEvent(ctx, service, messages.failed(primary.id, EVENT_WHY[cause]));
  const record = serviceDeploymentOf(ctx, primary);
  if (record) {
    if (cause === 'circuitBreaker') record.circuitBreaker.status = 'TRIGGERED';
    if (cause === 'alarm') record.alarms.status = 'TRIGGERED';
    record.statusReason = primary.rolloutStateReason;
    record.updatedAt = ctx.now;
  }
  const blue = blueDeployment(ctx, service, primary);
  if (rollback && blue) {
    delete service.lastCompleted;
    rollBackShift(ctx, service, primary, blue, `${ROLLBACK_REASON[cause]} ${blue.id}.`);
    startedRollback(ctx, service, primary, blue);
    return;
  }
  if (rollback && service.lastCompleted && primary.native !== 'shifting') {
    rollBack(ctx, service, cause);
    return;
  }
  if (record) finishServiceDeployment(ctx, record, record.status === 'ROLLBACK_IN_PROGRESS' ? 'ROLLBACK_FAILED' : 'STOPPED');
}

function rollBack(ctx: EcsContext, service: ServiceRecord, cause: FailureCause): void {
  const failed = service.deployments[0]!;
  const target = service.lastCompleted!;
  // The completed deployment becomes IN_PROGRESS again: not eligible for another rollback until it completes.
  delete service.lastCompleted;
  const reason = `${ROLLBACK_REASON[cause]} ${target.deploymentId}.`;
  startRollbackDeployment(ctx, service, target.taskDefinitionArn, target.revisionArn, failed.serviceDeploymentArn, reason);
  startedRollback(ctx, service, failed, { id: target.deploymentId, revisionArn: target.revisionArn });
}

function startedRollback(ctx: EcsContext, service: ServiceRecord, failed: DeploymentRecord, target: { id: string; revisionArn: string }): void {
  addEvent(ctx, service, messages.rollingBack(target.id));
  const record = serviceDeploymentOf(ctx, failed);
  if (!record) return;
  record.status = 'ROLLBACK_IN_PROGRESS';
  record.rollback = { reason: failed.rolloutStateReason, startedAt: ctx.now, serviceRevisionArn: target.revisionArn };
  record.updatedAt = ctx.now;
}

/** Whether the PRIMARY deployment has its desired count of healthy tasks and nothing else is left running. */
export function primaryAtSteadyState(ctx: EcsContext, service: ServiceRecord): boolean {
  const primary = service.deployments[0];
  if (!primary) return false;
  const live = liveTasks(ctx, service);
  const mine = live.filter((t) => t.deploymentId === primary.id);
  const others = Object.values(ctx.state.tasks).filter((t) => t.cluster === service.cluster && t.service === service.name && t.deploymentId !== primary.id && t.lastStatus !== 'STOPPED');
  return mine.length === service.desiredCount && mine.every(isServing) && others.length === 0;
}
