import { assign } from 'xstate';
import type { Plan, Step } from '../strategies/types.js';
import type { RolloutContext } from './context.js';

/* XState's config types for generated state maps are not expressible without the machine's own generics;
   the generated objects are checked by the machine tests instead. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type StateConfig = Record<string, any>;

const snapshotsOf = (context: RolloutContext) => context.snapshots ?? {};
const fail = (kind: string) => ({ target: '#rollingBack', actions: [{ type: 'recordFailure', params: { kind } }] });

/** Index of the final traffic (or capacity) move: `promote --full` jumps there. */
export function finalMoveIndex(plan: Plan): number {
  return plan.steps.findLastIndex((s) => s.type === 'setWeight' || s.type === 'deployCapacity');
}

export function stepStateId(index: number): string {
  return `step-${index}`;
}

/** One state per step: `working` does the step's effect, `settled` waits for a fresh gate reading, then moves on. */
export function stepStates(plan: Plan): StateConfig {
  const finalIndex = finalMoveIndex(plan);
  const states: StateConfig = {};
  plan.steps.forEach((step, index) => {
    const next = index === plan.steps.length - 1 ? '#finalCheck' : `#${stepStateId(index + 1)}`;
    // promote --full jumps to the final move, but like any move up only on a gate reading taken after settling.
    const jumpToFinal = index < finalIndex ? [{ guard: 'fullPromotionReady', target: `#${stepStateId(finalIndex)}`, actions: 'clearFullPromotion' }] : [];
    states[stepStateId(index)] = {
      id: stepStateId(index),
      tags: [step.type],
      entry: [{ type: 'enterStep', params: { index } }, 'markStepStart'],
      exit: 'leaveStep',
      initial: 'working',
      states: {
        working: workingState(step, index),
        settled: {
          entry: ['markAwaitingGates', 'pollNow'],
          always: [...jumpToFinal, { guard: 'gatesAllowProgress', target: next }],
        },
      },
    };
  });
  return states;
}

/** What each kind of step does before it settles. */
function workingState(step: Step, index: number): StateConfig {
  switch (step.type) {
    case 'setWeight':
      return {
        entry: [{ type: 'recordApplied', params: { type: 'traffic' } }],
        invoke: {
          src: 'shiftTraffic',
          input: ({ context }: { context: RolloutContext }) => ({ weight: step.weight, fromWeight: context.weight, stepIndex: index, snapshots: snapshotsOf(context) }),
          onDone: { target: 'settled', actions: assign({ weight: step.weight }) },
          onError: fail('effect'),
        },
      };
    case 'deployCapacity':
      return {
        initial: 'starting',
        states: {
          starting: {
            entry: [{ type: 'recordApplied', params: { type: 'capacity' } }],
            invoke: {
              src: 'startCapacity',
              input: ({ context }: { context: RolloutContext }) => ({ percent: step.percent, handle: context.capacityHandle, stepIndex: index, snapshots: snapshotsOf(context) }),
              onDone: {
                target: 'progressing',
                actions: assign({ capacityHandle: ({ event }: { event: { output: { handle: unknown } } }) => event.output.handle }),
              },
              onError: fail('capacity'),
            },
          },
          progressing: {
            invoke: {
              src: 'awaitCapacity',
              input: ({ context }: { context: RolloutContext }) => ({ percent: step.percent, handle: context.capacityHandle, stepIndex: index, snapshots: snapshotsOf(context) }),
              onDone: { target: '#' + stepStateId(index) + '.settled', actions: assign({ capacityPercent: step.percent }) },
              onError: fail('capacity'),
            },
          },
        },
      };
    case 'bake':
      return waitState(step.seconds, false);
    case 'pause':
      return waitState(step.seconds, true);
    case 'approval':
      return {
        tags: ['waitingForApproval'],
        on: { PROMOTE: promoteTo('settled') },
      };
    case 'hook':
      return {
        invoke: {
          src: 'runHook',
          input: ({ context }: { context: RolloutContext }) => ({ name: step.name, stepIndex: index, weight: context.weight }),
          onDone: 'settled',
          onError: fail('hook'),
        },
      };
    case 'analysis':
      return {
        initial: 'running',
        states: {
          running: {
            invoke: {
              src: 'runAnalysis',
              input: ({ context }: { context: RolloutContext }) => ({ name: step.name, stepIndex: index, weight: context.weight }),
              onDone: [
                { guard: 'analysisInconclusiveFails', ...fail('analysis') },
                { guard: ({ context, event }: { context: RolloutContext; event: { output: { verdict: string } } }) => event.output.verdict === 'inconclusive' && context.settings.onInconclusive === 'pause', target: 'held' },
                { target: '#' + stepStateId(index) + '.settled' },
              ],
              onError: fail('analysis'),
            },
          },
          /** An inconclusive analysis under the pause policy waits for a person to promote or abort. */
          held: { tags: ['waitingForApproval'], on: { PROMOTE: promoteTo('#' + stepStateId(index) + '.settled') } },
        },
      };
    case 'retireOld':
      return {
        entry: [{ type: 'recordApplied', params: { type: 'retire' } }],
        invoke: {
          src: 'retireOld',
          input: ({ context }: { context: RolloutContext }) => ({ stepIndex: index, snapshots: snapshotsOf(context) }),
          onDone: 'settled',
          onError: fail('capacity'),
        },
      };
    default: {
      const unknown: never = step;
      throw new Error(`unknown step ${JSON.stringify(unknown)}`);
    }
  }
}

/** A bake or pause: waits until stepStartedAt + seconds, so a resumed deployment waits only what is left. */
function waitState(seconds: number, promotable: boolean): StateConfig {
  return {
    ...(promotable ? { tags: ['pause'], on: { PROMOTE: promoteTo('settled') } } : {}),
    invoke: {
      src: 'wait',
      input: ({ context }: { context: RolloutContext }) => ({ until: (context.stepStartedAt ?? 0) + seconds * 1000 }),
      onDone: 'settled',
    },
  };
}

/** PROMOTE ends the wait; with --full it also asks for the jump to the final move (taken once gates are fresh). */
function promoteTo(target: string): StateConfig[] {
  return [{ guard: 'isFullPromotion', target, actions: 'requestFullPromotion' }, { target }];
}
