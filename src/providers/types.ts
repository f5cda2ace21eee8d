import type { Clock } from '../time/clock.js';
import type { DeployEvent } from '../engine/events.js';

/** JSON that survives a persisted snapshot and a second process. */
export type Json = null | boolean | number | string | readonly Json[] | { readonly [key: string]: Json };

/** What every provider call gets: who asks, how to stop, what time it is, where to report detail. */
export interface ProviderContext {
  readonly deploymentId: string;
  readonly signal: AbortSignal;
  readonly clock: Clock;
  readonly emit: (event: DeployEvent) => void;
}

/** Read-only findings before any write. Errors stop the deployment with exit 2; warnings are printed. */
export interface PreflightReport {
  readonly errors: readonly string[];
  readonly warnings: readonly string[];
  /** What was found, for `deployctl plan` and the deployment record (for example the live weights). */
  readonly facts?: Readonly<Record<string, Json>>;
}

export interface ShiftContext extends ProviderContext {
  /** The exact original configuration captured before the first write. */
  readonly snapshot: Json;
  /** The weight the rollout believes is live now (what it last verified); drift is measured against it. */
  readonly fromPercent: number;
  /**
   * Aborted once a rollback has begun. `signal` never cuts a write off (its outcome must be known before the
   * restore), but waits after an acknowledged write (propagation, read-back retries) may stop on `stop`.
   */
  readonly stop?: AbortSignal;
}

/** Result of reading a weight back after a write. */
export type WeightCheck =
  | { readonly status: 'ok' }
  /** The live state is still what it was before the write: the write was lost (or the read is stale). */
  | { readonly status: 'lost'; readonly detail: string }
  /** Someone else changed the target: never fight it, roll back and say what changed. */
  | { readonly status: 'drift'; readonly detail: string };

/** Shifts a share of live traffic: ALB forward weights, Lambda alias routing, Route 53 weighted records. */
/** How hard a traffic provider's restore tries before it reports failure (tests shorten the waits). */
export interface RestorePolicy {
  /** Writes tried before restore gives up; each is followed by a read-back. */
  readonly attempts: number;
  /** First wait before trying again, doubled each time (stale reads settle, lost writes show as lost). */
  readonly backoffMs: number;
  /** The percents the plan sets: a live state at one of them is this rollout's own, not someone else's. */
  readonly planPercents?: readonly number[];
}

export const DEFAULT_RESTORE: RestorePolicy = { attempts: 5, backoffMs: 1000 };

export interface TrafficProvider {
  readonly kind: string;
  /** One active deployment per lock key (listener/rule, alias, record set). */
  readonly lockKey: string;
  /** Human-readable name of the target, for status lines and errors. */
  readonly label: string;
  preflight(ctx: ProviderContext): Promise<PreflightReport>;
  capture(ctx: ProviderContext): Promise<Json>;
  /** Idempotent: does nothing when the weight is already live. Throws DeployError('DRIFT') on foreign changes. */
  setWeight(percent: number, ctx: ShiftContext): Promise<void>;
  verifyWeight(percent: number, ctx: ShiftContext): Promise<WeightCheck>;
  /** Back to the captured configuration exactly, then verified by reading back. */
  restore(snapshot: Json, ctx: ProviderContext): Promise<void>;
  /** The live weight of the new version, for status; undefined when it cannot be read as one number. */
  readWeight(snapshot: Json, ctx: ProviderContext): Promise<number | undefined>;
  /** aws CLI commands that put the captured configuration back by hand (printed when rollback fails). */
  manualRestoreCommands(snapshot: Json): string[];
}

/** Progress of a capacity deployment (ECS deployment, instance refresh). */
export type CapacityStatus =
  | { readonly state: 'inProgress'; readonly percent: number; readonly detail?: string }
  | { readonly state: 'succeeded'; readonly percent: number; readonly detail?: string }
  | { readonly state: 'failed'; readonly reason: string };

export interface CapacityCapabilities {
  /** Steps can stop at capacity checkpoints (Auto Scaling CheckpointPercentages). */
  readonly checkpoints: boolean;
  /** The service can roll itself back on a CloudWatch alarm (ECS deployment alarms, refresh AlarmSpecification). */
  readonly nativeAlarmRollback: boolean;
}

export interface CapacityContext extends ProviderContext {
  readonly snapshot: Json;
  /** The percents of every deployCapacity step in the plan, so the provider can configure checkpoints. */
  readonly checkpoints: readonly number[];
  /** Rolling batch size from the plan, when set. */
  readonly batch?: { readonly percent: number } | { readonly count: number };
}

/** Brings up new capacity: ECS services, Auto Scaling groups. */
export interface CapacityProvider {
  readonly kind: string;
  readonly lockKey: string;
  readonly label: string;
  readonly capabilities: CapacityCapabilities;
  preflight(ctx: ProviderContext): Promise<PreflightReport>;
  capture(ctx: ProviderContext): Promise<Json>;
  /**
   * Starts (or continues, or adopts after a crash) the deployment of the new version up to `percent`.
   * Returns a JSON handle kept with the deployment.
   */
  start(percent: number, handle: Json | undefined, ctx: CapacityContext): Promise<Json>;
  status(handle: Json, ctx: CapacityContext): Promise<CapacityStatus>;
  cancel(handle: Json, ctx: CapacityContext): Promise<void>;
  /** Returns the service to the captured version and waits until it is healthy there. */
  rollback(snapshot: Json, handle: Json | undefined, ctx: CapacityContext): Promise<void>;
  /** Scales the old side down once traffic has left it (blue-green with two groups/services). */
  retireOld(ctx: CapacityContext): Promise<void>;
  /** Undoes retireOld during a rollback. */
  restoreOld(snapshot: Json, ctx: CapacityContext): Promise<void>;
  manualRestoreCommands(snapshot: Json): string[];
}
