import { DeregisterTargetsCommand, DescribeListenersCommand, ModifyListenerCommand, ModifyRuleCommand, RegisterTargetsCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { describe, expect, it } from 'vitest';
import { parseFault } from '../../../../src/sim/faults.js';
import type { WorldSeed } from '../../../../src/sim/seed.js';
import { BLUE_GREEN, elbWorld, forward, T0 } from './fixture.js';

const MINUTE = 60_000;

/** Metrics carry deterministic Poisson-like noise: compare within a few percent. */
function near(value: number | undefined, expected: number, tolerance = 0.05): void {
  expect(value, `expected about ${expected}`).toBeDefined();
  expect(Math.abs(value! - expected)).toBeLessThanOrEqual(expected * tolerance);
}

/** BLUE_GREEN with 100 rps entering at the listener (or `resource`). */
function withTraffic(resource = '${listener:web:80.arn}', rps = 100): WorldSeed {
  return { ...BLUE_GREEN, traffic: [{ service: 'elbv2', resource, rps }] };
}

describe('ELBv2 traffic model', () => {
  function setup(seed = withTraffic()) {
    const env = elbWorld(seed);
    const lbDim = `app/web/${env.lb().id}`;
    const tgDim = (name: string) => `targetgroup/${name}/${env.tg(name).id}`;
    /** Sum (or another stat) of a metric over one minute starting `from` ms after T0. */
    const metric = (metricName: string, dimensions: Record<string, string>, from: number, stat = 'Sum') =>
      env.world.metrics.query({ namespace: 'AWS/ApplicationELB', metricName, dimensions, period: 60, stat, start: T0 + from, end: T0 + from + MINUTE }, env.clock.now())[0]?.value;
    const perGroup = (name: string, metricName: string, from: number, stat = 'Sum') => metric(metricName, { TargetGroup: tgDim(name), LoadBalancer: lbDim }, from, stat);
    return { ...env, lbDim, tgDim, metric, perGroup };
  }

  it('counts requests, target 5xx and response time under both dimension sets, following weight changes', async () => {
    const { client, clock, listener, tg, metric, perGroup, lbDim } = setup();
    clock.advance(MINUTE);
    await client.send(new ModifyListenerCommand({ ListenerArn: listener().arn, DefaultActions: forward([[tg('web-blue').arn, 75], [tg('web-green').arn, 25]]) }));
    clock.advance(MINUTE);
    await client.send(new DescribeListenersCommand({ ListenerArns: [listener().arn] }));

    near(metric('RequestCount', { LoadBalancer: lbDim }, 0), 6000);
    near(perGroup('web-blue', 'RequestCount', 0), 6000);
    expect(perGroup('web-green', 'RequestCount', 0)).toBeUndefined();
    near(perGroup('web-blue', 'RequestCount', MINUTE), 4500);
    near(perGroup('web-green', 'RequestCount', MINUTE), 1500);
    near(metric('RequestCount', { LoadBalancer: lbDim }, MINUTE), 6000);
    // v2 fails 20% of its requests, v1 1%.
    near(perGroup('web-green', 'HTTPCode_Target_5XX_Count', MINUTE)! / 1500, 0.2, 0.2);
    expect(perGroup('web-blue', 'HTTPCode_Target_5XX_Count', MINUTE)! / 4500).toBeLessThan(0.03);
    // TargetResponseTime is in seconds: v1 50 ms, v2 80 ms.
    near(perGroup('web-green', 'TargetResponseTime', MINUTE, 'Average'), 0.08, 0.15);
    near(perGroup('web-blue', 'TargetResponseTime', 0, 'Average'), 0.05, 0.15);
  });

  it('splits a group across its healthy targets by version, and ignores targets still in initial checks', async () => {
    const { world, client, clock, tg, perGroup } = setup();
    const v2ids = tg('web-blue').targets.map((t) => t.id);
    // One v2 target joins blue (3 v1 + 1 v2) but serves only once healthy (v2: 30 s + 10 s x 3 = 60 s).
    await client.send(new RegisterTargetsCommand({ TargetGroupArn: tg('web-blue').arn, Targets: [{ Id: tg('web-green').targets[0]!.id }] }));
    expect(v2ids).toHaveLength(3);
    const flows = () => world.route('elbv2', Object.values(world.stateOf<{ listeners: Record<string, { arn: string }> }>('elbv2').listeners)[0]!.arn, 100, () => undefined);
    expect(flows().map((f) => [f.version, Math.round(f.rps)])).toEqual([['v1', 100]]);
    clock.advance(MINUTE);
    world.sync();
    expect(flows().map((f) => [f.version, Math.round(f.rps)])).toEqual([
      ['v1', 75],
      ['v2', 25],
    ]);
    clock.advance(MINUTE);
    world.sync();
    near(perGroup('web-blue', 'HTTPCode_Target_5XX_Count', MINUTE)! / 6000, 0.25 * 0.2 + 0.75 * 0.01, 0.3);
  });

  it('a group whose targets are all unhealthy fails open: requests reach them and fail', async () => {
    const { world, client, clock, tg, listener, perGroup } = setup();
    const green = tg('web-green').arn;
    // Two instances whose AMI is the broken build replace green's targets.
    Object.assign(world.state.artifacts, { 'i-broken-1': 'broken', 'i-broken-2': 'broken' });
    await client.send(new DeregisterTargetsCommand({ TargetGroupArn: green, Targets: tg('web-green').targets.map((t) => ({ Id: t.id })) }));
    await client.send(new RegisterTargetsCommand({ TargetGroupArn: green, Targets: [{ Id: 'i-broken-1' }, { Id: 'i-broken-2' }] }));
    await client.send(new ModifyListenerCommand({ ListenerArn: listener().arn, DefaultActions: forward([[tg('web-blue').arn, 50], [green, 50]]) }));
    clock.advance(2 * MINUTE);
    world.sync();
    expect(tg('web-green').targets.map((t) => [t.id, t.state])).toEqual([
      ['i-broken-1', 'unhealthy'],
      ['i-broken-2', 'unhealthy'],
    ]);
    clock.advance(MINUTE);
    world.sync();
    near(perGroup('web-green', 'RequestCount', 2 * MINUTE), 3000);
    // Every request to the broken version fails (the counts carry independent noise).
    near(perGroup('web-green', 'HTTPCode_Target_5XX_Count', 2 * MINUTE), 3000);
  });

  it('a group without targets, or all-zero weights, is answered by the load balancer with 503s', async () => {
    const { world, client, clock, tg, listener, metric, lbDim } = setup();
    const green = tg('web-green').arn;
    await client.send(new DeregisterTargetsCommand({ TargetGroupArn: green, Targets: tg('web-green').targets.map((t) => ({ Id: t.id })) }));
    await client.send(new ModifyListenerCommand({ ListenerArn: listener().arn, DefaultActions: forward([[tg('web-blue').arn, 50], [green, 50]]) }));
    // Draining targets (30 s) take no new requests either.
    clock.advance(MINUTE);
    await client.send(new ModifyListenerCommand({ ListenerArn: listener().arn, DefaultActions: forward([[tg('web-blue').arn, 0], [green, 0]]) }));
    clock.advance(MINUTE);
    world.sync();
    near(metric('HTTPCode_ELB_5XX_Count', { LoadBalancer: lbDim }, 0), 3000);
    near(metric('HTTPCode_ELB_503_Count', { LoadBalancer: lbDim }, 0), 3000);
    near(metric('RequestCount', { LoadBalancer: lbDim }, 0), 3000);
    near(metric('HTTPCode_ELB_5XX_Count', { LoadBalancer: lbDim }, MINUTE), 6000);
    expect(metric('RequestCount', { LoadBalancer: lbDim }, MINUTE)).toBeUndefined();
  });

  it('routes traffic at the DNS name through the lowest-port listener, and at a rule through its actions', async () => {
    const { world, client, lb, state, tg } = setup(withTraffic('${lb:web.dnsName}'));
    const rule = Object.values(state().rules).find((r) => r.priority === 10)!;
    world.addTraffic({ service: 'elbv2', resource: rule.arn, rps: 10 });
    const route = (resource: string) => world.route('elbv2', resource, 100, () => undefined).map((f) => [f.version, Math.round(f.rps)]);
    expect(route(lb().dnsName)).toEqual([['v1', 100]]);
    expect(route(`dualstack.${lb().dnsName}.`.toUpperCase())).toEqual([['v1', 100]]);
    await client.send(new ModifyRuleCommand({ RuleArn: rule.arn, Actions: forward([[tg('web-blue').arn, 1], [tg('web-green').arn, 1]]) }));
    expect(route(rule.arn)).toEqual([
      ['v1', 50],
      ['v2', 50],
    ]);
    expect(route('nothing.example.com')).toEqual([]);
  });

  it('an out-of-band writer shifts weights mid-rollout (drift fault) and the traffic follows', async () => {
    const { world, clock, listener, perGroup } = setup();
    world.addFault(parseFault('writer:elbv2@90s:weight=40'));
    clock.advance(90_000);
    world.sync();
    expect(listener().defaultActions[0]?.ForwardConfig?.TargetGroups?.map((t) => t.Weight)).toEqual([60, 40]);
    clock.advance(90_000);
    world.sync();
    near(perGroup('web-green', 'RequestCount', 2 * MINUTE), 2400, 0.06);
  });

  it('drift flips stickiness and targets a rule; it reports what it changed', async () => {
    const { world, state, listener, tg } = setup();
    const drift = world.service('elbv2').drift!;
    const rule = Object.values(state().rules).find((r) => r.priority === 10)!;
    expect(drift(world.context('elbv2'), { ruleArn: rule.arn, weight: 30 })).toBe(`an out-of-band writer changed rule ${rule.arn}: weights web-blue=30`);
    expect(drift(world.context('elbv2'), { listenerArn: listener().arn, stickiness: 'true' })).toBe(`an out-of-band writer changed listener ${listener().arn}: stickiness enabled`);
    expect(listener().defaultActions[0]?.ForwardConfig?.TargetGroupStickinessConfig).toEqual({ Enabled: true, DurationSeconds: 3600 });
    expect(drift(world.context('elbv2'), { stickiness: false, weight: 100 })).toMatch(/weights web-blue=0, web-green=100; stickiness disabled$/);
    expect(drift(world.context('elbv2'), { ruleArn: 'arn:nope', weight: 1 })).toMatch(/nothing changed/);
    expect(tg('web-green').inUse).toBe(true);
  });
});
