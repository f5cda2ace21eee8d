import type { RequestHandler } from '@smithy/types';
import { AwsClients } from '../../src/aws/clients.js';
import { parseSpec, planFromSpec, settingsFromSpec } from '../../src/config/resolve.js';
import type { DeploySpec, GatesSpec } from '../../src/config/schema.js';
import { continueDeployment, startDeployment, type DeployResult, type DeploymentDeps } from '../../src/engine/deployment.js';
import type { DeployEvent } from '../../src/engine/events.js';
import type { Environment } from '../../src/environment.js';
import { buildDeploymentParts } from '../../src/providers/registry.js';
import { SIM_SERVICES } from '../../src/sim/index.js';
import { parseFault } from '../../src/sim/faults.js';
import { withSeededMathRandom } from '../../src/sim/random.js';
import { seedWorld } from '../../src/sim/seed.js';
import { World, type WorldState } from '../../src/sim/world.js';
import type { Plan } from '../../src/strategies/types.js';
import { VirtualClock, type Clock } from '../../src/time/clock.js';
import { InvariantMonitor, type MonitorOptions, type MonitorState, type Original } from './invariants.js';
import { MemoryStore } from './memoryStore.js';
import type { TargetCase, TargetKind } from './targets.js';

export const T0 = Date.UTC(2026, 0, 1);
/** The rollout starts this long after the world was created (and its faults added). */
export const WARM_UP_MS = 120_000;
const ID = 'd-reliability';

/** A strategy as the suite runs it: the spec fields that choose it, and a short name for the matrix. */
export interface StrategyCase {
  readonly name: string;
  readonly options: Omit<DeploySpec, 'targets'>;
}

export const TRAFFIC_STRATEGIES: readonly StrategyCase[] = [
  { name: 'canary', options: { strategy: 'canary', steps: '1,5,25,100', bake: '2m' } },
  { name: 'linear', options: { strategy: 'linear', stepPercent: 25, interval: '1m' } },
  { name: 'blue-green', options: { strategy: 'blueGreen', bake: '5m' } },
  { name: 'big-bang', options: { strategy: 'bigBang', bake: '5m' } },
];

/**
 * Capacity strategies. An ECS service alone cannot stop between capacity steps (its preflight refuses canary,
 * linear and paused rolling plans, exit 2; the bad-input corpus has them), so ECS runs the three it accepts.
 */
export const CAPACITY_STRATEGIES: Readonly<Record<'ecs' | 'asg', readonly StrategyCase[]>> = {
  ecs: [
    { name: 'rolling', options: { strategy: 'rolling', batch: '25%' } },
    { name: 'blue-green', options: { strategy: 'blueGreen', bake: '5m' } },
    { name: 'big-bang', options: { strategy: 'bigBang', bake: '5m' } },
  ],
  asg: [
    { name: 'rolling', options: { strategy: 'rolling', batch: '25%' } },
    { name: 'canary', options: { strategy: 'canary', steps: '25,50,100', bake: '2m' } },
    { name: 'linear', options: { strategy: 'linear', stepPercent: 50, interval: '1m' } },
    { name: 'blue-green', options: { strategy: 'blueGreen', bake: '5m' } },
    { name: 'big-bang', options: { strategy: 'bigBang', bake: '5m' } },
  ],
};

/** Traffic targets (and an ECS service split at the ALB) take the four traffic strategies. */
export function strategiesFor(kind: TargetKind): readonly StrategyCase[] {
  return kind === 'ecs' || kind === 'asg' ? CAPACITY_STRATEGIES[kind] : TRAFFIC_STRATEGIES;
}

export interface RunOptions {
  readonly target: TargetCase;
  readonly strategy: StrategyCase;
  /** `--fault` specs added when the world is created (times count from then). */
  readonly faults?: readonly string[];
  readonly gates?: GatesSpec;
  /** Seed of the SDK's retry jitter (Math.random), so that every run is the same run. */
  readonly seed?: number;
  /**
   * Called after every write of the deployment record, with the machine's state then; `crash()` takes what a process
   * dying right there would leave behind (the suite's crash points).
   */
  readonly onRecordWrite?: (write: RecordWrite) => void;
  /** Simulated time after which the run counts as stuck. */
  readonly maxMs?: number;
  readonly monitor?: MonitorOptions;
}

export interface RecordWrite {
  readonly write: number;
  /** The record's status and the machine's state value, e.g. `running:{"step2":"baking"}`. */
  readonly machineState: string;
  crash(): CrashPoint;
}

/** What a process that dies right after a record write leaves behind: its records (without its locks) and the world. */
export interface CrashPoint {
  readonly write: number;
  readonly machineState: string;
  readonly store: MemoryStore;
  readonly world: WorldState;
  readonly now: number;
  readonly monitor: MonitorState;
}

export interface RunResult {
  readonly result: DeployResult;
  readonly events: DeployEvent[];
  readonly monitor: InvariantMonitor;
  readonly world: World;
  readonly plan: Plan;
  readonly original: Original;
}

/** A run still going after this much simulated time is stuck (the longest rollout here takes well under an hour). */
const MAX_SIMULATED_MS = 3 * 3600_000;

/**
 * The engine drives a VirtualClock itself, without a time limit, when it is given one; behind this delegate it only
 * awaits, and the suite drives the clock with a limit, so a rollout that never ends fails its test instead of
 * running forever.
 */
function driven(clock: VirtualClock): Clock {
  return { now: () => clock.now(), setTimeout: (fn, ms) => clock.setTimeout(fn, ms), clearTimeout: (id) => clock.clearTimeout(id), sleep: (ms, signal) => clock.sleep(ms, signal), track: (work) => clock.track(work) };
}

const CREDENTIALS = { accessKeyId: 'AKIDRELIABILITY', secretAccessKey: 'simulated' };

/** The same environment the CLI builds for --sim --sim-time, but keeping the world in hand to watch it. */
function environment(world: World, clock: VirtualClock): Environment {
  const requestHandler = world.requestHandler() as unknown as RequestHandler<unknown, unknown>;
  return { clock, world, clients: new AwsClients({ region: world.state.region, clock, requestHandler, credentials: CREDENTIALS }), close: () => undefined };
}

function deps(env: Environment, plan: Plan, store: MemoryStore, events: DeployEvent[], monitor: () => InvariantMonitor): DeploymentDeps {
  return {
    store,
    clock: driven(env.clock as VirtualClock),
    build: (spec) => buildDeploymentParts(spec, plan, env),
    onEvent: (event) => {
      events.push(event);
      monitor().onEvent(event);
    },
    // Wall-clock timers of the owner (lease renewal, control requests): nothing to renew or read in these runs.
    leaseMs: 3_600_000,
    controlPollMs: 3_600_000,
  };
}

/** Runs one deployment through the engine, the registry and the real providers, against a fresh simulated world. */
export async function runScenario(options: RunOptions): Promise<RunResult> {
  const { target, strategy } = options;
  const clock = new VirtualClock(T0);
  const watching: { monitor?: InvariantMonitor } = {};
  const world = seedWorld(target.seed(), { clock, services: SIM_SERVICES, onChange: () => watching.monitor?.observe('after a write', true) });
  for (const fault of options.faults ?? []) world.addFault(parseFault(fault));
  // Two minutes of the world before the rollout: the alarms evaluate their first data (OK) and targets settle.
  clock.advance(WARM_UP_MS);
  world.sync();
  const env = environment(world, clock);
  const spec = parseSpec({ ...strategy.options, targets: target.targets?.(world) ?? [target.target(world)], gates: options.gates ?? { alarms: ['errors'] } });
  const plan = planFromSpec(spec);
  const original = InvariantMonitor.originalOf(world, target);
  const watcher = new InvariantMonitor(world, target, plan, original, undefined, options.monitor);
  watching.monitor = watcher;
  const store = new MemoryStore();
  const events: DeployEvent[] = [];
  if (options.onRecordWrite) {
    const report = options.onRecordWrite;
    store.onWrite = (record, write) => {
      const value = (record.machine as { value?: unknown } | null)?.value;
      const machineState = `${record.status}:${JSON.stringify(value ?? null)}`;
      report({ write, machineState, crash: () => ({ write, machineState, store: store.copyWithoutLocks(), world: world.save(), now: clock.now(), monitor: watcher.state() }) });
    };
  }
  const result = await stuckAsError(events, world, () => withSeededMathRandom(options.seed ?? 1, () => clock.run(startDeployment(spec, plan, deps(env, plan, store, events, () => watcher), { id: ID, settings: settingsFromSpec(spec) }), { maxMs: options.maxMs ?? MAX_SIMULATED_MS })));
  watcher.finish(result.outcome);
  return { result, events, monitor: watcher, world, plan, original };
}

/** A new process after a crash: the same world as the dead one left it, its records, `deployctl resume`. */
export async function resumeAfterCrash(crash: CrashPoint, target: TargetCase, plan: Plan, original: Original, monitorOptions: MonitorOptions = {}): Promise<RunResult> {
  const clock = new VirtualClock(crash.now);
  const watching: { monitor?: InvariantMonitor } = {};
  const world = new World({ clock, services: SIM_SERVICES, state: JSON.parse(JSON.stringify(crash.world)) as WorldState, onChange: () => watching.monitor?.observe('after a write', true) });
  const watcher = new InvariantMonitor(world, target, plan, original, crash.monitor, monitorOptions);
  watching.monitor = watcher;
  const env = environment(world, clock);
  const events: DeployEvent[] = [];
  const result = await stuckAsError(events, world, () => withSeededMathRandom(crash.write, () => clock.run(continueDeployment(ID, deps(env, plan, crash.store, events, () => watcher)), { maxMs: MAX_SIMULATED_MS })));
  watcher.finish(result.outcome);
  return { result, events, monitor: watcher, world, plan, original };
}

/** A run that throws (or never ends) carries its last events and calls, to show where it stood. */
export class ScenarioError extends Error {
  constructor(
    message: string,
    readonly events: readonly DeployEvent[],
    readonly world: World,
  ) {
    super(message);
    this.name = 'ScenarioError';
  }
}

async function stuckAsError<T>(events: readonly DeployEvent[], world: World, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    const last = events.slice(-8).map((e) => `  +${Math.round((e.at - T0) / 1000)}s ${e.type} ${JSON.stringify(e).slice(0, 200)}`);
    const calls = world.state.calls.slice(-8).map((c) => `  +${Math.round((c.at - T0) / 1000)}s ${c.service}:${c.operation} ${c.outcome}`);
    throw new ScenarioError(`${(error as Error).message}\nlast events:\n${last.join('\n')}\nlast calls:\n${calls.join('\n')}`, events, world);
  }
}

