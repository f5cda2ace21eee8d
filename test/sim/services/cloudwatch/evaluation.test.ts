/** The evaluation engine on a virtual clock: cadence, wording, timestamps, history, SetAlarmState, composites. */
import { DescribeAlarmHistoryCommand, DescribeAlarmsCommand, PutCompositeAlarmCommand, SetAlarmStateCommand, type CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { describe, expect, it } from 'vitest';
import { alarmReader } from '../../../../src/sim/services/contracts.js';
import { cloudwatchService } from '../../../../src/sim/services/cloudwatch/index.js';
import type { SimService } from '../../../../src/sim/types.js';
import { World } from '../../../../src/sim/world.js';
import { clientConfig, simWorld } from '../../simFixture.js';
import { CloudWatchClient as Client } from '@aws-sdk/client-cloudwatch';
import { cloudWatchWorld, failure, MINUTE, putAlarm, putErrors, T0 } from './helpers.js';

async function metricAlarm(client: CloudWatchClient, name = 'errors') {
  const { MetricAlarms = [] } = await client.send(new DescribeAlarmsCommand({ AlarmNames: [name] }));
  return MetricAlarms[0];
}

/** Publishes `value` once in every minute from `from` (inclusive) to `to` (exclusive), 10 s into the minute. */
async function everyMinute(client: CloudWatchClient, from: number, to: number, value: number, metricName = 'Errors'): Promise<void> {
  for (let t = from; t < to; t += MINUTE) await putErrors(client, t + 10_000, value, metricName);
}

describe('metric alarm evaluation', () => {
  it('evaluates on the minute and words the transitions like CloudWatch', async () => {
    const { client, clock } = cloudWatchWorld();
    await putAlarm(client, { DatapointsToAlarm: 1 });
    await putErrors(client, T0 + 10_000, 12);
    clock.advance(MINUTE - 1);
    expect((await metricAlarm(client))?.StateValue).toBe('INSUFFICIENT_DATA');

    clock.advance(1);
    const alarm = await metricAlarm(client);
    expect(alarm).toMatchObject({
      StateValue: 'ALARM',
      StateReason: 'Threshold Crossed: 1 out of the last 1 datapoints [12.0 (01/01/26 00:00:00)] was greater than or equal to the threshold (5.0) (minimum 1 datapoint for OK -> ALARM transition).',
      StateUpdatedTimestamp: new Date(T0 + MINUTE),
      StateTransitionedTimestamp: new Date(T0 + MINUTE),
    });
    expect(JSON.parse(alarm?.StateReasonData ?? '')).toEqual({
      version: '1.0',
      queryDate: '2026-01-01T00:01:00.000+0000',
      startDate: '2026-01-01T00:00:00.000+0000',
      statistic: 'Sum',
      period: 60,
      recentDatapoints: [12],
      threshold: 5,
      evaluatedDatapoints: [{ timestamp: '2026-01-01T00:00:00.000+0000', value: 12 }],
    });

    // No new datapoint: the last one is evaluated again and nothing is updated.
    clock.advance(MINUTE);
    expect((await metricAlarm(client))?.StateUpdatedTimestamp).toEqual(new Date(T0 + MINUTE));

    await putErrors(client, T0 + 2 * MINUTE + 10_000, 0);
    clock.advance(MINUTE);
    expect(await metricAlarm(client)).toMatchObject({
      StateValue: 'OK',
      StateReason: 'Threshold Crossed: 1 out of the last 1 datapoints [0.0 (01/01/26 00:02:00)] was not greater than or equal to the threshold (5.0) (minimum 1 datapoint for ALARM -> OK transition).',
      StateTransitionedTimestamp: new Date(T0 + 3 * MINUTE),
    });

    const { AlarmHistoryItems = [] } = await client.send(new DescribeAlarmHistoryCommand({ AlarmName: 'errors' }));
    expect(AlarmHistoryItems.map((h) => [h.HistoryItemType, h.HistorySummary, h.Timestamp?.getTime()])).toEqual([
      ['StateUpdate', 'Alarm updated from ALARM to OK', T0 + 3 * MINUTE],
      ['StateUpdate', 'Alarm updated from INSUFFICIENT_DATA to ALARM', T0 + MINUTE],
      ['ConfigurationUpdate', 'Alarm "errors" created', T0],
    ]);
    expect(JSON.parse(AlarmHistoryItems[1]?.HistoryData ?? '')).toMatchObject({
      version: '1.0',
      oldState: { stateValue: 'INSUFFICIENT_DATA', stateReason: 'Unchecked: Initial alarm creation' },
      newState: { stateValue: 'ALARM', stateReasonData: { recentDatapoints: [12] } },
    });
    const ascending = await client.send(new DescribeAlarmHistoryCommand({ AlarmName: 'errors', HistoryItemType: 'StateUpdate', ScanBy: 'TimestampAscending', StartDate: new Date(T0 + 2 * MINUTE) }));
    expect(ascending.AlarmHistoryItems?.map((h) => h.HistorySummary)).toEqual(['Alarm updated from ALARM to OK']);
  });

  it('uses the short wording when DatapointsToAlarm is not set, and lists breaching datapoints newest first', async () => {
    const { client, clock } = cloudWatchWorld();
    await putAlarm(client, { EvaluationPeriods: 3, DatapointsToAlarm: 2 });
    await putAlarm(client, { AlarmName: 'short', EvaluationPeriods: 2 });
    await everyMinute(client, T0, T0 + MINUTE, 1);
    await everyMinute(client, T0 + MINUTE, T0 + 3 * MINUTE, 9);
    clock.advance(3 * MINUTE);
    expect((await metricAlarm(client))?.StateReason).toBe(
      'Threshold Crossed: 2 out of the last 3 datapoints [9.0 (01/01/26 00:02:00), 9.0 (01/01/26 00:01:00)] were greater than or equal to the threshold (5.0) (minimum 2 datapoints for OK -> ALARM transition).',
    );
    expect((await metricAlarm(client, 'short'))?.StateReason).toBe('Threshold Crossed: 2 datapoints [9.0 (01/01/26 00:02:00), 9.0 (01/01/26 00:01:00)] were greater than or equal to the threshold (5.0).');
  });

  it('goes to ALARM on M out of N breaching datapoints and not before', async () => {
    const { client, clock } = cloudWatchWorld();
    await putAlarm(client, { EvaluationPeriods: 3, DatapointsToAlarm: 2 });
    await putErrors(client, T0 + 10_000, 1);
    await putErrors(client, T0 + MINUTE + 10_000, 7);
    await putErrors(client, T0 + 2 * MINUTE + 10_000, 2);
    await putErrors(client, T0 + 3 * MINUTE + 10_000, 8);
    const states: (string | undefined)[] = [];
    for (let i = 0; i < 4; i++) {
      clock.advance(MINUTE);
      states.push((await metricAlarm(client))?.StateValue);
    }
    expect(states).toEqual(['OK', 'OK', 'OK', 'ALARM']);
  });

  it('treats missing data as configured when there is none at all', async () => {
    const { client, clock } = cloudWatchWorld();
    await putAlarm(client, { AlarmName: 'missing' });
    await putAlarm(client, { AlarmName: 'breaching', TreatMissingData: 'breaching' });
    await putAlarm(client, { AlarmName: 'notBreaching', TreatMissingData: 'notBreaching', EvaluationPeriods: 3 });
    await putAlarm(client, { AlarmName: 'ignore', TreatMissingData: 'ignore' });
    clock.advance(MINUTE);
    expect(await metricAlarm(client, 'missing')).toMatchObject({ StateValue: 'INSUFFICIENT_DATA', StateReason: 'Unchecked: Initial alarm creation' });
    expect(await metricAlarm(client, 'ignore')).toMatchObject({ StateValue: 'INSUFFICIENT_DATA', StateReason: 'Unchecked: Initial alarm creation' });
    expect(await metricAlarm(client, 'breaching')).toMatchObject({ StateValue: 'ALARM', StateReason: 'Threshold Crossed: no datapoints were received for 1 period and 1 missing datapoint was treated as [Breaching].' });
    expect(await metricAlarm(client, 'notBreaching')).toMatchObject({ StateValue: 'OK', StateReason: 'Threshold Crossed: no datapoints were received for 3 periods and 3 missing datapoints were treated as [NonBreaching].' });
  });

  it('goes back to INSUFFICIENT_DATA when the data stops, once the evaluation range has none', async () => {
    const { client, clock } = cloudWatchWorld();
    await putAlarm(client);
    await putErrors(client, T0 + 10_000, 0);
    const states: (string | undefined)[] = [];
    for (let i = 0; i < 4; i++) {
      clock.advance(MINUTE);
      states.push((await metricAlarm(client))?.StateValue);
    }
    // The range is 3 periods: the datapoint of minute 0 is evaluated at minutes 1, 2 and 3.
    expect(states).toEqual(['OK', 'OK', 'OK', 'INSUFFICIENT_DATA']);
    expect((await metricAlarm(client))?.StateReason).toBe('Insufficient Data: 1 datapoint was unknown.');
  });

  it('sees data only once the world metric delay has passed', async () => {
    const { client, clock } = cloudWatchWorld({ metrics: { delaySeconds: 60 } });
    await putAlarm(client);
    await putErrors(client, T0 + 10_000, 12);
    clock.advance(MINUTE);
    expect((await metricAlarm(client))?.StateValue).toBe('INSUFFICIENT_DATA');
    clock.advance(MINUTE);
    expect((await metricAlarm(client))?.StateValue).toBe('ALARM');
  });

  it('evaluates high-resolution alarms every 10 seconds', async () => {
    const { client, clock, state } = cloudWatchWorld();
    await putAlarm(client, { Period: 10 });
    expect(state().alarms.errors).toMatchObject({ nextEvaluationAt: T0 + 10_000 });
    await putErrors(client, T0 + 1_000, 12);
    clock.advance(9_999);
    expect((await metricAlarm(client))?.StateValue).toBe('INSUFFICIENT_DATA');
    clock.advance(1);
    expect((await metricAlarm(client))?.StateValue).toBe('ALARM');
    await putErrors(client, T0 + 11_000, 0);
    clock.advance(10_000);
    expect(await metricAlarm(client)).toMatchObject({ StateValue: 'OK', StateTransitionedTimestamp: new Date(T0 + 20_000) });
  });

  it('keeps evaluating after the world is saved to JSON and loaded by another process', async () => {
    const { client, clock, world } = cloudWatchWorld();
    await putAlarm(client, { DatapointsToAlarm: 1 });
    await putErrors(client, T0 + 10_000, 12);
    const saved = JSON.parse(JSON.stringify(world.save())) as ReturnType<World['save']>;
    const loaded = new World({ clock, services: [cloudwatchService], state: saved });
    clock.advance(MINUTE);
    expect(alarmReader(loaded)?.state(loaded, 'errors')).toBe('ALARM');
    const { MetricAlarms = [] } = await new Client(clientConfig(loaded)).send(new DescribeAlarmsCommand({ AlarmNames: ['errors'] }));
    expect(MetricAlarms[0]?.StateReason).toContain('[12.0 (01/01/26 00:00:00)]');
  });

  it('evaluates minute alarms on the minute whatever their creation second', async () => {
    const { client, clock, state } = cloudWatchWorld();
    clock.advance(42_000);
    await putAlarm(client, { Period: 300 });
    expect(state().alarms.errors).toMatchObject({ nextEvaluationAt: T0 + MINUTE });
  });
});

describe('SetAlarmState', () => {
  it('lasts until the next evaluation', async () => {
    const { client, clock } = cloudWatchWorld();
    await putAlarm(client);
    await everyMinute(client, T0, T0 + 5 * MINUTE, 0);
    clock.advance(MINUTE + 30_000);
    await client.send(new SetAlarmStateCommand({ AlarmName: 'errors', StateValue: 'ALARM', StateReason: 'drill', StateReasonData: '{"by":"test"}' }));
    expect(await metricAlarm(client)).toMatchObject({ StateValue: 'ALARM', StateReason: 'drill', StateReasonData: '{"by":"test"}', StateTransitionedTimestamp: new Date(T0 + 90_000) });
    clock.advance(30_000);
    expect(await metricAlarm(client)).toMatchObject({ StateValue: 'OK', StateTransitionedTimestamp: new Date(T0 + 2 * MINUTE) });
  });

  it('records an update without a transition when set to the state the alarm is in', async () => {
    const { client, clock } = cloudWatchWorld();
    await putAlarm(client);
    await everyMinute(client, T0, T0 + 5 * MINUTE, 0);
    clock.advance(90_000);
    await client.send(new SetAlarmStateCommand({ AlarmName: 'errors', StateValue: 'OK', StateReason: 'same' }));
    expect(await metricAlarm(client)).toMatchObject({ StateReason: 'same', StateUpdatedTimestamp: new Date(T0 + 90_000), StateTransitionedTimestamp: new Date(T0 + MINUTE) });
    clock.advance(30_000);
    const alarm = await metricAlarm(client);
    expect(alarm?.StateReason).toMatch(/^Threshold Crossed: 1 datapoint \[0\.0 \(01\/01\/26 00:01:00\)\] was not greater than or equal to/);
    expect([alarm?.StateUpdatedTimestamp, alarm?.StateTransitionedTimestamp]).toEqual([new Date(T0 + 2 * MINUTE), new Date(T0 + MINUTE)]);
  });

  it('fails for a missing alarm and for StateReasonData that is not JSON', async () => {
    const { client } = cloudWatchWorld();
    expect(await failure(client.send(new SetAlarmStateCommand({ AlarmName: 'nope', StateValue: 'OK', StateReason: 'r' })))).toMatchObject({ name: 'ResourceNotFound', $metadata: { httpStatusCode: 404 } });
    await putAlarm(client);
    expect(await failure(client.send(new SetAlarmStateCommand({ AlarmName: 'errors', StateValue: 'OK', StateReason: 'r', StateReasonData: '{nope' })))).toMatchObject({
      name: 'InvalidFormatFault',
      $metadata: { httpStatusCode: 400 },
    });
  });
});

describe('composite alarms', () => {
  async function gate() {
    const setup = cloudWatchWorld();
    const { client } = setup;
    await putAlarm(client, { AlarmName: 'a' });
    await putAlarm(client, { AlarmName: 'b', MetricName: 'Latency' });
    await client.send(new PutCompositeAlarmCommand({ AlarmName: 'gate', AlarmRule: 'ALARM(a) AND ALARM(b)' }));
    return setup;
  }

  it('are evaluated after the metric alarms of the same instant', async () => {
    const { client, clock } = await gate();
    await putErrors(client, T0 + 10_000, 9);
    await putErrors(client, T0 + 10_000, 9, 'Latency');
    clock.advance(MINUTE);
    const { CompositeAlarms = [] } = await client.send(new DescribeAlarmsCommand({ AlarmNames: ['gate'], AlarmTypes: ['CompositeAlarm'] }));
    const composite = CompositeAlarms[0];
    expect(composite).toMatchObject({
      StateValue: 'ALARM',
      StateReason: 'arn:aws:cloudwatch:us-east-1:123456789012:alarm:a transitioned to ALARM at Thursday 01 January, 2026 00:01:00 UTC',
      StateTransitionedTimestamp: new Date(T0 + MINUTE),
    });
    expect(JSON.parse(composite?.StateReasonData ?? '')).toEqual({
      triggeringAlarms: [
        { arn: 'arn:aws:cloudwatch:us-east-1:123456789012:alarm:a', state: { value: 'ALARM', timestamp: '2026-01-01T00:01:00.000+0000' } },
        { arn: 'arn:aws:cloudwatch:us-east-1:123456789012:alarm:b', state: { value: 'ALARM', timestamp: '2026-01-01T00:01:00.000+0000' } },
      ],
    });
    const history = await client.send(new DescribeAlarmHistoryCommand({ AlarmName: 'gate' }));
    expect(history.AlarmHistoryItems).toEqual([]);
    const composites = await client.send(new DescribeAlarmHistoryCommand({ AlarmName: 'gate', AlarmTypes: ['CompositeAlarm'], HistoryItemType: 'StateUpdate' }));
    expect(composites.AlarmHistoryItems?.map((h) => h.HistorySummary)).toEqual(['Alarm updated from OK to ALARM', 'Alarm updated from INSUFFICIENT_DATA to OK']);
  });

  it('keep a state set by SetAlarmState until a child changes state', async () => {
    const { client, clock, state } = await gate();
    await everyMinute(client, T0, T0 + 10 * MINUTE, 9);
    await everyMinute(client, T0, T0 + 4 * MINUTE, 9, 'Latency');
    clock.advance(MINUTE);
    await client.send(new SetAlarmStateCommand({ AlarmName: 'gate', StateValue: 'OK', StateReason: 'silenced' }));
    clock.advance(3 * MINUTE);
    expect(state().alarms.gate?.status).toMatchObject({ stateValue: 'OK', stateReason: 'silenced' });
    await everyMinute(client, T0 + 4 * MINUTE, T0 + 10 * MINUTE, 0, 'Latency');
    clock.advance(MINUTE);
    expect(state().alarms.b?.status.stateValue).toBe('OK');
    expect(state().alarms.gate?.status).toMatchObject({ stateValue: 'OK', stateReason: 'arn:aws:cloudwatch:us-east-1:123456789012:alarm:b transitioned to OK at Thursday 01 January, 2026 00:05:00 UTC' });
  });
});

describe('the alarm reader other services use', () => {
  it('reflects the evaluations due at the instant another service advances to', async () => {
    const seen: (string | undefined)[] = [];
    let next: number | undefined = T0 + MINUTE;
    // A service that reads the alarm in its own time-driven event, at the same instant as the evaluation,
    // and is listed before CloudWatch so the world applies its event first.
    const reader: SimService<Record<string, never>> = {
      name: 'ecs',
      initialState: () => ({}),
      operations: {},
      nextEventAt: () => next,
      advance: (ctx) => {
        seen.push(alarmReader(ctx.world)?.state(ctx.world, 'errors'));
        next = undefined;
      },
    };
    const { world, clock } = simWorld([reader, cloudwatchService], { apiLimits: false });
    const client = new Client(clientConfig(world));
    await putAlarm(client);
    await putErrors(client, T0 + 10_000, 12);
    clock.advance(MINUTE);
    world.sync();
    expect(seen).toEqual(['ALARM']);
    expect(alarmReader(world)?.state(world, 'nope')).toBeUndefined();
  });
});
