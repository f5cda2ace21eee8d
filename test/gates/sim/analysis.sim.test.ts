/** Metric gates and canary analysis against the simulated CloudWatch, on the traffic model's (noisy) metrics. */
import { describe, expect, it } from 'vitest';
import { AnalysisSpec, type MetricGateSpec } from '../../../src/config/schema.js';
import { createAnalysisRunner, createMetricGate } from '../../../src/gates/index.js';
import { context } from '../fakeCloudWatch.js';
import { T0 } from '../../sim/simFixture.js';
import { after, canaryWorld, MINUTE, type CanaryWorldOptions } from './canaryWorld.js';

/** The green group's 5xx rate in percent, with its request count as the sample count. */
function errorRateGate(dims: { lb: string; green: string }, minSamples: number): MetricGateSpec {
  const metric = (metricName: string) => ({ namespace: 'AWS/ApplicationELB', metricName, dimensions: { TargetGroup: dims.green, LoadBalancer: dims.lb }, stat: 'Sum' });
  return {
    name: 'green-error-rate',
    queries: [
      { id: 'errors', metric: metric('HTTPCode_Target_5XX_Count') },
      { id: 'requests', metric: metric('RequestCount') },
      { id: 'rate', expression: '100 * errors / requests' },
    ],
    value: 'rate',
    operator: '<',
    threshold: 2,
    sampleCount: 'requests',
    minSamples,
  };
}

function latencyComparison(dims: { lb: string; blue: string; green: string }): AnalysisSpec {
  const latency = (group: string) => ({ namespace: 'AWS/ApplicationELB', metricName: 'TargetResponseTime', dimensions: { TargetGroup: group, LoadBalancer: dims.lb }, stat: 'Average' });
  return AnalysisSpec.parse({ type: 'compare', canary: latency(dims.green), baseline: latency(dims.blue), tolerance: 0.1 });
}

async function gateAfter(minutes: number, options: CanaryWorldOptions, minSamples = 1000) {
  const { clock, client, dims } = await canaryWorld(options);
  const gate = createMetricGate(errorRateGate(dims, minSamples), { client, clock });
  await after(clock, minutes * MINUTE);
  return clock.run(gate.check(context()));
}

describe('metric gate on the simulated world', () => {
  it('is inconclusive before any canary traffic has been measured', async () => {
    expect(await gateAfter(0, { green: { errorRate: 0.3 } })).toEqual({ type: 'inconclusive', reason: 'green-error-rate: 0 samples (requests) in the last 5m, fewer than minSamples 1000' });
  });

  it('is inconclusive while the canary has served too few requests, however bad it looks', async () => {
    // 10 % of 100 rps = 600 requests a minute: not 1000 after one minute.
    expect(await gateAfter(1, { green: { errorRate: 0.3 } })).toMatchObject({ type: 'inconclusive', reason: expect.stringMatching(/^green-error-rate: \d{3} samples \(requests\) in the last 5m, fewer than minSamples 1000$/) });
  });

  it('fires on a canary failing 30 % of its requests', async () => {
    const result = await gateAfter(5, { green: { errorRate: 0.3 } });
    expect(result).toMatchObject({ type: 'alarm', names: ['green-error-rate'] });
    const rate = Number(/rate = ([\d.]+)/.exec(result.type === 'alarm' ? result.reason : '')?.[1]);
    expect(rate).toBeGreaterThan(25);
    expect(rate).toBeLessThan(35);
  });

  it('passes a healthy canary', async () => {
    expect(await gateAfter(5, {})).toMatchObject({ type: 'ok', detail: expect.stringMatching(/^green-error-rate: rate = [\d.]+ at .* \(< 2\)$/) });
  });
});

describe('canary analysis on the simulated world (noisy traffic-model latency)', () => {
  /** With a 90 s ingestion delay: the default window (minSamples + 2 minutes) still holds 10 whole minutes. */
  async function analyse(options: CanaryWorldOptions, minutes = 13) {
    const { clock, client, dims } = await canaryWorld({ metricDelaySeconds: 90, ...options });
    const runner = createAnalysisRunner({ latency: latencyComparison(dims) }, { client, clock });
    await after(clock, minutes * MINUTE);
    return clock.run(runner.run('latency', context()));
  }

  it('passes a canary as fast as the baseline', async () => {
    const result = await analyse({});
    expect(result.verdict, result.detail).toBe('pass');
    expect(result.detail).toMatch(/^score (\d+)\/100 .* 10 canary \/ 10 baseline datapoints over the last 12m$/);
  });

  it('fails a canary 50 % slower than the baseline', async () => {
    const result = await analyse({ green: { latencyMs: 90 } });
    expect(result.verdict, result.detail).toBe('fail');
    expect(result.detail).toMatch(/^score \d\/100 \(pass at 75\): canary median 0\.0[89]\d* vs baseline median 0\.0[56]\d* \(\d+(\.\d)?% worse/);
  });

  it('passes a canary 5 % slower (within the 10 % tolerance)', async () => {
    const result = await analyse({ green: { latencyMs: 63 } });
    expect(result.verdict, result.detail).toBe('pass');
  });

  it('tells healthy from broken at 10 different start times (different noise), with no false verdicts', async () => {
    const HOUR = 60 * MINUTE;
    for (let k = 1; k <= 10; k += 1) {
      const startAt = T0 + k * 7 * HOUR;
      const healthy = await analyse({ startAt });
      const slightlySlower = await analyse({ startAt, green: { latencyMs: 63 } });
      const broken = await analyse({ startAt, green: { latencyMs: 80 } });
      expect([healthy.verdict, slightlySlower.verdict, broken.verdict], `${healthy.detail}\n${slightlySlower.detail}\n${broken.detail}`).toEqual(['pass', 'pass', 'fail']);
    }
  });

  it('is inconclusive until enough whole minutes have been measured', async () => {
    // After 6 minutes with a 90 s delay, only the first 4 whole minutes have arrived.
    const result = await analyse({ green: { latencyMs: 90 } }, 6);
    expect(result).toEqual({ verdict: 'inconclusive', detail: 'inconclusive: 4 canary and 4 baseline datapoints, at least 10 each are needed over the last 12m' });
  });
});
