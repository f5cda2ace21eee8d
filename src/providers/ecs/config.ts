import type { DeploymentConfiguration } from '@aws-sdk/client-ecs';
import type { Plan } from '../../strategies/types.js';
import { plainCopy } from '../../util/plainJson.js';

/**
 * The deployment configuration UpdateService gets: the captured one, every member as DescribeServices returned it
 * (circuit breaker, alarms, strategy, hooks ...), with only the members the rollout needs changed.
 *
 * Why the whole object: the API reference does not say whether a deploymentConfiguration replaces the stored one
 * or is merged member by member (Copilot's maintainers observed that members left out keep their value,
 * aws/copilot-cli#4565, and the simulator models that). Sending every captured member gives the same result under
 * both readings, so the user's circuit breaker and deployment alarms are never dropped by a rollout.
 *
 * Batches are surges, not gaps: minimumHealthyPercent 100 and maximumPercent just high enough for `batch` extra
 * tasks. ECS then stops an old task only once its replacement is healthy, so the service never serves with fewer
 * healthy tasks than desired; the price is `batch` tasks of spare cluster capacity. A big-bang (batch 100%) is
 * therefore minimumHealthyPercent 100 / maximumPercent 200 — all new tasks at once beside the old ones — and not
 * 0 / 100, which stops every old task before any replacement is healthy: an outage for the whole rollout, and for
 * a failing version until the rollback has brought the old one back.
 */

export const MINIMUM_HEALTHY_PERCENT = 100;

/** Extra tasks per batch: at least one (else nothing can start), at most the desired count. */
export function surgeTasks(batch: NonNullable<Plan['batch']>, desired: number): number {
  const wanted = 'count' in batch ? batch.count : Math.ceil((desired * batch.percent) / 100);
  return Math.max(1, Math.min(Math.max(desired, 1), wanted));
}

/** The smallest maximumPercent that lets ECS run `desired + extra` tasks (it rounds desired × max / 100 down). */
export function maximumPercentFor(desired: number, extra: number): number {
  if (desired <= 0) return 200;
  return Math.min(200, Math.ceil(((desired + extra) * 100) / desired));
}

export function rollingConfiguration(captured: DeploymentConfiguration, batch: Plan['batch'], desired: number): DeploymentConfiguration {
  const config = plainCopy(captured);
  if (!batch) return config;
  return { ...config, minimumHealthyPercent: MINIMUM_HEALTHY_PERCENT, maximumPercent: maximumPercentFor(desired, surgeTasks(batch, desired)) };
}

/** The strategy members a native deployment sets, from the plan (see nativePlan). */
export type NativeMembers = Pick<DeploymentConfiguration, 'strategy' | 'bakeTimeInMinutes' | 'canaryConfiguration' | 'linearConfiguration'>;

export function nativeConfiguration(captured: DeploymentConfiguration, members: NativeMembers): DeploymentConfiguration {
  return { ...plainCopy(captured), ...plainCopy(members) };
}

/** `minimumHealthyPercent 100, maximumPercent 125` — for facts and events. */
export function describeConfiguration(config: DeploymentConfiguration): string {
  const parts = [`minimumHealthyPercent ${String(config.minimumHealthyPercent ?? 100)}`, `maximumPercent ${String(config.maximumPercent ?? 200)}`];
  if (config.strategy && config.strategy !== 'ROLLING') parts.unshift(`strategy ${config.strategy}`);
  if (config.canaryConfiguration) parts.push(`canary ${String(config.canaryConfiguration.canaryPercent)}% for ${String(config.canaryConfiguration.canaryBakeTimeInMinutes)}m`);
  if (config.linearConfiguration) parts.push(`linear ${String(config.linearConfiguration.stepPercent)}% every ${String(config.linearConfiguration.stepBakeTimeInMinutes)}m`);
  if (config.bakeTimeInMinutes !== undefined) parts.push(`bake ${config.bakeTimeInMinutes}m`);
  const breaker = config.deploymentCircuitBreaker;
  parts.push(breaker?.enable ? `circuit breaker on${breaker.rollback ? ' with rollback' : ''}` : 'circuit breaker off');
  if (config.alarms?.enable) parts.push(`deployment alarms ${(config.alarms.alarmNames ?? []).join(', ')}${config.alarms.rollback ? ' with rollback' : ''}`);
  return parts.join(', ');
}
