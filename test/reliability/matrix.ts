import { afterAll, describe, expect, it } from 'vitest';
import { expectationFor, FAULTS, type FaultCase } from './faults.js';
import { knownBugOf, outageTolerated } from './knownBugs.js';
import { runScenario, strategiesFor, T0, WARM_UP_MS, type RunResult, type StrategyCase } from './scenario.js';
import { faultsFired, newTally, report, type Part, type Tally } from './summary.js';
import { TARGETS, type TargetKind } from './targets.js';

/** A matrix run that takes longer than this in simulated time is stuck (the longest rollout here takes ~8 minutes). */
const STUCK_AFTER_MS = 3600_000;

/**
 * One describe per target × strategy: the rollout without faults, then one cell per fault of the matrix. Every cell
 * runs the real providers through the engine against a fresh simulated world in simulated time, with its invariant
 * monitor on, and asserts the outcome the fault calls for, that the fault fired, and no invariant violation.
 */
export function defineFaultMatrix(part: Part, kinds: readonly TargetKind[]): void {
  const tally = newTally();
  afterAll(() => report(part, tally));
  const timings = new Map<string, Promise<Timing>>();

  /** When timed faults strike, from the same rollout without faults (which must succeed with no violation). */
  const timing = (kind: TargetKind, strategy: StrategyCase): Promise<Timing> => {
    const key = `${kind}/${strategy.name}`;
    let found = timings.get(key);
    if (!found) {
      found = runScenario({ target: TARGETS[kind], strategy, monitor: { tolerateOutage: outageTolerated(kind, strategy.name) } }).then((r) => {
        count(tally, r, false);
        expect(r.monitor.violations).toEqual([]);
        expect(r.result.outcome).toBe('succeeded');
        const start = r.events[0]!.at;
        const end = r.events.at(-1)!.at;
        const midway = Math.round((WARM_UP_MS + (end - start) / 2) / 1000);
        const firstShift = r.events.find((e) => e.type === 'step.started' && e.step.type === 'setWeight');
        return { midway, firstShift: firstShift ? Math.round((firstShift.at - T0) / 1000) + 1 : midway };
      });
      timings.set(key, found);
    }
    return found;
  };

  for (const kind of kinds) {
    for (const strategy of strategiesFor(kind)) {
      describe(`${kind} × ${strategy.name}`, () => {
        it('no fault: succeeds, every invariant holds', async () => {
          expect((await timing(kind, strategy)).midway).toBeGreaterThan(WARM_UP_MS / 1000);
        });
        for (const fault of FAULTS) {
          const bug = knownBugOf(kind, strategy.name, fault.name);
          const test = bug ? it.fails : it;
          test(`${fault.name}${bug ? ` [known bug: ${bug.title}]` : ''}`, async () => {
            const times = await timing(kind, strategy);
            await runCell(kind, strategy, fault, fault.when === 'firstShift' ? times.firstShift : times.midway, tally, bug !== undefined);
          });
        }
      });
    }
  }
}

/** Seconds after the world was created: halfway through the rollout, and 1 s into its first shift of traffic. */
interface Timing {
  readonly midway: number;
  readonly firstShift: number;
}

async function runCell(kind: TargetKind, strategy: StrategyCase, fault: FaultCase, at: number, tally: Tally, known: boolean): Promise<void> {
  const target = TARGETS[kind];
  let run: RunResult;
  try {
    run = await runScenario({ target, strategy, faults: fault.faults(target, at), gates: fault.gates ?? { alarms: ['errors'] }, maxMs: STUCK_AFTER_MS, monitor: { tolerateOutage: outageTolerated(kind, strategy.name) } });
  } catch (error) {
    if (known) tally.knownBugRuns += 1;
    else tally.runs += 1;
    throw error;
  }
  count(tally, run, known);
  const expected = expectationFor(fault, kind);
  expect(run.monitor.violations, 'invariant violations').toEqual([]);
  expect(expected.outcomes, `outcome ${run.result.outcome}: ${run.result.failure?.message ?? ''}`).toContain(run.result.outcome);
  if (run.result.outcome !== 'succeeded' && expected.failures) expect(expected.failures, run.result.failure?.message).toContain(run.result.failure?.kind);
  expect(faultsFired(run.world), 'the fault never fired').toBeGreaterThan(0);
}

function count(tally: Tally, run: RunResult, known: boolean): void {
  tally.faultsInjected += faultsFired(run.world);
  tally.observations += run.monitor.observations;
  tally.knownBugViolations += run.monitor.tolerated;
  if (known) {
    tally.knownBugRuns += 1;
    tally.knownBugViolations += run.monitor.violations.length;
  } else {
    tally.runs += 1;
    tally.violations += run.monitor.violations.length;
  }
}
