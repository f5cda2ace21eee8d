import { CreateRuleCommand, DeleteRuleCommand, DescribeRulesCommand, ModifyRuleCommand, SetRulePrioritiesCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { describe, expect, it } from 'vitest';
import { elbWorld, expectAwsError, forward } from './fixture.js';

describe('ELBv2 rules', () => {
  function setup() {
    const env = elbWorld();
    const rule = (priority: number | 'default') => Object.values(env.state().rules).find((r) => r.priority === priority && r.listenerArn === env.listener().arn)!;
    const describeAll = async () => (await env.client.send(new DescribeRulesCommand({ ListenerArn: env.listener().arn }))).Rules ?? [];
    const create = (Priority: number, path = `/p${Priority}/*`) =>
      env.client.send(new CreateRuleCommand({ ListenerArn: env.listener().arn, Priority, Conditions: [{ Field: 'path-pattern', Values: [path] }], Actions: forward([[env.tg('web-blue').arn, 1]]) }));
    return { ...env, rule, describeAll, create };
  }

  it('DescribeRules lists rules by priority as strings, the default rule last with the listener default actions', async () => {
    const { describeAll, rule, tg, listener } = setup();
    const rules = await describeAll();
    expect(rules.map((r) => [r.Priority, r.IsDefault])).toEqual([
      ['10', false],
      ['default', true],
    ]);
    expect(rules[0]).toEqual({
      RuleArn: rule(10).arn,
      Priority: '10',
      Conditions: [{ Field: 'path-pattern', Values: ['/api/*'], PathPatternConfig: { Values: ['/api/*'] } }],
      Actions: [{ Type: 'forward', TargetGroupArn: tg('web-blue').arn, ForwardConfig: { TargetGroups: [{ TargetGroupArn: tg('web-blue').arn, Weight: 1 }], TargetGroupStickinessConfig: { Enabled: false } } }],
      IsDefault: false,
    });
    expect(rules[1]?.Conditions).toEqual([]);
    expect(rules[1]?.Actions).toEqual(listener().defaultActions);
    expect(rule(10).arn).toMatch(/^arn:aws:elasticloadbalancing:us-east-1:123456789012:listener-rule\/app\/web\/[0-9a-f]{16}\/[0-9a-f]{16}\/[0-9a-f]{16}$/);
    expect(rule(10).arn.startsWith(listener().arn.replace(':listener/', ':listener-rule/') + '/')).toBe(true);
  });

  it('CreateRule: unique priority per listener (PriorityInUse), conditions required', async () => {
    const { create, client, listener, tg } = setup();
    const out = await create(5, '/five/*');
    expect(out.Rules?.[0]).toMatchObject({ Priority: '5', IsDefault: false, Conditions: [{ Field: 'path-pattern', Values: ['/five/*'], PathPatternConfig: { Values: ['/five/*'] } }] });
    await expectAwsError(create(10), 'PriorityInUseException', 400, /Priority '10' is currently in use/);
    await expectAwsError(client.send(new CreateRuleCommand({ ListenerArn: listener().arn, Priority: 6, Conditions: [], Actions: forward([[tg('web-blue').arn, 1]]) })), 'ValidationError');
    const missing = listener().arn.replace(/[0-9a-f]{16}$/, '0000000000000000');
    await expectAwsError(client.send(new CreateRuleCommand({ ListenerArn: missing, Priority: 7, Conditions: [{ Field: 'host-header', Values: ['a.example.com'] }], Actions: forward([[tg('web-blue').arn, 1]]) })), 'ListenerNotFoundException');
  });

  it('ModifyRule replaces only what it is given, each list whole', async () => {
    const { client, rule, tg } = setup();
    const arn = rule(10).arn;
    await client.send(new ModifyRuleCommand({ RuleArn: arn, Actions: forward([[tg('web-blue').arn, 80], [tg('web-green').arn, 20]]) }));
    let [described] = (await client.send(new DescribeRulesCommand({ RuleArns: [arn] }))).Rules ?? [];
    expect(described?.Conditions?.[0]?.Values).toEqual(['/api/*']);
    expect(described?.Actions?.[0]?.ForwardConfig?.TargetGroups?.map((t) => t.Weight)).toEqual([80, 20]);
    await client.send(new ModifyRuleCommand({ RuleArn: arn, Conditions: [{ Field: 'host-header', HostHeaderConfig: { Values: ['api.example.com'] } }] }));
    [described] = (await client.send(new DescribeRulesCommand({ RuleArns: [arn] }))).Rules ?? [];
    expect(described?.Conditions).toEqual([{ Field: 'host-header', Values: ['api.example.com'], HostHeaderConfig: { Values: ['api.example.com'] } }]);
    expect(described?.Actions?.[0]?.ForwardConfig?.TargetGroups?.map((t) => t.Weight)).toEqual([80, 20]);
    await expectAwsError(client.send(new ModifyRuleCommand({ RuleArn: arn })), 'ValidationError');
  });

  it('the default rule: actions can be modified (they are the listener default actions), conditions cannot', async () => {
    const { client, rule, tg, listener } = setup();
    const arn = rule('default').arn;
    await expectAwsError(client.send(new ModifyRuleCommand({ RuleArn: arn, Conditions: [{ Field: 'path-pattern', Values: ['/x'] }] })), 'OperationNotPermittedException');
    const out = await client.send(new ModifyRuleCommand({ RuleArn: arn, Actions: forward([[tg('web-blue').arn, 50], [tg('web-green').arn, 50]]) }));
    expect(out.Rules?.[0]).toMatchObject({ Priority: 'default', IsDefault: true });
    expect(listener().defaultActions[0]?.ForwardConfig?.TargetGroups?.map((t) => t.Weight)).toEqual([50, 50]);
    await expectAwsError(client.send(new DeleteRuleCommand({ RuleArn: arn })), 'OperationNotPermittedException');
  });

  it('DeleteRule removes a rule; unknown rules are RuleNotFound everywhere', async () => {
    const { client, rule, describeAll, tg } = setup();
    const arn = rule(10).arn;
    await client.send(new DeleteRuleCommand({ RuleArn: arn }));
    expect((await describeAll()).map((r) => r.Priority)).toEqual(['default']);
    await expectAwsError(client.send(new DeleteRuleCommand({ RuleArn: arn })), 'RuleNotFoundException');
    await expectAwsError(client.send(new ModifyRuleCommand({ RuleArn: arn, Actions: forward([[tg('web-blue').arn, 1]]) })), 'RuleNotFoundException');
    await expectAwsError(client.send(new DescribeRulesCommand({ RuleArns: [arn] })), 'RuleNotFoundException');
    await expectAwsError(client.send(new SetRulePrioritiesCommand({ RulePriorities: [{ RuleArn: arn, Priority: 3 }] })), 'RuleNotFoundException');
  });

  it('SetRulePriorities swaps priorities at once; clashes are PriorityInUse and nothing changes', async () => {
    const { client, rule, create, describeAll } = setup();
    const twenty = (await create(20)).Rules![0]!.RuleArn!;
    await create(30);
    const out = await client.send(new SetRulePrioritiesCommand({ RulePriorities: [{ RuleArn: rule(10).arn, Priority: 20 }, { RuleArn: twenty, Priority: 10 }] }));
    expect(out.Rules?.map((r) => r.Priority)).toEqual(['20', '10']);
    expect((await describeAll()).map((r) => r.RuleArn)).toEqual([twenty, rule(20).arn, rule(30).arn, rule('default').arn]);
    await expectAwsError(client.send(new SetRulePrioritiesCommand({ RulePriorities: [{ RuleArn: twenty, Priority: 30 }] })), 'PriorityInUseException');
    await expectAwsError(client.send(new SetRulePrioritiesCommand({ RulePriorities: [{ RuleArn: twenty, Priority: 40 }, { RuleArn: rule(30).arn, Priority: 40 }] })), 'ValidationError');
    await expectAwsError(client.send(new SetRulePrioritiesCommand({ RulePriorities: [{ RuleArn: rule('default').arn, Priority: 40 }] })), 'OperationNotPermittedException');
    expect((await describeAll()).map((r) => r.Priority)).toEqual(['10', '20', '30', 'default']);
  });

  it('pages through rules with Marker and PageSize', async () => {
    const { create, client, listener } = setup();
    for (const p of [1, 2, 3]) await create(p);
    const first = await client.send(new DescribeRulesCommand({ ListenerArn: listener().arn, PageSize: 2 }));
    const second = await client.send(new DescribeRulesCommand({ ListenerArn: listener().arn, PageSize: 2, Marker: first.NextMarker }));
    const third = await client.send(new DescribeRulesCommand({ ListenerArn: listener().arn, PageSize: 2, Marker: second.NextMarker }));
    expect([first, second, third].map((page) => page.Rules?.map((r) => r.Priority))).toEqual([['1', '2'], ['3', '10'], ['default']]);
    expect(third.NextMarker).toBeUndefined();
  });

  it('allows 100 rules per load balancer, default rules excluded (TooManyRules)', async () => {
    const { create, state } = setup();
    for (let p = 11; p <= 109; p++) await create(p);
    expect(Object.values(state().rules).filter((r) => r.priority !== 'default')).toHaveLength(100);
    await expectAwsError(create(200), 'TooManyRulesException');
  });
});
