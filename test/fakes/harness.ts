import type { DeployEvent } from '../../src/engine/events.js';
import { startRollout, type RolloutOptions, type RolloutResult, type RunningRollout, type Transition } from '../../src/engine/runRollout.js';
import { NO_ANALYSES, NO_HOOKS, type AnalysisRunner, type HookRunner, type Runtime } from '../../src/engine/runtime.js';
import type { Gate } from '../../src/gates/types.js';
import type { CapacityProvider, TrafficProvider } from '../../src/providers/types.js';
import type { Plan } from '../../src/strategies/types.js';
import { VirtualClock } from '../../src/time/clock.js';

export interface HarnessOptions {
  readonly traffic?: readonly TrafficProvider[];
  readonly capacity?: readonly CapacityProvider[];
  readonly gates?: readonly Gate[];
  readonly hooks?: HookRunner;
  readonly analyses?: AnalysisRunner;
  readonly settings?: RolloutOptions['settings'];
  readonly clock?: VirtualClock;
  readonly snapshot?: unknown;
  readonly noWait?: boolean;
}

export interface Harness {
  readonly clock: VirtualClock;
  readonly events: DeployEvent[];
  readonly transitions: Transition[];
  readonly runtime: Runtime;
  start(plan: Plan): RunningRollout;
  run(plan: Plan, drive?: (rollout: RunningRollout, harness: Harness) => void): Promise<RolloutResult>;
}

/** Runs rollouts against fakes on a virtual clock, recording every event and persisted transition. */
export function harness(options: HarnessOptions = {}): Harness {
  const clock = options.clock ?? new VirtualClock();
  const events: DeployEvent[] = [];
  const transitions: Transition[] = [];
  const runtime: Runtime = {
    deploymentId: 'd-test',
    clock,
    emit: (event) => events.push({ ...event, deploymentId: 'd-test', at: clock.now() } as DeployEvent),
    traffic: options.traffic ?? [],
    capacity: options.capacity ?? [],
    gates: options.gates ?? [],
    hooks: options.hooks ?? NO_HOOKS,
    analyses: options.analyses ?? NO_ANALYSES,
    capacityPollMs: 5_000,
  };
  const self: Harness = {
    clock,
    events,
    transitions,
    runtime,
    start: (plan) =>
      startRollout({
        plan,
        runtime,
        persist: (t) => {
          transitions.push(JSON.parse(JSON.stringify(t)) as Transition);
        },
        ...(options.settings ? { settings: options.settings } : {}),
        ...(options.snapshot ? { snapshot: options.snapshot } : {}),
        ...(options.noWait ? { noWait: true } : {}),
      }),
    run: async (plan, drive) => {
      const rollout = self.start(plan);
      drive?.(rollout, self);
      return clock.run(rollout.result, { maxMs: 48 * 3600_000 });
    },
  };
  return self;
}

export const typesOf = (events: readonly DeployEvent[]) => events.map((e) => e.type);
export const weightsSet = (events: readonly DeployEvent[]) => events.flatMap((e) => (e.type === 'weight.set' ? [e.percent] : []));
