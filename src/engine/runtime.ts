import type { Gate } from '../gates/types.js';
import type { CapacityProvider, PreflightReport, TrafficProvider } from '../providers/types.js';
import type { Clock } from '../time/clock.js';
import type { DeployEvent } from './events.js';

/** Distributes `Omit` over the event union so each variant keeps its own fields. */
export type EventInput = DeployEvent extends infer E ? (E extends DeployEvent ? Omit<E, 'deploymentId' | 'at'> : never) : never;

export interface HookContext {
  readonly deploymentId: string;
  readonly signal: AbortSignal;
  readonly stepIndex: number;
  readonly weight: number;
}

/** Runs lifecycle hooks by name (Lambda, webhook, command). Throws DeployError('HOOK_FAILED') when one fails. */
export interface HookRunner {
  readonly names: readonly string[];
  run(name: string, ctx: HookContext): Promise<{ detail: string }>;
}

export type AnalysisVerdict = { readonly verdict: 'pass' | 'fail' | 'inconclusive'; readonly detail: string };

export interface AnalysisRunner {
  readonly names: readonly string[];
  run(name: string, ctx: HookContext): Promise<AnalysisVerdict>;
}

/** Gates may check their configuration before the rollout starts (alarms exist, none already firing). */
export interface PreflightGate extends Gate {
  preflight?(ctx: { deploymentId: string; signal: AbortSignal }): Promise<PreflightReport>;
}

/** Everything the machine's effects need, assembled by the SDK from options (or by tests from fakes). */
export interface Runtime {
  readonly deploymentId: string;
  readonly clock: Clock;
  readonly emit: (event: EventInput) => void;
  readonly traffic: readonly TrafficProvider[];
  readonly capacity: readonly CapacityProvider[];
  readonly gates: readonly PreflightGate[];
  readonly hooks: HookRunner;
  readonly analyses: AnalysisRunner;
  /** How a write is verified: attempts (write + read back) and the first backoff between them. */
  readonly verify?: { readonly attempts: number; readonly backoffMs: number };
  /** How often capacity progress is polled, ms. */
  readonly capacityPollMs?: number;
  /** A capacity step without progress for this long fails, ms (default one hour). */
  readonly capacityDeadlineMs?: number;
}

export const NO_HOOKS: HookRunner = {
  names: [],
  run: async (name) => {
    throw new Error(`no hook named ${name} is defined`);
  },
};

export const NO_ANALYSES: AnalysisRunner = {
  names: [],
  run: async (name) => {
    throw new Error(`no analysis named ${name} is defined`);
  },
};
