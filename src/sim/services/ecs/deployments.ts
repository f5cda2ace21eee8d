import { alarmReader } from '../contracts.js';
import { copy } from '../common.js';
import { alarmsEnabled, circuitBreakerEnabled, failureThreshold } from './config.js';
import { randomDigits, randomToken, serviceDeploymentArn, serviceRevisionArn } from './ids.js';
import type { DeploymentRecord, EcsContext, ServiceDeploymentRecord, ServiceRecord } from './state.js';

/**
 * Starting deployments (facts §2.3): a new task definition or forceNewDeployment makes a new PRIMARY deployment
 * `ecs-svc/<19 digits>` (IN_PROGRESS), and the previous ones become ACTIVE until their tasks are gone. Each
 * deployment belongs to a service deployment (the service deployments API), targeting a service revision; a
 * rollback is a new ECS deployment inside the failed service deployment (status ROLLBACK_IN_PROGRESS), so
 * `currentServiceDeployment` keeps pointing at it. A service deployment still ongoing when a newer one starts
 * is STOPPED.
 */

export interface DeploymentIds {
  readonly deploymentId: string;
  readonly revisionId: string;
  readonly serviceDeploymentId: string;
}

export function freshIds(ctx: EcsContext): DeploymentIds {
  return { deploymentId: `ecs-svc/${randomDigits(ctx)}`, revisionId: randomDigits(ctx), serviceDeploymentId: randomToken(ctx) };
}

export function startDeployment(ctx: EcsContext, service: ServiceRecord, taskDefinitionArn: string, ids: DeploymentIds = freshIds(ctx)): DeploymentRecord {
  const revisionArn = serviceRevisionArn(ctx, service.cluster, service.name, ids.revisionId);
  ctx.state.revisions[revisionArn] = { arn: revisionArn, taskDefinitionArn, createdAt: ctx.now };
  const record = newServiceDeployment(ctx, service, revisionArn, serviceDeploymentArn(ctx, service.cluster, service.name, ids.serviceDeploymentId));
  const deployment = newDeployment(ctx, service, taskDefinitionArn, revisionArn, record.arn, ids.deploymentId);
  deployment.rolloutStateReason = `ECS deployment ${deployment.id} in progress.`;
  return deployment;
}

/** A rollback: a new PRIMARY deployment of a known revision, inside the failed service deployment. */
export function startRollbackDeployment(ctx: EcsContext, service: ServiceRecord, taskDefinitionArn: string, revisionArn: string, serviceDeploymentArn: string, reason: string): DeploymentRecord {
  const deployment = newDeployment(ctx, service, taskDefinitionArn, revisionArn, serviceDeploymentArn, `ecs-svc/${randomDigits(ctx)}`);
  deployment.rolloutStateReason = reason;
  ctx.state.serviceDeployments[serviceDeploymentArn]?.deploymentIds.push(deployment.id);
  return deployment;
}

function newDeployment(ctx: EcsContext, service: ServiceRecord, taskDefinitionArn: string, revisionArn: string, serviceDeploymentArn: string, id: string): DeploymentRecord {
  for (const previous of service.deployments) {
    previous.status = 'ACTIVE';
    previous.updatedAt = ctx.now;
  }
  const deployment: DeploymentRecord = {
    id,
    status: 'PRIMARY',
    taskDefinitionArn,
    revisionArn,
    serviceDeploymentArn,
    createdAt: ctx.now,
    updatedAt: ctx.now,
    rolloutState: 'IN_PROGRESS',
    rolloutStateReason: '',
    failedTasks: 0,
    ignoredAlarms: alarmsInAlarm(ctx, service),
  };
  service.deployments.unshift(deployment);
  service.taskDefinitionArn = taskDefinitionArn;
  service.tickAt = ctx.now;
  service.steady = false;
  return deployment;
}

function newServiceDeployment(ctx: EcsContext, service: ServiceRecord, targetRevisionArn: string, arn: string): ServiceDeploymentRecord {
  supersedeOngoing(ctx, service);
  const config = service.deploymentConfiguration;
  const record: ServiceDeploymentRecord = {
    arn,
    cluster: service.cluster,
    service: service.name,
    serviceArn: service.arn,
    clusterArn: service.clusterArn,
    createdAt: ctx.now,
    startedAt: ctx.now,
    updatedAt: ctx.now,
    sourceRevisionArns: [...new Set(service.deployments.map((d) => d.revisionArn))],
    targetRevisionArn,
    status: 'IN_PROGRESS',
    deploymentConfiguration: copy(config),
    circuitBreaker: { status: circuitBreakerEnabled(config) ? 'MONITORING' : 'DISABLED', failureCount: 0, threshold: failureThreshold(config, service.desiredCount) },
    alarms: { status: alarmsEnabled(config) ? 'MONITORING' : 'DISABLED', alarmNames: copy(config.alarms?.alarmNames ?? []), triggeredAlarmNames: [] },
    deploymentIds: [],
  };
  ctx.state.serviceDeployments[arn] = record;
  service.serviceDeploymentArns.unshift(arn);
  return record;
}

const ONGOING = new Set(['PENDING', 'IN_PROGRESS', 'STOP_REQUESTED', 'ROLLBACK_REQUESTED', 'ROLLBACK_IN_PROGRESS']);

export function isOngoing(record: ServiceDeploymentRecord): boolean {
  return ONGOING.has(record.status);
}

/** UNVERIFIED: the status reason AWS gives a service deployment replaced by a newer one. */
function supersedeOngoing(ctx: EcsContext, service: ServiceRecord): void {
  const current = currentServiceDeployment(ctx, service);
  if (!current || !isOngoing(current)) return;
  current.status = 'STOPPED';
  current.statusReason = 'A newer service deployment started.';
  current.stoppedAt = ctx.now;
  current.finishedAt = ctx.now;
  current.updatedAt = ctx.now;
  settleMonitors(current);
}

export function currentServiceDeployment(ctx: EcsContext, service: ServiceRecord): ServiceDeploymentRecord | undefined {
  const arn = service.serviceDeploymentArns[0];
  return arn ? ctx.state.serviceDeployments[arn] : undefined;
}

export function serviceDeploymentOf(ctx: EcsContext, deployment: DeploymentRecord): ServiceDeploymentRecord | undefined {
  return ctx.state.serviceDeployments[deployment.serviceDeploymentArn];
}

export function finishServiceDeployment(ctx: EcsContext, record: ServiceDeploymentRecord, status: 'SUCCESSFUL' | 'STOPPED' | 'ROLLBACK_SUCCESSFUL' | 'ROLLBACK_FAILED'): void {
  record.status = status;
  record.finishedAt = ctx.now;
  record.updatedAt = ctx.now;
  if (status === 'STOPPED') record.stoppedAt = ctx.now;
  settleMonitors(record);
}

/** Monitors still watching when a service deployment ends stop watching. */
export function settleMonitors(record: ServiceDeploymentRecord): void {
  if (record.circuitBreaker.status === 'MONITORING') record.circuitBreaker.status = 'MONITORING_COMPLETE';
  if (record.alarms.status === 'MONITORING') record.alarms.status = 'MONITORING_COMPLETE';
}

/** The deployment's alarms that are in ALARM right now (read through CloudWatch's alarm reader). */
export function alarmsInAlarm(ctx: EcsContext, service: ServiceRecord): string[] {
  const reader = alarmReader(ctx.world);
  if (!reader || !alarmsEnabled(service.deploymentConfiguration)) return [];
  return (service.deploymentConfiguration.alarms?.alarmNames ?? []).filter((name) => reader.state(ctx.world, name) === 'ALARM');
}
