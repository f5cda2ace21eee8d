import { maximumTasks, minimumHealthyTasks } from './config.js';
import { addEvent, messages } from './events.js';
import { nativeScale } from './native.js';
import { isServing, launchTask, liveTasks, stopTask, type Batch } from './taskLifecycle.js';
import type { DeploymentRecord, EcsContext, ServiceRecord, TaskRecord } from './state.js';

/**
 * Rolling replacement (API reference DeploymentConfiguration; ECS developer guide "Rolling update"):
 * - tasks RUNNING or PENDING stay at most desiredCount × maximumPercent (rounded down): the PRIMARY deployment
 *   starts new tasks into that room;
 * - old tasks stop only while the healthy count stays at least desiredCount × minimumHealthyPercent (rounded up);
 *   old tasks that are not serving (pending, unhealthy) stop right away; tasks of a FAILED deployment go first;
 * - a FAILED (stalled) PRIMARY launches nothing and keeps the older deployments' tasks;
 * - scaling in (desiredCount lowered) stops the extra tasks regardless of minimumHealthyPercent.
 * When neither bound lets anything move, ECS reports it as a service event.
 */

export function scale(ctx: EcsContext, service: ServiceRecord, batch: Batch): void {
  if (service.status === 'DRAINING') {
    for (const task of liveTasks(ctx, service)) stopTask(ctx, service, task, { code: 'ServiceSchedulerInitiated', reason: 'Service deleted' }, batch);
    return;
  }
  const primary = service.deployments[0];
  if (!primary || service.status !== 'ACTIVE') return;
  if (nativeScale(ctx, service, batch)) return;
  stopPrimaryExtras(ctx, service, primary, batch);
  const budget = stopOldTasks(ctx, service, primary, batch);
  startPrimaryTasks(ctx, service, primary, batch, budget);
}

function scalingReason(deployment: DeploymentRecord): { code: 'ServiceSchedulerInitiated'; reason: string } {
  return { code: 'ServiceSchedulerInitiated', reason: `Scaling activity initiated by (deployment ${deployment.id})` };
}

/** Tasks that do not serve go first, then the newest. */
function stopOrder(a: TaskRecord, b: TaskRecord): number {
  return Number(isServing(a)) - Number(isServing(b)) || b.createdAt - a.createdAt;
}

function stopPrimaryExtras(ctx: EcsContext, service: ServiceRecord, primary: DeploymentRecord, batch: Batch): void {
  const mine = liveTasks(ctx, service).filter((t) => t.deploymentId === primary.id).sort(stopOrder);
  for (const task of mine.slice(0, Math.max(0, mine.length - service.desiredCount))) stopTask(ctx, service, task, scalingReason(primary), batch);
}

/** Stops old tasks within the minimum healthy bound; returns how many more healthy tasks could stop. */
function stopOldTasks(ctx: EcsContext, service: ServiceRecord, primary: DeploymentRecord, batch: Batch): number {
  const minimum = minimumHealthyTasks(service.desiredCount, service.deploymentConfiguration);
  if (primary.rolloutState === 'FAILED') return 0;
  const old = liveTasks(ctx, service).filter((t) => t.deploymentId !== primary.id);
  for (const task of old.filter((t) => !isServing(t))) stopTask(ctx, service, task, scalingReason(primary), batch);
  let budget = liveTasks(ctx, service).filter(isServing).length - minimum;
  const failedFirst = (t: TaskRecord): number => (service.deployments.find((d) => d.id === t.deploymentId)?.rolloutState === 'FAILED' ? 0 : 1);
  const serving = old.filter(isServing).sort((a, b) => failedFirst(a) - failedFirst(b) || a.createdAt - b.createdAt);
  for (const task of serving) {
    if (budget <= 0) break;
    stopTask(ctx, service, task, scalingReason(primary), batch);
    budget -= 1;
  }
  return budget;
}

function startPrimaryTasks(ctx: EcsContext, service: ServiceRecord, primary: DeploymentRecord, batch: Batch, budget: number): void {
  if (primary.rolloutState === 'FAILED') return;
  const live = liveTasks(ctx, service);
  const need = service.desiredCount - live.filter((t) => t.deploymentId === primary.id).length;
  const room = maximumTasks(service.desiredCount, service.deploymentConfiguration) - live.length;
  for (let i = 0; i < Math.min(need, room); i++) launchTask(ctx, service, primary, batch);
  const waiting = live.some((t) => !isServing(t)) || batch.stopped.length > 0;
  if (need > 0 && room <= 0 && budget <= 0 && !waiting) reportStuck(ctx, service);
}

function reportStuck(ctx: EcsContext, service: ServiceRecord): void {
  const message = `(service ${service.name}) ${messages.stuck()}`;
  if (service.events[0]?.message !== message) addEvent(ctx, service, messages.stuck());
}
