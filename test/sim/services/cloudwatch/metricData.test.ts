/** GetMetricData, GetMetricStatistics, PutMetricData and ListMetrics, over the traffic model and custom data. */
import {
  DescribeAlarmsCommand,
  GetMetricDataCommand,
  GetMetricStatisticsCommand,
  ListMetricsCommand,
  PutMetricAlarmCommand,
  PutMetricDataCommand,
  type CloudWatchClient,
  type MetricDataQuery,
} from '@aws-sdk/client-cloudwatch';
import { describe, expect, it } from 'vitest';
import type { Flow, SimService } from '../../../../src/sim/types.js';
import { cloudWatchWorld, failure, MINUTE, putErrors, T0 } from './helpers.js';

const FUNCTION = { FunctionName: 'f' };

/** A function serving every request, half of them failing. */
const traffic: SimService<Record<string, never>> = {
  name: 'lambda',
  initialState: () => ({}),
  operations: {},
  route: (_ctx, _resource, rps): Flow[] => [
    { rps, version: 'v2', errorRate: 0.5, latencyMs: 80, series: [{ namespace: 'AWS/Lambda', dimensions: FUNCTION, requests: 'Invocations', errors: ['Errors'], latency: { name: 'Duration', unit: 'Milliseconds' } }] },
  ],
};

function trafficWorld() {
  return cloudWatchWorld({ traffic: [{ service: 'lambda', resource: 'f', rps: 10 }] }, [traffic]);
}

const lambdaStat = (Id: string, MetricName: string, extra: Partial<MetricDataQuery> = {}): MetricDataQuery => ({
  Id,
  MetricStat: { Metric: { Namespace: 'AWS/Lambda', MetricName, Dimensions: [{ Name: 'FunctionName', Value: 'f' }] }, Period: 60, Stat: 'Sum' },
  ...extra,
});

const appStat = (Id: string, MetricName: string, extra: Partial<MetricDataQuery> = {}): MetricDataQuery => ({
  Id,
  MetricStat: { Metric: { Namespace: 'App', MetricName, Dimensions: [{ Name: 'Service', Value: 'web' }] }, Period: 60, Stat: 'Sum' },
  ReturnData: false,
  ...extra,
});

async function metricData(client: CloudWatchClient, queries: MetricDataQuery[], start = T0, end = T0 + 5 * MINUTE, extra = {}) {
  return client.send(new GetMetricDataCommand({ MetricDataQueries: queries, StartTime: new Date(start), EndTime: new Date(end), ...extra }));
}

describe('GetMetricData', () => {
  it('reads the traffic model, newest first by default, hiding queries that do not return data', async () => {
    const { client, clock, world } = trafficWorld();
    clock.advance(3 * MINUTE);
    const output = await metricData(client, [lambdaStat('errors', 'Errors', { ReturnData: false }), lambdaStat('calls', 'Invocations'), { Id: 'rate', Expression: '100 * errors / calls', Label: 'error %' }]);
    const expected = world.metrics.query({ namespace: 'AWS/Lambda', metricName: 'Invocations', dimensions: FUNCTION, period: 60, stat: 'Sum', start: T0, end: T0 + 5 * MINUTE }, clock.now());
    expect(expected).toHaveLength(3);
    const [calls, rate] = output.MetricDataResults ?? [];
    expect(output.MetricDataResults).toHaveLength(2);
    expect(calls).toMatchObject({ Id: 'calls', Label: 'Invocations', StatusCode: 'Complete', Messages: [] });
    expect(calls?.Timestamps).toEqual([...expected].reverse().map((p) => new Date(p.timestamp)));
    expect(calls?.Values).toEqual([...expected].reverse().map((p) => p.value));
    expect(rate).toMatchObject({ Id: 'rate', Label: 'error %', StatusCode: 'Complete' });
    for (const value of rate?.Values ?? []) expect(value).toBeGreaterThan(40);
    expect(rate?.Values).toHaveLength(3);
  });

  it('takes StartTime inclusive and EndTime exclusive, ascending on request', async () => {
    const { client, clock } = trafficWorld();
    clock.advance(5 * MINUTE);
    const output = await metricData(client, [lambdaStat('calls', 'Invocations')], T0 + MINUTE, T0 + 3 * MINUTE, { ScanBy: 'TimestampAscending' });
    expect(output.MetricDataResults?.[0]?.Timestamps).toEqual([new Date(T0 + MINUTE), new Date(T0 + 2 * MINUTE)]);
  });

  it('drops points divided by zero and counts missing values as 0 in arithmetic', async () => {
    const { client, clock } = cloudWatchWorld();
    await putErrors(client, T0 + 1_000, 1, 'A');
    await putErrors(client, T0 + MINUTE + 1_000, 2, 'A');
    await putErrors(client, T0 + 1_000, 0, 'B');
    await putErrors(client, T0 + MINUTE + 1_000, 4, 'B');
    await putErrors(client, T0 + MINUTE + 1_000, 10, 'C');
    clock.advance(3 * MINUTE);
    const output = await metricData(
      client,
      [appStat('a', 'A'), appStat('b', 'B'), appStat('c', 'C'), { Id: 'ratio', Expression: 'a / b' }, { Id: 'plus', Expression: '(a + c) * 2 - 1' }, { Id: 'neg', Expression: '-c ^ 2' }],
      T0,
      T0 + 3 * MINUTE,
      { ScanBy: 'TimestampAscending' },
    );
    const byId = Object.fromEntries((output.MetricDataResults ?? []).map((r) => [r.Id, [r.Timestamps?.map((t) => t.getTime() - T0), r.Values]]));
    expect(byId).toEqual({ ratio: [[MINUTE], [0.5]], plus: [[0, MINUTE], [1, 23]], neg: [[MINUTE], [-100]] });
  });

  it('supports SUM, AVG, MIN, MAX over arrays and METRICS(), FILL and ABS', async () => {
    const { client, clock } = cloudWatchWorld();
    await putErrors(client, T0 + 1_000, 3, 'ErrA');
    await putErrors(client, T0 + MINUTE + 1_000, 5, 'ErrA');
    await putErrors(client, T0 + MINUTE + 1_000, 1, 'ErrB');
    clock.advance(3 * MINUTE);
    const expressions: [string, string][] = [
      ['sum', 'SUM(METRICS())'],
      ['avg', 'AVG([err_a, err_b])'],
      ['min', 'MIN(METRICS("err"))'],
      ['max', 'MAX(METRICS("err_b")) + MAX(err_a)'],
      ['fill', 'FILL(err_b, 0)'],
      ['abs', 'ABS(err_b - err_a)'],
    ];
    const output = await metricData(client, [appStat('err_a', 'ErrA'), appStat('err_b', 'ErrB'), ...expressions.map(([Id, Expression]) => ({ Id, Expression }))], T0, T0 + 3 * MINUTE, { ScanBy: 'TimestampAscending' });
    const values = Object.fromEntries((output.MetricDataResults ?? []).map((r) => [r.Id, r.Values]));
    expect(values).toEqual({ sum: [3, 6], avg: [1.5, 3], min: [3, 1], max: [6], fill: [0, 1, 0], abs: [3, 4] });
  });

  it('returns one result per series for an expression producing an array', async () => {
    const { client, clock } = cloudWatchWorld();
    await putErrors(client, T0 + 1_000, 3, 'ErrA');
    await putErrors(client, T0 + 1_000, 1, 'ErrB');
    clock.advance(MINUTE);
    const output = await metricData(client, [appStat('a', 'ErrA', { Label: 'A' }), appStat('b', 'ErrB', { Label: 'B' }), { Id: 'scaled', Expression: 'METRICS() * 10', Label: 'x10' }], T0, T0 + MINUTE);
    expect(output.MetricDataResults?.map((r) => [r.Id, r.Label, r.Values])).toEqual([
      ['scaled', 'x10 A', [30]],
      ['scaled', 'x10 B', [10]],
    ]);
  });

  it('pages by MaxDatapoints, marking results cut by the page as PartialData', async () => {
    const { client, clock } = trafficWorld();
    clock.advance(3 * MINUTE);
    const queries = [lambdaStat('calls', 'Invocations'), lambdaStat('errors', 'Errors')];
    const first = await metricData(client, queries, T0, T0 + 3 * MINUTE, { MaxDatapoints: 4 });
    expect(first.MetricDataResults?.map((r) => [r.Id, r.Values?.length, r.StatusCode])).toEqual([
      ['calls', 3, 'Complete'],
      ['errors', 1, 'PartialData'],
    ]);
    expect(first.NextToken).toBeDefined();
    const second = await metricData(client, queries, T0, T0 + 3 * MINUTE, { MaxDatapoints: 4, NextToken: first.NextToken });
    expect(second.MetricDataResults?.map((r) => [r.Id, r.Values?.length, r.StatusCode])).toEqual([['errors', 2, 'Complete']]);
    expect(second.NextToken).toBeUndefined();
    expect(await failure(metricData(client, queries, T0, T0 + 3 * MINUTE, { NextToken: '99' }))).toMatchObject({ name: 'InvalidNextToken', $metadata: { httpStatusCode: 400 } });
  });

  const rejected: [string, MetricDataQuery[], string][] = [
    ['an Id starting with a capital', [appStat('Errors', 'A', { ReturnData: true })], 'The value Errors for parameter MetricDataQueries.member.1.Id is invalid: it must start with a lowercase letter and contain only letters, numbers and underscores.'],
    ['duplicate Ids', [appStat('a', 'A'), appStat('a', 'B')], 'The values for parameter Id in MetricDataQueries are not unique: a.'],
    ['an unknown Id in an expression', [appStat('a', 'A'), { Id: 'e', Expression: 'a + b' }], "Error in expression e [Unknown metric or expression id 'b']"],
    ['a syntax error', [appStat('a', 'A'), { Id: 'e', Expression: 'a + * 2' }], "Error in expression e [Unsupported token '*' at char 4]"],
    ['an unsupported function', [appStat('a', 'A'), { Id: 'e', Expression: 'RATE(a)' }], "Error in expression e [Unsupported function 'RATE' at char 0 (the simulated CloudWatch supports METRICS, SUM, AVG, MIN, MAX, ABS, FILL)]"],
    ['a scalar result', [appStat('a', 'A'), { Id: 'e', Expression: 'SUM(a)' }], 'Error in expression e [the expression must return a time series or an array of time series, not a scalar]'],
    ['a circular reference', [{ Id: 'x', Expression: 'y + 1' }, { Id: 'y', Expression: 'x * 2' }], "Error in expression y [Circular reference to 'x']"],
    ['a bad statistic', [appStat('a', 'A', { MetricStat: { Metric: { Namespace: 'App', MetricName: 'A' }, Period: 60, Stat: 'Median' } })], 'The value for parameter MetricDataQueries.member.1.MetricStat.Stat is not a valid statistic.'],
    ['both MetricStat and Expression', [appStat('a', 'A', { Expression: '1' })], 'Exactly one of MetricStat and Expression must be set in MetricDataQueries.member.1.'],
  ];
  for (const [what, queries, message] of rejected) {
    it(`rejects ${what} with ValidationError`, async () => {
      const { client } = cloudWatchWorld();
      expect(await failure(metricData(client, queries))).toMatchObject({ name: 'ValidationException', message, $metadata: { httpStatusCode: 400 } });
    });
  }

  it('rejects more than 500 queries and an empty or reversed time range', async () => {
    const { client } = cloudWatchWorld();
    const many = Array.from({ length: 501 }, (_, i) => appStat(`m${i}`, 'A'));
    expect((await failure(metricData(client, many))).message).toBe('The collection MetricDataQueries must not have a size greater than 500.');
    expect((await failure(metricData(client, [appStat('a', 'A')], T0, T0))).message).toBe('The parameter StartTime must not equal parameter EndTime.');
    expect(await failure(metricData(client, [appStat('a', 'A')], T0 + MINUTE, T0))).toMatchObject({ name: 'ValidationException', message: 'The parameter EndTime must be greater than StartTime.' });
  });
});

describe('metric-math alarms', () => {
  it('alarm on the error rate of the traffic model', async () => {
    const { client, clock } = trafficWorld();
    await client.send(
      new PutMetricAlarmCommand({
        AlarmName: 'error-rate',
        Metrics: [lambdaStat('errors', 'Errors', { ReturnData: false }), lambdaStat('calls', 'Invocations', { ReturnData: false }), { Id: 'rate', Expression: '100 * errors / calls' }],
        EvaluationPeriods: 2,
        Threshold: 20,
        ComparisonOperator: 'GreaterThanThreshold',
      }),
    );
    clock.advance(2 * MINUTE);
    const { MetricAlarms = [] } = await client.send(new DescribeAlarmsCommand({ AlarmNames: ['error-rate'] }));
    expect(MetricAlarms[0]).toMatchObject({ StateValue: 'ALARM', EvaluationPeriods: 2, Metrics: [{ Id: 'errors' }, { Id: 'calls' }, { Id: 'rate', Expression: '100 * errors / calls' }] });
    expect(MetricAlarms[0]?.Period).toBeUndefined();
    expect(MetricAlarms[0]?.StateReason).toMatch(/^Threshold Crossed: 2 datapoints \[\d+\.\d+ \(01\/01\/26 00:01:00\), \d+\.\d+ \(01\/01\/26 00:00:00\)\] were greater than the threshold \(20\.0\)\.$/);
  });
});

describe('GetMetricStatistics', () => {
  it('returns the requested statistics and percentiles per period', async () => {
    const { client, clock } = cloudWatchWorld();
    for (const value of [1, 2, 3, 10]) await putErrors(client, T0 + 5_000, value);
    await putErrors(client, T0 + MINUTE + 5_000, 4);
    clock.advance(2 * MINUTE);
    const base = { Namespace: 'App', MetricName: 'Errors', Dimensions: [{ Name: 'Service', Value: 'web' }], StartTime: new Date(T0), EndTime: new Date(T0 + 2 * MINUTE), Period: 60 };
    const stats = await client.send(new GetMetricStatisticsCommand({ ...base, Statistics: ['Sum', 'SampleCount', 'Average', 'Minimum', 'Maximum'] }));
    expect(stats.Label).toBe('Errors');
    expect(stats.Datapoints).toEqual([
      { Timestamp: new Date(T0), Sum: 16, SampleCount: 4, Average: 4, Minimum: 1, Maximum: 10, Unit: 'None' },
      { Timestamp: new Date(T0 + MINUTE), Sum: 4, SampleCount: 1, Average: 4, Minimum: 4, Maximum: 4, Unit: 'None' },
    ]);
    const percentiles = await client.send(new GetMetricStatisticsCommand({ ...base, ExtendedStatistics: ['p50', 'p99'], Unit: 'Count' }));
    expect(percentiles.Datapoints?.[0]).toEqual({ Timestamp: new Date(T0), ExtendedStatistics: { p50: 2, p99: 10 }, Unit: 'Count' });
  });

  it('rejects too many datapoints, a bad period and a missing statistic', async () => {
    const { client } = cloudWatchWorld();
    const base = { Namespace: 'App', MetricName: 'Errors', StartTime: new Date(T0), EndTime: new Date(T0 + 1441 * MINUTE), Period: 60, Statistics: ['Sum' as const] };
    expect(await failure(client.send(new GetMetricStatisticsCommand(base)))).toMatchObject({
      name: 'InvalidParameterCombinationException',
      message: 'You have requested up to 1,441 datapoints, which exceeds the limit of 1,440. You may reduce the datapoints requested by increasing Period, or decreasing the time range.',
      $metadata: { httpStatusCode: 400 },
    });
    expect(await failure(client.send(new GetMetricStatisticsCommand({ ...base, Period: 45 })))).toMatchObject({ name: 'InvalidParameterValueException' });
    expect(await failure(client.send(new GetMetricStatisticsCommand({ ...base, Statistics: undefined })))).toMatchObject({ name: 'InvalidParameterCombinationException' });
    expect(await failure(client.send(new GetMetricStatisticsCommand({ ...base, Statistics: undefined, ExtendedStatistics: ['p1000'] })))).toMatchObject({ name: 'InvalidParameterValueException' });
  });
});

describe('PutMetricData', () => {
  it('stores statistic sets and value/count lists so their statistics come back', async () => {
    const { client, clock } = cloudWatchWorld();
    await client.send(
      new PutMetricDataCommand({
        Namespace: 'App',
        MetricData: [
          { MetricName: 'Set', Timestamp: new Date(T0), StatisticValues: { SampleCount: 5, Sum: 30, Minimum: 2, Maximum: 10 } },
          { MetricName: 'List', Timestamp: new Date(T0), Values: [1, 5], Counts: [3, 1] },
        ],
      }),
    );
    clock.advance(MINUTE);
    const stats = async (MetricName: string) =>
      (await client.send(new GetMetricStatisticsCommand({ Namespace: 'App', MetricName, StartTime: new Date(T0), EndTime: new Date(T0 + MINUTE), Period: 60, Statistics: ['Sum', 'SampleCount', 'Minimum', 'Maximum'] }))).Datapoints?.[0];
    expect(await stats('Set')).toMatchObject({ Sum: 30, SampleCount: 5, Minimum: 2, Maximum: 10 });
    expect(await stats('List')).toMatchObject({ Sum: 8, SampleCount: 4, Minimum: 1, Maximum: 5 });
  });

  it('rejects AWS/ namespaces and bad data, storing nothing', async () => {
    const { client, world } = cloudWatchWorld();
    expect(await failure(client.send(new PutMetricDataCommand({ Namespace: 'AWS/Lambda', MetricData: [{ MetricName: 'Errors', Value: 1 }] })))).toMatchObject({
      name: 'InvalidParameterValueException',
      message: 'The value AWS/ for parameter Namespace is invalid.',
    });
    expect(await failure(client.send(new PutMetricDataCommand({ Namespace: 'App', MetricData: [{ MetricName: 'Ok', Value: 1 }, { MetricName: 'Both', Value: 1, Values: [1] }] })))).toMatchObject({
      name: 'InvalidParameterCombinationException',
    });
    expect(await failure(client.send(new PutMetricDataCommand({ Namespace: 'App', MetricData: [{ MetricName: 'None' }] })))).toMatchObject({ name: 'MissingRequiredParameterException' });
    expect(world.metrics.listSeries()).toEqual([]);
  });
});

describe('ListMetrics', () => {
  it('lists the traffic model and custom metrics, filtered by namespace, name and dimensions', async () => {
    const { client } = trafficWorld();
    await putErrors(client, T0, 1);
    const all = await client.send(new ListMetricsCommand({}));
    expect(all.Metrics?.map((m) => `${m.Namespace}/${m.MetricName}`)).toEqual(['App/Errors', 'AWS/Lambda/Duration', 'AWS/Lambda/Errors', 'AWS/Lambda/Invocations']);
    const errors = await client.send(new ListMetricsCommand({ MetricName: 'Errors', Dimensions: [{ Name: 'FunctionName' }] }));
    expect(errors.Metrics).toEqual([{ Namespace: 'AWS/Lambda', MetricName: 'Errors', Dimensions: [{ Name: 'FunctionName', Value: 'f' }] }]);
    expect((await client.send(new ListMetricsCommand({ Namespace: 'App', Dimensions: [{ Name: 'Service', Value: 'api' }] }))).Metrics).toEqual([]);
  });
});
