import { DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { afterEach, describe, expect, it } from 'vitest';
import { createAlarmGate } from '../../src/gates/index.js';
import { context, describeAlarmsInputs, fakeCloudWatch, manyAlarms, type FakeAlarm } from './fakeCloudWatch.js';

const BOTH = ['MetricAlarm', 'CompositeAlarm'];
let mocks: { restore(): void }[] = [];
afterEach(() => {
  for (const m of mocks) m.restore();
  mocks = [];
});

function world(alarms: FakeAlarm[], options: { pageSize?: number } = {}) {
  const fake = fakeCloudWatch(alarms, options);
  mocks.push(fake.mock);
  return fake;
}

describe('alarm gate requests', () => {
  it('makes ONE DescribeAlarms call per poll for up to 100 names, with both alarm types and the abort signal', async () => {
    const { mock, client } = world(manyAlarms(100));
    const gate = createAlarmGate({ alarms: manyAlarms(100).map((a) => a.name) }, { client });
    const signal = new AbortController().signal;
    expect(await gate.check(context(0, signal))).toEqual({ type: 'ok', detail: '100 alarms OK' });
    expect(describeAlarmsInputs(mock)).toEqual([{ AlarmNames: manyAlarms(100).map((a) => a.name), AlarmTypes: BOTH, MaxRecords: 100 }]);
    const sent = (mock.commandCalls(DescribeAlarmsCommand)[0]!.args as unknown[])[1] as { abortSignal: AbortSignal };
    expect(sent.abortSignal).toBeInstanceOf(AbortSignal);
  });

  it('batches 250 names into 3 calls of 100, 100 and 50, each with AlarmTypes metric and composite', async () => {
    const alarms = manyAlarms(250);
    const { mock, client } = world(alarms);
    const result = await createAlarmGate({ alarms: alarms.map((a) => a.name) }, { client }).check(context());
    expect(result).toEqual({ type: 'ok', detail: '250 alarms OK' });
    const inputs = describeAlarmsInputs(mock);
    expect(inputs.map((i) => i.AlarmNames?.length)).toEqual([100, 100, 50]);
    expect(inputs.flatMap((i) => i.AlarmNames)).toEqual(alarms.map((a) => a.name));
    for (const input of inputs) expect(input.AlarmTypes).toEqual(BOTH);
  });

  it('follows NextToken until the last page', async () => {
    const alarms = [...manyAlarms(95), { name: 'alarm-zzz', type: 'MetricAlarm' as const, state: 'ALARM' as const, reason: 'Threshold Crossed: 3 datapoints > 5' }];
    const { mock, client } = world(alarms, { pageSize: 40 });
    const result = await createAlarmGate({ alarms: alarms.map((a) => a.name) }, { client }).check(context());
    expect(result).toEqual({ type: 'alarm', names: ['alarm-zzz'], reason: 'metric alarm alarm-zzz is in ALARM: Threshold Crossed: 3 datapoints > 5' });
    expect(describeAlarmsInputs(mock).map((i) => i.NextToken)).toEqual([undefined, '40', '80']);
  });

  it('looks up alarmPrefix in its own call (AlarmNamePrefix cannot be combined with AlarmNames)', async () => {
    const alarms: FakeAlarm[] = [
      { name: 'checkout-5xx', type: 'MetricAlarm', state: 'OK' },
      { name: 'checkout-health', type: 'CompositeAlarm', state: 'OK' },
      { name: 'latency-p99', type: 'MetricAlarm', state: 'OK' },
    ];
    const { mock, client } = world(alarms);
    const result = await createAlarmGate({ alarms: ['latency-p99'], alarmPrefix: 'checkout-' }, { client }).check(context());
    expect(result).toEqual({ type: 'ok', detail: '3 alarms OK' });
    expect(describeAlarmsInputs(mock)).toEqual([
      { AlarmNames: ['latency-p99'], AlarmTypes: BOTH, MaxRecords: 100 },
      { AlarmNamePrefix: 'checkout-', AlarmTypes: BOTH, MaxRecords: 100 },
    ]);
  });

  it('makes no call at all when no alarm is configured', async () => {
    const { mock, client } = world([]);
    const gate = createAlarmGate({}, { client });
    expect(await gate.check(context())).toEqual({ type: 'ok', detail: 'no alarms configured' });
    expect(await gate.preflight!({ deploymentId: 'd', signal: new AbortController().signal })).toEqual({ errors: [], warnings: [] });
    expect(mock.calls()).toHaveLength(0);
  });
});

describe('alarm gate verdicts', () => {
  it('fires on a composite alarm in ALARM (found only because AlarmTypes asks for composites), naming its reason', async () => {
    const { client } = world([
      { name: 'errors', type: 'MetricAlarm', state: 'OK' },
      { name: 'service-health', type: 'CompositeAlarm', state: 'ALARM', reason: 'arn:aws:cloudwatch:us-east-1:123:alarm:errors transitioned to ALARM' },
    ]);
    const result = await createAlarmGate({ alarms: ['errors', 'service-health'] }, { client }).check(context());
    expect(result).toEqual({ type: 'alarm', names: ['service-health'], reason: 'composite alarm service-health is in ALARM: arn:aws:cloudwatch:us-east-1:123:alarm:errors transitioned to ALARM' });
  });

  it('names every firing alarm with its reason', async () => {
    const { client } = world([
      { name: 'a', type: 'MetricAlarm', state: 'ALARM', reason: 'a crossed' },
      { name: 'b', type: 'MetricAlarm', state: 'ALARM', reason: 'b crossed' },
      { name: 'c', type: 'MetricAlarm', state: 'INSUFFICIENT_DATA' },
    ]);
    const result = await createAlarmGate({ alarms: ['a', 'b', 'c'] }, { client }).check(context());
    expect(result).toEqual({ type: 'alarm', names: ['a', 'b'], reason: 'metric alarm a is in ALARM: a crossed; metric alarm b is in ALARM: b crossed' });
  });

  it('is inconclusive on INSUFFICIENT_DATA and on an alarm that cannot evaluate', async () => {
    const { client } = world([
      { name: 'quiet', type: 'MetricAlarm', state: 'INSUFFICIENT_DATA', reason: 'Insufficient Data: 1 datapoint was unknown' },
      { name: 'broken-math', type: 'MetricAlarm', state: 'OK', evaluationState: 'EVALUATION_ERROR', reason: 'metric math error' },
      { name: 'fine', type: 'MetricAlarm', state: 'OK', evaluationState: 'PARTIAL_DATA' },
    ]);
    const result = await createAlarmGate({ alarms: ['quiet', 'broken-math', 'fine'] }, { client }).check(context());
    expect(result).toEqual({
      type: 'inconclusive',
      reason: 'metric alarm quiet is INSUFFICIENT_DATA: Insufficient Data: 1 datapoint was unknown; metric alarm broken-math cannot evaluate (EVALUATION_ERROR): metric math error',
    });
  });

  it('THROWS when a named alarm no longer exists (deleted mid-rollout), so the machine fails closed', async () => {
    const alarms: FakeAlarm[] = [{ name: 'errors', type: 'MetricAlarm', state: 'OK' }, { name: 'latency', type: 'MetricAlarm', state: 'OK' }];
    const { client } = world(alarms);
    const gate = createAlarmGate({ alarms: ['errors', 'latency'] }, { client });
    expect((await gate.check(context())).type).toBe('ok');
    alarms.splice(1, 1);
    await expect(gate.check(context())).rejects.toMatchObject({ code: 'GATE_FAILED', message: expect.stringContaining('CloudWatch alarm latency no longer exists') });
  });

  it('throws when alarmPrefix stops matching anything', async () => {
    const alarms: FakeAlarm[] = [{ name: 'app-errors', type: 'MetricAlarm', state: 'OK' }];
    const { client } = world(alarms);
    const gate = createAlarmGate({ alarmPrefix: 'app-' }, { client });
    expect(await gate.check(context())).toEqual({ type: 'ok', detail: '1 alarm OK' });
    alarms.length = 0;
    await expect(gate.check(context())).rejects.toThrow('alarmPrefix "app-" no longer matches any metric or composite alarm');
  });

  it('lets DescribeAlarms errors propagate', async () => {
    const { mock, client } = world([]);
    mock.on(DescribeAlarmsCommand).rejects(Object.assign(new Error('User is not authorized to perform: cloudwatch:DescribeAlarms'), { name: 'AccessDenied' }));
    await expect(createAlarmGate({ alarms: ['x'] }, { client }).check(context())).rejects.toThrow('not authorized');
  });

  it('watches per-step alarms only while the rollout is on that step', async () => {
    const { mock, client } = world([
      { name: 'global', type: 'MetricAlarm', state: 'OK' },
      { name: 'step2-only', type: 'MetricAlarm', state: 'ALARM', reason: 'canary latency' },
    ]);
    const gate = createAlarmGate({ alarms: ['global'], stepAlarms: { 2: ['step2-only'] } }, { client });
    expect((await gate.check(context(1))).type).toBe('ok');
    expect(await gate.check(context(2))).toMatchObject({ type: 'alarm', names: ['step2-only'] });
    expect(describeAlarmsInputs(mock).map((i) => i.AlarmNames)).toEqual([['global'], ['global', 'step2-only']]);
  });
});

describe('alarm gate preflight', () => {
  const signal = new AbortController().signal;

  it('names ALL missing alarms in one error, including per-step ones, using read calls only', async () => {
    const { mock, client } = world([{ name: 'present', type: 'CompositeAlarm', state: 'OK' }]);
    const gate = createAlarmGate({ alarms: ['present', 'gone-1'], stepAlarms: { 3: ['gone-2'] } }, { client });
    const report = await gate.preflight!({ deploymentId: 'd', signal });
    expect(report.errors).toEqual(['CloudWatch alarms not found (looked for metric and composite alarms): gone-1, gone-2']);
    expect(report.facts).toEqual({ alarms: { present: 'OK' } });
    expect(mock.calls().every((call) => call.args[0] instanceof DescribeAlarmsCommand)).toBe(true);
  });

  it('reports a DescribeAlarms failure (e.g. a missing permission) as a preflight error', async () => {
    const { mock, client } = world([]);
    mock.on(DescribeAlarmsCommand).rejects(Object.assign(new Error('User is not authorized to perform: cloudwatch:DescribeAlarms'), { name: 'AccessDenied' }));
    const report = await createAlarmGate({ alarms: ['errors'] }, { client }).preflight!({ deploymentId: 'd', signal });
    expect(report.errors).toEqual(['CloudWatch alarm gate: DescribeAlarms failed: AccessDenied: User is not authorized to perform: cloudwatch:DescribeAlarms']);
  });

  it('refuses to start when an alarm is already in ALARM, naming it and its reason', async () => {
    const { client } = world([{ name: 'errors', type: 'MetricAlarm', state: 'ALARM', reason: 'Threshold Crossed' }]);
    const report = await createAlarmGate({ alarms: ['errors'] }, { client }).preflight!({ deploymentId: 'd', signal });
    expect(report.errors).toEqual(['alarm already in ALARM before the rollout started: errors (Threshold Crossed); fix it first, or set ignoreFiringAlarms']);
  });

  it('reports a prefix that matches nothing, and warns about INSUFFICIENT_DATA', async () => {
    const { client } = world([{ name: 'quiet', type: 'MetricAlarm', state: 'INSUFFICIENT_DATA', reason: 'no data yet' }]);
    const report = await createAlarmGate({ alarms: ['quiet'], alarmPrefix: 'typo-' }, { client }).preflight!({ deploymentId: 'd', signal });
    expect(report.errors).toEqual(['alarmPrefix "typo-" matches no metric or composite alarm']);
    expect(report.warnings).toEqual(['metric alarm quiet is INSUFFICIENT_DATA (no data yet): it cannot stop a bad rollout until it has data']);
  });

  it('with onInsufficientData: fail, an alarm without data is a preflight error (pause and ignore only warn)', async () => {
    const { client } = world([{ name: 'quiet', type: 'MetricAlarm', state: 'INSUFFICIENT_DATA', reason: 'no data yet' }, { name: 'errors', type: 'MetricAlarm', state: 'OK' }]);
    const failing = await createAlarmGate({ alarms: ['quiet', 'errors'], onInsufficientData: 'fail' }, { client }).preflight!({ deploymentId: 'd', signal });
    expect(failing.errors).toEqual([
      'metric alarm quiet is INSUFFICIENT_DATA (no data yet): with onInsufficientData: fail the first gate check would roll back; give it data first, or use onInsufficientData: pause or ignore',
    ]);
    expect(failing.warnings).toEqual([]);
    const pausing = await createAlarmGate({ alarms: ['quiet', 'errors'], onInsufficientData: 'pause' }, { client }).preflight!({ deploymentId: 'd', signal });
    expect(pausing.errors).toEqual([]);
    expect(pausing.warnings).toHaveLength(1);
  });

  it('with ignoreFiringAlarms: warns, ignores the alarm while it stays in that ALARM, and gates again once it re-fires', async () => {
    const firing: FakeAlarm = { name: 'legacy', type: 'MetricAlarm', state: 'ALARM', reason: 'known issue', since: new Date('2026-01-01T00:00:00Z') };
    const { client } = world([firing, { name: 'errors', type: 'MetricAlarm', state: 'OK' }]);
    const gate = createAlarmGate({ alarms: ['legacy', 'errors'], ignoreFiringAlarms: true }, { client });
    const report = await gate.preflight!({ deploymentId: 'd', signal });
    expect(report.errors).toEqual([]);
    expect(report.warnings).toEqual(['already in ALARM, ignored until they change state (ignoreFiringAlarms): legacy (known issue)']);
    expect(await gate.check(context())).toEqual({ type: 'ok', detail: '2 alarms OK; ignoring legacy (in ALARM since before the rollout, ignoreFiringAlarms)' });
    Object.assign(firing, { state: 'OK', since: new Date('2026-01-01T00:05:00Z') });
    expect((await gate.check(context())).type).toBe('ok');
    Object.assign(firing, { state: 'ALARM', reason: 'fired again', since: new Date('2026-01-01T00:09:00Z') });
    expect(await gate.check(context())).toEqual({ type: 'alarm', names: ['legacy'], reason: 'metric alarm legacy is in ALARM: fired again' });
  });
});
