import { RETRY_BUDGETS } from '../../../src/aws/retry.js';
/** The alarm gate against the simulated CloudWatch, with real SDK clients, alarms evaluated from live traffic. */
import { CloudWatchClient, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { describe, expect, it } from 'vitest';
import { createAlarmGate } from '../../../src/gates/index.js';
import { clientConfig } from '../../sim/simFixture.js';
import { context } from '../fakeCloudWatch.js';
import { after, canaryWorld, MINUTE } from './canaryWorld.js';

const preflightCtx = { deploymentId: 'd-sim', signal: new AbortController().signal };

describe('alarm gate on the simulated world', () => {
  it('a broken canary drives the metric alarm and its composite to ALARM; the gate fires on the composite', async () => {
    const { clock, client } = await canaryWorld({ green: { errorRate: 0.3 } });
    const gate = createAlarmGate({ alarms: ['web-health'] }, { client });
    const report = await clock.run(gate.preflight!(preflightCtx));
    expect(report.errors).toEqual([]);
    // ALARM(child) is false while the children have no data yet, so the composite starts OK (as on AWS).
    expect(report.facts).toEqual({ alarms: { 'web-health': 'OK' } });
    expect(await clock.run(gate.check(context()))).toEqual({ type: 'ok', detail: '1 alarm OK' });
    await after(clock, 4 * MINUTE);
    const result = await clock.run(gate.check(context()));
    expect(result).toMatchObject({ type: 'alarm', names: ['web-health'] });
    expect(result.type === 'alarm' && result.reason).toMatch(/^composite alarm web-health is in ALARM: .*green-5xx/);
  });

  it('finds the composite alarm only because it asks for composite alarms (the sim hides it otherwise, like AWS)', async () => {
    const { clock, world } = await canaryWorld();
    const raw = new CloudWatchClient(clientConfig(world));
    const withoutTypes = await clock.run(raw.send(new DescribeAlarmsCommand({ AlarmNames: ['web-health'] })));
    expect(withoutTypes.CompositeAlarms ?? []).toEqual([]);
    const withTypes = await clock.run(raw.send(new DescribeAlarmsCommand({ AlarmNames: ['web-health'], AlarmTypes: ['MetricAlarm', 'CompositeAlarm'] })));
    expect(withTypes.CompositeAlarms?.map((a) => a.AlarmName)).toEqual(['web-health']);
  });

  it('a healthy canary keeps every alarm OK', async () => {
    const { clock, client } = await canaryWorld();
    const gate = createAlarmGate({ alarms: ['web-health', 'green-5xx', 'blue-5xx'] }, { client });
    await after(clock, 5 * MINUTE);
    expect(await clock.run(gate.check(context()))).toEqual({ type: 'ok', detail: '3 alarms OK' });
  });

  it('reports an alarm forced to INSUFFICIENT_DATA as inconclusive, then OK again when it recovers', async () => {
    const { clock, client } = await canaryWorld({ faults: ['alarm:green-5xx@3m=INSUFFICIENT_DATA/2m'] });
    const gate = createAlarmGate({ alarms: ['green-5xx'] }, { client });
    await after(clock, 3 * MINUTE + 30_000);
    expect(await clock.run(gate.check(context()))).toMatchObject({ type: 'inconclusive', reason: expect.stringContaining('metric alarm green-5xx is INSUFFICIENT_DATA') });
    await after(clock, 3 * MINUTE);
    expect(await clock.run(gate.check(context()))).toEqual({ type: 'ok', detail: '1 alarm OK' });
  });

  it('throws when an alarm is deleted mid-rollout, so the machine fails closed', async () => {
    const { clock, client } = await canaryWorld({ faults: ['alarm:green-5xx@2m=DELETED'] });
    const gate = createAlarmGate({ alarms: ['green-5xx', 'blue-5xx'] }, { client });
    await after(clock, MINUTE);
    expect((await clock.run(gate.preflight!(preflightCtx))).errors).toEqual([]);
    await after(clock, 2 * MINUTE);
    await expect(clock.run(gate.check(context()))).rejects.toMatchObject({ code: 'GATE_FAILED', message: expect.stringContaining('CloudWatch alarm green-5xx no longer exists') });
  });

  it('refuses to start when an alarm is already firing', async () => {
    const { clock, client } = await canaryWorld({ canaryPercent: 50, green: { errorRate: 0.5 } });
    await after(clock, 4 * MINUTE);
    const report = await clock.run(createAlarmGate({ alarms: ['green-5xx', 'not-there'] }, { client }).preflight!(preflightCtx));
    expect(report.errors).toEqual([
      'CloudWatch alarm not found (looked for metric and composite alarms): not-there',
      expect.stringMatching(/^alarm already in ALARM before the rollout started: green-5xx \(Threshold Crossed: .*\); fix it first, or set ignoreFiringAlarms$/),
    ]);
  });
});

describe('alarm gate under DescribeAlarms throttling (simulated)', () => {
  it('rides out 2 throttles inside one poll: the client retries on the clock (3 attempts)', async () => {
    const { clock, client, aws } = await canaryWorld({ faults: ['throttle:cloudwatch:DescribeAlarms=x2'] });
    const gate = createAlarmGate({ alarms: ['green-5xx'] }, { client });
    await after(clock, 3 * MINUTE);
    expect(await clock.run(gate.check(context()))).toEqual({ type: 'ok', detail: '1 alarm OK' });
    expect(aws.callCounts()['cloudwatch:DescribeAlarms']).toBe(3);
  });

  it('lets a poll fail after its forward retry budget of throttled attempts (the machine counts it), and the next poll reads again', async () => {
    const { clock, client, aws } = await canaryWorld({ faults: [`throttle:cloudwatch:DescribeAlarms=x${RETRY_BUDGETS.forward}`] });
    const gate = createAlarmGate({ alarms: ['green-5xx'] }, { client });
    await after(clock, 3 * MINUTE);
    await expect(clock.run(gate.check(context()))).rejects.toMatchObject({ name: 'Throttling' });
    expect(await clock.run(gate.check(context()))).toEqual({ type: 'ok', detail: '1 alarm OK' });
    expect(aws.callCounts()['cloudwatch:DescribeAlarms']).toBe(RETRY_BUDGETS.forward + 1);
  });
});
