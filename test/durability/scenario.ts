/**
 * One crash-and-resume scenario: a canary started through the CLI is SIGKILLed at an event, optionally resumed and
 * killed again, then resumed to the end; and the checks every such run must pass.
 */
import { hostname } from 'node:os';
import { expect } from 'vitest';
import type { WorldState } from '../../src/sim/world.js';
import type { AuditEntry, DeploymentRecord, LockHolder } from '../../src/state/types.js';
import { describeRun, EXIT, mutatingCalls, processAlive, Sandbox, type CliOptions, type CliRun, type Time } from './harness.js';
import type { TrafficTarget } from './targets.js';

export interface Scenario {
  readonly target: TrafficTarget;
  /** --steps and --bake of the canary, and any other flags (--approval, --no-wait). */
  readonly steps: string;
  readonly bake: string;
  readonly extra?: readonly string[];
  readonly toVersion?: number;
  /** Another world file than the target's. */
  readonly fixture?: string;
  /** Edits the world file's seed text before anything runs (faults). */
  readonly seed?: (text: string) => string;
  /** DEPLOYCTL_CRASH_AT of the rollout, then of each `resume` that is to be killed too. */
  readonly crashes: readonly string[];
  /** Or the test kills the rollout itself, when it sees an event. */
  readonly onEvent?: CliOptions['onEvent'];
  /** Simulated time (default) or the real clock, for every process of the scenario. */
  readonly time?: Time;
  /** Changes to the saved world before the final resume. */
  readonly beforeResume?: (sandbox: Sandbox) => void;
}

/** What a killed process left behind, read right after it died. */
export interface Crash {
  readonly run: CliRun;
  readonly record: DeploymentRecord;
  readonly holders: readonly (LockHolder & { lockKey: string })[];
  /** Wall-clock time the next process was started at. */
  readonly resumedAt: number;
}

export interface Outcome {
  readonly id: string;
  readonly sandbox: Sandbox;
  readonly initialWorld: WorldState;
  readonly crashes: readonly Crash[];
  readonly resumed: CliRun;
  readonly record: DeploymentRecord;
  readonly world: WorldState;
}

let scenarios = 0;

export async function runScenario(scenario: Scenario): Promise<Outcome> {
  const time = scenario.time ?? 'simulated';
  const sandbox = Sandbox.create(scenario.fixture ?? scenario.target.fixture, scenario.seed, { time });
  const initialWorld = sandbox.worldState();
  const id = `d-crash-${++scenarios}`;
  const crashes: Crash[] = [];
  const [first, ...later] = scenario.crashes;
  const flags = ['canary', '--steps', scenario.steps, '--bake', scenario.bake, ...scenario.target.flags(initialWorld, scenario.toVersion), ...(scenario.extra ?? []), '--id', id];
  let run = await sandbox.rollout(flags, { ...(first ? { crashAt: first } : {}), ...(scenario.onEvent ? { onEvent: scenario.onEvent } : {}) }, time);
  for (const crashAt of [...later, undefined]) {
    crashes.push({ run, record: sandbox.record(id), holders: sandbox.lockHolders(), resumedAt: Date.now() });
    if (crashAt === undefined) scenario.beforeResume?.(sandbox);
    run = await sandbox.control('resume', id, [], crashAt ? { crashAt } : {}, time);
  }
  return { id, sandbox, initialWorld, crashes, resumed: run, record: sandbox.record(id), world: sandbox.worldState() };
}

/** Every killed process died by SIGKILL holding the target's lease, which had not expired when the next one started. */
export function expectKilledHoldingLease(outcome: Outcome): void {
  for (const crash of outcome.crashes) {
    expect(crash.run.signal, describeRun(crash.run)).toBe('SIGKILL');
    expect(crash.holders, 'one lock, held by the killed process').toHaveLength(1);
    const holder = crash.holders[0]!;
    expect(holder).toMatchObject({ deploymentId: outcome.id, pid: crash.run.pid, host: hostname() });
    expect(holder.until, 'the lease had not expired: the next process took it over because its pid is dead').toBeGreaterThan(crash.resumedAt);
    expect(processAlive(crash.run.pid)).toBe(false);
  }
}

export type Ending = 'succeeded' | 'rolledBack';

/**
 * The end state of a resumed run: exit code, record, released lock, the live configuration (new version at 100%,
 * or exactly what was captured), the audit history's weights, and the world's writes.
 */
export function expectCleanEnd(outcome: Outcome, ending: Ending, weights: readonly number[], target: TrafficTarget): void {
  const { resumed, record, world } = outcome;
  const story = `${describeRun(resumed)}\nhistory:\n${historyText(record.history)}`;
  expect(resumed.code, story).toBe(ending === 'succeeded' ? EXIT.succeeded : EXIT.rolledBack);
  expect(resumed.events.find((e) => e.type === 'deployment.started'), story).toMatchObject({ resumed: true });
  expect(resumed.events.find((e) => e.type === 'deployment.finished'), story).toMatchObject({ outcome: ending, finalWeight: ending === 'succeeded' ? 100 : 0 });
  expect(record).toMatchObject({ status: ending, weight: ending === 'succeeded' ? 100 : 0, owner: null });
  expect(outcome.sandbox.lockHolders(), 'the lock is released').toEqual([]);

  if (ending === 'succeeded') expect(target.newShare(world)).toBe(100);
  else expect(target.live(world), 'the rollback restored exactly the captured configuration').toEqual(target.live(outcome.initialWorld));

  expect(historyWeights(record.history), story).toEqual(weights);
  const rollback = record.history.findIndex((e) => e.what === 'rollback started');
  if (ending === 'rolledBack') {
    expect(rollback, story).toBeGreaterThan(-1);
    expect(record.history.slice(rollback).some((e) => e.what === 'weight set'), 'no weight moves up once the rollback started').toBe(false);
    expect(record.history.slice(rollback).filter((e) => e.what === 'restored').length, story).toBeGreaterThan(0);
  } else {
    expect(rollback, story).toBe(-1);
  }
  expect(record.history.at(-1)).toMatchObject({ what: 'finished' });

  const writes = mutatingCalls(world);
  expect(new Set(writes.map((c) => `${c.service}:${c.operation}`)), 'only the target was written').toEqual(new Set(writes.length > 0 ? [`${writes[0]!.service}:${target.writeOperation}`] : []));
  expect(writes.map((c) => c.operation), `one write per weight${ending === 'rolledBack' ? ' and one restore' : ''}\n${story}`).toEqual(Array(weights.length + (ending === 'rolledBack' ? 1 : 0)).fill(target.writeOperation));
  expect(world.calls.filter((c) => c.mutating && c.outcome !== 'ok'), 'no write failed').toEqual([]);
}

/**
 * Time as the world saw it: every bake ran in full between two weight writes (counted from when clients see a
 * weight), and the audit history's clock never goes backwards.
 */
export function expectBakesKept(outcome: Outcome, bakeSeconds: number, forwardWrites: number, target: TrafficTarget): void {
  const times = mutatingCalls(outcome.world)
    .slice(0, forwardWrites)
    .map((c) => c.at);
  const gaps = times.slice(1).map((t, i) => (t - times[i]!) / 1000);
  const minimum = bakeSeconds + target.settleMs / 1000;
  expect(gaps.filter((g) => g < minimum), `seconds between weight writes: ${gaps.join(', ')} (each at least ${minimum})`).toEqual([]);
  const at = outcome.record.history.map((e) => e.at);
  const backwards = at.slice(1).flatMap((t, i) => (t < at[i]! ? [`${outcome.record.history[i]!.what} -> ${outcome.record.history[i + 1]!.what}: ${(t - at[i]!) / 1000}s`] : []));
  expect(backwards, 'the history clock never goes backwards').toEqual([]);
}

/**
 * The weights of the audit history, in order. A weight recorded twice is accepted only as the verified re-apply
 * of the write that was in flight when the process died (the same weight again, right after `resumed`); it is
 * then listed once.
 */
export function historyWeights(history: readonly AuditEntry[]): number[] {
  const weights: number[] = [];
  let resumedSinceLast = false;
  for (const entry of history) {
    if (entry.what === 'resumed') resumedSinceLast = true;
    if (entry.what !== 'weight set') continue;
    const percent = Number(/ at (\d+(?:\.\d+)?)% \(verified/.exec(entry.detail ?? '')?.[1]);
    if (!Number.isFinite(percent)) throw new Error(`unreadable weight entry: ${entry.detail}`);
    if (weights.at(-1) === percent && resumedSinceLast) continue;
    weights.push(percent);
    resumedSinceLast = false;
  }
  return weights;
}

export function historyText(history: readonly AuditEntry[]): string {
  return history.map((e) => `  ${new Date(e.at).toISOString().slice(11, 19)} ${e.what}${e.detail ? `: ${e.detail}` : ''}${e.by ? ` (by ${e.by})` : ''}`).join('\n');
}
