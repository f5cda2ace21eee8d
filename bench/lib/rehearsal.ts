import { deploy, median, seedOf, simEnv, TARGETS, VirtualClock } from './sim.js';

/**
 * Benchmark 6: rehearsal. A 12-step canary whose bakes add up to two hours (11 bakes of 11 minutes) on the Lambda
 * world, with the alarm gate polling every 10 s, in simulated time: the wall time it takes, in process (engine,
 * registry, real SDK clients against the world). run.mjs also times `deployctl rehearse` on the same rollout.
 */
export const REHEARSAL_PLAN = { strategy: 'canary' as const, steps: '1,2,5,10,15,20,30,40,50,65,80,100', bake: '11m' };

export interface RehearsalResult {
  readonly runs: readonly number[];
  readonly medianWallMs: number;
  readonly simulatedMs: number;
  readonly calls: number;
  readonly outcome: string;
}

export async function rehearsal(runs: number): Promise<RehearsalResult> {
  const walls: number[] = [];
  let simulatedMs = 0;
  let calls = 0;
  let outcome = '';
  // One untimed run first: loading the SDK modules is start-up, not rehearsal.
  for (let run = -1; run < runs; run++) {
    const sim = simEnv(seedOf(TARGETS.lambda), new VirtualClock(Date.UTC(2026, 0, 1)));
    const d = await deploy(sim, { ...REHEARSAL_PLAN, gates: { alarms: ['errors'] } }, TARGETS.lambda);
    if (run < 0) continue;
    walls.push(d.wallMs);
    simulatedMs = d.events.at(-1)!.at - d.events[0]!.at;
    calls = sim.world.state.calls.length;
    outcome = d.result.outcome;
  }
  return { runs: walls, medianWallMs: median(walls), simulatedMs, calls, outcome };
}
