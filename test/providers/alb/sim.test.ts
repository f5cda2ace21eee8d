import { RETRY_BUDGETS } from '../../../src/aws/retry.js';
import { DeregisterTargetsCommand, DescribeTargetHealthCommand, RegisterTargetsCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { describe, expect, it } from 'vitest';
import { DeployError } from '../../../src/errors.js';
import { parseFault } from '../../../src/sim/faults.js';
import { alarmAtStep, FakeGate } from '../../fakes/fakeGate.js';
import { harness, weightsSet } from '../../fakes/harness.js';
import { contexts } from './fixtures.js';
import { ALB_WORLD, albWorld, CANARY, weightsByName } from './simWorld.js';

/** Layer 2: the provider with real SDK clients against the simulated ELB, driven by the engine over time. */

function setup() {
  const sim = albWorld();
  const name = (arn: string) => sim.state().targetGroups[arn]?.name ?? arn;
  const live = async (port = 80) => weightsByName(await sim.listenerActions(port), name);
  return { ...sim, name, live };
}

function modifyCalls(world: ReturnType<typeof setup>['world']): number {
  return world.mutatingCalls('elbv2').filter((c) => c.operation === 'ModifyListener').length;
}

describe('ALB provider in the simulated world', () => {
  it('runs a 4-step canary to 100%, keeping blue in the action at weight 0 and the /api rule untouched', async () => {
    const sim = setup();
    const apiRule = sim.rule(80, 10);
    const ruleBefore = await sim.ruleState(apiRule);
    const alb = sim.provider();
    const h = harness({ traffic: [alb], clock: sim.clock });
    const result = await h.run(CANARY);
    expect(result.outcome).toBe('succeeded');
    expect(weightsSet(h.events)).toEqual([1, 5, 25, 100]);
    expect(await sim.live()).toEqual({ 'web-blue': 0, 'web-green': 100 });
    expect(await sim.ruleState(apiRule)).toEqual(ruleBefore);
    expect(modifyCalls(sim.world)).toBe(4);
    expect(h.clock.now() - Date.UTC(2026, 0, 1)).toBeGreaterThanOrEqual(180_000);
  });

  it('rolls back on a gate alarm to the captured actions, field by field', async () => {
    const sim = setup();
    const before = await sim.listenerActions(80);
    const alb = sim.provider();
    const h = harness({ traffic: [alb], gates: [new FakeGate(alarmAtStep(3))], clock: sim.clock });
    const result = await h.run(CANARY);
    expect(result.outcome).toBe('rolledBack');
    expect(await sim.listenerActions(80)).toEqual(before);
    expect(result.context.snapshots?.[alb.lockKey]).toMatchObject({ actions: before });
  });

  it('a lost write is seen by the read-back and written again', async () => {
    const sim = setup();
    sim.world.addFault(parseFault('lost-write:elbv2:ModifyListener=x1'));
    const h = harness({ traffic: [sim.provider()], clock: sim.clock });
    const result = await h.run(CANARY);
    expect(result.outcome).toBe('succeeded');
    const first = h.events.find((e) => e.type === 'weight.set');
    expect(first).toMatchObject({ percent: 1, verified: true, attempts: 2 });
    expect(modifyCalls(sim.world)).toBe(5);
    expect(await sim.live()).toEqual({ 'web-blue': 0, 'web-green': 100 });
  });

  it('stale reads settle: the write is verified once reads catch up', async () => {
    const sim = setup();
    sim.world.addFault(parseFault('stale-read:elbv2=3s'));
    const h = harness({ traffic: [sim.provider()], clock: sim.clock });
    const result = await h.run(CANARY);
    expect(result.outcome).toBe('succeeded');
    expect(h.events.filter((e) => e.type === 'weight.set').every((e) => e.type === 'weight.set' && e.attempts > 1)).toBe(true);
    expect(await sim.live()).toEqual({ 'web-blue': 0, 'web-green': 100 });
  });

  it('a timeout after the write applied is not a failure: the read-back shows it took', async () => {
    const sim = setup();
    sim.world.addFault(parseFault('timeout-after-apply:elbv2:ModifyListener=x1'));
    const h = harness({ traffic: [sim.provider()], clock: sim.clock });
    const result = await h.run(CANARY);
    expect(result.outcome).toBe('succeeded');
    expect(h.events.find((e) => e.type === 'weight.set')).toMatchObject({ percent: 1, attempts: 1 });
    expect(await sim.live()).toEqual({ 'web-blue': 0, 'web-green': 100 });
  });

  it('throttling within the retry budget is absorbed; beyond it, preflight fails and nothing is written', async () => {
    const sim = setup();
    sim.world.addFault(parseFault('throttle:elbv2:ModifyListener=x2'));
    const h = harness({ traffic: [sim.provider()], clock: sim.clock });
    expect((await h.run(CANARY)).outcome).toBe('succeeded');
    expect(await sim.live()).toEqual({ 'web-blue': 0, 'web-green': 100 });

    const storm = setup();
    // The forward budget is RETRY_BUDGETS.forward attempts per call: one more throttle than that is a failure.
    storm.world.addFault(parseFault(`throttle:elbv2=x${RETRY_BUDGETS.forward}`));
    const stormy = await harness({ traffic: [storm.provider()], clock: storm.clock }).run(CANARY);
    expect(stormy.outcome).toBe('rejected');
    expect(stormy.failure?.message).toContain('DescribeListeners failed: Throttling: Rate exceeded');
    expect(modifyCalls(storm.world)).toBe(0);
  });

  it('a write the SDK gave up on under throttling is tried again in the next round; a storm past every round rolls back exactly', async () => {
    const okModifies = (world: ReturnType<typeof setup>['world']) => world.state.calls.filter((c) => c.operation === 'ModifyListener' && c.outcome === 'ok').length;
    // A whole forward budget of throttled ModifyListener calls: AWS refused them all, so nothing changed.
    const sim = setup();
    sim.world.addFault(parseFault(`throttle:elbv2:ModifyListener=x${RETRY_BUDGETS.forward}`));
    const h = harness({ traffic: [sim.provider()], clock: sim.clock });
    expect((await h.run(CANARY)).outcome).toBe('succeeded');
    expect(h.events.find((e) => e.type === 'weight.set')).toMatchObject({ percent: 1, attempts: 2 });
    expect(weightsSet(h.events)).toEqual([1, 5, 25, 100]);
    expect(okModifies(sim.world)).toBe(4);
    expect(await sim.live()).toEqual({ 'web-blue': 0, 'web-green': 100 });

    // Throttled through every round (4 rounds of the forward budget): the step fails and the rollback restores.
    const storm = setup();
    const before = await storm.listenerActions(80);
    storm.world.addFault(parseFault(`throttle:elbv2:ModifyListener=x${4 * RETRY_BUDGETS.forward}`));
    const stormy = harness({ traffic: [storm.provider()], clock: storm.clock });
    const result = await stormy.run(CANARY);
    expect(result.outcome).toBe('rolledBack');
    expect(result.failure?.message).toContain('ModifyListener failed: Throttling: Rate exceeded');
    expect(weightsSet(stormy.events)).toEqual([]);
    expect(okModifies(storm.world)).toBe(0);
    expect(await storm.listenerActions(80)).toEqual(before);
  });

  it('an out-of-band writer mid-rollout is drift: never overwritten, rolled back to the captured actions', async () => {
    const sim = setup();
    const before = await sim.listenerActions(80);
    sim.world.addFault(parseFault('writer:elbv2@90s:weight=50'));
    const h = harness({ traffic: [sim.provider()], clock: sim.clock });
    const result = await h.run(CANARY);
    expect(result.outcome).toBe('rolledBack');
    expect(result.failure?.message).toContain('was changed by someone else: expected 5% or 25% on the canary, found stable targetgroup/web-blue 50, canary targetgroup/web-green 50 (50%)');
    // Only our writes: 1% and 5%, then the restore. The writer's 50% was never overwritten by a forward step.
    expect(weightsSet(h.events)).toEqual([1, 5]);
    expect(modifyCalls(sim.world)).toBe(3);
    expect(await sim.listenerActions(80)).toEqual(before);
  });

  it('restore gets through a lost write and a throttled read during rollback', async () => {
    const sim = setup();
    const before = await sim.listenerActions(80);
    const alb = sim.provider();
    const ctx = contexts(sim.clock);
    expect((await alb.preflight(ctx.base)).errors).toEqual([]);
    const snapshot = await alb.capture(ctx.base);
    await alb.setWeight(25, ctx.shift(snapshot, 0));
    sim.world.addFault(parseFault('lost-write:elbv2:ModifyListener=x1'));
    sim.world.addFault(parseFault('throttle:elbv2:DescribeListeners=x1'));
    await sim.clock.run(alb.restore(snapshot, ctx.base));
    expect(await sim.listenerActions(80)).toEqual(before);
    expect(modifyCalls(sim.world)).toBe(3);
  });

  it('restore that never takes fails loudly with what is still different', async () => {
    const sim = setup();
    const alb = sim.provider();
    const ctx = contexts(sim.clock);
    const snapshot = await alb.capture(ctx.base);
    await alb.setWeight(5, ctx.shift(snapshot, 0));
    sim.world.addFault(parseFault('lost-write:elbv2:ModifyListener=1'));
    const error = (await sim.clock.run(alb.restore(snapshot, ctx.base)).catch((e: unknown) => e)) as DeployError;
    expect(error).toBeInstanceOf(DeployError);
    expect(error.message).toMatch(/did not take after 5 writes; still different: action 1 \(forward\): target group targetgroup\/web-blue weight 100 → 95/);
    expect(alb.manualRestoreCommands(snapshot)[0]).toContain(`modify-listener --region 'us-east-1' --listener-arn '${sim.listener(80)}'`);
  });

  it('a rule target is shifted with ModifyRule; its conditions and priority stay as they were', async () => {
    const sim = setup();
    const arn = sim.rule(80, 10);
    const before = await sim.ruleState(arn);
    const alb = sim.provider(sim.blueGreen({ listenerArn: undefined, ruleArn: arn }));
    const h = harness({ traffic: [alb], gates: [new FakeGate(alarmAtStep(4))], clock: sim.clock });
    const result = await h.run(CANARY);
    expect(result.outcome).toBe('rolledBack');
    expect(weightsSet(h.events)).toEqual([1, 5, 25]);
    expect(sim.world.mutatingCalls('elbv2').map((c) => c.operation)).toEqual(['ModifyRule', 'ModifyRule', 'ModifyRule', 'ModifyRule']);
    expect(await sim.ruleState(arn)).toEqual(before);
    expect(await sim.live()).toEqual({ 'web-blue': 100, 'web-green': 0 });
  });

  it('ping-pong: consecutive deployments alternate between the two groups', async () => {
    const sim = setup();
    const spec = { type: 'alb' as const, listenerArn: sim.listener(80), targetGroupArns: [sim.tg('web-blue'), sim.tg('web-green')] as [string, string] };
    const first = await harness({ traffic: [sim.provider(spec)], clock: sim.clock }).run(CANARY);
    expect(first.outcome).toBe('succeeded');
    expect(await sim.live()).toEqual({ 'web-blue': 0, 'web-green': 100 });
    const second = sim.provider(spec);
    const result = await harness({ traffic: [second], clock: sim.clock }).run(CANARY);
    expect(result.outcome).toBe('succeeded');
    expect(second.roles()).toEqual({ stable: sim.tg('web-green'), canary: sim.tg('web-blue') });
    expect(await sim.live()).toEqual({ 'web-blue': 100, 'web-green': 0 });
  });

  it('a canary absent from the action is added by the first write when ALB already health-checks it', async () => {
    const sim = setup();
    const before = await sim.listenerActions(8080);
    const alb = sim.provider({ type: 'alb', listenerArn: sim.listener(8080), stableTargetGroupArn: sim.tg('web-blue'), canaryTargetGroupArn: sim.tg('web-test') });
    const h = harness({ traffic: [alb], gates: [new FakeGate(alarmAtStep(2))], clock: sim.clock });
    const result = await h.run(CANARY);
    expect(result.outcome).toBe('rolledBack');
    expect(weightsSet(h.events)).toEqual([1, 5]);
    // Restored exactly: the single-group shorthand is back, web-test is gone from the default action.
    expect(await sim.listenerActions(8080)).toEqual(before);
  });

  it('preflight refuses a canary ALB has not health-checked', async () => {
    const sim = setup();
    const idle = sim.provider({ type: 'alb', listenerArn: sim.listener(8080), stableTargetGroupArn: sim.tg('web-blue'), canaryTargetGroupArn: sim.tg('web-idle') });
    const report = await idle.preflight(contexts(sim.clock).base);
    expect(report.errors).toEqual([expect.stringMatching(/^the canary group targetgroup\/web-idle has no healthy target: its targets are unused \(Target.NotInUse\)/)]);
  });

  it('preflight follows canary health over time: registering, then failing health checks', async () => {
    const sim = albWorld({ ...ALB_WORLD, artifacts: { 'i-bad1': 'broken', 'i-bad2': 'broken' } });
    const green = sim.tg('web-green');
    const health = await sim.client.send(new DescribeTargetHealthCommand({ TargetGroupArn: green }));
    const healthy = (health.TargetHealthDescriptions ?? []).map((d) => ({ Id: d.Target!.Id!, Port: d.Target!.Port! }));
    await sim.client.send(new DeregisterTargetsCommand({ TargetGroupArn: green, Targets: healthy }));
    await sim.client.send(new RegisterTargetsCommand({ TargetGroupArn: green, Targets: [{ Id: 'i-bad1' }, { Id: 'i-bad2' }] }));
    const now = await sim.provider().preflight(contexts(sim.clock).base);
    expect(now.errors).toEqual(['the canary group targetgroup/web-green has no healthy target: 3 draining (Target.DeregistrationInProgress), 2 initial (Elb.RegistrationInProgress)']);
    sim.clock.advance(60_000);
    const later = await sim.provider().preflight(contexts(sim.clock).base);
    expect(later.errors).toEqual(['the canary group targetgroup/web-green has no healthy target: 3 draining (Target.DeregistrationInProgress), 2 unhealthy (Target.ResponseCodeMismatch)']);
  });

  it('passes the abort signal to the real client: an aborted capture rejects without a call', async () => {
    const sim = setup();
    const controller = new AbortController();
    controller.abort();
    const calls = sim.world.state.calls.length;
    await expect(sim.provider().capture({ ...contexts(sim.clock).base, signal: controller.signal })).rejects.toMatchObject({ name: 'AbortError' });
    expect(sim.world.state.calls.length).toBe(calls);
  });
});

