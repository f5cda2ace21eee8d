import { DescribeListenersCommand, ModifyListenerCommand, ModifyRuleCommand, type Action } from '@aws-sdk/client-elastic-load-balancing-v2';
import { afterEach, describe, expect, it } from 'vitest';
import { DeployError } from '../../../src/errors.js';
import { BLUE, contexts, forwardTo, GREEN, LISTENER, mockElb, OIDC, OTHER, provider, RULE, sent } from './fixtures.js';

/** Layer 1: the exact requests, against aws-sdk-client-mock. */

let active: ReturnType<typeof mockElb> | undefined;
function elb(actions: Action[]) {
  active = mockElb(actions);
  return active;
}
afterEach(() => active?.mock.restore());

const withOidc = (forward: Action): Action[] => [structuredClone(OIDC), { ...forward, Order: 2 }];
const oidcOnTheWire = { ...OIDC, AuthenticateOidcConfig: { ...OIDC.AuthenticateOidcConfig, UseExistingClientSecret: true } };

describe('ALB provider requests', () => {
  it('preflight only reads: DescribeListeners, DescribeTargetGroups, DescribeTargetHealth', async () => {
    const { mock, client } = elb(withOidc(forwardTo([[BLUE, 1]])));
    const report = await provider(client).preflight(contexts().base);
    expect(report.errors).toEqual([]);
    expect(sent(mock)).toEqual(['DescribeListeners', 'DescribeTargetGroups', 'DescribeTargetHealth']);
    expect(mock.calls()[0]!.args[0].input).toEqual({ ListenerArns: [LISTENER] });
    expect(mock.calls()[1]!.args[0].input).toEqual({ TargetGroupArns: [BLUE, GREEN] });
    expect(mock.calls()[2]!.args[0].input).toEqual({ TargetGroupArn: GREEN });
    expect(report.facts).toMatchObject({ listenerArn: LISTENER, stableTargetGroupArn: BLUE, canaryTargetGroupArn: GREEN, livePercent: 0, weights: { 'targetgroup/web-blue': 1 } });
  });

  it('a 4-step canary writes the whole action list each time, changing only the two weights', async () => {
    const original = withOidc(forwardTo([[BLUE, 1]], {}, { Enabled: true, DurationSeconds: 300 }));
    const { mock, client, state } = elb(original);
    const alb = provider(client);
    const ctx = contexts();
    await alb.preflight(ctx.base);
    const snapshot = await alb.capture(ctx.base);
    let from = 0;
    for (const percent of [1, 5, 25, 100]) {
      await alb.setWeight(percent, ctx.shift(snapshot, from));
      expect(await alb.verifyWeight(percent, ctx.shift(snapshot, from))).toEqual({ status: 'ok' });
      from = percent;
    }
    const writes = mock.commandCalls(ModifyListenerCommand).map((c) => c.args[0].input);
    const forwardAt = (blue: number, green: number) => ({
      Type: 'forward',
      Order: 2,
      ForwardConfig: { TargetGroups: [{ TargetGroupArn: BLUE, Weight: blue }, { TargetGroupArn: GREEN, Weight: green }], TargetGroupStickinessConfig: { Enabled: true, DurationSeconds: 300 } },
    });
    expect(writes).toEqual([
      { ListenerArn: LISTENER, DefaultActions: [oidcOnTheWire, forwardAt(99, 1)] },
      { ListenerArn: LISTENER, DefaultActions: [oidcOnTheWire, forwardAt(95, 5)] },
      { ListenerArn: LISTENER, DefaultActions: [oidcOnTheWire, forwardAt(75, 25)] },
      { ListenerArn: LISTENER, DefaultActions: [oidcOnTheWire, forwardAt(0, 100)] },
    ]);
    // 100% keeps the stable group in the action at weight 0, so the rollback only moves weights.
    expect(state.actions[1]!.ForwardConfig!.TargetGroups).toEqual([{ TargetGroupArn: BLUE, Weight: 0 }, { TargetGroupArn: GREEN, Weight: 100 }]);
    const counts = Object.fromEntries(['DescribeListeners', 'DescribeTargetGroups', 'DescribeTargetHealth', 'ModifyListener'].map((op) => [op, sent(mock).filter((s) => s === op).length]));
    // Target health is read at preflight and again right before the first shift.
    expect(counts).toEqual({ DescribeListeners: 10, DescribeTargetGroups: 1, DescribeTargetHealth: 2, ModifyListener: 4 });
  });

  it('other target groups, their order and weights pass through byte for byte', async () => {
    const original = [{ Type: 'forward', Order: 7, ForwardConfig: { TargetGroups: [{ TargetGroupArn: OTHER, Weight: 0 }, { TargetGroupArn: BLUE, Weight: 10 }, { TargetGroupArn: GREEN, Weight: 0 }] } }] as Action[];
    const { mock, client } = elb(original);
    const alb = provider(client);
    const ctx = contexts();
    const snapshot = await alb.capture(ctx.base);
    await alb.setWeight(0.5, ctx.shift(snapshot, 0));
    expect(mock.commandCalls(ModifyListenerCommand)[0]!.args[0].input.DefaultActions).toEqual([
      { Type: 'forward', Order: 7, ForwardConfig: { TargetGroups: [{ TargetGroupArn: OTHER, Weight: 0 }, { TargetGroupArn: BLUE, Weight: 995 }, { TargetGroupArn: GREEN, Weight: 5 }] } },
    ]);
  });

  it('a rule is written with ModifyRule and its actions only: conditions are never sent', async () => {
    const { mock, client } = elb([forwardTo([[BLUE, 1]])]);
    const alb = provider(client, { type: 'alb', ruleArn: RULE, stableTargetGroupArn: BLUE, canaryTargetGroupArn: GREEN });
    const ctx = contexts();
    const snapshot = await alb.capture(ctx.base);
    expect(snapshot).toMatchObject({ resource: 'rule', rule: { Priority: '10', IsDefault: false, Conditions: [{ Field: 'path-pattern' }] } });
    await alb.setWeight(5, ctx.shift(snapshot, 0));
    await alb.restore(snapshot, ctx.base);
    const inputs = mock.commandCalls(ModifyRuleCommand).map((c) => c.args[0].input);
    expect(inputs.map((i) => Object.keys(i).sort())).toEqual([
      ['Actions', 'RuleArn'],
      ['Actions', 'RuleArn'],
    ]);
    expect(inputs[1]).toEqual({ RuleArn: RULE, Actions: [forwardTo([[BLUE, 1]])] });
  });

  it('restore writes the captured list exactly (single-group shorthand included) and reads it back', async () => {
    const original = withOidc(forwardTo([[BLUE, 1]]));
    const { mock, client, state } = elb(original);
    const alb = provider(client);
    const ctx = contexts();
    const snapshot = await alb.capture(ctx.base);
    await alb.setWeight(25, ctx.shift(snapshot, 0));
    mock.resetHistory();
    await alb.restore(snapshot, ctx.base);
    expect(sent(mock)).toEqual(['DescribeListeners', 'ModifyListener', 'DescribeListeners']);
    expect(mock.commandCalls(ModifyListenerCommand)[0]!.args[0].input).toEqual({ ListenerArn: LISTENER, DefaultActions: [oidcOnTheWire, { ...forwardTo([[BLUE, 1]]), Order: 2 }] });
    expect(state.actions).toEqual([oidcOnTheWire, { ...forwardTo([[BLUE, 1]]), Order: 2 }]);
    expect(ctx.events).toEqual([]);
  });

  it('setWeight is idempotent: already at the target, it reads and does not write', async () => {
    const { mock, client } = elb([forwardTo([[BLUE, 1]])]);
    const alb = provider(client);
    const ctx = contexts();
    const snapshot = await alb.capture(ctx.base);
    await alb.setWeight(5, ctx.shift(snapshot, 0));
    mock.resetHistory();
    await alb.setWeight(5, ctx.shift(snapshot, 0));
    await alb.setWeight(5, ctx.shift(snapshot, 5));
    expect(sent(mock)).toEqual(['DescribeListeners', 'DescribeListeners']);
  });

  it('never overwrites a foreign weight change: DRIFT naming what it found, and no write', async () => {
    const { mock, client, state } = elb([forwardTo([[BLUE, 1]])]);
    const alb = provider(client);
    const ctx = contexts();
    const snapshot = await alb.capture(ctx.base);
    await alb.setWeight(5, ctx.shift(snapshot, 0));
    state.actions = [forwardTo([[BLUE, 50], [GREEN, 50]])];
    mock.resetHistory();
    const error = await alb.setWeight(25, ctx.shift(snapshot, 5)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeployError);
    expect((error as DeployError).code).toBe('DRIFT');
    expect((error as DeployError).message).toContain('expected 5% or 25% on the canary, found stable targetgroup/web-blue 50, canary targetgroup/web-green 50 (50%)');
    expect(sent(mock)).toEqual(['DescribeListeners']);
  });

  it('a foreign change to anything else (stickiness, an OIDC field, another group) is drift too', async () => {
    const { client, state } = elb(withOidc(forwardTo([[BLUE, 1], [OTHER, 0]])));
    const alb = provider(client);
    const ctx = contexts();
    const snapshot = await alb.capture(ctx.base);
    const changed = withOidc(forwardTo([[BLUE, 1], [OTHER, 3]], {}, { Enabled: true, DurationSeconds: 60 }));
    changed[0]!.AuthenticateOidcConfig!.Scope = 'openid email';
    state.actions = changed;
    const error = (await alb.setWeight(1, ctx.shift(snapshot, 0)).catch((e: unknown) => e)) as DeployError;
    expect(error.code).toBe('DRIFT');
    expect(error.message).toContain('action 1 (authenticate-oidc): AuthenticateOidcConfig.Scope "openid" → "openid email"');
    expect(error.message).toContain('action 2 (forward): target group targetgroup/web-other weight 0 → 3');
    expect(error.message).toContain('action 2 (forward): stickiness disabled → enabled for 60s');
  });

  it('verifyWeight tells ok, lost (still at fromPercent) and drift apart', async () => {
    const { client, state } = elb([forwardTo([[BLUE, 1]])]);
    const alb = provider(client);
    const ctx = contexts();
    const snapshot = await alb.capture(ctx.base);
    state.loseNextWrite = true;
    await alb.setWeight(5, ctx.shift(snapshot, 0));
    expect(await alb.verifyWeight(5, ctx.shift(snapshot, 0))).toEqual({ status: 'lost', detail: 'still stable targetgroup/web-blue 1, canary targetgroup/web-green absent (0%), expected 5%' });
    await alb.setWeight(5, ctx.shift(snapshot, 0));
    expect(await alb.verifyWeight(5, ctx.shift(snapshot, 0))).toEqual({ status: 'ok' });
    state.actions = [forwardTo([[BLUE, 70], [GREEN, 30]])];
    expect(await alb.verifyWeight(25, ctx.shift(snapshot, 5))).toEqual({ status: 'drift', detail: 'expected 5% or 25% on the canary, found stable targetgroup/web-blue 70, canary targetgroup/web-green 30 (30%)' });
  });

  it('a write that failed but applied (timeout after apply) is recognised by reading back', async () => {
    const { mock, client, state } = elb([forwardTo([[BLUE, 1]])]);
    const alb = provider(client);
    const ctx = contexts();
    const snapshot = await alb.capture(ctx.base);
    state.failNextWrite = { applied: true, error: Object.assign(new Error('socket hang up'), { name: 'TimeoutError' }) };
    await alb.setWeight(5, ctx.shift(snapshot, 0));
    expect(await alb.verifyWeight(5, ctx.shift(snapshot, 0))).toEqual({ status: 'ok' });
    state.failNextWrite = { applied: false, error: Object.assign(new Error('Rate exceeded'), { name: 'Throttling' }) };
    mock.resetHistory();
    const error = (await alb.setWeight(25, ctx.shift(snapshot, 5)).catch((e: unknown) => e)) as DeployError;
    expect(error.code).toBe('AWS_ERROR');
    expect(error.message).toContain('ModifyListener failed: Throttling: Rate exceeded');
    expect(sent(mock)).toEqual(['DescribeListeners', 'ModifyListener', 'DescribeListeners']);
  });

  it('passes the abort signal to every call', async () => {
    const { mock, client } = elb([forwardTo([[BLUE, 1]])]);
    const alb = provider(client);
    const ctx = contexts();
    await alb.preflight(ctx.base);
    const snapshot = await alb.capture(ctx.base);
    await alb.setWeight(1, ctx.shift(snapshot, 0));
    await alb.verifyWeight(1, ctx.shift(snapshot, 0));
    await alb.readWeight(snapshot, ctx.base);
    await alb.restore(snapshot, ctx.base);
    expect(mock.calls().length).toBeGreaterThan(6);
    for (const call of mock.calls()) expect((call.args as unknown[])[1]).toEqual({ abortSignal: ctx.base.signal });
  });

  it('readWeight is the canary share of the forward weight', async () => {
    const { client, state } = elb([forwardTo([[BLUE, 1]])]);
    const alb = provider(client);
    const ctx = contexts();
    const snapshot = await alb.capture(ctx.base);
    expect(await alb.readWeight(snapshot, ctx.base)).toBe(0);
    state.actions = [forwardTo([[BLUE, 999], [GREEN, 1]])];
    expect(await alb.readWeight(snapshot, ctx.base)).toBeCloseTo(0.1, 9);
    state.actions = [{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '503' } }];
    expect(await alb.readWeight(snapshot, ctx.base)).toBeUndefined();
  });
});

describe('ALB provider restore', () => {
  it('writes again when a write is lost, and fails with what is still different when it never takes', async () => {
    const { mock, client, state } = elb([forwardTo([[BLUE, 1]])]);
    const alb = provider(client);
    const ctx = contexts();
    const snapshot = await alb.capture(ctx.base);
    await alb.setWeight(25, ctx.shift(snapshot, 0));
    state.loseNextWrite = true;
    await ctx.clock.run(alb.restore(snapshot, ctx.base));
    expect(state.actions).toEqual([forwardTo([[BLUE, 1]])]);
    expect(mock.commandCalls(ModifyListenerCommand)).toHaveLength(3);

    await alb.setWeight(25, ctx.shift(snapshot, 0));
    mock.on(ModifyListenerCommand).resolves({});
    const error = (await ctx.clock.run(alb.restore(snapshot, ctx.base)).catch((e: unknown) => e)) as DeployError;
    expect(error.code).toBe('AWS_ERROR');
    expect(error.message).toContain('the captured configuration did not take after 3 writes; still different: action 1 (forward): target group targetgroup/web-blue weight 1 → 75; action 1 (forward): target group targetgroup/web-green added with weight 25');
    expect(mock.commandCalls(ModifyListenerCommand)).toHaveLength(3 + 1 + 3);
  });

  it('restores over a foreign change and says what it replaced', async () => {
    const { client, state } = elb([forwardTo([[BLUE, 1], [OTHER, 0]])]);
    const alb = provider(client);
    const ctx = contexts();
    const snapshot = await alb.capture(ctx.base);
    state.actions = [forwardTo([[BLUE, 40], [OTHER, 20], [GREEN, 40]])];
    await alb.restore(snapshot, ctx.base);
    expect(state.actions).toEqual([forwardTo([[BLUE, 1], [OTHER, 0]])]);
    expect(ctx.events.map((e) => (e.type === 'warning' ? e.message : e.type))).toEqual([
      expect.stringContaining('restoring the captured actions replaces changes made by someone else during the rollout: action 1 (forward): target group targetgroup/web-other weight 0 → 20'),
    ]);
  });

  it('restores actions only and leaves a rule condition someone changed, with a warning', async () => {
    const { mock, client, state } = elb([forwardTo([[BLUE, 1]])]);
    const alb = provider(client, { type: 'alb', ruleArn: RULE, stableTargetGroupArn: BLUE, canaryTargetGroupArn: GREEN });
    const ctx = contexts();
    const snapshot = await alb.capture(ctx.base);
    await alb.setWeight(5, ctx.shift(snapshot, 0));
    state.conditions = [{ Field: 'path-pattern', PathPatternConfig: { Values: ['/v2/*'] }, Values: ['/v2/*'] }];
    await alb.restore(snapshot, ctx.base);
    expect(mock.commandCalls(ModifyRuleCommand).at(-1)!.args[0].input).toEqual({ RuleArn: RULE, Actions: [forwardTo([[BLUE, 1]])] });
    expect(state.conditions).toEqual([{ Field: 'path-pattern', PathPatternConfig: { Values: ['/v2/*'] }, Values: ['/v2/*'] }]);
    expect(ctx.events).toHaveLength(1);
    expect(ctx.events[0]).toMatchObject({ type: 'warning', message: expect.stringContaining('left as found') });
  });

  it('does not write when the live list already is the captured one', async () => {
    const { mock, client } = elb([forwardTo([[BLUE, 1]])]);
    const alb = provider(client);
    const ctx = contexts();
    const snapshot = await alb.capture(ctx.base);
    mock.resetHistory();
    await alb.restore(snapshot, ctx.base);
    expect(sent(mock)).toEqual(['DescribeListeners']);
    expect(mock.commandCalls(DescribeListenersCommand)).toHaveLength(1);
  });
});
