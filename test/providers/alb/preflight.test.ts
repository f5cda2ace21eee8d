import { type Action } from '@aws-sdk/client-elastic-load-balancing-v2';
import { afterEach, describe, expect, it } from 'vitest';
import { DeployError, InputError } from '../../../src/errors.js';
import { ACCOUNT, BLUE, CANARY_PLAN, contexts, forwardTo, GREEN, LB, LISTENER, mockElb, OIDC, OTHER, provider, RULE, sent } from './fixtures.js';

let active: ReturnType<typeof mockElb> | undefined;
function elb(actions: Action[]) {
  active = mockElb(actions);
  return active;
}
afterEach(() => active?.mock.restore());

const W = `listener ${LISTENER}`;
const extra = (n: number) => `${ACCOUNT}:targetgroup/extra-${n}/00000000000000${10 + n}`;

async function preflightOf(actions: Action[], change: (state: ReturnType<typeof mockElb>['state']) => void = () => undefined, target = {}) {
  const { client, state, mock } = elb(actions);
  change(state);
  const alb = provider(client, { type: 'alb', listenerArn: LISTENER, stableTargetGroupArn: BLUE, canaryTargetGroupArn: GREEN, ...target });
  return { report: await alb.preflight(contexts().base), alb, mock };
}

describe('ALB preflight findings', () => {
  it('passes a clean listener: stable carries all weight, canary absent, with an authenticate action before the forward', async () => {
    const { report } = await preflightOf([OIDC, { ...forwardTo([[BLUE, 1]]), Order: 2 }]);
    expect(report).toMatchObject({ errors: [], warnings: [] });
  });

  it('names the groups found when the forward does not go to the stable group', async () => {
    const { report } = await preflightOf([forwardTo([[OTHER, 1], [GREEN, 0]])]);
    expect(report.errors).toEqual([`${W} forwards to targetgroup/web-other (weight 1) and targetgroup/web-green (weight 0), not to the stable group targetgroup/web-blue`]);
  });

  it('refuses a canary that already has traffic: another rollout is in progress', async () => {
    const { report } = await preflightOf([forwardTo([[BLUE, 90], [GREEN, 10]])]);
    expect(report.errors).toEqual([
      `the canary group targetgroup/web-green already receives weight 10 of 100 (10%) on ${W}: another rollout is in progress or was left half-shifted; finish it or roll it back first`,
    ]);
  });

  it('needs the stable group to carry all the forward weight', async () => {
    const { report } = await preflightOf([forwardTo([[BLUE, 5], [OTHER, 5]])]);
    expect(report.errors).toEqual([`${W} forwards to targetgroup/web-blue (weight 5) and targetgroup/web-other (weight 5); the stable group targetgroup/web-blue must carry all the forward weight before a rollout starts`]);
  });

  it('counts the canary against the 5 target groups per action', async () => {
    const { report } = await preflightOf([forwardTo([[BLUE, 1], [extra(1), 0], [extra(2), 0], [extra(3), 0], [extra(4), 0]])]);
    expect(report.errors).toEqual([`${W}: the forward action would hold 6 target groups with the canary added; ALB allows at most 5 per action`]);
  });

  it('needs a forward action, one only, last in Order', async () => {
    const redirect = await preflightOf([{ Type: 'redirect', RedirectConfig: { Protocol: 'HTTPS', StatusCode: 'HTTP_301' } }]);
    expect(redirect.report.errors).toEqual([`${W} has no forward action (it ends with a redirect action)`]);
    const misordered = await preflightOf([{ ...forwardTo([[BLUE, 1]]), Order: 1 }, { ...OIDC, Order: 2 }]);
    expect(misordered.report.errors).toEqual([`${W} has a forward action that is not the last action in Order`]);
  });

  it('refuses a Network Load Balancer listener', async () => {
    const { client, mock } = elb([forwardTo([[BLUE, 1]])]);
    const { DescribeListenersCommand } = await import('@aws-sdk/client-elastic-load-balancing-v2');
    mock.on(DescribeListenersCommand).resolves({ Listeners: [{ ListenerArn: LISTENER, LoadBalancerArn: LB, Protocol: 'TCP', Port: 80, DefaultActions: [forwardTo([[BLUE, 1]])] }] });
    const report = await provider(client).preflight(contexts().base);
    expect(report.errors).toEqual([`${W} uses protocol TCP: only Application Load Balancer listeners (HTTP/HTTPS) split traffic between weighted target groups`]);
  });

  it('names the canary target states when none is healthy', async () => {
    const { report } = await preflightOf([forwardTo([[BLUE, 1], [GREEN, 0]])], (s) => {
      s.health = [
        { Target: { Id: 'i-1' }, TargetHealth: { State: 'unhealthy', Reason: 'Target.ResponseCodeMismatch' } },
        { Target: { Id: 'i-2' }, TargetHealth: { State: 'unhealthy', Reason: 'Target.ResponseCodeMismatch' } },
        { Target: { Id: 'i-3' }, TargetHealth: { State: 'initial', Reason: 'Elb.InitialHealthChecking' } },
      ];
    });
    expect(report.errors).toEqual(['the canary group targetgroup/web-green has no healthy target: 2 unhealthy (Target.ResponseCodeMismatch), 1 initial (Elb.InitialHealthChecking)']);
  });

  it('explains unused targets of a canary nothing forwards to yet, and an empty canary', async () => {
    const unused = await preflightOf([forwardTo([[BLUE, 1]])], (s) => {
      s.health = [{ Target: { Id: 'i-1' }, TargetHealth: { State: 'unused', Reason: 'Target.NotInUse' } }];
    });
    expect(unused.report.errors[0]).toMatch(/^the canary group targetgroup\/web-green has no healthy target: its targets are unused \(Target.NotInUse\): no listener or rule forwards to it yet/);
    const empty = await preflightOf([forwardTo([[BLUE, 1]])], (s) => {
      s.health = [];
    });
    expect(empty.report.errors).toEqual(['the canary group targetgroup/web-green has no registered targets']);
  });

  it('warns (does not fail) when health checks are disabled on the canary', async () => {
    const { report } = await preflightOf([forwardTo([[BLUE, 1]])], (s) => {
      s.health = [{ Target: { Id: 'fn' }, TargetHealth: { State: 'unavailable', Reason: 'Target.HealthCheckDisabled' } }];
    });
    expect(report.errors).toEqual([]);
    expect(report.warnings).toEqual(['health checks are disabled on the canary group targetgroup/web-green: deployctl cannot tell whether its targets are healthy']);
  });

  it('names a missing group and a group of another load balancer', async () => {
    const missing = await preflightOf([forwardTo([[BLUE, 1]])], (s) => {
      s.groups = s.groups.filter((g) => g.arn !== GREEN);
    });
    expect(missing.report.errors).toEqual([`the canary target group ${GREEN} does not exist (TargetGroupNotFound)`]);
    expect(sent(missing.mock)).toEqual(['DescribeListeners', 'DescribeTargetGroups', 'DescribeTargetGroups', 'DescribeTargetGroups']);
    const elsewhere = `${ACCOUNT}:loadbalancer/app/api/1111111111111111`;
    const other = await preflightOf([forwardTo([[BLUE, 1]])], (s) => {
      s.groups = s.groups.map((g) => (g.arn === GREEN ? { ...g, lbs: [elsewhere] } : g));
    });
    expect(other.report.errors).toEqual([`the canary target group targetgroup/web-green belongs to load balancer ${elsewhere}, not to ${LB}; a target group can serve only one load balancer`]);
  });

  it('warns that stickiness moves only new sessions', async () => {
    const { report } = await preflightOf([forwardTo([[BLUE, 1]], {}, { Enabled: true, DurationSeconds: 3600 })]);
    expect(report.errors).toEqual([]);
    expect(report.warnings).toEqual([
      `target group stickiness is enabled on ${W} (DurationSeconds 3600): clients keep the target group they were given until that expires, so weight changes move only new sessions and a rollback does not move existing ones back`,
    ]);
  });

  it('rejects plan weights finer than a tenth of a percent', async () => {
    const { client } = elb([forwardTo([[BLUE, 1]])]);
    const plan = { ...CANARY_PLAN, steps: [{ type: 'setWeight' as const, weight: 0.25 }, { type: 'setWeight' as const, weight: 0.5 }, { type: 'setWeight' as const, weight: 100 }] };
    const report = await provider(client, undefined, { plan }).preflight(contexts().base);
    expect(report.errors).toEqual(['step 1 (setWeight 0.25): ALB weights are integers 0–999, so an ALB target can take whole percents or tenths of a percent (0.1–99.9); use for example 0.3']);
  });

  it('reports a listener or rule that does not exist instead of throwing', async () => {
    const { client, mock } = elb([forwardTo([[BLUE, 1]])]);
    const { DescribeRulesCommand } = await import('@aws-sdk/client-elastic-load-balancing-v2');
    mock.on(DescribeRulesCommand).rejects(Object.assign(new Error('One or more rules not found'), { name: 'RuleNotFoundException' }));
    const report = await provider(client, { type: 'alb', ruleArn: RULE, stableTargetGroupArn: BLUE, canaryTargetGroupArn: GREEN }).preflight(contexts().base);
    expect(report.errors).toEqual([`rule ${RULE} not found (RuleNotFoundException: One or more rules not found)`]);
  });

  it('throws AWS_ERROR (not a finding) when ELB cannot be read', async () => {
    const { client, mock } = elb([forwardTo([[BLUE, 1]])]);
    const { DescribeListenersCommand } = await import('@aws-sdk/client-elastic-load-balancing-v2');
    mock.on(DescribeListenersCommand).rejects(Object.assign(new Error('User is not authorized'), { name: 'AccessDenied' }));
    const error = (await provider(client).preflight(contexts().base).catch((e: unknown) => e)) as DeployError;
    expect(error).toBeInstanceOf(DeployError);
    expect(error.code).toBe('AWS_ERROR');
    expect(error.message).toContain('DescribeListeners failed: AccessDenied: User is not authorized');
  });

  it('capture re-checks: a canary that got traffic since preflight is refused before any write', async () => {
    const { client, state, mock } = elb([forwardTo([[BLUE, 1]])]);
    const alb = provider(client);
    expect((await alb.preflight(contexts().base)).errors).toEqual([]);
    state.actions = [forwardTo([[BLUE, 50], [GREEN, 50]])];
    await expect(alb.capture(contexts().base)).rejects.toMatchObject({ code: 'DRIFT', message: expect.stringContaining('changed since preflight') });
    expect(sent(mock).filter((s) => s.startsWith('Modify'))).toEqual([]);
  });
});

describe('ALB target spec', () => {
  it('needs exactly one of listenerArn and ruleArn, and unambiguous groups', () => {
    const { client } = elb([]);
    expect(() => provider(client, { type: 'alb', listenerArn: LISTENER, ruleArn: RULE, stableTargetGroupArn: BLUE, canaryTargetGroupArn: GREEN })).toThrow(InputError);
    expect(() => provider(client, { type: 'alb', listenerArn: LISTENER, stableTargetGroupArn: BLUE })).toThrow(/give stableTargetGroupArn and canaryTargetGroupArn/);
    expect(() => provider(client, { type: 'alb', listenerArn: LISTENER, stableTargetGroupArn: BLUE, canaryTargetGroupArn: BLUE })).toThrow(/other than the stable one/);
    expect(() => provider(client, { type: 'alb', listenerArn: LISTENER, targetGroupArns: [BLUE, GREEN], stableTargetGroupArn: BLUE })).toThrow(/not both/);
  });

  it('has a short readable label and locks the listener or rule', () => {
    const { client } = elb([]);
    const alb = provider(client);
    expect(alb.label).toBe('alb listener app/web/…/f2f7dc8efc522ab2 (stable targetgroup/web-blue, canary targetgroup/web-green)');
    expect(alb.lockKey).toBe(`alb:${LISTENER}`);
    expect(alb.kind).toBe('alb');
    const rule = provider(client, { type: 'alb', ruleArn: RULE, targetGroupArns: [BLUE, GREEN] });
    expect(rule.label).toBe('alb rule app/web/…/9683b2d02a6f2f1c (ping-pong targetgroup/web-blue ⇄ targetgroup/web-green)');
    expect(rule.lockKey).toBe(`alb:${RULE}`);
  });
});
