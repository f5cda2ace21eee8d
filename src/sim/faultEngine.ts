import { SimServiceError, type SimCall } from './protocol/index.js';
import { serverError, throttlingError, type Fault } from './faults.js';
import type { ServiceContext, ServiceName } from './types.js';
import type { World } from './world.js';

/** A fault as added to a world: when, and how often it has fired (for count triggers). */
export interface FaultRecord {
  readonly fault: Fault;
  readonly addedAt: number;
  fired: number;
}

export interface CallOutcome {
  readonly lostWrite: boolean;
  readonly timeoutAfterApply: boolean;
}

interface StaleCopy {
  readonly state: unknown;
  readonly until: number;
}

/** Decides, per call, which injected faults apply; also runs scheduled faults (out-of-band writers, alarms). */
export class FaultEngine {
  /** The fault that decided the last error, for the call log. */
  lastFault: string | undefined;
  private readonly stale = new Map<ServiceName, StaleCopy>();

  constructor(private readonly world: World) {}

  add(fault: Fault): void {
    this.world.state.faults.push({ fault, addedAt: this.world.now(), fired: 0 });
  }

  clear(): void {
    this.world.state.faults.length = 0;
    this.stale.clear();
  }

  /** Throws the throttling or 5xx error a fault calls for; reports lost writes and timeouts after apply. */
  before(call: SimCall, mutating: boolean): CallOutcome {
    let lostWrite = false;
    let timeoutAfterApply = false;
    for (const record of this.matching(call)) {
      const { fault } = record;
      switch (fault.type) {
        case 'throttle':
          if (this.fires(record, fault)) {
            const e = throttlingError(call.service);
            this.lastFault = 'throttle';
            throw new SimServiceError(e.code, e.message, { httpStatus: e.httpStatus, ...(e.retryAfterSeconds ? { retryAfterSeconds: e.retryAfterSeconds } : {}), ...(e.extra ? { extra: e.extra } : {}) });
          }
          break;
        case 'error':
          if (this.fires(record, fault)) {
            const e = serverError(call.service, fault.status);
            this.lastFault = 'error';
            throw new SimServiceError(fault.code ?? e.code, e.message, { httpStatus: e.httpStatus, type: 'Receiver' });
          }
          break;
        case 'lostWrite':
          if (mutating && this.fires(record, fault)) lostWrite = true;
          break;
        case 'timeoutAfterApply':
          if (mutating && this.fires(record, fault)) timeoutAfterApply = true;
          break;
        default:
          break;
      }
    }
    return { lostWrite, timeoutAfterApply };
  }

  latencyFor(call: SimCall): number {
    return this.matching(call).reduce((ms, r) => (r.fault.type === 'latency' ? ms + r.fault.ms : ms), 0);
  }

  /** Whether a fault of this type is active for the service now (services consult it for their own faults). */
  active(type: Fault['type'], service: ServiceName): boolean {
    return this.world.state.faults.some((r) => r.fault.type === type && (!('service' in r.fault) || r.fault.service === undefined || r.fault.service === service) && this.inWindow(r));
  }

  tracksStaleReads(service: ServiceName): boolean {
    return this.world.state.faults.some((r) => r.fault.type === 'staleRead' && r.fault.service === service && this.inWindow(r));
  }

  /** Keeps the state from before a write, served to reads for the fault's window. */
  rememberBeforeWrite(service: ServiceName, state: unknown): void {
    const record = this.world.state.faults.find((r) => r.fault.type === 'staleRead' && r.fault.service === service && this.inWindow(r));
    if (!record || record.fault.type !== 'staleRead') return;
    const existing = this.stale.get(service);
    const now = this.world.now();
    // Keep the oldest copy while one is still being served: reads lag behind the first unseen write.
    if (existing && existing.until > now) return;
    this.stale.set(service, { state, until: now + record.fault.ms });
  }

  /** The context a read sees: the stale copy while a stale-read window is open. */
  readContext<S>(service: ServiceName, ctx: ServiceContext<S>): ServiceContext<S> {
    const copy = this.stale.get(service);
    if (!copy || copy.until <= this.world.now()) return ctx;
    return { ...ctx, state: copy.state as S };
  }

  /** The next scheduled fault (writer, alarm) due by `now`. */
  nextScheduled(now: number): { at: number; apply: () => void } | undefined {
    let best: { at: number; apply: () => void } | undefined;
    for (const record of this.world.state.faults) {
      const { fault } = record;
      if ((fault.type !== 'writer' && fault.type !== 'alarm') || record.fired > 0) continue;
      const at = record.addedAt + fault.at * 1000;
      if (at > now || (best && best.at <= at)) continue;
      best = { at, apply: () => this.applyScheduled(record) };
    }
    return best;
  }

  private applyScheduled(record: FaultRecord): void {
    record.fired += 1;
    const { fault } = record;
    if (fault.type === 'writer') {
      const service = this.world.service(fault.service);
      if (!service.drift) throw new Error(`the simulated ${fault.service} has no out-of-band writer`);
      service.drift(this.world.context(fault.service), fault.params);
    } else if (fault.type === 'alarm') {
      const cloudwatch = this.world.service('cloudwatch');
      cloudwatch.drift?.(this.world.context('cloudwatch'), { alarm: fault.alarm, state: fault.state, ...(fault.holdSeconds ? { holdSeconds: fault.holdSeconds } : {}) });
    }
  }

  private matching(call: SimCall): FaultRecord[] {
    return this.world.state.faults.filter((r) => {
      const f = r.fault;
      if (!('service' in f) || f.service !== call.service) return false;
      if ('operation' in f && f.operation && f.operation !== call.operation) return false;
      return this.inWindow(r);
    });
  }

  private inWindow(record: FaultRecord): boolean {
    const f = record.fault;
    const elapsed = (this.world.now() - record.addedAt) / 1000;
    if ('from' in f && f.from !== undefined && elapsed < f.from) return false;
    if ('until' in f && f.until !== undefined && elapsed >= f.until) return false;
    return true;
  }

  private fires(record: FaultRecord, fault: { rate?: number; count?: number }): boolean {
    if (fault.count !== undefined) {
      if (record.fired >= fault.count) return false;
      record.fired += 1;
      return true;
    }
    const fire = fault.rate !== undefined && this.world.randomDraw() < fault.rate;
    if (fire) record.fired += 1;
    return fire;
  }
}
