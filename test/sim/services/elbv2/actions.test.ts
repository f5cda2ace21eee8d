import { CreateLoadBalancerCommand, CreateListenerCommand, CreateTargetGroupCommand, ModifyListenerCommand, ModifyRuleCommand, type Action } from '@aws-sdk/client-elastic-load-balancing-v2';
import { describe, expect, it } from 'vitest';
import { elbWorld, expectAwsError, forward } from './fixture.js';

/** Forward-action semantics the model cannot express: the service validates them. */
describe('ELBv2 forward actions', () => {
  async function setup() {
    const env = elbWorld();
    const extra: string[] = [];
    for (const name of ['tg-a', 'tg-b', 'tg-c', 'tg-d']) {
      const out = await env.client.send(new CreateTargetGroupCommand({ Name: name, Protocol: 'HTTP', Port: 80, VpcId: 'vpc-1' }));
      extra.push(out.TargetGroups![0]!.TargetGroupArn!);
    }
    const modify = (DefaultActions: Action[]) => env.client.send(new ModifyListenerCommand({ ListenerArn: env.listener().arn, DefaultActions }));
    return { ...env, extra, modify, blue: env.tg('web-blue').arn, green: env.tg('web-green').arn };
  }

  it('rejects weights outside 0..999 with the service ValidationError', async () => {
    const { modify, blue, green } = await setup();
    for (const weight of [-1, 1000]) {
      await expectAwsError(modify(forward([[blue, 100], [green, weight]])), 'ValidationError', 400, /^The weight for each target group must be between 0 and 999, inclusive$/);
    }
    await modify(forward([[blue, 999], [green, 0]]));
  });

  it('allows at most 5 target groups per forward action, each named once', async () => {
    const { modify, blue, green, extra } = await setup();
    const five = [blue, green, ...extra.slice(0, 3)].map((arn) => [arn, 1] as [string, number]);
    await modify(forward(five));
    await expectAwsError(modify(forward([...five, [extra[3]!, 1]])), 'ValidationError', 400, /more than 5 target groups/);
    await expectAwsError(modify(forward([[blue, 1], [blue, 2]])), 'ValidationError', 400, /more than once/);
  });

  it('TargetGroupArn with ForwardConfig must name the same single group', async () => {
    const { modify, client, listener, blue, green } = await setup();
    await expectAwsError(modify([{ Type: 'forward', TargetGroupArn: blue, ForwardConfig: { TargetGroups: [{ TargetGroupArn: green, Weight: 1 }] } }]), 'ValidationError', 400, /must be the same target group/);
    await expectAwsError(modify([{ Type: 'forward', TargetGroupArn: blue, ForwardConfig: { TargetGroups: [{ TargetGroupArn: blue, Weight: 1 }, { TargetGroupArn: green, Weight: 1 }] } }]), 'ValidationError');
    const out = await client.send(new ModifyListenerCommand({ ListenerArn: listener().arn, DefaultActions: [{ Type: 'forward', TargetGroupArn: blue, ForwardConfig: { TargetGroups: [{ TargetGroupArn: blue, Weight: 5 }] } }] }));
    expect(out.Listeners?.[0]?.DefaultActions?.[0]).toEqual({ Type: 'forward', TargetGroupArn: blue, ForwardConfig: { TargetGroups: [{ TargetGroupArn: blue, Weight: 5 }], TargetGroupStickinessConfig: { Enabled: false } } });
    await expectAwsError(modify([{ Type: 'forward' }]), 'ValidationError');
  });

  it('stickiness needs DurationSeconds 1..604800 when enabled', async () => {
    const { modify, client, listener, blue, green } = await setup();
    const message = /^Target group stickiness duration must be between 1 and 604800 seconds$/;
    await expectAwsError(modify(forward([[blue, 1], [green, 1]], { Enabled: true })), 'ValidationError', 400, message);
    await expectAwsError(modify(forward([[blue, 1], [green, 1]], { Enabled: true, DurationSeconds: 0 })), 'ValidationError', 400, message);
    await expectAwsError(modify(forward([[blue, 1], [green, 1]], { Enabled: true, DurationSeconds: 604_801 })), 'ValidationError', 400, message);
    const out = await client.send(new ModifyListenerCommand({ ListenerArn: listener().arn, DefaultActions: forward([[blue, 1], [green, 1]], { Enabled: true, DurationSeconds: 604_800 }) }));
    expect(out.Listeners?.[0]?.DefaultActions?.[0]?.ForwardConfig?.TargetGroupStickinessConfig).toEqual({ Enabled: true, DurationSeconds: 604_800 });
  });

  it('every named group must exist, and belong to no other load balancer', async () => {
    const { modify, client, blue, green, tg } = await setup();
    const missing = blue.replace(/[0-9a-f]{16}$/, '0000000000000000');
    await expectAwsError(modify(forward([[blue, 1], [missing, 1]])), 'TargetGroupNotFoundException', 400, new RegExp(missing));
    const other = await client.send(new CreateLoadBalancerCommand({ Name: 'other', Subnets: ['subnet-1', 'subnet-2'] }));
    const create = (TargetGroupArn: string) =>
      client.send(new CreateListenerCommand({ LoadBalancerArn: other.LoadBalancers![0]!.LoadBalancerArn!, Port: 80, Protocol: 'HTTP', DefaultActions: [{ Type: 'forward', TargetGroupArn }] }));
    await expectAwsError(create(green), 'TargetGroupAssociationLimitException', 400, /cannot be associated with more than one load balancer/);
    const created = await create(tg('web-spare').arn);
    expect(created.Listeners).toHaveLength(1);
  });

  it('accepts all-zero weights (the load balancer then answers 503)', async () => {
    const { modify, blue, green } = await setup();
    const out = await modify(forward([[blue, 0], [green, 0]]));
    expect(out.Listeners?.[0]?.DefaultActions?.[0]?.ForwardConfig?.TargetGroups?.map((t) => t.Weight)).toEqual([0, 0]);
  });

  it('needs one routing action, last in Order, and an Order on each of several actions', async () => {
    const { modify, blue } = await setup();
    const fixed: Action = { Type: 'fixed-response', FixedResponseConfig: { StatusCode: '503' } };
    await expectAwsError(modify([]), 'ValidationError');
    await expectAwsError(modify([{ ...fixed, Order: 1 }, { Type: 'forward', TargetGroupArn: blue, Order: 2 }]), 'ValidationError', 400, /Exactly one/);
    await expectAwsError(modify([fixed, { Type: 'authenticate-oidc', AuthenticateOidcConfig: { Issuer: 'i', AuthorizationEndpoint: 'a', TokenEndpoint: 't', UserInfoEndpoint: 'u', ClientId: 'c' } }]), 'ValidationError', 400, /Order/);
    const oidc: Action = { Type: 'authenticate-oidc', Order: 2, AuthenticateOidcConfig: { Issuer: 'i', AuthorizationEndpoint: 'a', TokenEndpoint: 't', UserInfoEndpoint: 'u', ClientId: 'c' } };
    await expectAwsError(modify([{ ...fixed, Order: 1 }, oidc]), 'ValidationError', 400, /last action/);
    const out = await modify([{ ...oidc, Order: 1 }, { ...fixed, Order: 2 }]);
    expect(out.Listeners?.[0]?.DefaultActions?.map((a) => a.Type)).toEqual(['authenticate-oidc', 'fixed-response']);
  });

  it('ModifyRule validates its actions the same way', async () => {
    const { client, state, blue } = await setup();
    const rule = Object.values(state().rules).find((r) => r.priority === 10)!;
    await expectAwsError(client.send(new ModifyRuleCommand({ RuleArn: rule.arn, Actions: forward([[blue, 1000]]) })), 'ValidationError', 400, /between 0 and 999/);
  });
});
