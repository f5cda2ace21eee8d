import { describe, expect, it } from 'vitest';
import { compareCanary, type CompareOptions } from '../../src/gates/canaryScore.js';
import { mulberry32 } from '../../src/sim/random.js';

const DEFAULTS: CompareOptions = { direction: 'lower-is-better', tolerance: 0.1, minScore: 75, minSamples: 10 };

/** Deterministic noise: mulberry32 + Box-Muller. */
function gaussian(seed: number): () => number {
  const uniform = mulberry32(seed);
  return () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
}

function series(seed: number, count: number, mean: number, sd: number): number[] {
  const next = gaussian(seed);
  return Array.from({ length: count }, () => Math.max(0, mean + sd * next()));
}

describe('compareCanary on noisy data', () => {
  it('passes a healthy canary (same latency distribution) in at least 98 of 100 noisy runs', () => {
    const verdicts = Array.from({ length: 100 }, (_, seed) => compareCanary(series(seed * 2 + 1, 10, 120, 15), series(seed * 2 + 2, 10, 120, 15), DEFAULTS).verdict);
    expect(verdicts.filter((v) => v === 'pass').length).toBeGreaterThanOrEqual(98);
    expect(verdicts).not.toContain('inconclusive');
  });

  it('fails a broken canary (latency 50 % higher) in every one of 100 noisy runs, with a low score', () => {
    for (let seed = 0; seed < 100; seed += 1) {
      const result = compareCanary(series(seed * 2 + 1, 10, 180, 15), series(seed * 2 + 2, 10, 120, 15), DEFAULTS);
      expect(result.verdict, result.detail).toBe('fail');
      expect(result.score).toBeLessThan(20);
    }
  });

  it('fails a canary whose error rate is 5 % against a 1 % baseline (ten 60 s periods each)', () => {
    const result = compareCanary(series(7, 10, 0.05, 0.01), series(8, 10, 0.01, 0.003), DEFAULTS);
    expect(result.verdict).toBe('fail');
    expect(result.score).toBe(0);
    expect(result.test.pValue).toBeLessThan(0.001);
  });

  it('scores lower the worse the canary gets (never higher)', () => {
    const baseline = series(11, 20, 100, 5);
    const scores = [1, 1.05, 1.1, 1.15, 1.2, 1.3, 1.5, 2].map((factor) => compareCanary(series(12, 20, 100 * factor, 5), baseline, DEFAULTS).score!);
    for (let i = 1; i < scores.length; i += 1) expect(scores[i]).toBeLessThanOrEqual(scores[i - 1]!);
    expect(scores[0]).toBe(100);
    expect(scores[scores.length - 1]).toBe(0);
  });
});

describe('compareCanary scoring rules', () => {
  const baseline = [100, 101, 99, 100, 102, 98, 100, 101, 99, 100];

  it('scores 100 when the canary is worse but within tolerance, even when the difference is significant', () => {
    const canary = baseline.map((v) => v * 1.05);
    const result = compareCanary(canary, baseline, DEFAULTS);
    expect(result.test.pValue).toBeLessThan(0.01);
    expect(result.score).toBe(100);
    expect(result.verdict).toBe('pass');
  });

  it('takes half the score for a canary significantly worse by 1.5 × tolerance', () => {
    const result = compareCanary(baseline.map((v) => v * 1.15), baseline, DEFAULTS);
    expect(result.worseBy).toBeCloseTo(0.15, 10);
    expect(result.test.pValue).toBeLessThan(0.01);
    expect(result.score).toBe(50);
    expect(result.verdict).toBe('fail');
  });

  it('scores a better canary 100', () => {
    expect(compareCanary(baseline.map((v) => v * 0.5), baseline, DEFAULTS).score).toBe(100);
  });

  it('honours higher-is-better: a lower success rate fails, a higher one passes', () => {
    const options = { ...DEFAULTS, direction: 'higher-is-better' } as const;
    expect(compareCanary(baseline.map((v) => v * 0.7), baseline, options).verdict).toBe('fail');
    expect(compareCanary(baseline.map((v) => v * 1.3), baseline, options).score).toBe(100);
  });

  it('treats any significant worsening from a baseline median of 0 as infinitely worse', () => {
    const result = compareCanary([1, 2, 1, 3, 2, 1, 2, 2, 1, 3], [0, 0, 0, 0, 0, 0, 0, 0, 0, 0], DEFAULTS);
    expect(result.worseBy).toBe(Number.POSITIVE_INFINITY);
    expect(result.verdict).toBe('fail');
    expect(result.detail).toContain('infinitely worse');
  });

  it('costs little when noise could explain a worse median (p > 0.3)', () => {
    const canary = [140, 60, 150, 70, 160, 80, 145, 75, 155, 65];
    const noisyBaseline = [100, 60, 110, 70, 120, 80, 105, 75, 115, 65];
    const result = compareCanary(canary, noisyBaseline, DEFAULTS);
    expect(result.worseBy).toBeGreaterThan(0.1);
    expect(result.test.pValue).toBeGreaterThan(0.3);
    expect(result.verdict).toBe('pass');
  });

  it('respects minScore', () => {
    const canary = baseline.map((v) => v * 1.15);
    expect(compareCanary(canary, baseline, { ...DEFAULTS, minScore: 50 }).verdict).toBe('pass');
    expect(compareCanary(canary, baseline, { ...DEFAULTS, minScore: 51 }).verdict).toBe('fail');
  });
});

describe('compareCanary with too little data', () => {
  it('is inconclusive, never a pass, when either side has fewer than minSamples datapoints', () => {
    const result = compareCanary([500, 600, 700], [100, 101, 99, 100, 102, 98, 100, 101, 99, 100], DEFAULTS);
    expect(result.verdict).toBe('inconclusive');
    expect(result.score).toBeUndefined();
    expect(result.detail).toContain('3 canary and 10 baseline datapoints');
  });

  it('is inconclusive on no data at all, even with minSamples 0', () => {
    expect(compareCanary([], [], { ...DEFAULTS, minSamples: 0 }).verdict).toBe('inconclusive');
    expect(compareCanary([], [1, 2, 3], { ...DEFAULTS, minSamples: 0 }).verdict).toBe('inconclusive');
  });
});

describe('compareCanary detail', () => {
  it('states the score, both medians, the change, the tolerance and the p-value', () => {
    const baseline = [100, 101, 99, 100, 102, 98, 100, 101, 99, 100];
    const result = compareCanary(baseline.map((v) => v * 2), baseline, DEFAULTS);
    expect(result.detail).toMatch(/^score 0\/100 \(pass at 75\): canary median 200 vs baseline median 100 \(100% worse, tolerance 10%, lower-is-better\); Mann-Whitney U=100 z=3\.\d\d p=\d\.\de-4; 10 canary \/ 10 baseline datapoints$/);
  });
});
