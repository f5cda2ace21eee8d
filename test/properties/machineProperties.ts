import fc from 'fast-check';
import { expect, it } from 'vitest';
import { buildPlan } from '../../src/strategies/index.js';
import { KNOWN_BUGS } from './knownBugs.js';
import { checkFreshGates, checkPolling, checkRun, checkSameAsUninterrupted } from './invariants.js';
import { crashAt, runScenario, runSegment, timelineOf, type Point, type Segment } from './runScenario.js';
import { FULL_SHAPE, scenario, scenarioOf, type Scenario, type ScenarioShape } from './scenario.js';
import { ensure, runs, SEED, violationOf } from './stats.js';

const FINAL = ['succeeded', 'rolledBack', 'rollbackFailed', 'rejected'];

/** Where a run can crash: after any persisted transition that is not final. */
export function crashPoint(s: Scenario, reference: Segment): Point | undefined {
  const candidates = reference.points.filter((p) => !FINAL.includes(p.phase));
  return candidates[Math.floor((s.crash ?? 0) * candidates.length)];
}

/**
 * Crash equivalence is exact only for inputs tied to the rollout's progress: a restored process restarts its polls
 * (gates, capacity status, verify backoff) from the moment it starts, so anything at a fixed virtual time may land
 * in a different step. While gatesNotPolledAfterRestore was open, gate read errors were left out too (a restored
 * step that saw one waited for ever), and so were full promotions (seen later after a restore, and with
 * fullPromotionSkipsFreshGate moving on unchecked). See knownBugs.ts.
 */
export const CRASH_SHAPE: ScenarioShape = {
  timed: false,
  pollSensitive: !KNOWN_BUGS.gatesNotPolledAfterRestore,
  fullPromotes: !KNOWN_BUGS.gatesNotPolledAfterRestore && !KNOWN_BUGS.fullPromotionSkipsFreshGate,
  crash: true,
  noWait: false,
};

export async function checkScenario(s: Scenario): Promise<void> {
  const { first, timeline } = await runScenario(s);
  if (first.outcome === 'paused') ensure(s.noWait && first.points.at(-1)?.waitingForApproval === true, () => 'paused without --no-wait or not at an approval');
  checkRun(s, timeline);
  checkFreshGates(s, first);
  checkPolling(s, first);
}

/**
 * Crashes the scenario's run after a transition and restores it into a new process. `exact`: the same writes and
 * end as the uninterrupted run (inputs tied to progress only). Always: every invariant across both processes, no
 * hang, and the restored process polls its gates at least every pollSeconds.
 */
export async function checkCrash(s: Scenario, exact = true): Promise<void> {
  const reference = await runSegment(s);
  checkRun(s, timelineOf(reference));
  const point = crashPoint(s, reference);
  if (!point) return;
  const crashed = await crashAt(s, reference, point);
  checkRun(s, crashed);
  checkPolling(s, crashed.segments.at(-1)!, 'gatesNotPolledAfterRestore');
  if (exact) checkSameAsUninterrupted(s, timelineOf(reference), crashed);
}

export function machineProperties(): void {
  it('random plans x random events and faults: every run ends, traffic stays defined, moves go one plan weight at a time, rollback restores exactly', async () => {
    await fc.assert(fc.asyncProperty(scenario(FULL_SHAPE), checkScenario), { seed: SEED, numRuns: runs(800) });
  });

  it('a crash after any transition, restored into a new process with the world as it was, ends with the same writes as the uninterrupted run', async () => {
    await fc.assert(fc.asyncProperty(scenario(CRASH_SHAPE), (s) => checkCrash(s)), { seed: SEED, numRuns: runs(400) });
  });

  it('the machine checks are not vacuous', async () => {
    const plan = buildPlan({ strategy: 'canary', steps: '10,50', bakeSeconds: 30 });
    const s = scenarioOf(plan, { stepVerdicts: [{ step: 3, verdict: 'alarm' }] });
    const { first, timeline: t } = await runScenario(s);
    expect(t.outcome).toBe('rolledBack');
    checkRun(s, t);
    const start = t.log.findIndex((e) => e.op === 'event' && e.event.type === 'rollback.started');
    const writeAfter = { ...t, log: [...t.log.slice(0, start + 1), { op: 'write', target: 'alb', weight: 100, lost: false, at: 0 } as const, ...t.log.slice(start + 1)] };
    expect(await violationOf(() => checkRun(s, writeAfter))).toMatch(/after the rollback started/);
    const skipped = { ...t, log: t.log.filter((e) => !(e.op === 'write' && e.weight === 10)) };
    expect(await violationOf(() => checkRun(s, skipped))).toMatch(/skip or repeat/);
    const notRestored = { ...t, world: { state: { ...t.world.state, traffic: { alb: { config: { weights: { stable: 50, canary: 50 }, untouched: 'keep-me:alb' }, lostOnce: [] } } } } as unknown as typeof t.world };
    expect(await violationOf(() => checkRun(s, notRestored))).toMatch(/after the rollback/);
    expect(await violationOf(() => checkRun(s, { ...t, outcome: 'hang', error: 'stuck' }))).toMatch(/never ended: stuck/);
    expect(await violationOf(() => checkSameAsUninterrupted(s, t, writeAfter))).toMatch(/writes differ/);
    expect(await violationOf(() => checkPolling(s, { ...first, world: { ...first.world, gateChecks: [] } as unknown as typeof first.world }))).toMatch(/gates not polled/);
  });

  // With gatesNotPolledAfterRestore open, restored runs may hang: nothing to check here then.
  (KNOWN_BUGS.gatesNotPolledAfterRestore ? it.skip : it)('a crash with inputs at fixed times: the restored process keeps polling, never hangs, and every invariant holds across both', async () => {
    await fc.assert(fc.asyncProperty(scenario({ ...FULL_SHAPE, crash: true, noWait: false }), (s) => checkCrash(s, false)), { seed: SEED, numRuns: runs(250) });
  });
}
