import { CloudWatchClient, GetMetricDataCommand, type GetMetricDataCommandInput, type MetricDataResult } from '@aws-sdk/client-cloudwatch';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import type { MetricGateSpec } from '../../src/config/schema.js';
import { createMetricGate } from '../../src/gates/index.js';
import { VirtualClock } from '../../src/time/clock.js';
import { context } from './fakeCloudWatch.js';

const NOW = Date.UTC(2026, 0, 1, 12, 0, 30);
const mock = mockClient(CloudWatchClient);
const client = new CloudWatchClient({ region: 'us-east-1', credentials: { accessKeyId: 'AKID', secretAccessKey: 'secret' } });
const clock = new VirtualClock(NOW);
afterEach(() => mock.reset());

const TG = 'targetgroup/canary/0123456789abcdef';
const LB = 'app/web/fedcba9876543210';
/** 5xx rate of the canary target group, with the request count as the sample count. */
const ERROR_RATE: MetricGateSpec = {
  name: 'canary-5xx-rate',
  queries: [
    { id: 'errors', metric: { namespace: 'AWS/ApplicationELB', metricName: 'HTTPCode_Target_5XX_Count', dimensions: { TargetGroup: TG, LoadBalancer: LB }, stat: 'Sum' } },
    { id: 'requests', metric: { namespace: 'AWS/ApplicationELB', metricName: 'RequestCount', dimensions: { TargetGroup: TG, LoadBalancer: LB }, stat: 'Sum', period: '1m' } },
    { id: 'rate', expression: '100 * FILL(errors, 0) / requests' },
  ],
  value: 'rate',
  operator: '<',
  threshold: 1,
  sampleCount: 'requests',
  minSamples: 100,
};

const minute = (m: number) => new Date(Date.UTC(2026, 0, 1, 11, 55 + m));

function answer(results: MetricDataResult[], nextToken?: string) {
  return { MetricDataResults: results, ...(nextToken ? { NextToken: nextToken } : {}), $metadata: {} };
}

function inputs(): GetMetricDataCommandInput[] {
  return mock.commandCalls(GetMetricDataCommand).map((c) => c.args[0].input);
}

describe('metric gate requests', () => {
  it('sends the queries (MetricStat and metric math) over the 5-minute window ending now, returning only value and sampleCount', async () => {
    mock.on(GetMetricDataCommand).resolves(answer([]));
    const signal = new AbortController().signal;
    await createMetricGate(ERROR_RATE, { client, clock }).check(context(1, signal));
    expect(inputs()).toEqual([
      {
        MetricDataQueries: [
          { Id: 'errors', MetricStat: { Metric: { Namespace: 'AWS/ApplicationELB', MetricName: 'HTTPCode_Target_5XX_Count', Dimensions: [{ Name: 'TargetGroup', Value: TG }, { Name: 'LoadBalancer', Value: LB }] }, Period: 60, Stat: 'Sum' }, ReturnData: false },
          { Id: 'requests', MetricStat: { Metric: { Namespace: 'AWS/ApplicationELB', MetricName: 'RequestCount', Dimensions: [{ Name: 'TargetGroup', Value: TG }, { Name: 'LoadBalancer', Value: LB }] }, Period: 60, Stat: 'Sum' }, ReturnData: true },
          { Id: 'rate', Expression: '100 * FILL(errors, 0) / requests', ReturnData: true },
        ],
        StartTime: new Date(NOW - 300_000),
        EndTime: new Date(NOW),
        ScanBy: 'TimestampDescending',
      },
    ]);
    expect((mock.commandCalls(GetMetricDataCommand)[0]!.args as unknown[])[1]).toEqual({ abortSignal: signal });
  });

  it('follows NextToken and judges the newest datapoint across pages', async () => {
    mock
      .on(GetMetricDataCommand)
      .resolvesOnce(answer([{ Id: 'rate', Timestamps: [minute(2), minute(1)], Values: [0.2, 0.1], StatusCode: 'PartialData' }, { Id: 'requests', Timestamps: [minute(2)], Values: [300] }], 'page-2'))
      .resolvesOnce(answer([{ Id: 'rate', Timestamps: [minute(4), minute(3)], Values: [2.5, 0.3], StatusCode: 'Complete' }, { Id: 'requests', Timestamps: [minute(4)], Values: [300] }]));
    const result = await createMetricGate(ERROR_RATE, { client, clock }).check(context());
    expect(result).toEqual({ type: 'alarm', names: ['canary-5xx-rate'], reason: 'canary-5xx-rate: rate = 2.5 at 2026-01-01T11:59:00.000Z, not < 1' });
    expect(inputs().map((i) => i.NextToken)).toEqual([undefined, 'page-2']);
  });
});

describe('metric gate verdicts', () => {
  it('passes when the newest value meets the threshold and there are enough samples', async () => {
    mock.on(GetMetricDataCommand).resolves(answer([{ Id: 'rate', Timestamps: [minute(4), minute(3)], Values: [0.4, 3] }, { Id: 'requests', Timestamps: [minute(4), minute(3)], Values: [80, 40] }]));
    expect(await createMetricGate(ERROR_RATE, { client, clock }).check(context())).toEqual({ type: 'ok', detail: 'canary-5xx-rate: rate = 0.4 at 2026-01-01T11:59:00.000Z (< 1)' });
  });

  it('is inconclusive — never a pass — when the samples do not reach minSamples', async () => {
    mock.on(GetMetricDataCommand).resolves(answer([{ Id: 'rate', Timestamps: [minute(4)], Values: [0] }, { Id: 'requests', Timestamps: [minute(4), minute(3)], Values: [60, 39] }]));
    expect(await createMetricGate(ERROR_RATE, { client, clock }).check(context())).toEqual({ type: 'inconclusive', reason: 'canary-5xx-rate: 99 samples (requests) in the last 5m, fewer than minSamples 100' });
  });

  it('is inconclusive when there is no datapoint at all, or only NaN/Infinity (division by zero)', async () => {
    const spec = { ...ERROR_RATE, sampleCount: undefined, minSamples: undefined };
    mock.on(GetMetricDataCommand).resolves(answer([{ Id: 'rate', Timestamps: [], Values: [] }]));
    expect(await createMetricGate(spec, { client, clock }).check(context())).toEqual({ type: 'inconclusive', reason: 'canary-5xx-rate: no datapoints for rate in the last 5m' });
    mock.on(GetMetricDataCommand).resolves(answer([{ Id: 'rate', Timestamps: [minute(4), minute(3)], Values: [Number.NaN, Number.POSITIVE_INFINITY] }]));
    expect((await createMetricGate(spec, { client, clock }).check(context())).type).toBe('inconclusive');
  });

  it('counts datapoints of the value query when minSamples is set without sampleCount', async () => {
    const spec = { ...ERROR_RATE, sampleCount: undefined, minSamples: 3 };
    mock.on(GetMetricDataCommand).resolves(answer([{ Id: 'rate', Timestamps: [minute(4), minute(3)], Values: [0.1, 0.1] }]));
    expect(await createMetricGate(spec, { client, clock }).check(context())).toEqual({ type: 'inconclusive', reason: 'canary-5xx-rate: 2 datapoints of rate in the last 5m, fewer than minSamples 3' });
  });

  it('compares with every operator', async () => {
    mock.on(GetMetricDataCommand).resolves(answer([{ Id: 'rate', Timestamps: [minute(4)], Values: [1] }]));
    const verdict = async (operator: MetricGateSpec['operator']) => (await createMetricGate({ ...ERROR_RATE, operator, sampleCount: undefined, minSamples: undefined }, { client, clock }).check(context())).type;
    expect([await verdict('<'), await verdict('<='), await verdict('>'), await verdict('>=')]).toEqual(['alarm', 'ok', 'alarm', 'ok']);
  });

  it('throws when CloudWatch cannot answer a query (Forbidden, InternalError): a failure to read, not "no data"', async () => {
    mock.on(GetMetricDataCommand).resolves(answer([{ Id: 'rate', StatusCode: 'Forbidden', Messages: [{ Code: 'Forbidden', Value: 'no access to account 111' }] }]));
    await expect(createMetricGate(ERROR_RATE, { client, clock }).check(context())).rejects.toThrow('GetMetricData could not answer query rate: Forbidden (Forbidden no access to account 111)');
  });
});

describe('metric gate spec checks and preflight', () => {
  it('rejects a spec whose value or sampleCount names no query, or a query with both metric and expression', () => {
    expect(() => createMetricGate({ ...ERROR_RATE, value: 'nope' }, { client, clock })).toThrow('gates.metrics "canary-5xx-rate".value: "nope" is not valid; name one of the query ids: errors, requests, rate');
    expect(() => createMetricGate({ ...ERROR_RATE, sampleCount: 'nope' }, { client, clock })).toThrow('.sampleCount');
    const both = { ...ERROR_RATE, sampleCount: undefined, queries: [{ id: 'rate', expression: 'x', metric: ERROR_RATE.queries[0]!.metric }] };
    expect(() => createMetricGate(both, { client, clock })).toThrow('give either metric or expression (exactly one)');
    expect(() => createMetricGate({ ...ERROR_RATE, window: '0s' }, { client, clock })).toThrow('.window');
    const badPeriod = { ...ERROR_RATE, queries: ERROR_RATE.queries.map((q) => (q.metric ? { ...q, metric: { ...q.metric, period: '90s' } } : q)) };
    expect(() => createMetricGate(badPeriod, { client, clock })).toThrow('gates.metrics "canary-5xx-rate".queries "errors".metric.period: "90s" is not valid; CloudWatch periods are 1s, 5s, 10s, 20s, 30s or a multiple of 60s');
  });

  it('preflight reads once and reports a query CloudWatch rejects as an error', async () => {
    mock.on(GetMetricDataCommand).rejects(Object.assign(new Error('Error in expression rate: Unrecognized token'), { name: 'ValidationError' }));
    const report = await createMetricGate(ERROR_RATE, { client, clock }).preflight!({ deploymentId: 'd', signal: new AbortController().signal });
    expect(report.errors).toEqual(['metric gate canary-5xx-rate: GetMetricData failed: ValidationError: Error in expression rate: Unrecognized token']);
    expect(mock.calls().every((c) => c.args[0] instanceof GetMetricDataCommand)).toBe(true);
  });

  it('preflight warns when the gate already breaches before the rollout', async () => {
    mock.on(GetMetricDataCommand).resolves(answer([{ Id: 'rate', Timestamps: [minute(4)], Values: [7] }, { Id: 'requests', Timestamps: [minute(4)], Values: [500] }]));
    const report = await createMetricGate(ERROR_RATE, { client, clock }).preflight!({ deploymentId: 'd', signal: new AbortController().signal });
    expect(report.errors).toEqual([]);
    expect(report.warnings).toEqual(['metric gate canary-5xx-rate already breaches before the rollout: canary-5xx-rate: rate = 7 at 2026-01-01T11:59:00.000Z, not < 1']);
  });
});
