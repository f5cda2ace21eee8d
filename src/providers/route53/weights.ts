import type { Plan } from '../../strategies/types.js';

/** Route 53 weights are integers 0..255 (API reference, ResourceRecordSet.Weight). */
export const MAX_WEIGHT = 255;
/** A percent that cannot be written exactly may be approximated within this share of itself (0.5%). */
const TOLERANCE = 0.005;
const EPSILON = 1e-9;

export interface WeightPair {
  readonly stable: number;
  readonly canary: number;
}

/** The canary's share for `canary` of `total`, percent. */
function shareFor(canary: number, total: number): number {
  return (canary * 100) / total;
}

function pairWith(percent: number, total: number): WeightPair | undefined {
  const canary = Math.round((percent * total) / 100);
  return canary >= 1 && canary < total ? { stable: total - canary, canary } : undefined;
}

function isExact(pair: WeightPair | undefined, percent: number): pair is WeightPair {
  return pair !== undefined && Math.abs(shareFor(pair.canary, pair.stable + pair.canary) - percent) < EPSILON;
}

/** Close enough on both sides: the canary's share and the stable's (0.1% must not become 0 on either side). */
function isClose(pair: WeightPair | undefined, percent: number): pair is WeightPair {
  if (pair === undefined) return false;
  const error = Math.abs(shareFor(pair.canary, pair.stable + pair.canary) - percent);
  return error <= TOLERANCE * Math.min(percent, 100 - percent) + EPSILON;
}

const TOTALS = Array.from({ length: MAX_WEIGHT }, (_, i) => i + 1);

/**
 * Percent → (stable, canary) weights. Readable totals first: 100 for whole percents, 200 for halves; then the
 * smallest total ≤ 255 that gives the percent exactly (0.4% = 1 of 250); then the smallest that comes within
 * 0.5% of it on both sides (33.33% ≈ 1 of 3); else undefined (preflight refuses the plan). 100% gives the canary
 * all the weight and keeps the stable record at 0, so both records stay and a rollback only moves weights.
 * Never 0 and 0: Route 53 answers all-zero weighted records with equal probability.
 */
export function weightsFor(percent: number): WeightPair | undefined {
  if (percent >= 100) return { stable: 0, canary: 100 };
  if (percent <= 0) return undefined;
  for (const total of [100, 200]) {
    const pair = pairWith(percent, total);
    if (isExact(pair, percent)) return pair;
  }
  return TOTALS.map((t) => pairWith(percent, t)).find((p) => isExact(p, percent)) ?? TOTALS.map((t) => pairWith(percent, t)).find((p) => isClose(p, percent));
}

/** The share a pair of weights gives the canary, percent; undefined when both are 0 (equal split with others). */
export function shareOf(pair: WeightPair): number | undefined {
  const total = pair.stable + pair.canary;
  return total > 0 ? shareFor(pair.canary, total) : undefined;
}

export function samePercent(a: number | undefined, b: number | undefined): boolean {
  return a !== undefined && b !== undefined && Math.abs(a - b) < 1e-6;
}

/** For messages: `12.5%`, `1%`. */
export function formatPercent(percent: number): string {
  return `${Number(percent.toFixed(4))}%`;
}

export interface PlanWeightFindings {
  readonly errors: string[];
  readonly warnings: string[];
}

/** Preflight: every setWeight of the plan must be expressible; approximations are said out loud. */
export function planWeightFindings(plan: Plan): PlanWeightFindings {
  const errors: string[] = [];
  const warnings: string[] = [];
  for (const [index, step] of plan.steps.entries()) {
    if (step.type !== 'setWeight') continue;
    const pair = weightsFor(step.weight);
    const where = `step ${index + 1} (setWeight ${step.weight})`;
    if (pair === undefined) {
      const suggestion = step.weight < 50 ? Math.max(0.5, Math.round(step.weight * 2) / 2) : Math.min(99.5, Math.round(step.weight * 2) / 2);
      errors.push(`${where}: Route 53 weights are integers 0–255, so ${formatPercent(step.weight)} cannot be written within 0.5% of itself (the finest share is 1 of 255 = 0.39%); use for example ${suggestion}`);
    } else if (!samePercent(shareOf(pair), step.weight)) {
      warnings.push(`${where}: Route 53 weights are integers, so the canary gets weight ${pair.canary} of ${pair.stable + pair.canary} = ${formatPercent(shareOf(pair)!)}`);
    }
  }
  return { errors, warnings };
}
