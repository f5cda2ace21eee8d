/** The cloudwatch section of world files, and the world's alarm faults (forced states, holds, deletion). */
import { DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../../src/errors.js';
import { alarmReader } from '../../../../src/sim/services/contracts.js';
import type { SeedRefs, SimService } from '../../../../src/sim/types.js';
import { cloudWatchWorld, MINUTE, putErrors, T0 } from './helpers.js';

/** A section before cloudwatch that publishes a reference alarms can use. */
const lambdaRefs: SimService<Record<string, never>> = {
  name: 'lambda',
  initialState: () => ({}),
  operations: {},
  seed: (_ctx, _spec, refs: SeedRefs) => refs.set('fn:web', { name: 'web-fn' }),
};

const ALARMS = {
  alarms: [
    { name: 'errors', namespace: 'App', metric: 'Errors', dimensions: { Service: 'web' }, statistic: 'Sum', period: 60, evaluationPeriods: 3, datapointsToAlarm: 2, threshold: 5, comparison: '>=', treatMissingData: 'notBreaching' },
    { name: 'p99', namespace: 'AWS/Lambda', metric: 'Duration', dimensions: { FunctionName: '${fn:web.name}' }, extendedStatistic: 'p99', period: 60, evaluationPeriods: 1, threshold: 500, comparison: 'GreaterThanThreshold' },
    {
      name: 'rate',
      metrics: [
        { id: 'e', namespace: 'App', metric: 'Errors', dimensions: { Service: 'web' }, stat: 'Sum' },
        { id: 'r', namespace: 'App', metric: 'Requests', dimensions: { Service: 'web' }, stat: 'Sum' },
        { id: 'pct', expression: '100 * e / r', label: 'error %' },
      ],
      evaluationPeriods: 1,
      threshold: 5,
      comparison: '>',
    },
  ],
  compositeAlarms: [{ name: 'gate', rule: 'ALARM(errors) OR ALARM("arn:aws:cloudwatch:us-east-1:123456789012:alarm:p99")' }],
};

describe('seeding the cloudwatch section', () => {
  it('creates alarms and composites from names, resolving references, and registers alarm references', async () => {
    // Traffic is resolved after every section, so it can name an alarm through its reference.
    const traffic = [{ service: 'lambda' as const, resource: '${alarm:p99.name} ${alarm:gate.arn}', rps: 1 }];
    const { client, state, world } = cloudWatchWorld({ lambda: {}, cloudwatch: ALARMS, traffic }, [lambdaRefs]);
    expect(world.state.traffic[0]?.resource).toBe('p99 arn:aws:cloudwatch:us-east-1:123456789012:alarm:gate');
    const alarms = state().alarms;
    expect(Object.keys(alarms).sort()).toEqual(['errors', 'gate', 'p99', 'rate']);
    expect(alarms.errors).toMatchObject({ comparisonOperator: 'GreaterThanOrEqualToThreshold', datapointsToAlarm: 2, treatMissingData: 'notBreaching', dimensions: [{ Name: 'Service', Value: 'web' }] });
    expect(alarms.p99).toMatchObject({ extendedStatistic: 'p99', comparisonOperator: 'GreaterThanThreshold', dimensions: [{ Name: 'FunctionName', Value: 'web-fn' }] });
    expect(alarms.rate).toMatchObject({ period: 60, metrics: [{ Id: 'e', ReturnData: false }, { Id: 'r', ReturnData: false }, { Id: 'pct', Label: 'error %', ReturnData: true }] });
    expect(alarms.gate).toMatchObject({ children: ['errors', 'p99'], rule: 'ALARM(errors) OR ALARM("arn:aws:cloudwatch:us-east-1:123456789012:alarm:p99")' });
    const { CompositeAlarms } = await client.send(new DescribeAlarmsCommand({ AlarmTypes: ['CompositeAlarm'] }));
    expect(CompositeAlarms?.map((a) => [a.AlarmName, a.StateValue])).toEqual([['gate', 'OK']]);
  });

  it('names the entry and the problem when an alarm is invalid', () => {
    const bad = (cloudwatch: unknown) => () => cloudWatchWorld({ cloudwatch });
    expect(bad({ alarms: [{ ...ALARMS.alarms[0], period: 45 }] })).toThrow(new InputError('world: cloudwatch.alarms[0]', 'errors', 'Period must be 10, 20, 30 or a multiple of 60'));
    expect(bad({ alarms: [{ ...ALARMS.alarms[0], threshold: 'five' }] })).toThrow(InputError);
    expect(bad({ alarms: [{ ...ALARMS.alarms[0], colour: 'red' }] })).toThrow(/world: cloudwatch.alarms\[0\]: colour/);
    expect(bad({ compositeAlarms: [{ name: 'gate', rule: 'ALARM(missing)' }] })).toThrow(/Could not save the composite alarm as alarms \[missing\] in the alarm rule do not exist/);
    expect(bad({ alarms: [], dashboards: [] })).toThrow(/dashboards/);
  });

  it('evaluates seeded alarms from the next minute on', async () => {
    const { client, clock, state } = cloudWatchWorld({ cloudwatch: { alarms: [ALARMS.alarms[0]] } });
    await putErrors(client, T0 + 10_000, 9);
    await putErrors(client, T0 + MINUTE + 10_000, 9);
    clock.advance(MINUTE);
    // One breaching datapoint and two missing ones treated as not breaching: 1 of 3 < 2.
    expect(state().alarms.errors?.status.stateValue).toBe('OK');
    clock.advance(MINUTE);
    expect(state().alarms.errors?.status.stateValue).toBe('ALARM');
  });
});

describe('alarm faults', () => {
  /** An alarm that evaluates OK every minute (its metric stays at 0). */
  async function quietAlarm(faults: string[]) {
    const setup = cloudWatchWorld({ cloudwatch: { alarms: [ALARMS.alarms[0], { ...ALARMS.alarms[0], name: 'other' }], compositeAlarms: [{ name: 'gate', rule: 'ALARM(errors)' }] }, faults });
    for (let t = T0; t < T0 + 10 * MINUTE; t += MINUTE) await putErrors(setup.client, t + 10_000, 0);
    return setup;
  }
  const timeline = async (setup: Awaited<ReturnType<typeof quietAlarm>>, name: string, steps: number[]) => {
    const seen: (string | undefined)[] = [];
    for (const at of steps) {
      setup.clock.advance(T0 + at - setup.clock.now());
      seen.push(alarmReader(setup.world)?.state(setup.world, name));
    }
    return seen;
  };

  it('force a state until the next evaluation, and composites follow', async () => {
    const setup = await quietAlarm(['alarm:errors@90s=ALARM']);
    expect(await timeline(setup, 'errors', [60_000, 90_000, 119_999, 120_000])).toEqual(['OK', 'ALARM', 'ALARM', 'OK']);
    const history = setup.state().history.filter((h) => h.alarmName === 'gate' && h.type === 'StateUpdate').map((h) => [h.summary, h.timestamp - T0]);
    expect(history).toEqual([
      ['Alarm updated from INSUFFICIENT_DATA to OK', 0],
      ['Alarm updated from OK to ALARM', 90_000],
      ['Alarm updated from ALARM to OK', 120_000],
    ]);
    expect(setup.state().history.find((h) => h.summary === 'Alarm updated from OK to ALARM' && h.alarmName === 'errors')?.data).toContain("Set by the simulated world's alarm fault");
  });

  it('hold a forced state for holdSeconds, skipping evaluations', async () => {
    const setup = await quietAlarm(['alarm:errors@90s=INSUFFICIENT_DATA/150s']);
    expect(await timeline(setup, 'errors', [90_000, 120_000, 180_000, 239_999, 240_000])).toEqual(['INSUFFICIENT_DATA', 'INSUFFICIENT_DATA', 'INSUFFICIENT_DATA', 'INSUFFICIENT_DATA', 'OK']);
  });

  it('hold a composite alarm, which is evaluated again when the hold ends', async () => {
    const setup = await quietAlarm(['alarm:gate@90s=ALARM/60s']);
    expect(await timeline(setup, 'gate', [60_000, 90_000, 149_999, 150_000])).toEqual(['OK', 'ALARM', 'ALARM', 'OK']);
  });

  it('flap an alarm with several faults', async () => {
    const setup = await quietAlarm(['alarm:other@61s=ALARM', 'alarm:other@75s=OK', 'alarm:other@100s=ALARM']);
    expect(await timeline(setup, 'other', [61_000, 75_000, 100_000, 120_000])).toEqual(['ALARM', 'OK', 'ALARM', 'OK']);
  });

  it('delete an alarm mid-rollout, even one a composite refers to', async () => {
    const setup = await quietAlarm(['alarm:errors@90s=DELETED', 'alarm:nope@30s=ALARM']);
    expect(await timeline(setup, 'errors', [60_000, 90_000])).toEqual(['OK', undefined]);
    const gate = setup.state().alarms.gate;
    expect(gate?.status.stateValue).toBe('OK');
    expect(setup.state().history.at(-1)).toMatchObject({ alarmName: 'errors', summary: 'Alarm "errors" deleted', timestamp: T0 + 90_000 });
    expect(setup.state().alarms.nope).toBeUndefined();
  });
});
