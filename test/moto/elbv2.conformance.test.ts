import {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateRuleCommand,
  CreateTargetGroupCommand,
  DescribeListenersCommand,
  DescribeRulesCommand,
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
  ElasticLoadBalancingV2Client,
  ModifyListenerCommand,
  ModifyRuleCommand,
  RegisterTargetsCommand,
  type Action,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { expect, it } from 'vitest';
import { elbv2Service } from '../../src/sim/services/elbv2/index.js';
import { expectConformance, motoSide, ok, runBoth, simSide, type Deviation, type TokenRule, type Transcript } from './conformance.js';
import { describeWithMoto, motoSubnets } from './motoServer.js';

/** What ELBv2 generates: the 16-hex ids in ARNs, DNS names, VPC and subnet ids. */
const TOKENS: readonly TokenRule[] = [
  { kind: 'id', pattern: /(?<=\/)[0-9a-f]{16}(?![0-9a-z])/g },
  { kind: 'dns', pattern: /[a-z0-9-]+\.us-east-1\.elb\.amazonaws\.com/g },
  { kind: 'vpc', pattern: /vpc-[0-9a-f]+/g },
  { kind: 'subnet', pattern: /subnet-[0-9a-f]+/g },
];

/** Every difference between moto and the sim; docs/moto.md explains each (same ids) and which side AWS takes. */
const DEVIATIONS: readonly Deviation[] = [
  { id: 'elbv2-lb-state', at: /^CreateLoadBalancer LoadBalancers\[0\]\.State\.Code$/ },
  { id: 'elbv2-lb-scheme', at: /^CreateLoadBalancer LoadBalancers\[0\]\.Scheme$/ },
  { id: 'elbv2-lb-hosted-zone', at: /^CreateLoadBalancer LoadBalancers\[0\]\.CanonicalHostedZoneId$/ },
  { id: 'elbv2-tg-timeout', at: /TargetGroups\[\d\]\.HealthCheckTimeoutSeconds$/ },
  { id: 'elbv2-tg-ip-address-type', at: /TargetGroups\[\d\]\.IpAddressType$/ },
  { id: 'elbv2-tg-lb-arns', at: /TargetGroups\[\d\]\.LoadBalancerArns(\[\d\])?$/ },
  { id: 'elbv2-listener-ssl-alpn', at: /Listeners\[0\]\.(SslPolicy|AlpnPolicy)$/ },
  { id: 'elbv2-single-forward', at: /(DefaultActions|Actions)\[0\]\.ForwardConfig\.(TargetGroups\[0\]\.(TargetGroupArn|Weight)|TargetGroupStickinessConfig\.Enabled)$/ },
  { id: 'elbv2-condition-values', at: /Conditions\[0\]\.Values(\[0\])?$/ },
  { id: 'elbv2-default-rule-arn', at: /^DescribeRules listener Rules\[1\]\.RuleArn$/ },
  { id: 'elbv2-health-port', at: /TargetHealthDescriptions\[\d\]\.HealthCheckPort$/ },
  { id: 'elbv2-health-initial', at: /^DescribeTargetHealth registered TargetHealthDescriptions\[\d\]\.TargetHealth\.(State|Reason|Description)$/ },
  { id: 'elbv2-weight-range', at: /^ModifyListener weight 1000 / },
  { id: 'elbv2-unknown-target-group', at: /^(ModifyListener unknown target group|DescribeListeners after rejected writes) / },
];

function forward(groups: readonly (readonly [string, number])[], stickiness?: { Enabled: boolean; DurationSeconds?: number }): Action[] {
  return [{ Type: 'forward', ForwardConfig: { TargetGroups: groups.map(([TargetGroupArn, Weight]) => ({ TargetGroupArn, Weight })), ...(stickiness ? { TargetGroupStickinessConfig: stickiness } : {}) } }];
}

/** The calls the ALB provider makes (DescribeListeners/Rules/TargetGroups/TargetHealth, ModifyListener/Rule), on resources set up the same way. */
async function scenario(t: Transcript, subnets: readonly string[]): Promise<void> {
  const c = new ElasticLoadBalancingV2Client(t.side.config);
  const lb = (await t.call('CreateLoadBalancer', () => c.send(new CreateLoadBalancerCommand({ Name: 'web', Subnets: [...subnets] })))).LoadBalancers![0]!;
  const group = async (name: string) =>
    (await t.call(`CreateTargetGroup ${name}`, () => c.send(new CreateTargetGroupCommand({ Name: name, Protocol: 'HTTP', Port: 80, VpcId: lb.VpcId, TargetType: 'ip', HealthCheckIntervalSeconds: 10, HealthyThresholdCount: 2 })))).TargetGroups![0]!.TargetGroupArn!;
  const blue = await group('blue');
  const green = await group('green');
  const listener = (await t.call('CreateListener', () => c.send(new CreateListenerCommand({ LoadBalancerArn: lb.LoadBalancerArn, Port: 80, Protocol: 'HTTP', DefaultActions: [{ Type: 'forward', TargetGroupArn: blue }] })))).Listeners![0]!.ListenerArn!;

  await t.call('DescribeListeners initial', () => c.send(new DescribeListenersCommand({ LoadBalancerArn: lb.LoadBalancerArn })));
  await t.call('ModifyListener 90/10 sticky', () => c.send(new ModifyListenerCommand({ ListenerArn: listener, DefaultActions: forward([[blue, 90], [green, 10]], { Enabled: true, DurationSeconds: 300 }) })));
  await t.call('DescribeListeners 90/10 sticky', () => c.send(new DescribeListenersCommand({ ListenerArns: [listener] })));
  await t.call('ModifyListener 0/100 sticky off', () => c.send(new ModifyListenerCommand({ ListenerArn: listener, DefaultActions: forward([[blue, 0], [green, 100]], { Enabled: false }) })));
  await t.call('DescribeListeners 0/100', () => c.send(new DescribeListenersCommand({ ListenerArns: [listener] })));

  const rule = (await t.call('CreateRule', () => c.send(new CreateRuleCommand({ ListenerArn: listener, Priority: 10, Conditions: [{ Field: 'path-pattern', PathPatternConfig: { Values: ['/api/*'] } }], Actions: [{ Type: 'forward', TargetGroupArn: blue }] })))).Rules![0]!.RuleArn!;
  await t.call('DescribeRules listener', () => c.send(new DescribeRulesCommand({ ListenerArn: listener })));
  await t.call('ModifyRule 50/50 sticky', () => c.send(new ModifyRuleCommand({ RuleArn: rule, Actions: forward([[blue, 50], [green, 50]], { Enabled: true, DurationSeconds: 60 }) })));
  await t.call('DescribeRules rule', () => c.send(new DescribeRulesCommand({ RuleArns: [rule] })));
  await t.call('DescribeTargetGroups', () => c.send(new DescribeTargetGroupsCommand({ TargetGroupArns: [blue, green] })));

  await t.call('RegisterTargets', () => c.send(new RegisterTargetsCommand({ TargetGroupArn: green, Targets: [{ Id: '172.31.0.10', Port: 80 }, { Id: '172.31.0.11', Port: 80 }] })));
  await t.call('DescribeTargetHealth registered', () => c.send(new DescribeTargetHealthCommand({ TargetGroupArn: green })));
  await t.side.settle(60);
  await t.call('DescribeTargetHealth settled', () => c.send(new DescribeTargetHealthCommand({ TargetGroupArn: green })));

  const missingListener = listener.replace(/[0-9a-f]{16}$/, 'ffffffffffffffff');
  const missingRule = rule.replace(/[0-9a-f]{16}$/, 'ffffffffffffffff');
  const missingGroup = green.replace(/[0-9a-f]{16}$/, 'ffffffffffffffff');
  await t.attempt('DescribeListeners unknown listener', () => c.send(new DescribeListenersCommand({ ListenerArns: [missingListener] })));
  await t.attempt('ModifyListener unknown listener', () => c.send(new ModifyListenerCommand({ ListenerArn: missingListener, DefaultActions: forward([[blue, 1]]) })));
  await t.attempt('DescribeRules unknown rule', () => c.send(new DescribeRulesCommand({ RuleArns: [missingRule] })));
  await t.attempt('ModifyRule unknown rule', () => c.send(new ModifyRuleCommand({ RuleArn: missingRule, Actions: forward([[blue, 1]]) })));
  await t.attempt('DescribeTargetHealth unknown target group', () => c.send(new DescribeTargetHealthCommand({ TargetGroupArn: missingGroup })));
  await t.attempt('ModifyListener weight 1000', () => c.send(new ModifyListenerCommand({ ListenerArn: listener, DefaultActions: forward([[blue, 1000], [green, 0]]) })));
  await t.call('ModifyListener back to 0/100', () => c.send(new ModifyListenerCommand({ ListenerArn: listener, DefaultActions: forward([[blue, 0], [green, 100]], { Enabled: false }) })));
  await t.attempt('ModifyListener unknown target group', () => c.send(new ModifyListenerCommand({ ListenerArn: listener, DefaultActions: forward([[blue, 50], [missingGroup, 50]]) })));
  await t.call('DescribeListeners after rejected writes', () => c.send(new DescribeListenersCommand({ ListenerArns: [listener] })));
}

describeWithMoto('ELBv2 conformance: moto and the simulated world answer the ALB provider calls alike', (moto) => {
  it('listener and rule weights with stickiness, target health, and the modeled errors', async () => {
    const motoSubnetIds = await motoSubnets(moto());
    const { moto: m, sim: s } = await runBoth(motoSide(moto()), simSide([elbv2Service]), (t) => scenario(t, t.side.name === 'moto' ? motoSubnetIds : ['subnet-0aaaaaaaaaaaaaaa1', 'subnet-0bbbbbbbbbbbbbbb2']));

    const found = expectConformance(m, s, DEVIATIONS, { tokens: TOKENS });

    // Both read back exactly what the provider wrote: weights and stickiness.
    for (const t of [m, s]) {
      const listener = ok<{ Listeners: { DefaultActions: Action[] }[] }>(t.answerOf('DescribeListeners 90/10 sticky')).Listeners[0]!;
      expect(listener.DefaultActions[0]!.ForwardConfig).toMatchObject({ TargetGroups: [{ Weight: 90 }, { Weight: 10 }], TargetGroupStickinessConfig: { Enabled: true, DurationSeconds: 300 } });
      const rule = ok<{ Rules: { Actions: Action[] }[] }>(t.answerOf('DescribeRules rule')).Rules[0]!;
      expect(rule.Actions[0]!.ForwardConfig).toMatchObject({ TargetGroups: [{ Weight: 50 }, { Weight: 50 }], TargetGroupStickinessConfig: { Enabled: true, DurationSeconds: 60 } });
      expect(t.answerOf('DescribeListeners unknown listener')).toEqual({ error: 'ListenerNotFoundException', status: 400 });
      expect(t.answerOf('ModifyRule unknown rule')).toEqual({ error: 'RuleNotFoundException', status: 400 });
      const settled = ok<{ TargetHealthDescriptions: { TargetHealth: { State: string } }[] }>(t.answerOf('DescribeTargetHealth settled'));
      expect(settled.TargetHealthDescriptions.map((d) => d.TargetHealth.State)).toEqual(['healthy', 'healthy']);
    }
    // The semantic errors AWS documents: the sim rejects them, moto accepts the writes.
    expect(s.answerOf('ModifyListener weight 1000')).toEqual({ error: 'ValidationError', status: 400 });
    expect(s.answerOf('ModifyListener unknown target group')).toEqual({ error: 'TargetGroupNotFoundException', status: 400 });
    expect(found.get('elbv2-weight-range')?.[0]?.moto).toBeDefined();
  });
});
