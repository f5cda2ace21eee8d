/**
 * A whole canary (10, 25, 50, 100 with 5-minute bakes) through the engine: the ALB provider shifts the simulated
 * listener, the alarm gate polls the simulated CloudWatch, whose alarms evaluate the traffic the weights send.
 */
import { DescribeListenersCommand, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { describe, expect, it } from 'vitest';
import { createAlarmGate } from '../../../src/gates/index.js';
import { createAlbProvider } from '../../../src/providers/alb/index.js';
import { canary } from '../../../src/strategies/canary.js';
import { harness, weightsSet } from '../../fakes/harness.js';
import { clientConfig } from '../../sim/simFixture.js';
import { canaryWorld, type CanaryWorldOptions } from './canaryWorld.js';

const plan = canary({ steps: '10,25,50,100', bakeSeconds: 300 });

async function rollout(options: CanaryWorldOptions) {
  const { world, clock, aws, client, dims } = await canaryWorld({ canaryPercent: 0, ...options });
  const alb = createAlbProvider({ type: 'alb', listenerArn: dims.arns.listener, stableTargetGroupArn: dims.arns.blue, canaryTargetGroupArn: dims.arns.green }, { client: await aws.get('elbv2'), plan });
  const gate = createAlarmGate({ alarms: ['web-health'] }, { client });
  const run = harness({ clock, traffic: [alb], gates: [gate], settings: { pollSeconds: 10, onInconclusive: 'fail' } });
  const result = await run.run(plan);
  const listener = await new ElasticLoadBalancingV2Client(clientConfig(world)).send(new DescribeListenersCommand({ ListenerArns: [dims.arns.listener] }));
  const weights = Object.fromEntries((listener.Listeners?.[0]?.DefaultActions?.[0]?.ForwardConfig?.TargetGroups ?? []).map((g) => [g.TargetGroupArn === dims.arns.blue ? 'blue' : 'green', g.Weight]));
  return { result, weights, calls: aws.callCounts(), events: run.events, elapsedMs: clock.now() - run.events[0]!.at };
}

describe('canary through the engine, gated by a composite alarm (simulated world)', () => {
  it('a healthy canary reaches 100 %, with ONE DescribeAlarms call per 10 s poll', async () => {
    const { result, weights, calls, events, elapsedMs } = await rollout({});
    expect(result.outcome, JSON.stringify(result.failure)).toBe('succeeded');
    expect(weightsSet(events)).toEqual([10, 25, 50, 100]);
    expect(weights).toEqual({ blue: 0, green: 100 });
    // Exactly one DescribeAlarms per gate check the machine made (three 5-minute bakes at 10 s, plus the fresh
    // checks it asks for around each shift), plus the one preflight read.
    const checks = events.filter((e) => e.type === 'gate.checked').length;
    expect(checks).toBeGreaterThanOrEqual(elapsedMs / 10_000);
    expect(calls['cloudwatch:DescribeAlarms']).toBe(checks + 1);
  });

  it('a broken canary fires the composite alarm at the first step; the listener goes back to 100/0 exactly', async () => {
    const { result, weights, events } = await rollout({ green: { errorRate: 0.3 } });
    expect(result.outcome).toBe('rolledBack');
    expect(result.failure).toMatchObject({ kind: 'gate', stepIndex: 1, message: expect.stringContaining('composite alarm web-health is in ALARM') });
    expect(weightsSet(events)).toEqual([10]);
    expect(weights).toEqual({ blue: 100, green: 0 });
  });
});
