/**
 * Two-sided Mann-Whitney U test (Wilcoxon rank-sum), normal approximation with tie correction and continuity
 * correction — the same figures as R's `wilcox.test(a, b, exact = FALSE, correct = TRUE)` and SciPy's
 * `mannwhitneyu(a, b, method='asymptotic', use_continuity=True)`.
 */
export interface MannWhitneyResult {
  /** U of the first sample: pairs (x from a, y from b) with x > y, plus half of the ties. */
  readonly u: number;
  /** Signed: positive when the first sample tends to be larger. 0 when the samples cannot be told apart. */
  readonly z: number;
  /** Two-sided p-value, in [0, 1]. 1 when either sample is empty or every value is the same. */
  readonly pValue: number;
}

export function mannWhitneyU(a: readonly number[], b: readonly number[]): MannWhitneyResult {
  const n1 = a.length;
  const n2 = b.length;
  if (n1 === 0 || n2 === 0) return { u: 0, z: 0, pValue: 1 };
  const { rankSumOfFirst, tieTerm } = rankSum(a, b);
  const u = rankSumOfFirst - (n1 * (n1 + 1)) / 2;
  const n = n1 + n2;
  const mean = (n1 * n2) / 2;
  const variance = ((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1)));
  if (!(variance > 0)) return { u, z: 0, pValue: 1 };
  const distance = Math.abs(u - mean);
  // Continuity correction: the discrete U moves half a step towards the mean (never past it).
  const corrected = Math.max(0, distance - 0.5);
  const z = (Math.sign(u - mean) * corrected) / Math.sqrt(variance);
  const pValue = Math.min(1, 2 * normalUpperTail(Math.abs(z)));
  return { u, z, pValue };
}

/** Rank sum of the first sample in the pooled ranking (ties get their average rank), and Σ(t³ − t) over ties. */
function rankSum(a: readonly number[], b: readonly number[]): { rankSumOfFirst: number; tieTerm: number } {
  const pooled = [...a.map((value) => ({ value, first: true })), ...b.map((value) => ({ value, first: false }))];
  pooled.sort((x, y) => x.value - y.value);
  let rankSumOfFirst = 0;
  let tieTerm = 0;
  for (let start = 0; start < pooled.length; ) {
    let end = start;
    while (end + 1 < pooled.length && pooled[end + 1]!.value === pooled[start]!.value) end += 1;
    const ties = end - start + 1;
    const averageRank = (start + end) / 2 + 1;
    for (let i = start; i <= end; i += 1) if (pooled[i]!.first) rankSumOfFirst += averageRank;
    tieTerm += ties ** 3 - ties;
    start = end + 1;
  }
  return { rankSumOfFirst, tieTerm };
}

/** P(Z > z) for a standard normal Z. */
export function normalUpperTail(z: number): number {
  return 0.5 * erfc(z / Math.SQRT2);
}

/**
 * Complementary error function, Chebyshev fit with fractional error below 1.2e-7 everywhere
 * (Press et al., Numerical Recipes, "erfcc"). Accurate in the far tail, where 1 − erf(x) would cancel.
 */
export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const poly =
    -z * z -
    1.26551223 +
    t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  const tail = t * Math.exp(poly);
  return x >= 0 ? tail : 2 - tail;
}

/** Median of a sample (mean of the middle two for an even count); NaN for an empty sample. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((x, y) => x - y);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
