import { mannWhitneyU, median, type MannWhitneyResult } from './mannWhitney.js';

export type Direction = 'lower-is-better' | 'higher-is-better';

export interface CompareOptions {
  readonly direction: Direction;
  /** How much worse (relative, 0.1 = 10 %) the canary's median may be than the baseline's and still pass. */
  readonly tolerance: number;
  /** Score (0..100) at or above which the canary passes. */
  readonly minScore: number;
  /** Datapoints each side needs before anything is judged. */
  readonly minSamples: number;
}

export interface CanaryComparison {
  readonly verdict: 'pass' | 'fail' | 'inconclusive';
  /** 0..100; undefined when there was too little data to judge. */
  readonly score: number | undefined;
  readonly canaryMedian: number;
  readonly baselineMedian: number;
  /** Relative change of the median towards "worse": +0.25 = the canary is 25 % worse. */
  readonly worseBy: number;
  readonly test: MannWhitneyResult;
  readonly detail: string;
}

/** Past the tolerance, the penalty is complete when the canary is worse by another `max(tolerance, 10 %)`. */
const MIN_SEVERITY_SCALE = 0.1;
/** −log10(p) at which the evidence counts in full: p ≤ 0.01. */
const FULL_EVIDENCE_LOG10 = 2;

/**
 * Scores a canary against its baseline, in the spirit of Kayenta's NetflixACAJudge (Mann-Whitney classification,
 * a 0..100 score, pass at or above a threshold), but graded for a single metric:
 *
 *   score = 100 × (1 − severity × evidence)
 *
 * - severity ∈ [0, 1]: 0 while the canary's median is worse than the baseline's by at most `tolerance`; it rises
 *   linearly past the tolerance and reaches 1 at `tolerance + max(tolerance, 10 %)` (twice the tolerance).
 * - evidence ∈ [0, 1]: how sure the rank test is that the canary really is worse — −log10(p) / 2, so p = 0.1
 *   counts half and p ≤ 0.01 counts fully; 0 when the ranks do not point the same way as the medians.
 *
 * So a canary within tolerance always scores 100; a canary clearly and significantly worse scores 0; a
 * difference that noise can explain costs little. Too little data is never a pass: either side below
 * `minSamples` (or empty) is inconclusive.
 */
export function compareCanary(canary: readonly number[], baseline: readonly number[], options: CompareOptions): CanaryComparison {
  const canaryMedian = median(canary);
  const baselineMedian = median(baseline);
  const test = mannWhitneyU(canary, baseline);
  const needed = Math.max(1, options.minSamples);
  if (canary.length < needed || baseline.length < needed) {
    const detail = `inconclusive: ${canary.length} canary and ${baseline.length} baseline datapoints, at least ${needed} each are needed`;
    return { verdict: 'inconclusive', score: undefined, canaryMedian, baselineMedian, worseBy: Number.NaN, test, detail };
  }
  const worseBy = relativeWorsening(canaryMedian, baselineMedian, options.direction);
  const severity = clamp01((worseBy - options.tolerance) / Math.max(options.tolerance, MIN_SEVERITY_SCALE));
  const ranksSayWorse = options.direction === 'lower-is-better' ? test.z > 0 : test.z < 0;
  const evidence = ranksSayWorse ? clamp01(-Math.log10(test.pValue) / FULL_EVIDENCE_LOG10) : 0;
  const score = Math.round(100 * (1 - severity * evidence));
  const verdict = score >= options.minScore ? 'pass' : 'fail';
  const comparison = { verdict, score, canaryMedian, baselineMedian, worseBy, test } as const;
  return { ...comparison, detail: describe(comparison, canary.length, baseline.length, options) };
}

/** Positive when the canary is worse. A baseline median of 0 makes any worsening infinitely large. */
function relativeWorsening(canary: number, baseline: number, direction: Direction): number {
  const change = direction === 'lower-is-better' ? canary - baseline : baseline - canary;
  if (change === 0) return 0;
  if (baseline === 0) return change > 0 ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
  return change / Math.abs(baseline);
}

function clamp01(x: number): number {
  if (Number.isNaN(x)) return 0;
  return Math.min(1, Math.max(0, x));
}

type Scored = Omit<CanaryComparison, 'detail'> & { readonly score: number };

function describe(c: Scored, canaryCount: number, baselineCount: number, options: CompareOptions): string {
  const change = c.worseBy === 0 ? 'no worse' : c.worseBy > 0 ? `${percent(c.worseBy)} worse` : `${percent(-c.worseBy)} better`;
  return (
    `score ${c.score}/100 (pass at ${options.minScore}): canary median ${num(c.canaryMedian)} vs baseline median ${num(c.baselineMedian)} ` +
    `(${change}, tolerance ${percent(options.tolerance)}, ${options.direction}); ` +
    `Mann-Whitney U=${num(c.test.u)} z=${c.test.z.toFixed(2)} p=${pValue(c.test.pValue)}; ${canaryCount} canary / ${baselineCount} baseline datapoints`
  );
}

function percent(x: number): string {
  return Number.isFinite(x) ? `${(x * 100).toFixed(1).replace(/\.0$/, '')}%` : 'infinitely';
}

function num(x: number): string {
  return Number.isInteger(x) ? String(x) : Number(x.toPrecision(4)).toString();
}

function pValue(p: number): string {
  return p < 0.001 ? p.toExponential(1) : p.toFixed(3);
}
