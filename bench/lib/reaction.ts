import { RealClock } from '../../src/time/clock.js';
import { deploy, median, seedOf, simEnv, TARGETS, TRAFFIC_KINDS, type TargetKind } from './sim.js';

/**
 * Benchmark 1: rollback reaction. In real time on the simulated world, a canary at 5% (then a 1-minute bake) with
 * the alarm gate polling every second; the alarm `errors` is forced into ALARM (fault alarm:errors@<t>=ALARM/10m)
 * at a known instant, spread over one poll period across the runs so that every phase of the poll is sampled.
 * Measured from the instant the alarm entered ALARM to: the rollback starting (detection), the restoring write
 * landing in the world, and the target reported restored (read back; for Route 53 after the change is INSYNC).
 */
export interface ReactionRun {
  readonly detectMs: number;
  readonly writeMs: number;
  readonly restoredMs: number;
}

export interface ReactionResult {
  readonly kind: TargetKind;
  readonly runs: readonly ReactionRun[];
  readonly pollMs: number;
  readonly medianRestoredMs: number;
  readonly worstRestoredMs: number;
  readonly medianDetectMs: number;
  readonly worstDetectMs: number;
  readonly medianWriteMs: number;
  readonly worstWriteMs: number;
}

/**
 * The alarm flips during the bake at 5%: 1 s after the world was created (the shift to 5% takes ~0.1 s), for Route 53
 * 7.5 s (its shift waits for the change to be INSYNC, polling GetChange every 5 s).
 */
export const REACTION_SETTINGS = { pollSeconds: 1, propagationSeconds: 1, firstFlipMs: { alb: 1000, lambda: 1000, route53: 7500 } } as const;

export async function rollbackReaction(runs: number, progress: (line: string) => void = () => undefined): Promise<ReactionResult[]> {
  const results: ReactionResult[] = [];
  const pollMs = REACTION_SETTINGS.pollSeconds * 1000;
  for (const kind of TRAFFIC_KINDS) {
    const target = TARGETS[kind];
    const measured: ReactionRun[] = [];
    for (let run = 0; run < runs; run++) {
      const flipAfterMs = REACTION_SETTINGS.firstFlipMs[kind as 'alb'] + Math.round((run / runs) * pollMs);
      const sim = simEnv(seedOf(target, { propagationSeconds: REACTION_SETTINGS.propagationSeconds }), new RealClock(), [`alarm:errors@${flipAfterMs}ms=ALARM/10m`]);
      const flipAt = sim.world.state.faults[0]!.addedAt + flipAfterMs;
      const d = await deploy(sim, { strategy: 'canary', steps: '5,100', bake: '1m', gates: { alarms: ['errors'], poll: `${REACTION_SETTINGS.pollSeconds}s` } }, target);
      if (d.result.outcome !== 'rolledBack') throw new Error(`${kind}: expected a rollback, got ${d.result.outcome} (${d.result.failure?.message ?? ''})`);
      const shifted = d.events.find((e) => e.type === 'weight.set');
      if (!shifted || shifted.at > flipAt) throw new Error(`${kind}: the alarm flipped before the shift to 5% was done; the run does not measure a bake`);
      const detected = d.events.find((e) => e.type === 'rollback.started')!.at;
      const restored = d.events.find((e) => e.type === 'target.restored')!.at;
      const write = sim.world.state.calls.find((c) => c.service === target.service && c.mutating && c.outcome === 'ok' && c.at >= detected);
      if (!write) throw new Error(`${kind}: no restoring write after the rollback started`);
      measured.push({ detectMs: detected - flipAt, writeMs: write.at - flipAt, restoredMs: restored - flipAt });
      progress(`rollback reaction ${kind} ${run + 1}/${runs}: ${Math.round(restored - flipAt)} ms`);
    }
    const pick = (f: (r: ReactionRun) => number) => measured.map(f);
    results.push({
      kind,
      runs: measured,
      pollMs,
      medianRestoredMs: median(pick((r) => r.restoredMs)),
      worstRestoredMs: Math.max(...pick((r) => r.restoredMs)),
      medianDetectMs: median(pick((r) => r.detectMs)),
      worstDetectMs: Math.max(...pick((r) => r.detectMs)),
      medianWriteMs: median(pick((r) => r.writeMs)),
      worstWriteMs: Math.max(...pick((r) => r.writeMs)),
    });
  }
  return results;
}

