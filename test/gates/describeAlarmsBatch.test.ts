import { CloudWatchClient, DescribeAlarmsCommand, type DescribeAlarmsCommandInput } from '@aws-sdk/client-cloudwatch';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { describeAlarmsByName } from '../../src/gates/describeAlarms.js';
import { createAlarmGate } from '../../src/gates/index.js';
import { context } from './fakeCloudWatch.js';

/**
 * DescribeAlarms calls shared by the gates of many deployments on one client: requests that wait while a call is
 * queued or in flight ride on the next call together, never on one already sent.
 */

interface Sent {
  readonly names: readonly string[];
  readonly signal: AbortSignal;
  /** Answers the call with the alarm states at that moment. */
  answer(): void;
  fail(error: Error): void;
}

/** A CloudWatch whose calls wait until the test answers them, so the test decides what is in flight when. */
function heldCloudWatch(states: Record<string, 'OK' | 'ALARM'>) {
  const mock = mockClient(CloudWatchClient);
  const sent: Sent[] = [];
  mock.on(DescribeAlarmsCommand).callsFake((input: DescribeAlarmsCommandInput) => {
    const call = mock.commandCalls(DescribeAlarmsCommand).at(-1)!;
    const signal = ((call.args as unknown[])[1] as { abortSignal: AbortSignal }).abortSignal;
    return new Promise((resolve, reject) => {
      const names = input.AlarmNames ?? [];
      sent.push({
        names,
        signal,
        answer: () => resolve({ MetricAlarms: names.filter((n) => n in states).map((n) => ({ AlarmName: n, StateValue: states[n], StateReason: `${n} is ${states[n]}` })), CompositeAlarms: [], $metadata: {} }),
        fail: reject,
      });
    });
  });
  const client = new CloudWatchClient({ region: 'us-east-1', credentials: { accessKeyId: 'AKID', secretAccessKey: 'secret' } });
  return { mock, client, sent };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 5));
let mocks: { restore(): void }[] = [];
afterEach(() => {
  for (const m of mocks) m.restore();
  mocks = [];
});

function held(states: Record<string, 'OK' | 'ALARM'>) {
  const cw = heldCloudWatch(states);
  mocks.push(cw.mock);
  return cw;
}

describe('shared DescribeAlarms calls', () => {
  it('gates of two deployments checked together share one call, and each judges only its own alarms', async () => {
    const { client, sent } = held({ 'a-errors': 'ALARM', 'b-errors': 'OK', shared: 'OK' });
    const a = createAlarmGate({ alarms: ['a-errors', 'shared'] }, { client });
    const b = createAlarmGate({ alarms: ['b-errors', 'shared'] }, { client });
    const checks = [a.check(context()), b.check(context())];
    await settle();
    expect(sent.map((s) => s.names)).toEqual([['a-errors', 'shared', 'b-errors']]);
    sent[0]!.answer();
    const [ra, rb] = await Promise.all(checks);
    expect(ra).toMatchObject({ type: 'alarm', names: ['a-errors'] });
    expect(rb).toEqual({ type: 'ok', detail: '2 alarms OK' });
  });

  it('a check made while a call is in flight is answered by the next call, read after it was made', async () => {
    const states: Record<string, 'OK' | 'ALARM'> = { errors: 'OK', latency: 'OK' };
    const { client, sent } = held(states);
    const first = createAlarmGate({ alarms: ['errors'] }, { client }).check(context());
    await settle();
    // The second check starts after the first call was sent, and the alarm fires in between.
    states.errors = 'ALARM';
    const second = createAlarmGate({ alarms: ['errors', 'latency'] }, { client }).check(context());
    await settle();
    expect(sent).toHaveLength(1);
    sent[0]!.answer();
    await settle();
    expect(sent.map((s) => s.names)).toEqual([['errors'], ['errors', 'latency']]);
    // Sent only once the first call had answered: the second check did not ride on a call sent before it began.
    sent[1]!.answer();
    expect(await second).toMatchObject({ type: 'alarm', names: ['errors'] });
    expect(await first).toBeDefined();
  });

  it('150 one-alarm gates checked together make two calls of 100 and 50 names', async () => {
    const names = Array.from({ length: 150 }, (_, i) => `alarm-${i}`);
    const { client, sent } = held(Object.fromEntries(names.map((n) => [n, 'OK' as const])));
    const checks = names.map((name) => createAlarmGate({ alarms: [name] }, { client }).check(context()));
    await settle();
    sent[0]!.answer();
    await settle();
    sent[1]!.answer();
    const results = await Promise.all(checks);
    expect(sent.map((s) => s.names.length)).toEqual([100, 50]);
    expect(results.every((r) => r.type === 'ok')).toBe(true);
  });

  it('an aborted caller is released at once; the call goes on for the others and is aborted only when all left', async () => {
    const { client, sent } = held({ errors: 'OK' });
    const one = new AbortController();
    const two = new AbortController();
    const first = describeAlarmsByName(client, ['errors'], one.signal);
    const second = describeAlarmsByName(client, ['errors'], two.signal);
    await settle();
    one.abort(new Error('first rollout aborted'));
    await expect(first).rejects.toThrow('first rollout aborted');
    expect(sent[0]!.signal.aborted).toBe(false);
    sent[0]!.answer();
    expect([...(await second).keys()]).toEqual(['errors']);

    const third = new AbortController();
    const alone = describeAlarmsByName(client, ['errors'], third.signal);
    await settle();
    third.abort(new Error('third rollout aborted'));
    await expect(alone).rejects.toThrow('third rollout aborted');
    expect(sent[1]!.signal.aborted).toBe(true);
  });

  it('a failed call fails every check riding on it; the next checks get a call of their own', async () => {
    const { client, sent } = held({ errors: 'OK' });
    const checks = [describeAlarmsByName(client, ['errors'], new AbortController().signal), describeAlarmsByName(client, ['errors'], new AbortController().signal)];
    await settle();
    sent[0]!.fail(Object.assign(new Error('Rate exceeded'), { name: 'Throttling' }));
    for (const check of checks) await expect(check).rejects.toThrow('Rate exceeded');
    const next = describeAlarmsByName(client, ['errors'], new AbortController().signal);
    await settle();
    sent[1]!.answer();
    expect((await next).get('errors')?.state).toBe('OK');
  });
});
