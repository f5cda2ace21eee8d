import { isDeepStrictEqual } from 'node:util';
import type { Json } from '../../src/providers/types.js';
import type { Plan } from '../../src/strategies/types.js';
import { CAPACITY_STRATEGIES, TRAFFIC_STRATEGIES, type StrategyCase } from '../../test/reliability/scenario.js';
import { deploy, median, seedOf, simEnv, TARGETS, VirtualClock, withSeededRandom, type TargetKind } from './sim.js';

/**
 * Benchmark 3: API economy. Each provider × strategy runs once in simulated time; the world's call log counts every
 * attempt the provider made on its service, and the gate's DescribeAlarms calls. The minimum each provider needs is
 * stated with the table (bench/lib/report.mjs, minimumCalls). Then the same rollout with 50% of the provider's calls throttled (throttle:<service>=0.5), with five seeds of
 * the world's and the SDK's randomness: the extra attempts, and the end state compared field by field with the
 * run without faults. The comparison is an assertion: run.mjs reports every seed whose end state differs and exits
 * non-zero (after writing RESULTS.md).
 */
export const ECONOMY_SEEDS = 5;
export interface EconomyRow {
  readonly kind: TargetKind;
  readonly strategy: string;
  readonly steps: number;
  readonly providerCalls: number;
  readonly providerByOperation: Readonly<Record<string, number>>;
  readonly gateCalls: number;
  readonly gateMinimum: number;
  /** Per seed: outcome, provider calls, and whether the end state equals the run without faults. */
  readonly throttled: readonly { readonly seed: number; readonly outcome: string; readonly calls: number; readonly sameEndState: boolean }[];
  /** Extra provider calls (median) over the throttled runs that ended like the run without faults. */
  readonly throttledExtraMedian: number | undefined;
  readonly sameEndStates: number;
}

const SEEDS = Array.from({ length: ECONOMY_SEEDS }, (_, i) => i + 1);

export async function apiEconomy(progress: (line: string) => void = () => undefined): Promise<EconomyRow[]> {
  const rows: EconomyRow[] = [];
  const cases: [TargetKind, StrategyCase][] = [
    ...(['lambda', 'alb', 'route53'] as const).flatMap((kind) => TRAFFIC_STRATEGIES.map((s) => [kind, s] as [TargetKind, StrategyCase])),
    ['ecs', CAPACITY_STRATEGIES.ecs[0]!],
    ['asg', CAPACITY_STRATEGIES.asg[0]!],
  ];
  for (const [kind, strategy] of cases) {
    const clean = await run(kind, strategy, [], 1);
    const throttled: { seed: number; outcome: string; calls: number; sameEndState: boolean }[] = [];
    for (const seed of SEEDS) {
      const t = await run(kind, strategy, [`throttle:${TARGETS[kind].service}=0.5`], seed);
      throttled.push({ seed, outcome: t.outcome, calls: t.provider, sameEndState: t.outcome === clean.outcome && isDeepStrictEqual(t.endState, clean.endState) });
    }
    const same = throttled.filter((t) => t.sameEndState);
    const steps = clean.plan.steps.filter((s) => s.type === 'setWeight').length;
    const row: EconomyRow = {
      kind,
      strategy: strategy.name,
      steps,
      providerCalls: clean.provider,
      providerByOperation: clean.byOperation,
      gateCalls: clean.gate,
      gateMinimum: 1 + Math.ceil(clean.durationMs / 10_000),
      throttled,
      throttledExtraMedian: same.length > 0 ? median(same.map((t) => t.calls - clean.provider)) : undefined,
      sameEndStates: same.length,
    };
    rows.push(row);
    progress(`api economy ${kind} ${strategy.name}: ${row.providerCalls} provider calls; 50% throttled: same end state in ${same.length}/${SEEDS.length} (${throttled.map((t) => t.outcome).join(', ')})`);
  }
  return rows;
}

interface Counted {
  readonly plan: Plan;
  readonly provider: number;
  readonly byOperation: Record<string, number>;
  readonly gate: number;
  readonly durationMs: number;
  readonly outcome: string;
  readonly endState: Json;
}

async function run(kind: TargetKind, strategy: StrategyCase, faults: readonly string[], seed: number): Promise<Counted> {
  const target = TARGETS[kind];
  const clock = new VirtualClock(Date.UTC(2026, 0, 1));
  const sim = simEnv({ ...seedOf(target), seed }, clock, faults);
  const d = await withSeededRandom(seed, () => deploy(sim, { ...strategy.options, gates: { alarms: ['errors'] } }, target, { id: `d-economy-${kind}-${seed}` }));
  const calls = sim.world.state.calls;
  const byOperation: Record<string, number> = {};
  for (const c of calls.filter((c) => c.service === target.service)) byOperation[c.operation] = (byOperation[c.operation] ?? 0) + 1;
  return {
    plan: d.plan,
    provider: Object.values(byOperation).reduce((a, b) => a + b, 0),
    byOperation,
    gate: calls.filter((c) => c.service === 'cloudwatch' && c.operation === 'DescribeAlarms').length,
    durationMs: d.events.at(-1)!.at - d.events[0]!.at,
    outcome: d.result.outcome,
    endState: target.restorable(sim.world),
  };
}
