import type { Deployment, DeploymentConfiguration, Service } from '@aws-sdk/client-ecs';
import { shortTaskDefinition } from './target.js';

/** Pure readings of a Service as DescribeServices returns it. */

export function primaryOf(service: Service): Deployment | undefined {
  return service.deployments?.find((d) => d.status === 'PRIMARY') ?? service.deployments?.[0];
}

/**
 * Steady the way the ServicesStable waiter and ECS mean it (facts §2.3): one deployment, COMPLETED (rolloutState
 * is absent for controllers that do not report it), and as many RUNNING tasks as desired.
 */
export function isSteady(service: Service): boolean {
  const deployments = service.deployments ?? [];
  const primary = primaryOf(service);
  return deployments.length === 1 && primary !== undefined && (primary.rolloutState ?? 'COMPLETED') === 'COMPLETED' && service.runningCount === service.desiredCount;
}

/** `PRIMARY web:42 IN_PROGRESS (2/4 running, 1 pending, 0 failed), ACTIVE web:41 (3 running)` */
export function describeDeployments(service: Service): string {
  const parts = (service.deployments ?? []).map((d) => {
    const state = d.rolloutState ? ` ${d.rolloutState}` : '';
    const counts = d.status === 'PRIMARY' ? `${d.runningCount ?? 0}/${d.desiredCount ?? 0} running, ${d.pendingCount ?? 0} pending, ${d.failedTasks ?? 0} failed` : `${d.runningCount ?? 0} running`;
    return `${d.status} ${shortTaskDefinition(d.taskDefinition ?? '?')}${state} (${counts})`;
  });
  return parts.length > 0 ? parts.join(', ') : 'no deployments';
}

/**
 * Share of the desired count running on a deployment, percent. ECS counts a task RUNNING before its load balancer
 * health checks pass, so 100 is reported only once ECS itself calls the deployment COMPLETED (it waits for health).
 */
export function runningPercent(deployment: Deployment, desired: number, completed: boolean): number {
  if (completed) return 100;
  if (desired <= 0) return 0;
  return Math.min(99, Math.floor(((deployment.runningCount ?? 0) * 100) / desired));
}

/** JSON with sorted keys, so that member order never makes two equal configurations differ. */
export function canonical(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([k, v]) => [k, sortKeys(v)]),
    );
  }
  return value;
}

export function sameJson(a: unknown, b: unknown): boolean {
  return canonical(a) === canonical(b);
}

/** Members of the expected configuration that the live one does not have as captured: `maximumPercent 200 → 125`. */
export function configDifferences(expected: DeploymentConfiguration, live: DeploymentConfiguration | undefined): string[] {
  const actual = (live ?? {}) as Record<string, unknown>;
  return Object.entries(expected as Record<string, unknown>)
    .filter(([key, value]) => value !== undefined && !sameJson(value, actual[key]))
    .map(([key, value]) => `deploymentConfiguration.${key} ${canonical(value)} → ${actual[key] === undefined ? 'absent' : canonical(actual[key])}`);
}

/** Members the live configuration has that the expected one does not (UpdateService cannot remove a member). */
export function extraMembers(expected: DeploymentConfiguration, live: DeploymentConfiguration | undefined): string[] {
  const known = expected as Record<string, unknown>;
  return Object.entries((live ?? {}) as Record<string, unknown>)
    .filter(([key, value]) => value !== undefined && known[key] === undefined)
    .map(([key]) => key)
    .sort();
}
