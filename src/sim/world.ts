import type { Clock } from '../time/clock.js';
import { MetricStore, type MetricStoreState } from './metrics.js';
import { createSimRequestHandler, SimServiceError, SimTransportError, type SimCall, type SimRequestHandler } from './protocol/index.js';
import { mulberry32 } from './random.js';
import { FaultEngine, type FaultRecord } from './faultEngine.js';
import { isReadOperation, type AppVersion, DEFAULT_VERSION, type Flow, type ServiceContext, type ServiceName, type SimService, type TrafficSource } from './types.js';
import type { Fault } from './faults.js';
import { ApiLimits, type ApiLimitsConfig } from './apiLimits.js';

/** One API call as the world saw it. */
export interface CallRecord {
  readonly at: number;
  readonly service: ServiceName;
  readonly operation: string;
  readonly attempt: number;
  readonly mutating: boolean;
  /** `ok`, an AWS error code, or `transport:<kind>`. */
  readonly outcome: string;
  /** Set when a fault decided the outcome (throttle, lostWrite, ...). */
  readonly fault?: string;
}

/** Everything a world is, as plain JSON: saved to a file, loaded by a second process. */
export interface WorldState {
  readonly format: 'deployctl-world/v1';
  now: number;
  seed: number;
  draws: number;
  counter: number;
  accountId: string;
  region: string;
  versions: Record<string, AppVersion>;
  /** Artifact (image, AMI, code hash) -> version label. */
  artifacts: Record<string, string>;
  traffic: TrafficSource[];
  services: Partial<Record<ServiceName, unknown>>;
  faults: FaultRecord[];
  calls: CallRecord[];
  metrics: MetricStoreState;
  settings: { metricDelaySeconds: number; apiLimits: ApiLimitsConfig };
}

export interface WorldOptions {
  readonly clock: Clock;
  readonly services: readonly SimService[];
  readonly seed?: number;
  readonly state?: WorldState;
  /** Called after every call that changed the world (to save it to a file). */
  readonly onChange?: (world: World) => void;
  /** Called before every call (to reload a file another process changed). */
  readonly beforeCall?: (world: World) => void;
}

const MAX_CALL_LOG = 20_000;

/**
 * The simulated AWS world: services with state, a traffic model with metrics, faults, and time. Real SDK clients
 * reach it through `requestHandler()`. Time-driven changes (targets turning healthy, deployments progressing,
 * alarms evaluating) are applied in order whenever the world is looked at, so it behaves the same under a real
 * and a virtual clock.
 */
export class World {
  state: WorldState;
  readonly clock: Clock;
  readonly metrics: MetricStore;
  readonly faults: FaultEngine;
  private readonly services = new Map<ServiceName, SimService>();
  private random: () => number;
  private readonly dirty = new Set<number>();
  private readonly dependents = new Map<string, Set<number>>();
  readonly limits: ApiLimits;
  private syncing = false;
  /** While a time-driven event is applied, "now" is the event's time, not the clock's (which may be later). */
  private eventTime: number | undefined;

  constructor(private readonly options: WorldOptions) {
    this.clock = options.clock;
    for (const service of options.services) this.services.set(service.name, service);
    this.state = options.state ?? this.emptyState(options.seed ?? 1);
    this.random = this.resumeRandom();
    this.metrics = new MetricStore(() => this.state.settings.metricDelaySeconds);
    this.metrics.load(this.state.metrics);
    this.faults = new FaultEngine(this);
    this.limits = new ApiLimits(() => this.state.settings.apiLimits, options.clock);
    this.state.traffic.forEach((_, i) => this.dirty.add(i));
  }

  /** An SDK `requestHandler` answering from this world. */
  requestHandler(): SimRequestHandler {
    return createSimRequestHandler({ dispatch: (call) => this.dispatch(call) });
  }

  /** Handles one decoded API call: time catches up, faults apply, the operation runs, traffic is recomputed. */
  async dispatch(call: SimCall): Promise<unknown> {
    const latency = this.faults.latencyFor(call);
    if (latency > 0) await this.clock.sleep(latency);
    this.options.beforeCall?.(this);
    this.sync();
    const mutating = !isReadOperation(call.operation);
    const record = (outcome: string, fault?: string): void => this.log({ at: this.now(), service: call.service, operation: call.operation, attempt: call.attempt ?? 1, mutating, outcome, ...(fault ? { fault } : {}) });
    try {
      this.limits.check(call);
      const outcome = this.faults.before(call, mutating);
      const output = this.run(call, mutating, outcome.lostWrite);
      this.refreshFlows();
      if (outcome.timeoutAfterApply) {
        record('transport:timeout', 'timeoutAfterApply');
        if (mutating) this.options.onChange?.(this);
        throw new SimTransportError('timeout');
      }
      record('ok', outcome.lostWrite ? 'lostWrite' : undefined);
      if (mutating) this.options.onChange?.(this);
      return output;
    } catch (error) {
      if (error instanceof SimServiceError) record(error.code, this.faults.lastFault);
      else if (!(error instanceof SimTransportError)) record('internal');
      this.faults.lastFault = undefined;
      throw error;
    }
  }

  /** Applies every time-driven change due up to now, in time order across services. */
  sync(): void {
    if (this.syncing) return;
    this.syncing = true;
    try {
      const now = this.clock.now();
      for (let guard = 0; ; guard++) {
        const next = this.nextEvent(now);
        if (next === undefined) break;
        if (guard > 1_000_000) throw new Error('simulated world: time-driven events do not settle (a service keeps scheduling the same instant)');
        this.state.now = Math.max(this.state.now, next.at);
        this.eventTime = next.at;
        try {
          next.apply();
          this.refreshFlows();
        } finally {
          this.eventTime = undefined;
        }
      }
      this.state.now = Math.max(this.state.now, now);
      this.refreshFlows();
    } finally {
      this.syncing = false;
    }
  }

  now(): number {
    return this.eventTime ?? Math.max(this.state.now, this.clock.now());
  }

  /** The service's state, created on first use. */
  stateOf<S>(name: ServiceName): S {
    const service = this.service(name);
    if (this.state.services[name] === undefined) this.state.services[name] = service.initialState();
    return this.state.services[name] as S;
  }

  service(name: ServiceName): SimService {
    const service = this.services.get(name);
    if (!service) throw new Error(`the simulated world has no ${name} service`);
    return service;
  }

  hasService(name: ServiceName): boolean {
    return this.services.has(name);
  }

  context<S>(name: ServiceName, call?: SimCall): ServiceContext<S> {
    return {
      world: this,
      state: this.stateOf<S>(name),
      now: this.now(),
      ...(call ? { call } : {}),
      random: () => this.randomDraw(),
      id: (prefix, length = 17) => this.newId(prefix, length),
      touch: (key) => this.touch(key),
    };
  }

  /** Runs an operation directly, without faults or the wire (seeding, out-of-band writers, tests). */
  invoke(service: ServiceName, operation: string, input: Record<string, unknown>): unknown {
    this.sync();
    const output = this.run({ service, operation, input }, !isReadOperation(operation), false);
    this.refreshFlows();
    return output;
  }

  /** Routes requests arriving at a resource of a service (used by services to follow traffic across services). */
  route(service: ServiceName, resource: string, rps: number, depend: (key: string) => void): Flow[] {
    const target = this.service(service);
    if (!target.route) return [];
    return target.route(this.context(service), resource, rps, depend);
  }

  version(label: string): AppVersion {
    return this.state.versions[label] ?? DEFAULT_VERSION;
  }

  /** The version label of an artifact (container image, AMI, code hash); the artifact itself when unmapped. */
  versionOfArtifact(artifact: string): string {
    return this.state.artifacts[artifact] ?? artifact;
  }

  addTraffic(source: TrafficSource): void {
    this.state.traffic.push(source);
    this.dirty.add(this.state.traffic.length - 1);
    this.refreshFlows();
  }

  addFault(fault: Fault): void {
    this.faults.add(fault);
  }

  touch(resourceKey: string): void {
    for (const index of this.dependents.get(resourceKey) ?? []) this.dirty.add(index);
  }

  /** Mutating calls the world has seen (optionally of one service). */
  mutatingCalls(service?: ServiceName): CallRecord[] {
    return this.state.calls.filter((c) => c.mutating && c.outcome === 'ok' && (!service || c.service === service));
  }

  /** JSON copy of the whole world. */
  save(): WorldState {
    this.sync();
    return JSON.parse(JSON.stringify({ ...this.state, metrics: this.metrics.save() })) as WorldState;
  }

  /** Replaces the state with one loaded from a file (another process may have changed it). */
  replaceState(state: WorldState): void {
    this.state = state;
    this.random = this.resumeRandom();
    this.metrics.load(state.metrics);
    this.dependents.clear();
    this.state.traffic.forEach((_, i) => this.dirty.add(i));
  }

  private run(call: SimCall, mutating: boolean, discard: boolean): unknown {
    const service = this.service(call.service);
    const handler = service.operations[call.operation];
    if (!handler) throw new SimServiceError(unsupportedCode(call.service), `${call.operation} is not supported by the simulated ${call.service}`, { httpStatus: 400 });
    if (!mutating) return handler(this.faults.readContext(call.service, this.context(call.service, call)), call.input);
    const before = discard || this.faults.tracksStaleReads(call.service) ? structuredClone(this.stateOf(call.service)) : undefined;
    const output = handler(this.context(call.service, call), call.input);
    if (discard && before !== undefined) this.state.services[call.service] = before;
    else if (before !== undefined) this.faults.rememberBeforeWrite(call.service, before);
    return output;
  }

  private nextEvent(now: number): { at: number; apply: () => void } | undefined {
    let best: { at: number; apply: () => void } | undefined;
    for (const service of this.services.values()) {
      if (!service.nextEventAt || !service.advance) continue;
      // Asked at the time events have been applied up to, not the clock's: the clock may be far ahead.
      const ctx = { ...this.context(service.name), now: this.state.now };
      const at = service.nextEventAt(ctx);
      if (at !== undefined && at <= now && (!best || at < best.at)) {
        best = { at, apply: () => service.advance!({ ...this.context(service.name), now: at }) };
      }
    }
    const fault = this.faults.nextScheduled(now);
    if (fault && (!best || fault.at < best.at)) best = fault;
    return best;
  }

  private refreshFlows(): void {
    if (this.dirty.size === 0) return;
    const at = this.now();
    for (const index of [...this.dirty]) {
      this.dirty.delete(index);
      const source = this.state.traffic[index];
      if (!source) continue;
      const depends: string[] = [];
      const flows = this.route(source.service, source.resource, source.rps, (key) => depends.push(key));
      for (const key of depends) {
        const set = this.dependents.get(key) ?? new Set<number>();
        set.add(index);
        this.dependents.set(key, set);
      }
      this.metrics.record(`${source.service}:${source.resource}`, at, flows);
    }
  }

  private log(record: CallRecord): void {
    this.state.calls.push(record);
    if (this.state.calls.length > MAX_CALL_LOG) this.state.calls.splice(0, this.state.calls.length - MAX_CALL_LOG);
  }

  /** The world's next random number: deterministic for a given seed and history. */
  randomDraw(): number {
    this.state.draws += 1;
    return this.random();
  }

  private resumeRandom(): () => number {
    const next = mulberry32(this.state.seed);
    for (let i = 0; i < this.state.draws; i++) next();
    return next;
  }

  private newId(prefix: string, length: number): string {
    this.state.counter += 1;
    const digits = (this.state.counter.toString(16) + Math.floor(this.randomDraw() * 0xffffffff).toString(16).padStart(8, '0')).padStart(length, '0');
    return `${prefix}${digits.slice(-length)}`;
  }

  private emptyState(seed: number): WorldState {
    return {
      format: 'deployctl-world/v1',
      now: this.clock.now(),
      seed,
      draws: 0,
      counter: 0,
      accountId: '123456789012',
      region: 'us-east-1',
      versions: {},
      artifacts: {},
      traffic: [],
      services: {},
      faults: [],
      calls: [],
      metrics: { timelines: {}, custom: {} },
      settings: { metricDelaySeconds: 0, apiLimits: { enabled: true } },
    };
  }
}

function unsupportedCode(service: ServiceName): string {
  switch (service) {
    case 'elbv2':
    case 'autoscaling':
    case 'cloudwatch':
      return 'InvalidAction';
    case 'route53':
      return 'InvalidInput';
    case 'lambda':
      return 'InvalidParameterValueException';
    default:
      return 'UnknownOperationException';
  }
}

export type { Fault };
