import type { Failure } from '../engine/events.js';
import type { GateResult, InconclusivePolicy } from '../gates/types.js';
import type { Json } from '../providers/types.js';
import type { Plan } from '../strategies/types.js';

export interface RolloutSettings {
  /** Gate poll interval, seconds. */
  readonly pollSeconds: number;
  /** Consecutive gate read failures before failing closed. */
  readonly gateErrorLimit: number;
  readonly onInconclusive: InconclusivePolicy;
}

/** What ran, so that rollback undoes exactly that, in reverse order. */
export type Applied = { readonly type: 'traffic' } | { readonly type: 'capacity' } | { readonly type: 'retire' };

export interface GateState {
  readonly last: GateResult | null;
  /** Number of checks started so far; each check is numbered, so "fresh" never depends on clock resolution. */
  readonly started: number;
  /** Number of the check that produced `last`; 0 before the first. */
  readonly checked: number;
  /** Clock time at which the check that produced `last` started. */
  readonly checkedAt: number;
  readonly consecutiveErrors: number;
  /** Message of the last failed read, while failures continue. */
  readonly lastError: string | null;
  /** An inconclusive verdict under the `pause` policy holds the rollout at its current step. */
  readonly held: boolean;
}

/** Plain JSON only, so a persisted snapshot restores and continues in another process. */
export interface RolloutContext {
  readonly plan: Plan;
  readonly settings: RolloutSettings;
  readonly stepIndex: number;
  /** Last verified traffic weight on the new version, percent. */
  readonly weight: number;
  readonly capacityPercent: number;
  readonly capacityHandle: Json;
  readonly applied: readonly Applied[];
  /** Captured original configuration per target label, taken before the first write. */
  readonly snapshots: Readonly<Record<string, Json>> | null;
  readonly stepStartedAt: number | null;
  /** Set when a step has settled: the next step waits for a gate check numbered higher than this. */
  readonly awaitingGatesAfter: number | null;
  readonly gate: GateState;
  readonly failure: Failure | null;
  readonly rollbackError: string | null;
  /** aws CLI commands that restore by hand what the rollback could not. */
  readonly rollbackCommands: readonly string[];
  readonly pendingFullPromotion: boolean;
}

export interface RolloutInput {
  readonly plan: Plan;
  readonly settings?: Partial<RolloutSettings>;
}

export const DEFAULT_SETTINGS: RolloutSettings = { pollSeconds: 10, gateErrorLimit: 4, onInconclusive: 'ignore' };

export function initialContext(input: RolloutInput): RolloutContext {
  return {
    plan: input.plan,
    settings: { ...DEFAULT_SETTINGS, ...input.settings },
    stepIndex: -1,
    weight: 0,
    capacityPercent: 0,
    capacityHandle: null,
    applied: [],
    snapshots: null,
    stepStartedAt: null,
    awaitingGatesAfter: null,
    gate: { last: null, started: 0, checked: 0, checkedAt: -1, consecutiveErrors: 0, lastError: null, held: false },
    failure: null,
    rollbackError: null,
    rollbackCommands: [],
    pendingFullPromotion: false,
  };
}

/** Final states of the machine; the final state *is* the result. */
export type FinalState = 'succeeded' | 'rolledBack' | 'rollbackFailed' | 'rejected';
