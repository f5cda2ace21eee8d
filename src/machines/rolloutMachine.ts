import { assign, raise, setup } from 'xstate';
import type { DoneActorEvent, ErrorActorEvent } from 'xstate';
import { DeployError, messageOf } from '../errors.js';
import type { Failure } from '../engine/events.js';
import type { GateResult } from '../gates/types.js';
import type { Plan } from '../strategies/types.js';
import { initialContext, type RolloutContext, type RolloutInput } from './context.js';
import { unboundEffects } from './effects.js';
import { stepStates } from './stepStates.js';

export type RolloutEvent =
  | { type: 'PROMOTE'; full?: boolean; by?: string }
  | { type: 'ABORT'; reason?: string; by?: string }
  | { type: 'POLL_NOW' };

type FailureKind = Failure['kind'];

/** Reads the failure kind an effect error asks for (drift, capacity, ...), else the default for that place. */
function failureKindOf(error: unknown, fallback: FailureKind): FailureKind {
  if (error instanceof DeployError) {
    if (error.code === 'DRIFT') return 'drift';
    if (error.code === 'CAPACITY_FAILED') return 'capacity';
    if (error.code === 'HOOK_FAILED') return 'hook';
  }
  return fallback;
}

/**
 * Every effect and every clock-reading action is declared here by name; `bindEffects` supplies them.
 * Actions that read the clock are placeholders too, so that a machine never silently runs on wall time.
 */
export const rolloutSetup = setup({
  types: {
    context: {} as RolloutContext,
    events: {} as RolloutEvent,
    input: {} as RolloutInput,
  },
  actors: unboundEffects,
  actions: {
    /** Bound: assigns stepStartedAt = clock.now(). */
    markStepStart: () => {
      throw new Error('action markStepStart is not bound');
    },
    /** Bound: assigns the failure with the clock's time; params.kind is the default kind for that place. */
    recordFailure: (_, _params: { kind: FailureKind }) => {
      throw new Error('action recordFailure is not bound');
    },
    enterStep: assign((_, params: { index: number }) => ({ stepIndex: params.index, stepStartedAt: null, awaitingGatesAfter: null })),
    leaveStep: assign({ awaitingGatesAfter: null }),
    markAwaitingGates: assign(({ context }) => ({ awaitingGatesAfter: context.gate.started })),
    startGateCheck: assign(({ context }) => ({ gate: { ...context.gate, started: context.gate.started + 1 } })),
    recordApplied: assign(({ context }, params: { type: 'traffic' | 'capacity' | 'retire' }) => {
      if (context.applied.some((a) => a.type === params.type)) return {};
      return { applied: [...context.applied, { type: params.type }] };
    }),
    recordGate: assign(({ context, event }) => {
      const { result, startedAt, seq } = (event as unknown as DoneActorEvent<{ result: GateResult; startedAt: number; seq: number }>).output;
      const held = result.type === 'inconclusive' && context.settings.onInconclusive === 'pause';
      return { gate: { ...context.gate, last: result, checked: seq, checkedAt: startedAt, consecutiveErrors: 0, lastError: null, held } };
    }),
    countGateError: assign(({ context, event }) => ({
      gate: { ...context.gate, consecutiveErrors: context.gate.consecutiveErrors + 1, lastError: messageOf((event as unknown as ErrorActorEvent).error) },
    })),
    requestFullPromotion: assign({ pendingFullPromotion: true }),
    clearFullPromotion: assign({ pendingFullPromotion: false }),
    pollNow: raise({ type: 'POLL_NOW' }),
  },
  guards: {
    gateAlarm: ({ event }) => (event as unknown as DoneActorEvent<{ result: GateResult }>).output.result.type === 'alarm',
    gateInconclusiveFails: ({ context, event }) =>
      (event as unknown as DoneActorEvent<{ result: GateResult }>).output.result.type === 'inconclusive' && context.settings.onInconclusive === 'fail',
    gateErrorLimitReached: ({ context }) => context.gate.consecutiveErrors + 1 >= context.settings.gateErrorLimit,
    /** The step has settled and waits for a gate reading taken after it settled. */
    stepAwaitsFreshGates: ({ context }) =>
      context.awaitingGatesAfter !== null && context.gate.started <= context.awaitingGatesAfter && context.gate.consecutiveErrors === 0,
    gatesAllowProgress: ({ context }) =>
      context.awaitingGatesAfter !== null && context.gate.checked > context.awaitingGatesAfter && !context.gate.held,
    fullPromotionReady: ({ context }) =>
      context.pendingFullPromotion && context.awaitingGatesAfter !== null && context.gate.checked > context.awaitingGatesAfter && !context.gate.held,
    analysisInconclusiveFails: ({ context, event }) =>
      (event as unknown as DoneActorEvent<{ verdict: string }>).output.verdict === 'inconclusive' && context.settings.onInconclusive === 'fail',
    isFullPromotion: ({ event }) => event.type === 'PROMOTE' && event.full === true,
  },
});

/** The default kind of failure for an effect error at each place, refined by the error itself. */
export function failureKind(error: unknown, fallback: FailureKind): FailureKind {
  return failureKindOf(error, fallback);
}

export function errorMessage(event: unknown): string {
  return messageOf((event as ErrorActorEvent).error);
}

/**
 * One machine per plan: one state per step (step-0 ... step-N), a parallel gate region polling on the machine's
 * clock for the whole rollout, ABORT from anywhere, rollback that undoes only what ran, in reverse order.
 */
export function createRolloutMachine(plan: Plan) {
  return rolloutSetup.createMachine({
    id: 'rollout',
    context: ({ input }) => initialContext(input),
    initial: 'preflight',
    on: {
      ABORT: { target: '#rollingBack', actions: [{ type: 'recordFailure', params: { kind: 'abort' } }] },
      PROMOTE: { guard: 'isFullPromotion', actions: 'requestFullPromotion' },
    },
    states: {
      preflight: {
        invoke: {
          src: 'preflight',
          input: () => ({}),
          onDone: { target: 'running', actions: assign({ snapshots: ({ event }) => event.output.snapshots }) },
          onError: { target: 'rejected', actions: [{ type: 'recordFailure', params: { kind: 'preflight' } }] },
        },
      },
      running: {
        type: 'parallel',
        states: {
          steps: { initial: plan.steps.length > 0 ? 'step-0' : 'empty', states: { ...stepStates(plan), empty: { always: '#finalCheck' } } },
          gates: {
            initial: 'waiting',
            states: {
              waiting: {
                always: { guard: 'stepAwaitsFreshGates', target: 'checking' },
                // An invoked wait, not an `after` delay: delays are not kept in a persisted snapshot, and a
                // restored deployment must go on polling.
                invoke: { src: 'wait', input: ({ context }) => ({ ms: context.settings.pollSeconds * 1000 }), onDone: 'checking' },
                on: { POLL_NOW: 'checking' },
              },
              checking: {
                entry: 'startGateCheck',
                invoke: {
                  src: 'checkGates',
                  input: ({ context }) => ({ stepIndex: context.stepIndex, weight: context.weight, seq: context.gate.started }),
                  onDone: [
                    { guard: 'gateAlarm', target: '#rollingBack', actions: ['recordGate', { type: 'recordFailure', params: { kind: 'gate' } }] },
                    { guard: 'gateInconclusiveFails', target: '#rollingBack', actions: ['recordGate', { type: 'recordFailure', params: { kind: 'gate' } }] },
                    { target: 'waiting', actions: 'recordGate' },
                  ],
                  onError: [
                    { guard: 'gateErrorLimitReached', target: '#rollingBack', actions: ['countGateError', { type: 'recordFailure', params: { kind: 'gateErrors' } }] },
                    { target: 'waiting', actions: 'countGateError' },
                  ],
                },
              },
            },
          },
        },
      },
      finalCheck: {
        id: 'finalCheck',
        invoke: {
          src: 'verifyTraffic',
          input: ({ context }) => ({ weight: context.weight, snapshots: context.snapshots ?? {}, handle: context.capacityHandle }),
          onDone: { target: 'succeeded' },
          onError: { target: '#rollingBack', actions: [{ type: 'recordFailure', params: { kind: 'drift' } }] },
        },
      },
      rollingBack: {
        id: 'rollingBack',
        on: { ABORT: { actions: [] }, PROMOTE: { actions: [] } },
        invoke: {
          src: 'rollback',
          input: ({ context }) => ({ applied: context.applied, snapshots: context.snapshots ?? {}, failure: context.failure, handle: context.capacityHandle }),
          onDone: { target: 'rolledBack' },
          onError: {
            target: 'rollbackFailed',
            actions: assign({
              rollbackError: ({ event }) => messageOf(event.error),
              rollbackCommands: ({ event }) => (event.error instanceof DeployError ? [...event.error.details] : []),
            }),
          },
        },
      },
      succeeded: { id: 'succeeded', type: 'final' },
      rolledBack: { type: 'final' },
      rollbackFailed: { type: 'final' },
      rejected: { type: 'final' },
    },
  });
}

export type RolloutMachine = ReturnType<typeof createRolloutMachine>;
