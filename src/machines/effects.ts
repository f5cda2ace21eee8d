import { fromPromise } from 'xstate';
import type { GateResult } from '../gates/types.js';
import type { Json } from '../providers/types.js';
import type { Applied } from './context.js';
import type { Failure } from '../engine/events.js';

/** Inputs and outputs of the effects the machine names. Implementations are bound from outside (bindEffects). */
export interface EffectTypes {
  preflight: { input: Record<string, never>; output: { snapshots: Record<string, Json> } };
  shiftTraffic: { input: { weight: number; fromWeight: number; stepIndex: number; snapshots: Record<string, Json> }; output: void };
  startCapacity: { input: { percent: number; handle: Json; stepIndex: number; snapshots: Record<string, Json> }; output: { handle: Json } };
  awaitCapacity: { input: { percent: number; handle: Json; stepIndex: number; snapshots: Record<string, Json> }; output: { percent: number } };
  /** Until an absolute clock time (bakes: survives a restore), or for `ms` (gate polls: restarts in full). */
  wait: { input: { until: number } | { ms: number }; output: void };
  checkGates: { input: { stepIndex: number; weight: number; seq: number }; output: { result: GateResult; startedAt: number; seq: number } };
  runHook: { input: { name: string; stepIndex: number; weight: number }; output: void };
  runAnalysis: { input: { name: string; stepIndex: number; weight: number }; output: { verdict: 'pass' | 'inconclusive'; detail: string; name: string } };
  retireOld: { input: { stepIndex: number; snapshots: Record<string, Json> }; output: void };
  /** Reads every traffic target back before success: a change made by someone else during the final bake is drift. */
  verifyTraffic: { input: { weight: number; snapshots: Record<string, Json>; handle: Json }; output: void };
  rollback: { input: { applied: readonly Applied[]; snapshots: Record<string, Json>; failure: Failure | null; handle: Json }; output: void };
}

export type EffectName = keyof EffectTypes;

/** Placeholder that fails loudly: a machine run without bound effects is a programming error. */
function unbound<K extends EffectName>(name: K) {
  return fromPromise<EffectTypes[K]['output'], EffectTypes[K]['input']>(async () => {
    throw new Error(`effect ${name} is not bound; use bindEffects() or machine.provide()`);
  });
}

export const unboundEffects = {
  preflight: unbound('preflight'),
  shiftTraffic: unbound('shiftTraffic'),
  startCapacity: unbound('startCapacity'),
  awaitCapacity: unbound('awaitCapacity'),
  wait: unbound('wait'),
  checkGates: unbound('checkGates'),
  runHook: unbound('runHook'),
  runAnalysis: unbound('runAnalysis'),
  retireOld: unbound('retireOld'),
  verifyTraffic: unbound('verifyTraffic'),
  rollback: unbound('rollback'),
};
