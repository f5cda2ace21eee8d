import { afterAll, describe, expect, it } from 'vitest';
import { lateWeightEventsTolerated, outageTolerated } from './knownBugs.js';
import { resumeAfterCrash, runScenario, ScenarioError, strategiesFor, WARM_UP_MS, type CrashPoint, type RunResult, type StrategyCase } from './scenario.js';
import { faultsFired, newTally, report, type Part, type Tally } from './summary.js';
import { TARGETS, type TargetKind } from './targets.js';

/**
 * A crash at every state: a reference rollout records, at the first write of the deployment record in each distinct
 * machine state, what a process killed right there would leave behind (the record as written, the world as it was).
 * Each crash point is then resumed by a new run (`deployctl resume`: continueDeployment with a fresh engine, clients
 * and providers) on that world, and must end as the reference did with every invariant holding across both
 * processes. Two references per target and strategy: one that succeeds, one rolled back by an alarm that fires
 * halfway through. A crash after the final state must leave nothing to resume, and the world untouched.
 */
export function defineCrashSuite(part: Part, kinds: readonly TargetKind[]): void {
  const tally = newTally();
  afterAll(() => report(part, tally));
  for (const kind of kinds) {
    describe(kind, () => {
      for (const strategy of strategiesFor(kind)) {
        it(`${strategy.name}: killed after each persisted state, resumed by a new process, ends as it would have`, async () => {
          const problems: string[] = [];
          const success = await reference(kind, strategy, []);
          const midway = Math.round((WARM_UP_MS + (success.run.events.at(-1)!.at - success.run.events[0]!.at) / 2) / 1000);
          const rollback = await reference(kind, strategy, [`alarm:errors@${midway}s=ALARM/10m`]);
          expect(success.run.result.outcome).toBe('succeeded');
          expect(rollback.run.result.outcome).toBe('rolledBack');
          for (const ref of [success, rollback]) {
            count(tally, ref.run, faultsFired(ref.run.world));
            tally.knownBugViolations += ref.run.monitor.tolerated;
            for (const point of ref.points) problems.push(...(await resumeAt(kind, strategy, point, ref.run, tally)));
          }
          expect(problems).toEqual([]);
          expect(success.points.length + rollback.points.length).toBeGreaterThan(10);
        });
      }
    });
  }
}

interface Reference {
  readonly run: RunResult;
  readonly points: CrashPoint[];
}

async function reference(kind: TargetKind, strategy: StrategyCase, faults: readonly string[]): Promise<Reference> {
  const points: CrashPoint[] = [];
  const seen = new Set<string>();
  const run = await runScenario({
    target: TARGETS[kind],
    strategy,
    faults,
    monitor: { tolerateOutage: outageTolerated(kind, strategy.name), tolerateLateWeightEvents: lateWeightEventsTolerated(kind) },
    onRecordWrite: (write) => {
      if (seen.has(write.machineState)) return;
      seen.add(write.machineState);
      points.push(write.crash());
    },
  });
  return { run, points };
}

async function resumeAt(kind: TargetKind, strategy: StrategyCase, point: CrashPoint, ref: RunResult, tally: Tally): Promise<string[]> {
  const where = `${ref.result.outcome} reference, crash in ${point.machineState}`;
  const finished = point.machineState.startsWith('succeeded:') || point.machineState.startsWith('rolledBack:');
  const mutating = (calls: readonly { mutating: boolean }[]) => calls.filter((c) => c.mutating).length;
  try {
    const run = await resumeAfterCrash(point, TARGETS[kind], ref.plan, ref.original, { tolerateOutage: outageTolerated(kind, strategy.name), tolerateLateWeightEvents: lateWeightEventsTolerated(kind) });
    count(tally, run, 1);
    tally.knownBugViolations += run.monitor.tolerated;
    // Resuming a finished deployment reports its recorded outcome (releasing what its process held) and writes nothing.
    if (finished && run.result.outcome !== ref.result.outcome) return [`${where}: resuming the finished deployment reported ${run.result.outcome}`];
    if (finished && mutating(run.world.state.calls) !== mutating(point.world.calls)) return [`${where}: resuming the finished deployment changed the world`];
    const problems = run.monitor.violations.map((v) => `${where}: ${v}`);
    if (run.result.outcome !== ref.result.outcome) problems.push(`${where}: ended ${run.result.outcome} (${run.result.failure?.message ?? ''}), the reference ${ref.result.outcome}`);
    return problems;
  } catch (error) {
    tally.runs += 1;
    tally.faultsInjected += 1;
    // Or it refuses (exit 2, "already finished"), also without a write.
    if (finished && error instanceof ScenarioError && /already finished/.test(error.message)) {
      return mutating(error.world.state.calls) === mutating(point.world.calls) ? [] : [`${where}: refusing to resume changed the world`];
    }
    return [`${where}: ${(error as Error).message.split('\n')[0]}`];
  }
}

/** A resumed run's world holds the reference's faults, already counted: only the crash is new. */
function count(tally: Tally, run: RunResult, injected: number): void {
  tally.runs += 1;
  tally.faultsInjected += injected;
  tally.observations += run.monitor.observations;
  tally.violations += run.monitor.violations.length;
}
