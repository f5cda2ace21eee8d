import {
  CloudWatchClient,
  DescribeAlarmsCommand,
  GetMetricDataCommand,
  PutCompositeAlarmCommand,
  PutMetricAlarmCommand,
  PutMetricDataCommand,
  SetAlarmStateCommand,
  type MetricAlarm,
} from '@aws-sdk/client-cloudwatch';
import { expect, it } from 'vitest';
import { cloudwatchService } from '../../src/sim/services/cloudwatch/index.js';
import { expectConformance, motoSide, ok, runBoth, simSide, type Deviation, type Transcript } from './conformance.js';
import { describeWithMoto } from './motoServer.js';

/** Every difference between moto and the sim; docs/moto.md explains each (same ids) and which side AWS takes. */
const DEVIATIONS: readonly Deviation[] = [
  { id: 'cw-composite-not-implemented', at: /^PutCompositeAlarm |CompositeAlarms(\[\d\]\.\w+)?$/ },
  { id: 'cw-alarm-types-ignored', at: /^DescribeAlarms composite only MetricAlarms/ },
  { id: 'cw-initial-state', at: /^DescribeAlarms [\w ]+ MetricAlarms\[\d\]\.(StateValue|StateReasonData)$/ },
  { id: 'cw-state-transitioned', at: /MetricAlarms\[\d\]\.StateTransitionedTimestamp$/ },
  { id: 'cw-metrics-empty', at: /MetricAlarms\[\d\]\.Metrics$/ },
  { id: 'cw-metric-data-label-messages', at: /^GetMetricData (MetricDataResults\[\d\]\.)?(Label|Messages)$/ },
];

const ALARMS = ['deployctl-5xx', 'deployctl-latency', 'deployctl-rollback'];

/** The calls the CloudWatch gates make (DescribeAlarms by name with and without AlarmTypes, GetMetricData), on alarms set up the same way. */
async function scenario(t: Transcript): Promise<void> {
  const c = new CloudWatchClient(t.side.config);
  const dimensions = [{ Name: 'Service', Value: 'checkout' }];
  await t.call('PutMetricAlarm 5xx', () =>
    c.send(
      new PutMetricAlarmCommand({
        AlarmName: ALARMS[0],
        Namespace: 'Deployctl/Conformance',
        MetricName: 'Errors',
        Dimensions: dimensions,
        Statistic: 'Sum',
        Period: 60,
        EvaluationPeriods: 3,
        DatapointsToAlarm: 2,
        Threshold: 5,
        ComparisonOperator: 'GreaterThanThreshold',
        TreatMissingData: 'notBreaching',
      }),
    ),
  );
  await t.call('PutMetricAlarm latency', () =>
    c.send(new PutMetricAlarmCommand({ AlarmName: ALARMS[1], Namespace: 'Deployctl/Conformance', MetricName: 'Latency', Dimensions: dimensions, ExtendedStatistic: 'p99', Period: 60, EvaluationPeriods: 1, Threshold: 0.5, ComparisonOperator: 'GreaterThanOrEqualToThreshold' })),
  );
  await t.attempt('PutCompositeAlarm', () => c.send(new PutCompositeAlarmCommand({ AlarmName: ALARMS[2], AlarmRule: `ALARM("${ALARMS[0]}") OR ALARM("${ALARMS[1]}")`, ActionsEnabled: false })));

  await t.call('DescribeAlarms without AlarmTypes', () => c.send(new DescribeAlarmsCommand({ AlarmNames: ALARMS })));
  await t.call('DescribeAlarms both types', () => c.send(new DescribeAlarmsCommand({ AlarmNames: ALARMS, AlarmTypes: ['CompositeAlarm', 'MetricAlarm'] })));
  await t.call('DescribeAlarms composite only', () => c.send(new DescribeAlarmsCommand({ AlarmNames: ALARMS, AlarmTypes: ['CompositeAlarm'] })));
  await t.call('DescribeAlarms unknown name', () => c.send(new DescribeAlarmsCommand({ AlarmNames: ['deployctl-missing'], AlarmTypes: ['CompositeAlarm', 'MetricAlarm'] })));

  await t.call('SetAlarmState ALARM', () => c.send(new SetAlarmStateCommand({ AlarmName: ALARMS[0], StateValue: 'ALARM', StateReason: 'conformance test' })));
  await t.call('DescribeAlarms after SetAlarmState', () => c.send(new DescribeAlarmsCommand({ AlarmNames: [ALARMS[0]!] })));
  await t.call('DescribeAlarms composite after SetAlarmState', () => c.send(new DescribeAlarmsCommand({ AlarmNames: [ALARMS[2]!], AlarmTypes: ['CompositeAlarm'] })));
  await t.attempt('SetAlarmState unknown alarm', () => c.send(new SetAlarmStateCommand({ AlarmName: 'deployctl-missing', StateValue: 'ALARM', StateReason: 'x' })));

  // Data points at whole minutes in the past, then read back per minute.
  const minute = 60_000;
  const base = Math.floor(t.side.now() / minute) * minute - 10 * minute;
  const values = [1, 4, 9];
  await t.call('PutMetricData', () =>
    c.send(new PutMetricDataCommand({ Namespace: 'Deployctl/Conformance', MetricData: values.map((Value, i) => ({ MetricName: 'Errors', Dimensions: dimensions, Value, Unit: 'Count', Timestamp: new Date(base + i * minute + 5_000) })) })),
  );
  await t.side.settle(120);
  await t.call('GetMetricData', () =>
    c.send(
      new GetMetricDataCommand({
        StartTime: new Date(base),
        EndTime: new Date(base + 5 * minute),
        ScanBy: 'TimestampAscending',
        MetricDataQueries: [
          { Id: 'errors', MetricStat: { Metric: { Namespace: 'Deployctl/Conformance', MetricName: 'Errors', Dimensions: dimensions }, Period: 60, Stat: 'Sum' } },
          { Id: 'none', MetricStat: { Metric: { Namespace: 'Deployctl/Conformance', MetricName: 'Errors', Dimensions: [{ Name: 'Service', Value: 'other' }] }, Period: 60, Stat: 'Sum' } },
        ],
      }),
    ),
  );
  t.note('GetMetricData timestamps (minutes after base)', (ok<{ MetricDataResults: { Timestamps?: Date[] }[] }>(t.answerOf('GetMetricData')).MetricDataResults[0]?.Timestamps ?? []).map((d) => (d.getTime() - base) / minute));
}

describeWithMoto('CloudWatch conformance: moto and the simulated world answer the gate calls alike', (moto) => {
  it('metric and composite alarms, DescribeAlarms AlarmTypes semantics, SetAlarmState, PutMetricData and GetMetricData', async () => {
    const { moto: m, sim: s } = await runBoth(motoSide(moto()), simSide([cloudwatchService]), scenario);

    expectConformance(m, s, DEVIATIONS);

    for (const t of [m, s]) {
      const plain = ok<{ MetricAlarms: MetricAlarm[]; CompositeAlarms?: unknown[] }>(t.answerOf('DescribeAlarms without AlarmTypes'));
      expect(plain.MetricAlarms.map((a) => a.AlarmName)).toEqual(ALARMS.slice(0, 2));
      expect(plain.CompositeAlarms ?? []).toEqual([]);
      expect(ok<{ MetricAlarms: MetricAlarm[] }>(t.answerOf('DescribeAlarms after SetAlarmState')).MetricAlarms[0]?.StateValue).toBe('ALARM');
      expect(t.answerOf('SetAlarmState unknown alarm')).toEqual({ error: 'ResourceNotFound', status: 404 });
      const data = ok<{ MetricDataResults: { Id: string; Values: number[] }[] }>(t.answerOf('GetMetricData')).MetricDataResults;
      expect(data.map((r) => [r.Id, r.Values])).toEqual([['errors', [1, 4, 9]], ['none', []]]);
      expect(ok(t.answerOf('GetMetricData timestamps (minutes after base)'))).toEqual([0, 1, 2]);
    }
    // What AWS documents and the sim does (docs/moto.md): composite alarms exist, AlarmTypes selects, new alarms start INSUFFICIENT_DATA.
    const simBoth = ok<{ MetricAlarms: MetricAlarm[]; CompositeAlarms: { AlarmName: string; StateValue: string }[] }>(s.answerOf('DescribeAlarms both types'));
    expect(simBoth.CompositeAlarms.map((a) => [a.AlarmName, a.StateValue])).toEqual([[ALARMS[2], 'OK']]);
    expect(simBoth.MetricAlarms.map((a) => a.StateValue)).toEqual(['INSUFFICIENT_DATA', 'INSUFFICIENT_DATA']);
    expect(ok<{ MetricAlarms: MetricAlarm[] }>(s.answerOf('DescribeAlarms composite only')).MetricAlarms).toEqual([]);
    expect(ok<{ CompositeAlarms: { StateValue: string }[] }>(s.answerOf('DescribeAlarms composite after SetAlarmState')).CompositeAlarms[0]?.StateValue).toBe('ALARM');
    expect(m.answerOf('PutCompositeAlarm')).toMatchObject({ status: 500 });
  });
});
