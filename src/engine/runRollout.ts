import { createActor, type Snapshot } from 'xstate';
import type { Failure } from './events.js';
import type { RolloutContext, RolloutSettings } from '../machines/context.js';
import { createRolloutMachine } from '../machines/rolloutMachine.js';
import type { Plan } from '../strategies/types.js';
import { bindEffects, type WritePhase } from './bindEffects.js';
import { DeployError, messageOf } from '../errors.js';
import { eventsBetween, type SnapshotView } from './observe.js';
import type { Runtime } from './runtime.js';

export type RolloutOutcome = 'succeeded' | 'rolledBack' | 'rollbackFailed' | 'rejected' | 'paused';

export interface RolloutResult {
  readonly outcome: RolloutOutcome;
  readonly context: RolloutContext;
  readonly failure: Failure | null;
  /** The machine's persisted snapshot at the end (kept for resume and promote). */
  readonly snapshot: unknown;
}

/** A persisted transition: what the state store writes after every step of the machine. */
export interface Transition {
  readonly phase: string;
  readonly context: RolloutContext;
  readonly snapshot: unknown;
  readonly waitingForApproval: boolean;
}

export interface RolloutOptions {
  readonly plan: Plan;
  readonly settings?: Partial<RolloutSettings>;
  readonly runtime: Runtime;
  /** A persisted snapshot to continue from (resume after a crash, promote after --no-wait). */
  readonly snapshot?: unknown;
  /** Stop at the next approval and report `paused` instead of waiting for promote. */
  readonly noWait?: boolean;
  /** Called after every transition, in order; the run's result waits until the last call has finished. */
  readonly persist?: (transition: Transition) => void | Promise<void>;
}

export interface RunningRollout {
  promote(full?: boolean, by?: string): void;
  abort(reason?: string, by?: string): void;
  readonly result: Promise<RolloutResult>;
}

const FINAL_OUTCOMES = new Set(['succeeded', 'rolledBack', 'rollbackFailed', 'rejected']);

/** Runs a plan's machine with the runtime's effects until it ends or pauses at an approval. */
export function startRollout(options: RolloutOptions): RunningRollout {
  const { plan, runtime } = options;
  let persisting: Promise<void> = Promise.resolve();
  let storeError: unknown;
  const barrier = async (phase: WritePhase): Promise<void> => {
    // Let the transition that started this effect reach the persistence queue first (observers run right
    // after children start), then wait until it is written.
    await Promise.resolve();
    await persisting;
    if (phase === 'forward' && storeError !== undefined) {
      throw new DeployError('INTERNAL', `the deployment record cannot be written (${messageOf(storeError)}); not changing anything without it`, { cause: storeError });
    }
  };
  const machine = createRolloutMachine(plan);
  // The bound effects are typed by EffectTypes on both sides; XState cannot relate provided parameterized
  // assign actions to their setup() placeholders, hence the cast.
  const bound = machine.provide(bindEffects(runtime, plan, barrier) as unknown as Parameters<typeof machine.provide>[0]);
  const actor = createActor(bound, {
    input: { plan, ...(options.settings ? { settings: options.settings } : {}) },
    clock: runtime.clock,
    ...(options.snapshot ? { snapshot: options.snapshot as Snapshot<unknown> } : {}),
  });

  let previous: SnapshotView | undefined;
  let settle: (result: RolloutResult) => void = () => undefined;
  let fail: (error: unknown) => void = () => undefined;
  const result = new Promise<RolloutResult>((resolve, reject) => {
    settle = resolve;
    fail = reject;
  });

  const finish = (outcome: RolloutOutcome, view: SnapshotView): void => {
    const snapshot = actor.getPersistedSnapshot();
    subscription.unsubscribe();
    if (outcome === 'paused') actor.stop();
    persisting.then(() => settle({ outcome, context: view.context, failure: view.context.failure, snapshot }), fail);
  };

  const subscription = actor.subscribe({
    next: (snapshot) => {
      const view = viewOf(snapshot);
      const events = eventsBetween(previous, view);
      previous = view;
      if (options.persist) {
        // Write-ahead: a transition is reported only once its record is stored, and effects that change AWS
        // wait for it (barrier), so a crash never leaves a write the record does not describe.
        const transition: Transition = { phase: view.phase, context: view.context, snapshot: actor.getPersistedSnapshot(), waitingForApproval: view.tags.has('waitingForApproval') };
        const write = options.persist;
        persisting = persisting
          .then(() => write(transition))
          .catch((error: unknown) => {
            storeError ??= error;
          })
          .then(() => events.forEach((event) => runtime.emit(event)));
      } else {
        for (const event of events) runtime.emit(event);
      }
      if (view.status === 'done' && FINAL_OUTCOMES.has(view.phase)) finish(view.phase as RolloutOutcome, view);
      else if (options.noWait && view.tags.has('waitingForApproval')) finish('paused', view);
    },
    error: (error) => fail(error),
  });
  actor.start();

  return {
    promote: (full = false, by) => {
      runtime.emit({ type: 'control', action: 'promote', full, ...(by ? { by } : {}) });
      actor.send({ type: 'PROMOTE', full, ...(by ? { by } : {}) });
    },
    abort: (reason, by) => {
      runtime.emit({ type: 'control', action: 'abort', ...(reason ? { reason } : {}), ...(by ? { by } : {}) });
      actor.send({ type: 'ABORT', ...(reason ? { reason } : {}), ...(by ? { by } : {}) });
    },
    result,
  };
}

interface MachineSnapshotLike {
  status: SnapshotView['status'];
  value: unknown;
  context: RolloutContext;
  tags: Set<string>;
}

function viewOf(snapshot: unknown): SnapshotView {
  const s = snapshot as MachineSnapshotLike;
  const phase = typeof s.value === 'string' ? s.value : Object.keys(s.value as object)[0] ?? 'unknown';
  return { status: s.status, phase, context: s.context, tags: s.tags };
}

/** Convenience: runs to the end and returns the result. */
export function runRollout(options: RolloutOptions): Promise<RolloutResult> {
  return startRollout(options).result;
}
