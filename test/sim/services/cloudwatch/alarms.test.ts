/** PutMetricAlarm, PutCompositeAlarm, DescribeAlarms and DeleteAlarms through a real SDK client. */
import { DeleteAlarmsCommand, DescribeAlarmsCommand, PutCompositeAlarmCommand, PutMetricAlarmCommand, type PutMetricAlarmCommandInput } from '@aws-sdk/client-cloudwatch';
import { describe, expect, it } from 'vitest';
import { alarmInput, cloudWatchWorld, failure, putAlarm, T0 } from './helpers.js';

describe('PutMetricAlarm', () => {
  it('creates an alarm in INSUFFICIENT_DATA with every configured member', async () => {
    const { client, clock } = cloudWatchWorld();
    clock.advance(5_000);
    await putAlarm(client, { DatapointsToAlarm: 1, TreatMissingData: 'notBreaching', AlarmDescription: 'web errors', AlarmActions: ['arn:aws:sns:us-east-1:123456789012:pager'], Unit: 'Count' });

    const { MetricAlarms } = await client.send(new DescribeAlarmsCommand({ AlarmNames: ['errors'] }));

    expect(MetricAlarms).toEqual([
      {
        AlarmName: 'errors',
        AlarmArn: 'arn:aws:cloudwatch:us-east-1:123456789012:alarm:errors',
        AlarmDescription: 'web errors',
        AlarmConfigurationUpdatedTimestamp: new Date(T0 + 5_000),
        ActionsEnabled: true,
        OKActions: [],
        AlarmActions: ['arn:aws:sns:us-east-1:123456789012:pager'],
        InsufficientDataActions: [],
        StateValue: 'INSUFFICIENT_DATA',
        StateReason: 'Unchecked: Initial alarm creation',
        StateUpdatedTimestamp: new Date(T0 + 5_000),
        StateTransitionedTimestamp: new Date(T0 + 5_000),
        MetricName: 'Errors',
        Namespace: 'App',
        Statistic: 'Sum',
        Dimensions: [{ Name: 'Service', Value: 'web' }],
        Period: 60,
        Unit: 'Count',
        EvaluationPeriods: 1,
        DatapointsToAlarm: 1,
        Threshold: 5,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'notBreaching',
      },
    ]);
  });

  it('keeps the state of an alarm it updates and overwrites the configuration', async () => {
    const { client, clock, state } = cloudWatchWorld();
    await putAlarm(client);
    state().alarms.errors!.status.stateValue = 'ALARM';
    clock.advance(1_000);
    await putAlarm(client, { Threshold: 50 });
    const alarm = state().alarms.errors!;
    expect(alarm.status.stateValue).toBe('ALARM');
    expect(alarm.type === 'MetricAlarm' && alarm.threshold).toBe(50);
    expect(alarm.configurationUpdatedAt).toBe(T0 + 1_000);
  });

  const rejected: [string, Partial<PutMetricAlarmCommandInput>, string][] = [
    ['a period of 45 s', { Period: 45 }, 'Period must be 10, 20, 30 or a multiple of 60'],
    ['a period of 90 s', { Period: 90 }, 'Period must be 10, 20, 30 or a multiple of 60'],
    ['more than a day of short periods', { Period: 60, EvaluationPeriods: 1441 }, 'Metrics cannot be checked across more than a day (EvaluationPeriods * Period must be <= 86400)'],
    ['more than a week of hourly periods', { Period: 3600, EvaluationPeriods: 169 }, 'Metrics cannot be checked across more than a week (EvaluationPeriods * Period must be <= 604800)'],
    ['DatapointsToAlarm above EvaluationPeriods', { EvaluationPeriods: 2, DatapointsToAlarm: 3 }, 'DatapointsToAlarm must be less than or equal to EvaluationPeriods'],
    ['Statistic and ExtendedStatistic', { ExtendedStatistic: 'p99' }, 'Statistic and ExtendedStatistic cannot both be set'],
    ['neither Statistic nor ExtendedStatistic', { Statistic: undefined }, 'Either Statistic or ExtendedStatistic must be set'],
    ['a bad ExtendedStatistic', { Statistic: undefined, ExtendedStatistic: 'p999' }, 'The value p999 for parameter ExtendedStatistic is not a valid statistic.'],
    ['no metric', { MetricName: undefined }, 'MetricName must not be null'],
    ['no threshold', { Threshold: undefined }, 'Threshold must not be null'],
    ['an unknown TreatMissingData', { TreatMissingData: 'zero' }, 'TreatMissingData zero is not valid: use breaching, notBreaching, ignore or missing'],
  ];
  for (const [what, overrides, message] of rejected) {
    it(`rejects ${what} with ValidationError`, async () => {
      const { client, state } = cloudWatchWorld();
      const error = await failure(putAlarm(client, overrides));
      expect(error).toMatchObject({ name: 'ValidationException', Code: 'ValidationError', message, $metadata: { httpStatusCode: 400 } });
      expect(state().alarms).toEqual({});
    });
  }

  it('accepts 10, 20 and 30 s high-resolution periods and multiples of 60, up to the window limits', async () => {
    const { client, state } = cloudWatchWorld();
    for (const [i, Period, EvaluationPeriods] of [[1, 10, 8640], [2, 20, 3], [3, 30, 3], [4, 120, 720], [5, 3600, 168]] as const) await putAlarm(client, { AlarmName: `a${i}`, Period, EvaluationPeriods });
    expect(Object.keys(state().alarms)).toHaveLength(5);
  });

  it('rejects anomaly-detection operators clearly, as not modeled', async () => {
    const { client } = cloudWatchWorld();
    const error = await failure(putAlarm(client, { ComparisonOperator: 'LessThanLowerOrGreaterThanUpperThreshold' }));
    expect(error.name).toBe('ValidationException');
    expect(error.message).toMatch(/anomaly detection band, which the simulated CloudWatch does not model/);
  });

  it('accepts a metric-math alarm and checks its Metrics list', async () => {
    const { client, state } = cloudWatchWorld();
    const stat = (id: string, MetricName: string) => ({ Id: id, MetricStat: { Metric: { Namespace: 'App', MetricName }, Period: 60, Stat: 'Sum' }, ReturnData: false });
    const math = { AlarmName: 'rate', EvaluationPeriods: 1, Threshold: 5, ComparisonOperator: 'GreaterThanThreshold' as const };
    await client.send(new PutMetricAlarmCommand({ ...math, Metrics: [stat('e', 'Errors'), stat('r', 'Requests'), { Id: 'rate', Expression: '100 * e / r' }] }));
    expect(state().alarms.rate).toMatchObject({ period: 60, metrics: [{ Id: 'e' }, { Id: 'r' }, { Id: 'rate', Expression: '100 * e / r' }] });

    const twoReturn = await failure(client.send(new PutMetricAlarmCommand({ ...math, Metrics: [{ ...stat('e', 'Errors'), ReturnData: true }, { Id: 'rate', Expression: 'e * 2' }] })));
    expect(twoReturn.message).toBe('Exactly one element of the metrics list should return data.');
    const withUnit = await failure(client.send(new PutMetricAlarmCommand({ ...math, Unit: 'Count', Metrics: [stat('e', 'Errors'), { Id: 'rate', Expression: 'e' }] })));
    expect(withUnit.message).toBe('Unit should not be set if list of Metrics is set.');
    const unknownId = await failure(client.send(new PutMetricAlarmCommand({ ...math, Metrics: [stat('e', 'Errors'), { Id: 'rate', Expression: 'e / nope' }] })));
    expect(unknownId.message).toBe("Error in expression rate [Unknown metric or expression id 'nope']");
  });

  it('does not let a metric alarm take the name of a composite alarm', async () => {
    const { client } = cloudWatchWorld();
    await putAlarm(client, { AlarmName: 'child' });
    await client.send(new PutCompositeAlarmCommand({ AlarmName: 'gate', AlarmRule: 'ALARM(child)' }));
    expect((await failure(putAlarm(client, { AlarmName: 'gate' }))).message).toBe('The alarm gate already exists as a composite alarm');
  });
});

describe('PutCompositeAlarm', () => {
  it('requires every child to exist', async () => {
    const { client } = cloudWatchWorld();
    await putAlarm(client, { AlarmName: 'a' });
    const error = await failure(client.send(new PutCompositeAlarmCommand({ AlarmName: 'x', AlarmRule: 'ALARM(a) OR ALARM(gone) OR OK("also gone")' })));
    expect(error).toMatchObject({ name: 'ValidationException', message: 'Could not save the composite alarm as alarms [gone, also gone] in the alarm rule do not exist', $metadata: { httpStatusCode: 400 } });
  });

  const parseErrors: [string, string][] = [
    ['()', "Error in AlarmRule [Unsupported token ')' at char 1]"],
    ['ALARM(a) AND', 'Error in AlarmRule [Unexpected end of rule at char 12]'],
    ['ALARM(a b)', "Error in AlarmRule [Unsupported token 'b' at char 8, must be: ')']"],
    ['ALARM(a) XOR ALARM(a)', "Error in AlarmRule [Unsupported token 'XOR' at char 9]"],
    ['AT_LEAST(1, ALARM, (a))', "Error in AlarmRule [Unsupported token 'AT_LEAST' at char 0]"],
  ];
  for (const [rule, message] of parseErrors) {
    it(`rejects the rule ${rule}`, async () => {
      const { client } = cloudWatchWorld();
      await putAlarm(client, { AlarmName: 'a' });
      expect(await failure(client.send(new PutCompositeAlarmCommand({ AlarmName: 'x', AlarmRule: rule })))).toMatchObject({ name: 'ValidationException', message });
    });
  }

  it('allows at most 100 children', async () => {
    const { client } = cloudWatchWorld();
    const names = Array.from({ length: 101 }, (_, i) => `c${i}`);
    for (const name of names) await putAlarm(client, { AlarmName: name });
    const rule = names.map((n) => `ALARM(${n})`).join(' OR ');
    expect((await failure(client.send(new PutCompositeAlarmCommand({ AlarmName: 'x', AlarmRule: rule })))).message).toBe('Error in AlarmRule [The rule refers to 101 alarms; the maximum is 100]');
    await client.send(new PutCompositeAlarmCommand({ AlarmName: 'x', AlarmRule: names.slice(0, 100).map((n) => `ALARM(${n})`).join(' OR ') }));
  });

  it('accepts names, quoted names and ARNs, and is evaluated when saved', async () => {
    const { client, state } = cloudWatchWorld();
    await putAlarm(client, { AlarmName: 'a' });
    await putAlarm(client, { AlarmName: 'b c' });
    const arn = 'arn:aws:cloudwatch:us-east-1:123456789012:alarm:a';
    await client.send(new PutCompositeAlarmCommand({ AlarmName: 'gate', AlarmRule: `INSUFFICIENT_DATA("${arn}") AND NOT (OK("b c") OR FALSE)` }));
    const gate = state().alarms.gate!;
    expect(gate.type === 'CompositeAlarm' && gate.children).toEqual(['a', 'b c']);
    expect(gate.status.stateValue).toBe('ALARM');
    expect(gate.status.stateReason).toBe(`${arn} transitioned to INSUFFICIENT_DATA at Thursday 01 January, 2026 00:00:00 UTC`);
  });
});

describe('DescribeAlarms', () => {
  async function threeAlarms() {
    const setup = cloudWatchWorld();
    await putAlarm(setup.client, { AlarmName: 'web-5xx', AlarmActions: ['arn:aws:sns:us-east-1:123456789012:pager'] });
    await putAlarm(setup.client, { AlarmName: 'web-latency' });
    await putAlarm(setup.client, { AlarmName: 'db-cpu' });
    await setup.client.send(new PutCompositeAlarmCommand({ AlarmName: 'web-gate', AlarmRule: 'ALARM(web-5xx) OR ALARM(web-latency)' }));
    return setup;
  }
  const names = (alarms: { AlarmName?: string }[] | undefined) => (alarms ?? []).map((a) => a.AlarmName);

  it('returns only metric alarms when AlarmTypes is omitted, even when composites match', async () => {
    const { client } = await threeAlarms();
    const omitted = await client.send(new DescribeAlarmsCommand({ AlarmNames: ['web-gate', 'web-5xx'] }));
    expect(names(omitted.MetricAlarms)).toEqual(['web-5xx']);
    expect(omitted.CompositeAlarms).toEqual([]);
    const both = await client.send(new DescribeAlarmsCommand({ AlarmNames: ['web-gate', 'web-5xx'], AlarmTypes: ['MetricAlarm', 'CompositeAlarm'] }));
    expect(names(both.MetricAlarms)).toEqual(['web-5xx']);
    expect(both.CompositeAlarms).toEqual([
      expect.objectContaining({ AlarmName: 'web-gate', AlarmRule: 'ALARM(web-5xx) OR ALARM(web-latency)', StateValue: 'OK', StateTransitionedTimestamp: new Date(T0) }),
    ]);
    const composites = await client.send(new DescribeAlarmsCommand({ AlarmTypes: ['CompositeAlarm'] }));
    expect([names(composites.MetricAlarms), names(composites.CompositeAlarms)]).toEqual([[], ['web-gate']]);
  });

  it('filters by prefix, state and action prefix, sorted by name', async () => {
    const { client, state } = await threeAlarms();
    expect(names((await client.send(new DescribeAlarmsCommand({ AlarmNamePrefix: 'web-' }))).MetricAlarms)).toEqual(['web-5xx', 'web-latency']);
    expect(names((await client.send(new DescribeAlarmsCommand({}))).MetricAlarms)).toEqual(['db-cpu', 'web-5xx', 'web-latency']);
    state().alarms['db-cpu']!.status.stateValue = 'ALARM';
    expect(names((await client.send(new DescribeAlarmsCommand({ StateValue: 'ALARM' }))).MetricAlarms)).toEqual(['db-cpu']);
    expect(names((await client.send(new DescribeAlarmsCommand({ ActionPrefix: 'arn:aws:sns:us-east-1:123456789012:pa' }))).MetricAlarms)).toEqual(['web-5xx']);
  });

  it('rejects AlarmNames with AlarmNamePrefix, and other parameters with ChildrenOfAlarmName', async () => {
    const { client } = await threeAlarms();
    expect(await failure(client.send(new DescribeAlarmsCommand({ AlarmNames: ['a'], AlarmNamePrefix: 'a' })))).toMatchObject({
      name: 'InvalidParameterCombinationException',
      message: 'AlarmNamePrefix and AlarmNames.member are mutually exclusive',
      $metadata: { httpStatusCode: 400 },
    });
    expect(await failure(client.send(new DescribeAlarmsCommand({ ChildrenOfAlarmName: 'web-gate', StateValue: 'OK' })))).toMatchObject({ name: 'ValidationException' });
  });

  it('lists the children and the parents of an alarm with their few members', async () => {
    const { client } = await threeAlarms();
    const children = await client.send(new DescribeAlarmsCommand({ ChildrenOfAlarmName: 'web-gate' }));
    expect(children.MetricAlarms).toEqual([
      { AlarmName: 'web-5xx', AlarmArn: 'arn:aws:cloudwatch:us-east-1:123456789012:alarm:web-5xx', StateValue: 'INSUFFICIENT_DATA', StateUpdatedTimestamp: new Date(T0) },
      { AlarmName: 'web-latency', AlarmArn: 'arn:aws:cloudwatch:us-east-1:123456789012:alarm:web-latency', StateValue: 'INSUFFICIENT_DATA', StateUpdatedTimestamp: new Date(T0) },
    ]);
    const parents = await client.send(new DescribeAlarmsCommand({ ParentsOfAlarmName: 'web-5xx' }));
    expect(parents.CompositeAlarms).toEqual([{ AlarmName: 'web-gate', AlarmArn: 'arn:aws:cloudwatch:us-east-1:123456789012:alarm:web-gate' }]);
  });

  it('pages with MaxRecords and NextToken, and rejects a bad token', async () => {
    const { client } = await threeAlarms();
    const first = await client.send(new DescribeAlarmsCommand({ MaxRecords: 2 }));
    expect(names(first.MetricAlarms)).toEqual(['db-cpu', 'web-5xx']);
    const second = await client.send(new DescribeAlarmsCommand({ MaxRecords: 2, NextToken: first.NextToken }));
    expect([names(second.MetricAlarms), second.NextToken]).toEqual([['web-latency'], undefined]);
    expect(await failure(client.send(new DescribeAlarmsCommand({ NextToken: 'bogus' })))).toMatchObject({ name: 'InvalidNextToken', $metadata: { httpStatusCode: 400 } });
    expect(await failure(client.send(new DescribeAlarmsCommand({ MaxRecords: 101 })))).toMatchObject({ name: 'ValidationException' });
  });
});

describe('DeleteAlarms', () => {
  it('ignores names that do not exist and deletes the rest', async () => {
    const { client, state } = cloudWatchWorld();
    await putAlarm(client, { AlarmName: 'a' });
    await client.send(new DeleteAlarmsCommand({ AlarmNames: ['a', 'never-existed'] }));
    expect(state().alarms).toEqual({});
  });

  it('refuses to delete children of a composite, deleting nothing, unless the composite goes too', async () => {
    const { client, state } = cloudWatchWorld();
    await putAlarm(client, { AlarmName: 'a' });
    await putAlarm(client, { AlarmName: 'b' });
    await putAlarm(client, { AlarmName: 'c' });
    await client.send(new PutCompositeAlarmCommand({ AlarmName: 'gate', AlarmRule: 'ALARM(a) AND ALARM(b)' }));
    expect(await failure(client.send(new DeleteAlarmsCommand({ AlarmNames: ['c', 'a', 'b'] })))).toMatchObject({
      name: 'ValidationException',
      message: 'Cannot delete a,b as there are composite alarm(s) depending on them.',
    });
    expect((await failure(client.send(new DeleteAlarmsCommand({ AlarmNames: ['a'] })))).message).toBe('Cannot delete a as there are composite alarm(s) depending on it.');
    expect(Object.keys(state().alarms).sort()).toEqual(['a', 'b', 'c', 'gate']);
    await client.send(new DeleteAlarmsCommand({ AlarmNames: ['gate', 'a', 'b'] }));
    expect(Object.keys(state().alarms)).toEqual(['c']);
  });

  it('rejects more than 100 names before reaching the world', async () => {
    const { client } = cloudWatchWorld();
    const error = await failure(client.send(new DeleteAlarmsCommand({ AlarmNames: Array.from({ length: 101 }, (_, i) => `a${i}`) })));
    expect(error).toMatchObject({ name: 'ValidationException', $metadata: { httpStatusCode: 400 } });
    expect(alarmInput().AlarmName).toBe('errors');
  });
});
