import type { DeployEvent } from '../../src/engine/events.js';
import { RealClock } from '../../src/time/clock.js';
import { deploy, median, seedOf, simEnv, TARGETS, TRAFFIC_KINDS, type TargetKind } from './sim.js';

/**
 * Benchmark 2: orchestration overhead. A 4-step canary (1, 5, 25, 100) with 1-second bakes and a 1-second gate poll,
 * in real time on the simulated world, with the file state store (every transition written to disk, as the CLI
 * does). Its wall time is split into what the plan asks for (the bakes), what the design waits for (a gate check
 * taken after each step settled before traffic moves up; Route 53's change going INSYNC), and the rest: the
 * orchestration overhead (start-up of the engine and SDK clients, preflight and capture, the AWS calls of each shift
 * with their read-back, state writes).
 */
export interface OverheadRun {
  readonly wallMs: number;
  readonly bakesMs: number;
  readonly gateWaitsMs: number;
  readonly insyncMs: number;
  readonly overheadMs: number;
}

export interface OverheadResult {
  readonly kind: TargetKind;
  readonly runs: readonly OverheadRun[];
  readonly median: OverheadRun;
}

export const OVERHEAD_SETTINGS = { steps: '1,5,25,100', bakeSeconds: 1, pollSeconds: 1, propagationSeconds: 1 } as const;

export async function orchestrationOverhead(runs: number, progress: (line: string) => void = () => undefined): Promise<OverheadResult[]> {
  const results: OverheadResult[] = [];
  for (const kind of TRAFFIC_KINDS) {
    const target = TARGETS[kind];
    const measured: OverheadRun[] = [];
    for (let run = 0; run < runs; run++) {
      const sim = simEnv(seedOf(target, { propagationSeconds: OVERHEAD_SETTINGS.propagationSeconds }), new RealClock());
      const d = await deploy(sim, { strategy: 'canary', steps: OVERHEAD_SETTINGS.steps, bake: `${OVERHEAD_SETTINGS.bakeSeconds}s`, gates: { alarms: ['errors'], poll: `${OVERHEAD_SETTINGS.pollSeconds}s` } }, target);
      if (d.result.outcome !== 'succeeded') throw new Error(`${kind}: expected success, got ${d.result.outcome} (${d.result.failure?.message ?? ''})`);
      const bakesMs = stepTime(d.events, 'bake');
      const gateWaitsMs = gaps(d.events);
      const insyncMs = kind === 'route53' ? insyncWaits(sim.world.state.calls) : 0;
      measured.push({ wallMs: d.wallMs, bakesMs, gateWaitsMs, insyncMs, overheadMs: d.wallMs - bakesMs - gateWaitsMs - insyncMs });
      progress(`orchestration overhead ${kind} ${run + 1}/${runs}: ${Math.round(d.wallMs)} ms`);
    }
    const med = (f: (r: OverheadRun) => number) => median(measured.map(f));
    results.push({ kind, runs: measured, median: { wallMs: med((r) => r.wallMs), bakesMs: med((r) => r.bakesMs), gateWaitsMs: med((r) => r.gateWaitsMs), insyncMs: med((r) => r.insyncMs), overheadMs: med((r) => r.overheadMs) } });
  }
  return results;
}

/** Time spent inside steps of one type. */
function stepTime(events: readonly DeployEvent[], type: string): number {
  let total = 0;
  const started = new Map<number, number>();
  for (const e of events) {
    if (e.type === 'step.started' && e.step.type === type) started.set(e.index, e.at);
    if (e.type === 'step.finished' && started.has(e.index)) total += e.at - started.get(e.index)!;
  }
  return total;
}

/** Between a step settling and the next one starting: waiting for a gate check taken after it settled. */
function gaps(events: readonly DeployEvent[]): number {
  let total = 0;
  let finished: number | undefined;
  for (const e of events) {
    if (e.type === 'step.finished') finished = e.at;
    if (e.type === 'step.started' && finished !== undefined) {
      total += e.at - finished;
      finished = undefined;
    }
  }
  return total;
}

/** From each ChangeResourceRecordSets to the last GetChange that followed it (the one that saw INSYNC). */
function insyncWaits(calls: readonly { at: number; service: string; operation: string }[]): number {
  let total = 0;
  let changeAt: number | undefined;
  let lastGet: number | undefined;
  for (const call of calls.filter((c) => c.service === 'route53')) {
    if (call.operation === 'ChangeResourceRecordSets') {
      if (changeAt !== undefined && lastGet !== undefined) total += lastGet - changeAt;
      changeAt = call.at;
      lastGet = undefined;
    } else if (call.operation === 'GetChange' && changeAt !== undefined) {
      lastGet = call.at;
    }
  }
  if (changeAt !== undefined && lastGet !== undefined) total += lastGet - changeAt;
  return total;
}
