import { conflict, invalidParameter, serviceDeploymentNotFound } from './errors.js';
import { finishServiceDeployment, isOngoing, serviceDeploymentOf } from './deployments.js';
import { failDeployment } from './monitors.js';
import { serviceKey, type CompletedDeployment, type EcsContext, type ServiceRecord } from './state.js';

/**
 * StopServiceDeployment (API reference; ECS developer guide "Stopping Amazon ECS service deployments"):
 * ROLLBACK rolls the service deployment back to the previous service revision, even when the deployment was not
 * configured to roll back. A PENDING or IN_PROGRESS deployment moves to ROLLBACK_REQUESTED and the rollback
 * starts; one already stopping or rolling back carries on; a finished one cannot be stopped (ConflictException).
 * The documentation lists ROLLBACK as the only valid stop type although the model also has ABORT.
 */

/** The scheduler picks a stop request up on its next pass, about a second later (ROLLBACK_REQUESTED meanwhile). */
const PICKUP_MS = 1_000;

export function stopServiceDeployment(ctx: EcsContext, input: Record<string, unknown>): unknown {
  const arn = String(input.serviceDeploymentArn);
  const record = ctx.state.serviceDeployments[arn] ?? serviceDeploymentNotFound(arn);
  if ((input.stopType ?? 'ROLLBACK') !== 'ROLLBACK') invalidParameter('The stop type ABORT is not supported. The valid value is ROLLBACK.'); // UNVERIFIED wording
  if (!isOngoing(record)) conflict(`The service deployment ${arn} is ${record.status} and can't be stopped.`, [arn]); // UNVERIFIED wording
  if (record.status === 'PENDING' || record.status === 'IN_PROGRESS') {
    record.status = 'ROLLBACK_REQUESTED';
    record.updatedAt = ctx.now;
    const service = ctx.state.services[serviceKey(record.cluster, record.service)];
    if (service) {
      service.stopRequested = { arn, at: ctx.now + PICKUP_MS };
      service.tickAt = Math.min(service.tickAt ?? Infinity, service.stopRequested.at);
    }
  }
  return { serviceDeploymentArn: arn };
}

/** The scheduler carries out a requested rollback on its next pass. */
export function requestedStop(ctx: EcsContext, service: ServiceRecord): void {
  if (!service.stopRequested || service.stopRequested.at > ctx.now) return;
  const { arn } = service.stopRequested;
  delete service.stopRequested;
  const primary = service.deployments[0];
  const record = ctx.state.serviceDeployments[arn];
  if (!primary || !record || record.status !== 'ROLLBACK_REQUESTED' || primary.serviceDeploymentArn !== arn) return;
  service.lastCompleted ??= previousRevision(service, record.sourceRevisionArns);
  if (service.lastCompleted) {
    failDeployment(ctx, service, primary, 'stopRequest', true);
    return;
  }
  primary.rolloutState = 'FAILED';
  primary.rolloutStateReason = `ECS deployment ${primary.id} stopped: no previous service revision to roll back to.`;
  const own = serviceDeploymentOf(ctx, primary);
  if (own) finishServiceDeployment(ctx, own, 'ROLLBACK_FAILED');
}

function previousRevision(service: ServiceRecord, sources: readonly string[]): CompletedDeployment | undefined {
  const previous = service.deployments.find((d, i) => i > 0 && sources.includes(d.revisionArn));
  return previous ? { deploymentId: previous.id, taskDefinitionArn: previous.taskDefinitionArn, revisionArn: previous.revisionArn } : undefined;
}
