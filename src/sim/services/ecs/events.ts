import { randomHex } from './ids.js';
import { MAX_EVENTS, type EcsContext, type ServiceRecord, type TaskRecord } from './state.js';

/**
 * Service events (DescribeServices `events`, newest first, the latest 100) with the scheduler's wording as it
 * appears in real services (ECS developer guide "Service event messages", and event logs quoted in public
 * repositories):
 *   (service web) has started 2 tasks: (task 0a1b...) (task 2c3d...).
 *   (service web) has stopped 1 running tasks: (task 0a1b...).
 *   (service web) registered 1 targets in (target-group arn:...)
 *   (service web) has begun draining connections on 1 tasks.
 *   (service web) deregistered 1 targets in (target-group arn:...)
 *   (service web) (task 0a1b...) (port 8080) is unhealthy in (target-group arn:...) due to (reason Health checks failed).
 *   (service web) (task 0a1b...) failed container health checks.
 *   (service web) (deployment ecs-svc/123...) deployment completed.
 *   (service web) (deployment ecs-svc/123...) deployment failed: tasks failed to start.
 *   (service web) (deployment ecs-svc/123...) deployment failed: alarm detected.
 *   (service web) rolling back to deployment ecs-svc/456...
 *   (service web) has reached a steady state.
 */

export function addEvent(ctx: EcsContext, service: ServiceRecord, message: string): void {
  const id = `${randomHex(ctx, 8)}-${randomHex(ctx, 4)}-${randomHex(ctx, 4)}-${randomHex(ctx, 4)}-${randomHex(ctx, 12)}`;
  service.events.unshift({ id, createdAt: ctx.now, message: `(service ${service.name}) ${message}` });
  if (service.events.length > MAX_EVENTS) service.events.length = MAX_EVENTS;
}

function taskList(tasks: readonly TaskRecord[]): string {
  return tasks.map((t) => `(task ${t.id})`).join(' ');
}

export const messages = {
  started: (tasks: readonly TaskRecord[]) => `has started ${tasks.length} tasks: ${taskList(tasks)}.`,
  stopped: (tasks: readonly TaskRecord[]) => `has stopped ${tasks.length} running tasks: ${taskList(tasks)}.`,
  registered: (count: number, targetGroup: string) => `registered ${count} targets in (target-group ${targetGroup})`,
  draining: (count: number) => `has begun draining connections on ${count} tasks.`,
  deregistered: (count: number, targetGroup: string) => `deregistered ${count} targets in (target-group ${targetGroup})`,
  targetUnhealthy: (task: TaskRecord, targetGroup: string) => `(task ${task.id}) (port ${task.port}) is unhealthy in (target-group ${targetGroup}) due to (reason Health checks failed).`,
  containerUnhealthy: (task: TaskRecord) => `(task ${task.id}) failed container health checks.`,
  completed: (deploymentId: string) => `(deployment ${deploymentId}) deployment completed.`,
  failed: (deploymentId: string, why: string) => `(deployment ${deploymentId}) deployment failed: ${why}.`,
  rollingBack: (deploymentId: string) => `rolling back to deployment ${deploymentId}.`,
  steady: () => 'has reached a steady state.',
  stuck: () => 'was unable to stop or start tasks during a deployment because of the service deployment configuration. Update the minimumHealthyPercent or maximumPercent value and try again.',
};
