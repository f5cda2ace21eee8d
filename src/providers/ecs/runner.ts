import type { Service } from '@aws-sdk/client-ecs';
import { DeployError, messageOf } from '../../errors.js';
import { isAbortError } from '../../time/clock.js';
import type { CapacityStatus, Json, ProviderContext } from '../types.js';
import type { EcsApi } from './api.js';
import type { ElbReader } from './elb.js';
import { ProgressWatch, type WaitPolicy, type WritePolicy } from './waits.js';

/** How the provider paces itself; tests shorten every wait. */
export interface EcsPolicy {
  /** Rollback, restoreOld and retireOld waits. */
  readonly wait: WaitPolicy;
  readonly write: WritePolicy;
  /** A deployment whose counts have not moved for this long is reported failed (ECS itself has no deadline). */
  readonly progressDeadlineMs: number;
  /** Consecutive failed reads `status` rides out (reporting the last percent) before it fails the step. */
  readonly readFailureLimit: number;
}

export const DEFAULT_POLICY: EcsPolicy = {
  wait: { pollMs: 15_000, timeoutMs: 30 * 60_000 },
  write: { attempts: 4, backoffMs: 2_000 },
  progressDeadlineMs: 30 * 60_000,
  readFailureLimit: 5,
};

/** Everything the mode modules share for one provider instance. */
export interface Runner {
  readonly api: EcsApi;
  readonly elb: ElbReader;
  readonly label: string;
  readonly policy: EcsPolicy;
  readonly watch: ProgressWatch;
}

export function newRunner(parts: Omit<Runner, 'watch'>): Runner {
  return { ...parts, watch: new ProgressWatch() };
}

/** The handle kept with the deployment: which ECS deployment is ours, per mode. */
export type EcsHandle =
  | { readonly mode: 'rolling'; readonly deploymentId: string }
  | { readonly mode: 'native'; readonly deploymentId: string; readonly serviceDeploymentArn?: string }
  | { readonly mode: 'split'; readonly desiredCount: number; readonly fullCount: number };

export function parseHandle<M extends EcsHandle['mode']>(json: Json | undefined, mode: M, label: string): Extract<EcsHandle, { mode: M }> | undefined {
  if (json === undefined || json === null) return undefined;
  const value = json as Partial<EcsHandle>;
  if (typeof value !== 'object' || value.mode !== mode) throw new DeployError('INTERNAL', `${label}: the deployment handle ${JSON.stringify(json)} is not an ECS ${mode} handle`);
  return value as Extract<EcsHandle, { mode: M }>;
}

export function warn(ctx: ProviderContext, message: string): void {
  ctx.emit({ type: 'warning', message, deploymentId: ctx.deploymentId, at: ctx.clock.now() });
}

/**
 * Reads a service for `status`. A failed read (throttling past the SDK's retries, a network blip) is ridden out
 * a few times, reporting the last percent, so one bad minute does not roll back a healthy deployment.
 */
export async function readForStatus(run: Runner, key: string, name: string, ctx: ProviderContext): Promise<{ service: Service } | { status: CapacityStatus }> {
  try {
    // The caller resets the failure count once it has judged the read current (see notVisibleYet).
    return { service: await run.api.service(name, ctx.signal) };
  } catch (error) {
    if (isAbortError(error) || (error instanceof DeployError && error.code !== 'AWS_ERROR')) throw error;
    const failures = run.watch.failedRead(key);
    if (failures >= run.policy.readFailureLimit) throw error;
    return { status: { state: 'inProgress', percent: run.watch.lastPercent(key), detail: `could not read the service (${failures} of ${run.policy.readFailureLimit}): ${messageOf(error)}` } };
  }
}

/** A read that cannot be right yet (eventual consistency) counts like a failed read: ridden out a few times. */
export function notVisibleYet(run: Runner, key: string, why: string): CapacityStatus {
  const failures = run.watch.failedRead(key);
  if (failures >= run.policy.readFailureLimit) throw new DeployError('DRIFT', `${run.label}: our deployment is gone: ${why}`);
  return { state: 'inProgress', percent: run.watch.lastPercent(key), detail: `our deployment is not visible yet (${failures} of ${run.policy.readFailureLimit}): ${why}` };
}

/** Reports progress, or failure once the best percent has not gone up for the progress deadline. */
export function progressOrStall(run: Runner, key: string, status: Extract<CapacityStatus, { state: 'inProgress' }>, ctx: ProviderContext, context: string): CapacityStatus {
  run.watch.remember(key, status.percent);
  const still = run.watch.stalledFor(key, status.percent, ctx.clock.now());
  if (still < run.policy.progressDeadlineMs) return status;
  return { state: 'failed', reason: `no progress for ${Math.round(still / 60_000)} minutes (stuck at ${Math.floor(status.percent)}%): ${context}` };
}
