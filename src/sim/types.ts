import type { SimCall } from './protocol/index.js';
import type { ServiceName } from './protocol/index.js';
import type { World } from './world.js';

export type { ServiceName, SimCall };

/** An application version as the traffic model sees it: how its requests behave. */
export interface AppVersion {
  /** Share of requests that fail (5xx / function errors), 0..1. */
  readonly errorRate: number;
  /** Mean response time, milliseconds. */
  readonly latencyMs: number;
  /** Whether its targets, tasks and instances pass health checks. A version that fails them never serves. */
  readonly healthy: boolean;
  /** Seconds from launch until a task/instance of this version is ready for health checks. */
  readonly startSeconds: number;
}

export const DEFAULT_VERSION: AppVersion = { errorRate: 0.001, latencyMs: 60, healthy: true, startSeconds: 20 };

/** One metric series a flow counts into, with the metric names for its requests, errors and latency. */
export interface MetricSeries {
  readonly namespace: string;
  readonly dimensions: Readonly<Record<string, string>>;
  readonly requests?: string;
  readonly errors?: readonly string[];
  readonly latency?: { readonly name: string; readonly unit: 'Seconds' | 'Milliseconds' };
}

/** A steady stream of requests served by one version, counted into some metric series. */
export interface Flow {
  readonly rps: number;
  readonly version: string;
  readonly errorRate: number;
  readonly latencyMs: number;
  readonly series: readonly MetricSeries[];
}

/** Where requests enter the world, and how many per second. */
export interface TrafficSource {
  /** The resource receiving the requests: a listener ARN, `function:alias`, or `zoneId:name:type`. */
  readonly service: ServiceName;
  readonly resource: string;
  readonly rps: number;
}

/** What a service module sees when it handles a call or advances in time. */
export interface ServiceContext<S> {
  readonly world: World;
  readonly state: S;
  readonly now: number;
  readonly call?: SimCall;
  /** Deterministic randomness from the world's seed. */
  random(): number;
  /** A fresh id with the given prefix, unique in the world. */
  id(prefix: string, length?: number): string;
  /** Marks a resource as changed, so traffic through it is recomputed for the metrics. */
  touch(resourceKey: string): void;
}

/** Declared as a method so that a service of a specific state type still counts as a SimService (bivariance). */
export type OperationHandler<S> = { handle(ctx: ServiceContext<S>, input: Record<string, unknown>): unknown }['handle'];

/** Everything a simulated service is: its state, its operations, and how it changes by itself over time. */
export interface SimService<S = unknown> {
  readonly name: ServiceName;
  initialState(): S;
  readonly operations: Readonly<Record<string, OperationHandler<S>>>;
  /**
   * The earliest pending time at which the service changes on its own (a target turns healthy...), or
   * undefined. It may be at or before `ctx.now` when overdue: the world applies every event up to the clock.
   */
  nextEventAt?(ctx: ServiceContext<S>): number | undefined;
  /** Applies every change due at or before `ctx.now`. */
  advance?(ctx: ServiceContext<S>): void;
  /**
   * Routes `rps` requests arriving at `resource` to versions (following weights, health and other services),
   * calling `depend` with every resource key the result depends on.
   */
  route?(ctx: ServiceContext<S>, resource: string, rps: number, depend: (resourceKey: string) => void): Flow[];
  /** An out-of-band writer's change (the drift fault), with service-specific parameters. Returns what it did. */
  drift?(ctx: ServiceContext<S>, params: Readonly<Record<string, unknown>>): string;
  /**
   * Creates resources from this service's section of a world file (names in, stable ids out), registering
   * references that later sections use as `${kind:name.field}`.
   */
  seed?(ctx: ServiceContext<S>, spec: unknown, refs: SeedRefs): void;
}

/** Named references created while seeding, e.g. `tg:web-green` -> { arn, dimension }. */
export interface SeedRefs {
  set(name: string, fields: Readonly<Record<string, string>>): void;
  get(name: string): Readonly<Record<string, string>> | undefined;
}

/** True for operations that change nothing (Describe*, List*, Get*). */
export function isReadOperation(operation: string): boolean {
  return /^(Describe|List|Get|BatchGet|Query|Scan)/.test(operation);
}
