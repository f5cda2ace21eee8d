import type { DeploymentConfiguration, LoadBalancer } from '@aws-sdk/client-ecs';
import { copy } from '../common.js';
import { invalidParameter } from './errors.js';

/**
 * The deployment configuration as ECS stores and reports it, and the checks the model cannot express
 * (facts §2.3, §7.2; API reference DeploymentConfiguration, LinearConfiguration, CanaryConfiguration):
 * - REPLICA defaults maximumPercent 200 and minimumHealthyPercent 100; the circuit breaker is reported as
 *   {enable: false, rollback: false} when not set, and with resetOnHealthyTask true when set;
 * - linear stepPercent is a multiple of 0.1 from 3.0 to 100.0, canaryPercent a multiple of 0.1 from 0.1 to 100.0,
 *   bake times 0..1440 minutes; BLUE_GREEN needs bakeTimeInMinutes;
 * - the native strategies need a load balancer with advancedConfiguration (alternate target group, production
 *   listener rule, role), and alarms are for the ECS deployment controller only.
 * Validation messages are in AWS's style; their exact wording is UNVERIFIED.
 */

export const DEFAULT_MAXIMUM_PERCENT = 200;
export const DEFAULT_MINIMUM_HEALTHY_PERCENT = 100;
const MAX_BAKE_MINUTES = 1440;

/** Merges an update into the stored configuration: members given replace the stored ones, the rest stay. */
export function mergeConfiguration(current: DeploymentConfiguration | undefined, update: DeploymentConfiguration | undefined): DeploymentConfiguration {
  const merged: DeploymentConfiguration = { ...copy(current ?? {}), ...copy(update ?? {}) };
  merged.maximumPercent ??= DEFAULT_MAXIMUM_PERCENT;
  merged.minimumHealthyPercent ??= DEFAULT_MINIMUM_HEALTHY_PERCENT;
  merged.strategy ??= 'ROLLING';
  const breaker = merged.deploymentCircuitBreaker;
  merged.deploymentCircuitBreaker = breaker ? { ...breaker, resetOnHealthyTask: breaker.resetOnHealthyTask ?? true } : { enable: false, rollback: false };
  return merged;
}

export function validateConfiguration(config: DeploymentConfiguration, controller: string, loadBalancers: readonly LoadBalancer[]): void {
  // AWS accepts odd percentages and reports the stuck deployment as a service event instead; only negatives are refused.
  if ((config.maximumPercent ?? 0) < 0 || (config.minimumHealthyPercent ?? 0) < 0) invalidParameter('maximumPercent and minimumHealthyPercent cannot be negative.');
  if (config.alarms?.enable && controller !== 'ECS') invalidParameter('Deployment alarms are only supported for services that use the ECS deployment controller.');
  validateStrategy(config, loadBalancers);
}

function validateStrategy(config: DeploymentConfiguration, loadBalancers: readonly LoadBalancer[]): void {
  const strategy = config.strategy ?? 'ROLLING';
  checkBake(config.bakeTimeInMinutes, 'bakeTimeInMinutes');
  if (strategy === 'BLUE_GREEN' && config.bakeTimeInMinutes === undefined) invalidParameter('bakeTimeInMinutes is required for the BLUE_GREEN deployment strategy.');
  if (config.linearConfiguration) {
    const { stepPercent, stepBakeTimeInMinutes } = config.linearConfiguration;
    if (stepPercent !== undefined && !tenthsBetween(stepPercent, 3, 100)) invalidParameter('linearConfiguration.stepPercent must be a multiple of 0.1 between 3.0 and 100.0.');
    checkBake(stepBakeTimeInMinutes, 'linearConfiguration.stepBakeTimeInMinutes');
  }
  if (config.canaryConfiguration) {
    const { canaryPercent, canaryBakeTimeInMinutes } = config.canaryConfiguration;
    if (canaryPercent !== undefined && !tenthsBetween(canaryPercent, 0.1, 100)) invalidParameter('canaryConfiguration.canaryPercent must be a multiple of 0.1 between 0.1 and 100.0.');
    checkBake(canaryBakeTimeInMinutes, 'canaryConfiguration.canaryBakeTimeInMinutes');
  }
  if (strategy !== 'ROLLING') checkAdvancedConfiguration(strategy, loadBalancers);
}

function checkAdvancedConfiguration(strategy: string, loadBalancers: readonly LoadBalancer[]): void {
  if (loadBalancers.length === 0) invalidParameter(`The ${strategy} deployment strategy requires a load balancer with advancedConfiguration.`);
  for (const lb of loadBalancers) {
    const advanced = lb.advancedConfiguration;
    if (!advanced?.alternateTargetGroupArn || !advanced.productionListenerRule || !advanced.roleArn) {
      invalidParameter(`The ${strategy} deployment strategy requires advancedConfiguration with alternateTargetGroupArn, productionListenerRule and roleArn for each load balancer.`);
    }
    if (advanced.alternateTargetGroupArn === lb.targetGroupArn) invalidParameter('alternateTargetGroupArn must be different from targetGroupArn.');
  }
}

function checkBake(minutes: number | undefined, name: string): void {
  if (minutes !== undefined && (!Number.isInteger(minutes) || minutes < 0 || minutes > MAX_BAKE_MINUTES)) invalidParameter(`${name} must be between 0 and ${MAX_BAKE_MINUTES} minutes.`);
}

/** True when value is a multiple of 0.1 within [low, high] (floating point tolerant: 3.05 is not). */
function tenthsBetween(value: number, low: number, high: number): boolean {
  const tenths = value * 10;
  return Math.abs(tenths - Math.round(tenths)) < 1e-6 && value >= low - 1e-9 && value <= high + 1e-9;
}

/** Tasks allowed RUNNING or PENDING during a deployment: desiredCount × maximumPercent, rounded down. */
export function maximumTasks(desired: number, config: DeploymentConfiguration): number {
  return Math.floor((desired * (config.maximumPercent ?? DEFAULT_MAXIMUM_PERCENT)) / 100);
}

/** Healthy tasks to keep during a deployment: desiredCount × minimumHealthyPercent, rounded up. */
export function minimumHealthyTasks(desired: number, config: DeploymentConfiguration): number {
  return Math.ceil((desired * (config.minimumHealthyPercent ?? DEFAULT_MINIMUM_HEALTHY_PERCENT)) / 100);
}

/**
 * The circuit breaker's failure threshold (API reference ThresholdConfiguration; facts §4.2): COUNT uses the
 * value; the percent types multiply it by the latest desired count; BOUNDED_PERCENT (the default, value 50)
 * clamps the result to 3..200.
 */
export function failureThreshold(config: DeploymentConfiguration, desired: number): number {
  const threshold = config.deploymentCircuitBreaker?.thresholdConfiguration;
  const type = threshold?.type ?? 'BOUNDED_PERCENT';
  const value = threshold?.value ?? 50;
  if (type === 'COUNT') return Math.max(1, value);
  const raw = Math.ceil((value / 100) * desired);
  return type === 'BOUNDED_PERCENT' ? Math.min(200, Math.max(3, raw)) : Math.max(1, raw);
}

export function circuitBreakerEnabled(config: DeploymentConfiguration): boolean {
  return config.deploymentCircuitBreaker?.enable === true;
}

export function alarmsEnabled(config: DeploymentConfiguration): boolean {
  return config.alarms?.enable === true && (config.alarms.alarmNames?.length ?? 0) > 0;
}

export function isNativeStrategy(config: DeploymentConfiguration): boolean {
  return config.strategy === 'BLUE_GREEN' || config.strategy === 'LINEAR' || config.strategy === 'CANARY';
}
