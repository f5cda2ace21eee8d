import { describe, expect, it } from 'vitest';
import { route53WeightsFor as weightsFor } from '../../../src/providers/route53/index.js';

describe('Route 53 weights for a percent', () => {
  it.each([
    [1, { stable: 99, canary: 1 }],
    [25, { stable: 75, canary: 25 }],
    [12.5, { stable: 175, canary: 25 }],
    [0.5, { stable: 199, canary: 1 }],
    [99.5, { stable: 1, canary: 199 }],
    [0.4, { stable: 249, canary: 1 }],
    [33.33, { stable: 2, canary: 1 }],
    [2.25, { stable: 87, canary: 2 }],
    [100, { stable: 0, canary: 100 }],
  ])('%s%% → %o', (percent, pair) => {
    expect(weightsFor(percent)).toEqual(pair);
  });

  it.each([0.1, 0.3, 99.9, 99.75])('%s%% cannot be written within 0.5%% of itself', (percent) => {
    expect(weightsFor(percent)).toBeUndefined();
  });

  it('every answer fits 0..255, never both 0, and is within 0.5% of the percent on both sides', () => {
    for (let hundredths = 1; hundredths < 10_000; hundredths++) {
      const percent = hundredths / 100;
      const pair = weightsFor(percent);
      if (!pair) continue;
      const total = pair.stable + pair.canary;
      expect(pair.canary).toBeGreaterThanOrEqual(1);
      expect(pair.stable).toBeGreaterThanOrEqual(1);
      expect(total).toBeLessThanOrEqual(255);
      const share = (pair.canary * 100) / total;
      expect(Math.abs(share - percent)).toBeLessThanOrEqual(0.005 * Math.min(percent, 100 - percent) + 1e-9);
    }
  });
});
