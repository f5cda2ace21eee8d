import type { DeployEvent } from '../../src/engine/events.js';
import { NO_ANALYSES, NO_HOOKS, type AnalysisRunner, type HookRunner, type PreflightGate, type Runtime } from '../../src/engine/runtime.js';
import { DeployError } from '../../src/errors.js';
import type { GateResult } from '../../src/gates/types.js';
import type { VirtualClock } from '../../src/time/clock.js';
import { NEW_VERSION, ORIGINAL_VERSION, WorldCapacity, WorldTraffic } from './propertyWorldTargets.js';

/**
 * A small world for property-based tests: traffic targets and a capacity service whose whole live state is one
 * JSON value (so a "crash" can copy it into a new world), faults decided by the scenario rather than by call
 * counts (so a restored run meets the same faults), and one ordered log of every state change and every event.
 */

export interface TrafficFaults {
  readonly preflightErrors?: readonly string[];
  /** setWeight to this weight throws an AWS error, every time. */
  readonly throwAt?: number;
  /** The first write of this weight is silently lost (reads show the old weight); a retry takes. */
  readonly loseFirstAt?: number;
  /** Every write of this weight is lost: the step fails once the verify attempts are used up. */
  readonly neverTakesAt?: number;
  /** Reading back this weight reports a foreign change. */
  readonly driftAt?: number;
  readonly restoreFails?: boolean;
}

export interface CapacityFaults {
  readonly preflightErrors?: readonly string[];
  /** New capacity comes up at this many percent per second. */
  readonly ratePerSecond: number;
  readonly startThrows?: boolean;
  /** The deployment fails once its new capacity passes this percent (tasks fail health checks). */
  readonly failAbove?: number;
  readonly retireThrows?: boolean;
  readonly rollbackFails?: boolean;
}

/** A gate verdict from `from` until `to` (ms after the world's start); outside every window the gate is ok. */
export interface GateWindow {
  readonly from: number;
  readonly to: number;
  readonly verdict: 'alarm' | 'inconclusive' | 'error';
}

/** A gate verdict for every check of step `step` or later (a verdict tied to progress, not to time). */
export interface StepVerdict {
  readonly step: number;
  readonly verdict: GateWindow['verdict'];
}

export interface WorldSpec {
  readonly traffic: readonly { readonly label: string; readonly faults: TrafficFaults }[];
  readonly capacity: { readonly label: string; readonly faults: CapacityFaults } | null;
  readonly gateWindows: readonly GateWindow[];
  readonly stepVerdicts: readonly StepVerdict[];
  readonly failingHooks: readonly string[];
  readonly analyses: Readonly<Record<string, 'pass' | 'fail' | 'inconclusive'>>;
  readonly hookNames: readonly string[];
}

export interface TrafficConfig {
  readonly weights: { readonly stable: number; readonly canary: number };
  readonly untouched: string;
}

export interface CapacityState {
  readonly version: string;
  readonly deployment: string | null;
  /** Percent the deployment is heading for, and where it stood at `baseAt`. */
  readonly target: number;
  readonly base: number;
  readonly baseAt: number;
  readonly failed: boolean;
  readonly oldSideUp: boolean;
}

/** The live state of every target: plain JSON. */
export interface WorldState {
  readonly traffic: Record<string, { config: TrafficConfig; lostOnce: number[] }>;
  readonly capacity: Record<string, CapacityState>;
}

export type WorldOp =
  | { readonly op: 'write'; readonly target: string; readonly weight: number; readonly lost: boolean }
  | { readonly op: 'restore'; readonly target: string; readonly changed: boolean }
  | { readonly op: 'capacity.start'; readonly target: string; readonly percent: number }
  | { readonly op: 'capacity.rollback'; readonly target: string; readonly changed: boolean }
  | { readonly op: 'retire'; readonly target: string }
  | { readonly op: 'restoreOld'; readonly target: string; readonly changed: boolean }
  | { readonly op: 'outOfBand'; readonly target: string; readonly weight: number };

export type LogEntry = (WorldOp & { readonly at: number }) | { readonly op: 'event'; readonly at: number; readonly event: DeployEvent };

export const originalConfig = (label: string): TrafficConfig => ({ weights: { stable: 100, canary: 0 }, untouched: `keep-me:${label}` });
export { NEW_VERSION, ORIGINAL_VERSION };

export function initialWorldState(spec: WorldSpec): WorldState {
  const traffic: WorldState['traffic'] = {};
  for (const t of spec.traffic) traffic[t.label] = { config: originalConfig(t.label), lostOnce: [] };
  const capacity: WorldState['capacity'] = {};
  if (spec.capacity) capacity[spec.capacity.label] = { version: ORIGINAL_VERSION, deployment: null, target: 0, base: 0, baseAt: 0, failed: false, oldSideUp: true };
  return { traffic, capacity };
}

export class PropertyWorld {
  readonly log: LogEntry[] = [];
  readonly gateChecks: number[] = [];
  readonly state: WorldState;

  constructor(
    readonly spec: WorldSpec,
    readonly clock: VirtualClock,
    /** Clock time of the world's start: gate windows are relative to it. */
    readonly startedAt: number,
    state?: WorldState,
  ) {
    this.state = structuredClone(state ?? initialWorldState(spec));
  }

  record(op: WorldOp): void {
    this.log.push({ ...op, at: this.clock.now() });
  }

  /** Someone else changes a target's weights (a console click, another pipeline). */
  outOfBand(label: string, weight: number): void {
    const target = this.state.traffic[label];
    if (!target) return;
    target.config = { ...target.config, weights: { stable: 100 - weight, canary: weight } };
    this.record({ op: 'outOfBand', target: label, weight });
  }

  live(label: string): number {
    return this.state.traffic[label]!.config.weights.canary;
  }

  capacityPercent(label: string): number {
    const c = this.state.capacity[label]!;
    if (c.deployment === null) return 0;
    const rate = this.spec.capacity?.faults.ratePerSecond ?? 10;
    return Math.min(c.target, c.base + Math.floor(((this.clock.now() - c.baseAt) / 1000) * rate));
  }

  runtime(deploymentId = 'd-prop'): Runtime {
    return {
      deploymentId,
      clock: this.clock,
      emit: (event) => this.log.push({ op: 'event', at: this.clock.now(), event: { ...event, deploymentId, at: this.clock.now() } as DeployEvent }),
      traffic: this.spec.traffic.map((t) => new WorldTraffic(this, t.label, t.faults)),
      capacity: this.spec.capacity ? [new WorldCapacity(this, this.spec.capacity.label, this.spec.capacity.faults)] : [],
      gates: [this.gate()],
      hooks: this.hooks(),
      analyses: this.analyses(),
      capacityPollMs: 5_000,
    };
  }

  private gate(): PreflightGate {
    return {
      name: 'world-gate',
      check: async (ctx): Promise<GateResult> => {
        const now = this.clock.now();
        this.gateChecks.push(now);
        const verdict = this.spec.gateWindows.find((w) => now - this.startedAt >= w.from && now - this.startedAt < w.to)?.verdict ?? this.spec.stepVerdicts.find((v) => ctx.stepIndex >= v.step)?.verdict;
        if (verdict === undefined) return { type: 'ok' };
        if (verdict === 'error') throw new Error('Throttling: Rate exceeded');
        if (verdict === 'alarm') return { type: 'alarm', names: ['errors-high'], reason: 'errors-high is in ALARM' };
        return { type: 'inconclusive', reason: 'errors-high is INSUFFICIENT_DATA' };
      },
    };
  }

  private hooks(): HookRunner {
    if (this.spec.hookNames.length === 0) return NO_HOOKS;
    return {
      names: this.spec.hookNames,
      run: async (name) => {
        if (this.spec.failingHooks.includes(name)) throw new DeployError('HOOK_FAILED', `hook ${name} returned 500`);
        return { detail: 'ok' };
      },
    };
  }

  private analyses(): AnalysisRunner {
    const names = Object.keys(this.spec.analyses);
    if (names.length === 0) return NO_ANALYSES;
    return { names, run: async (name) => ({ verdict: this.spec.analyses[name] ?? 'pass', detail: `analysis ${name}` }) };
  }
}
