import { describe, expect, it } from 'vitest';
import { erfc, mannWhitneyU, median, normalUpperTail } from '../../src/gates/mannWhitney.js';

/**
 * Reference values: SciPy 1.17 `mannwhitneyu(a, b, alternative='two-sided', method='asymptotic',
 * use_continuity=True)` (the same as R's wilcox.test(exact=FALSE, correct=TRUE)).
 */
const REFERENCE = [
  { name: 'fully separated', a: [1, 2, 3], b: [4, 5, 6], u: 0, p: 0.08085559837005224 },
  { name: 'ties across the samples', a: [1, 2, 2, 3, 3, 3], b: [2, 3, 4, 4, 5], u: 5.5, p: 0.08871369199677616 },
  { name: 'overlapping, no ties', a: [1.1, 2.3, 3.5, 4.2, 5.9, 6.1, 7.7], b: [2.0, 3.1, 4.8, 5.5, 8.2, 9.0, 9.9, 10.4], u: 17, p: 0.22431312651115398 },
  {
    // Also the published expectation of ClickHouse's mannWhitneyUTest test (tests/queries/0_stateless/01560_mann_whitney).
    name: '20 + 20 with ties',
    a: [310, 195, 530, 155, 530, 245, 385, 450, 465, 545, 170, 180, 125, 180, 230, 75, 430, 480, 495, 295],
    b: [116, 171, 176, 421, 111, 326, 481, 111, 346, 441, 261, 411, 206, 521, 456, 446, 296, 51, 426, 261],
    u: 223,
    p: 0.5426959774289482,
  },
];

describe('mannWhitneyU', () => {
  it.each(REFERENCE)('matches SciPy: $name', ({ a, b, u, p }) => {
    const result = mannWhitneyU(a, b);
    expect(result.u).toBe(u);
    expect(result.pValue).toBeCloseTo(p, 6);
  });

  it('computes z by hand for [1,2,3] vs [4,5,6]: (0 − 4.5 + 0.5) / √5.25', () => {
    // n1 = n2 = 3: mean U = 4.5, variance = 3·3/12 · (6 + 1) = 5.25, continuity correction 0.5.
    expect(mannWhitneyU([1, 2, 3], [4, 5, 6]).z).toBeCloseTo(-4 / Math.sqrt(5.25), 12);
  });

  it('is symmetric: swapping the samples mirrors U and z and keeps p', () => {
    const [x, y] = [REFERENCE[3]!.a, REFERENCE[3]!.b];
    const forward = mannWhitneyU(x, y);
    const backward = mannWhitneyU(y, x);
    expect(forward.u + backward.u).toBe(x.length * y.length);
    expect(backward.z).toBeCloseTo(-forward.z, 12);
    expect(backward.pValue).toBeCloseTo(forward.pValue, 12);
  });

  it('gives z > 0 when the first sample tends to be larger', () => {
    expect(mannWhitneyU([10, 11, 12, 13], [1, 2, 3]).z).toBeGreaterThan(0);
    expect(mannWhitneyU([1, 2, 3], [10, 11, 12, 13]).z).toBeLessThan(0);
  });

  it('applies the tie correction: all-equal samples cannot be told apart (p = 1, z = 0)', () => {
    expect(mannWhitneyU([5, 5, 5], [5, 5, 5])).toEqual({ u: 4.5, z: 0, pValue: 1 });
  });

  it('returns p = 1 for an empty sample rather than a verdict', () => {
    expect(mannWhitneyU([], [1, 2, 3]).pValue).toBe(1);
    expect(mannWhitneyU([1, 2], []).pValue).toBe(1);
  });

  it('finds large, clearly separated samples highly significant', () => {
    const low = Array.from({ length: 30 }, (_, i) => i);
    const high = Array.from({ length: 30 }, (_, i) => 100 + i);
    const result = mannWhitneyU(low, high);
    expect(result.u).toBe(0);
    expect(result.pValue).toBeLessThan(1e-9);
    expect(result.pValue).toBeGreaterThan(0);
  });
});

describe('normal tail and erfc', () => {
  it('matches textbook values', () => {
    expect(normalUpperTail(0)).toBeCloseTo(0.5, 7);
    expect(normalUpperTail(1.959963984540054)).toBeCloseTo(0.025, 7);
    expect(normalUpperTail(-1.959963984540054)).toBeCloseTo(0.975, 7);
    expect(erfc(1)).toBeCloseTo(0.157299207050285, 7);
    // Relative accuracy holds far in the tail: erfc(5) = 1.5375e-12.
    expect(erfc(5) / 1.5374597944280349e-12).toBeCloseTo(1, 5);
  });
});

describe('median', () => {
  it('takes the middle value, or the mean of the middle two', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });
});
