import { CloudWatchClient, GetMetricDataCommand, type GetMetricDataCommandInput } from '@aws-sdk/client-cloudwatch';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { AnalysisSpec } from '../../src/config/schema.js';
import { createAnalysisRunner } from '../../src/gates/index.js';
import { VirtualClock } from '../../src/time/clock.js';
import { context } from './fakeCloudWatch.js';

const NOW = Date.UTC(2026, 0, 1, 12, 10, 42);
const END = Date.UTC(2026, 0, 1, 12, 10, 0);
const mock = mockClient(CloudWatchClient);
const client = new CloudWatchClient({ region: 'us-east-1', credentials: { accessKeyId: 'AKID', secretAccessKey: 'secret' } });
const clock = new VirtualClock(NOW);
afterEach(() => mock.reset());

const latency = (targetGroup: string) => ({ namespace: 'AWS/ApplicationELB', metricName: 'TargetResponseTime', dimensions: { TargetGroup: targetGroup, LoadBalancer: 'app/web/1' }, stat: 'p99' });
const COMPARE = AnalysisSpec.parse({ type: 'compare', canary: latency('targetgroup/green/2'), baseline: latency('targetgroup/blue/1') });

/** One datapoint per minute, newest first, as GetMetricData returns them. */
function perMinute(id: string, values: number[]) {
  return { Id: id, Timestamps: values.map((_, i) => new Date(END - (i + 1) * 60_000)), Values: values, StatusCode: 'Complete' as const };
}

const BASELINE = [0.21, 0.19, 0.22, 0.2, 0.18, 0.23, 0.2, 0.21, 0.19, 0.2];

describe('compare analysis', () => {
  it('asks for both metrics in one GetMetricData call over the last 12 whole minutes (minSamples + 2 periods)', async () => {
    mock.on(GetMetricDataCommand).resolves({ MetricDataResults: [perMinute('canary', BASELINE), perMinute('baseline', BASELINE)] });
    const signal = new AbortController().signal;
    await createAnalysisRunner({ latency: COMPARE }, { client, clock }).run('latency', context(3, signal));
    const input: GetMetricDataCommandInput = mock.commandCalls(GetMetricDataCommand)[0]!.args[0].input;
    const query = (id: string, tg: string) => ({ Id: id, MetricStat: { Metric: { Namespace: 'AWS/ApplicationELB', MetricName: 'TargetResponseTime', Dimensions: [{ Name: 'TargetGroup', Value: tg }, { Name: 'LoadBalancer', Value: 'app/web/1' }] }, Period: 60, Stat: 'p99' }, ReturnData: true });
    expect(input).toEqual({ MetricDataQueries: [query('canary', 'targetgroup/green/2'), query('baseline', 'targetgroup/blue/1')], StartTime: new Date(END - 720_000), EndTime: new Date(END), ScanBy: 'TimestampDescending' });
    expect((mock.commandCalls(GetMetricDataCommand)[0]!.args as unknown[])[1]).toEqual({ abortSignal: signal });
  });

  it('passes a healthy canary and states score, medians and p-value', async () => {
    const canary = [0.2, 0.22, 0.19, 0.21, 0.2, 0.18, 0.22, 0.2, 0.21, 0.19];
    mock.on(GetMetricDataCommand).resolves({ MetricDataResults: [perMinute('canary', canary), perMinute('baseline', BASELINE)] });
    const result = await createAnalysisRunner({ latency: COMPARE }, { client, clock }).run('latency', context());
    expect(result.verdict).toBe('pass');
    expect(result.detail).toMatch(/^score 100\/100 \(pass at 75\): canary median 0\.2 vs baseline median 0\.2 .* p=0\.\d{3}; 10 canary \/ 10 baseline datapoints over the last 12m$/);
  });

  it('fails a canary whose latency doubled', async () => {
    mock.on(GetMetricDataCommand).resolves({ MetricDataResults: [perMinute('canary', BASELINE.map((v) => v * 2)), perMinute('baseline', BASELINE)] });
    const result = await createAnalysisRunner({ latency: COMPARE }, { client, clock }).run('latency', context());
    expect(result.verdict).toBe('fail');
    expect(result.detail).toContain('score 0/100');
    expect(result.detail).toContain('canary median 0.4 vs baseline median 0.2 (100% worse');
  });

  it('is inconclusive with fewer than minSamples datapoints on either side (NaN datapoints do not count)', async () => {
    const sparse = [0.9, Number.NaN, 0.9, 0.9, Number.NaN, 0.9, 0.9, 0.9, 0.9, 0.9];
    mock.on(GetMetricDataCommand).resolves({ MetricDataResults: [perMinute('canary', sparse), perMinute('baseline', BASELINE)] });
    const result = await createAnalysisRunner({ latency: COMPARE }, { client, clock }).run('latency', context());
    expect(result).toEqual({ verdict: 'inconclusive', detail: 'inconclusive: 8 canary and 10 baseline datapoints, at least 10 each are needed over the last 12m' });
  });

  it('uses the window, direction, tolerance and minScore of the spec', async () => {
    const spec = AnalysisSpec.parse({ ...COMPARE, window: '5m', direction: 'higher-is-better', tolerance: 0.5, minSamples: 5 });
    mock.on(GetMetricDataCommand).resolves({ MetricDataResults: [perMinute('canary', [6, 6, 6, 6, 6]), perMinute('baseline', [10, 10, 10, 10, 10])] });
    const result = await createAnalysisRunner({ throughput: spec }, { client, clock }).run('throughput', context());
    expect(mock.commandCalls(GetMetricDataCommand)[0]!.args[0].input.StartTime).toEqual(new Date(END - 300_000));
    expect(result.verdict).toBe('pass');
    expect(result.detail).toContain('40% worse, tolerance 50%, higher-is-better');
  });
});

describe('threshold analysis and spec checks', () => {
  it('runs its metric gate once and maps ok/alarm/inconclusive to pass/fail/inconclusive', async () => {
    const spec = AnalysisSpec.parse({
      type: 'threshold',
      gate: { name: 'errors', queries: [{ id: 'e', metric: { namespace: 'AWS/Lambda', metricName: 'Errors', dimensions: { FunctionName: 'f' } } }], value: 'e', operator: '<=', threshold: 0 },
    });
    const runner = createAnalysisRunner({ errors: spec }, { client, clock });
    mock.on(GetMetricDataCommand).resolves({ MetricDataResults: [perMinute('e', [0])] });
    expect((await runner.run('errors', context())).verdict).toBe('pass');
    mock.on(GetMetricDataCommand).resolves({ MetricDataResults: [perMinute('e', [3])] });
    expect(await runner.run('errors', context())).toEqual({ verdict: 'fail', detail: 'errors: e = 3 at 2026-01-01T12:09:00.000Z, not <= 0' });
    mock.on(GetMetricDataCommand).resolves({ MetricDataResults: [] });
    expect((await runner.run('errors', context())).verdict).toBe('inconclusive');
    expect(mock.commandCalls(GetMetricDataCommand)).toHaveLength(3);
  });

  it('refuses specs that cannot run, naming the field, before anything is written', () => {
    expect(() => createAnalysisRunner({ a: AnalysisSpec.parse({ type: 'compare', canary: latency('x') }) }, { client, clock })).toThrow('analyses.a.baseline: (missing) is not valid; a compare analysis needs the baseline metric');
    expect(() => createAnalysisRunner({ b: AnalysisSpec.parse({ type: 'threshold' }) }, { client, clock })).toThrow('analyses.b.gate');
    expect(() => createAnalysisRunner({ c: AnalysisSpec.parse({ ...COMPARE, window: 'soon' }) }, { client, clock })).toThrow();
  });

  it('lists its names and rejects an unknown one', async () => {
    const runner = createAnalysisRunner({ latency: COMPARE }, { client, clock });
    expect(runner.names).toEqual(['latency']);
    await expect(runner.run('nope', context())).rejects.toThrow('no analysis named nope; defined: latency');
  });
});
