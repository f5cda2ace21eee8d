import { assign, fromPromise } from 'xstate';
import type { ErrorActorEvent } from 'xstate';
import { DeployError, messageOf } from '../errors.js';
import type { Failure } from './events.js';
import type { RolloutContext } from '../machines/context.js';
import type { EffectTypes } from '../machines/effects.js';
import { failureKind, type RolloutEvent } from '../machines/rolloutMachine.js';
import type { GateResult } from '../gates/types.js';
import { worstOf } from '../gates/types.js';
import type { Json, ProviderContext } from '../providers/types.js';
import type { Plan } from '../strategies/types.js';
import { awaitCapacity, capacityContext, checkpointsOf, handleFor, startCapacity } from './capacity.js';
import { rollback } from './rollback.js';
import type { Runtime } from './runtime.js';
import { preflightAll } from './preflight.js';
import { shiftAndVerify, snapshotFor } from './shiftTraffic.js';
import { abortError } from '../time/clock.js';

type Effect<K extends keyof EffectTypes> = (input: EffectTypes[K]['input'], signal: AbortSignal) => Promise<EffectTypes[K]['output']>;

function effect<K extends keyof EffectTypes>(run: Effect<K>) {
  return fromPromise<EffectTypes[K]['output'], EffectTypes[K]['input']>(({ input, signal }) => run(input, signal));
}

/** Forward writes need the record describing them stored first; a rollback goes ahead even if the store fails. */
export type WritePhase = 'forward' | 'rollback';

const NO_BARRIER = async (): Promise<void> => undefined;

/**
 * Turns providers, gates and hooks into the machine's named effects and clock-reading actions. `barrier` is
 * awaited before every effect that changes AWS (write-ahead of the deployment record).
 */
export function bindEffects(runtime: Runtime, plan: Plan, barrier: (phase: WritePhase) => Promise<void> = NO_BARRIER) {
  const writes = new InflightWrites();
  const base = (signal: AbortSignal): ProviderContext => ({ deploymentId: runtime.deploymentId, signal, clock: runtime.clock, emit: (e) => runtime.emit(e) });
  const hookContext = (input: { stepIndex: number; weight: number }, signal: AbortSignal) => ({ deploymentId: runtime.deploymentId, signal, ...input });

  const actors = {
    preflight: effect<'preflight'>(async (_input, signal) => ({ snapshots: await preflightAll(runtime, base(signal)) })),
    shiftTraffic: effect<'shiftTraffic'>(({ weight, fromWeight, snapshots }, signal) =>
      writes.track(async () => {
        await barrier('forward');
        for (const provider of runtime.traffic) {
          if (signal.aborted) throw abortError(signal);
          // A write in flight is never cut off: its outcome must be known before a rollback reads and restores.
          await shiftAndVerify(provider, weight, { ...base(NEVER_ABORTED), snapshot: snapshotFor(snapshots, provider.lockKey), fromPercent: fromWeight, stop: signal }, runtime, signal);
        }
      }),
    ),
    startCapacity: effect<'startCapacity'>(async ({ percent, handle, snapshots }, signal) => {
      await barrier('forward');
      return { handle: await startCapacity(percent, handle, snapshots, plan, runtime, base(signal)) };
    }),
    awaitCapacity: effect<'awaitCapacity'>(async ({ percent, handle, snapshots }, signal) => {
      await awaitCapacity(percent, handle, snapshots, plan, runtime, base(signal));
      return { percent };
    }),
    wait: effect<'wait'>((input, signal) => runtime.clock.sleep('ms' in input ? input.ms : input.until - runtime.clock.now(), signal)),
    checkGates: effect<'checkGates'>(async ({ stepIndex, weight, seq }, signal) => {
      const startedAt = runtime.clock.now();
      const results = await Promise.all(runtime.gates.map((gate) => gate.check({ deploymentId: runtime.deploymentId, signal, stepIndex, weight })));
      return { result: worstOf(results), startedAt, seq };
    }),
    runHook: effect<'runHook'>(async ({ name, stepIndex, weight }, signal) => {
      try {
        const { detail } = await runtime.hooks.run(name, hookContext({ stepIndex, weight }, signal));
        runtime.emit({ type: 'hook.finished', name, passed: true, detail });
      } catch (error) {
        runtime.emit({ type: 'hook.finished', name, passed: false, detail: messageOf(error) });
        throw error instanceof DeployError ? error : new DeployError('HOOK_FAILED', `hook ${name} failed: ${messageOf(error)}`, { cause: error });
      }
    }),
    runAnalysis: effect<'runAnalysis'>(async ({ name, stepIndex, weight }, signal) => {
      const result = await runtime.analyses.run(name, hookContext({ stepIndex, weight }, signal));
      runtime.emit({ type: 'analysis.finished', name, verdict: result.verdict, detail: result.detail });
      if (result.verdict === 'fail') throw new DeployError('GATE_FAILED', `analysis ${name} failed: ${result.detail}`);
      return { verdict: result.verdict, detail: result.detail, name };
    }),
    retireOld: effect<'retireOld'>(async ({ snapshots }, signal) => {
      await barrier('forward');
      for (const provider of runtime.capacity) {
        await provider.retireOld(capacityContext(base(signal), snapshots[provider.lockKey] ?? null, checkpointsOf(plan), plan));
      }
    }),
    verifyTraffic: effect<'verifyTraffic'>(async ({ weight, snapshots, handle }, signal) => {
      for (const provider of runtime.traffic) {
        const check = await provider.verifyWeight(weight, { ...base(signal), snapshot: snapshotFor(snapshots, provider.lockKey), fromPercent: weight });
        if (check.status !== 'ok') throw new DeployError('DRIFT', `${provider.label} changed during the final bake: ${check.detail}`);
      }
      // Capacity too: a deployment made by someone else during the final bake is a failed status of ours.
      for (const provider of runtime.capacity) {
        const own = handleFor(handle, provider.lockKey);
        if (own === undefined) continue;
        const status = await provider.status(own, capacityContext(base(signal), snapshots[provider.lockKey] ?? null, checkpointsOf(plan), plan));
        if (status.state === 'failed') throw new DeployError('DRIFT', `${provider.label} changed during the final bake: ${status.reason}`);
      }
    }),
    rollback: effect<'rollback'>(async ({ applied, snapshots, handle }, signal) => {
      await barrier('rollback');
      await writes.settled();
      await rollback({ applied, snapshots, handle }, runtime, signal);
    }),
  };

  const actions = {
    markStepStart: assign({ stepStartedAt: () => runtime.clock.now() }),
    recordFailure: assign(({ context, event }: { context: RolloutContext; event: unknown }, params: { kind: Failure['kind'] }) => {
      if (context.failure) return {};
      return { failure: describeFailure(context, event as unknown as FailureEvent, params.kind, runtime.clock.now()) };
    }),
  };
  return { actors, actions };
}

type FailureEvent = RolloutEvent | ErrorActorEvent | { output: { result: GateResult } } | { output: { verdict: string; detail: string; name?: string } };

function describeFailure(context: RolloutContext, event: FailureEvent, kind: Failure['kind'], at: number): Failure {
  const stepIndex = context.stepIndex;
  if ('type' in event && event.type === 'ABORT') {
    const by = event.by ? ` by ${event.by}` : '';
    return { kind: 'abort', message: `aborted${by}${event.reason ? `: ${event.reason}` : ''}`, stepIndex, at };
  }
  if ('output' in event && event.output && typeof event.output === 'object' && 'result' in event.output) {
    const result = event.output.result;
    const message = result.type === 'alarm' ? `gate fired: ${result.reason}` : result.type === 'inconclusive' ? `gate inconclusive (policy fail): ${result.reason}` : 'gate';
    return { kind: 'gate', message, stepIndex, at };
  }
  if ('output' in event && event.output && typeof event.output === 'object' && 'verdict' in event.output) {
    const output = event.output as { verdict: string; detail: string; name?: string };
    return { kind: 'analysis', message: `analysis ${output.name ?? ''} inconclusive (policy fail): ${output.detail}`.replace('analysis  ', 'analysis '), stepIndex, at };
  }
  const error = 'error' in event ? event.error : undefined;
  // Preflight refused the targets (exit 2: fix the input), or could not read them (an AWS error: try again).
  if (kind === 'preflight' && !(error instanceof DeployError && error.code === 'PREFLIGHT_FAILED')) {
    return { kind: 'effect', message: `preflight could not read the targets: ${messageOf(error)}`, stepIndex, at };
  }
  if (kind === 'gateErrors') {
    return { kind, message: `gate checks failed ${context.gate.consecutiveErrors} times in a row (failing closed): ${messageOf(error)}`, stepIndex, at };
  }
  return { kind: failureKind(error, kind), message: messageOf(error), stepIndex, at };
}

export type BoundEffects = ReturnType<typeof bindEffects>;
export type { Json };

const NEVER_ABORTED = new AbortController().signal;

/** Traffic writes in flight, so that a rollback starts only once their outcome is known. */
class InflightWrites {
  private readonly pending = new Set<Promise<unknown>>();

  track<T>(work: () => Promise<T>): Promise<T> {
    const running = work();
    this.pending.add(running);
    const forget = (): void => {
      this.pending.delete(running);
    };
    running.then(forget, forget);
    return running;
  }

  async settled(): Promise<void> {
    await Promise.allSettled([...this.pending]);
  }
}
