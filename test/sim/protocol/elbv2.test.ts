import {
  CreateTargetGroupCommand,
  DescribeListenersCommand,
  DescribeRulesCommand,
  DescribeTargetHealthCommand,
  ElasticLoadBalancingV2Client,
  ModifyListenerCommand,
  ModifyRuleCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import type { Action } from '@aws-sdk/client-elastic-load-balancing-v2';
import { describe, expect, it } from 'vitest';
import { onlyCall, recorder, simClientConfig, withoutMetadata } from './simClient.js';

const LISTENER_ARN = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/web/50dc6c495c0c9188/f2f7dc8efc522ab2';
const BLUE = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/blue/73e2d6bc24d8a067';
const GREEN = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/green/943f017f100becff';

const weightedForward: Action[] = [
  {
    Type: 'forward',
    Order: 1,
    ForwardConfig: {
      TargetGroups: [
        { TargetGroupArn: BLUE, Weight: 90 },
        { TargetGroupArn: GREEN, Weight: 10 },
      ],
      TargetGroupStickinessConfig: { Enabled: true, DurationSeconds: 300 },
    },
  },
];

describe('ELBv2 over awsQuery', () => {
  it('DescribeListeners returns DefaultActions with ForwardConfig weights and stickiness', async () => {
    const listeners = {
      Listeners: [
        {
          ListenerArn: LISTENER_ARN,
          LoadBalancerArn: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/web/50dc6c495c0c9188',
          Port: 443,
          Protocol: 'HTTPS',
          Certificates: [{ CertificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/abc' }],
          SslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
          DefaultActions: weightedForward,
        },
      ],
      NextMarker: 'page-2',
    };
    const world = recorder(() => listeners);
    const client = new ElasticLoadBalancingV2Client(simClientConfig(world.dispatch));

    const output = await client.send(new DescribeListenersCommand({ ListenerArns: [LISTENER_ARN], PageSize: 10 }));

    expect(withoutMetadata(output)).toEqual(listeners);
    expect(onlyCall(world)).toMatchObject({
      service: 'elbv2',
      operation: 'DescribeListeners',
      input: { ListenerArns: [LISTENER_ARN], PageSize: 10 },
      region: 'us-east-1',
      attempt: 1,
      maxAttempts: 3,
    });
    expect(output.$metadata.httpStatusCode).toBe(200);
  });

  it('ModifyListener and ModifyRule deliver nested action lists intact', async () => {
    const world = recorder((call) => (call.operation === 'ModifyRule' ? { Rules: [] } : { Listeners: [] }));
    const client = new ElasticLoadBalancingV2Client(simClientConfig(world.dispatch));
    const listenerInput = { ListenerArn: LISTENER_ARN, DefaultActions: weightedForward };
    const ruleInput = {
      RuleArn: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:listener-rule/app/web/50dc6c495c0c9188/f2f7dc8efc522ab2/9683b2d02a6cabee',
      Conditions: [{ Field: 'path-pattern', PathPatternConfig: { Values: ['/api/*', '/v2/*'] } }],
      Actions: weightedForward,
    };

    await client.send(new ModifyListenerCommand(listenerInput));
    await client.send(new ModifyRuleCommand(ruleInput));

    expect(world.calls.map((call) => call.input)).toEqual([listenerInput, ruleInput]);
    expect(world.calls.map((call) => call.unknownMembers)).toEqual([undefined, undefined]);
  });

  it('an empty list input arrives as an empty list', async () => {
    const world = recorder(() => ({ Rules: [] }));
    const client = new ElasticLoadBalancingV2Client(simClientConfig(world.dispatch));

    await client.send(new ModifyRuleCommand({ RuleArn: 'arn:rule', Conditions: [] }));

    expect(onlyCall(world).input).toEqual({ RuleArn: 'arn:rule', Conditions: [] });
  });

  it('DescribeRules returns priorities, conditions and weighted actions', async () => {
    const rules = {
      Rules: [
        { RuleArn: 'arn:rule/1', Priority: '10', Conditions: [{ Field: 'host-header', Values: ['api.example.com'] }], Actions: weightedForward, IsDefault: false },
        { RuleArn: 'arn:rule/default', Priority: 'default', Conditions: [], Actions: weightedForward, IsDefault: true },
      ],
    };
    const world = recorder(() => rules);
    const client = new ElasticLoadBalancingV2Client(simClientConfig(world.dispatch));

    const output = await client.send(new DescribeRulesCommand({ ListenerArn: LISTENER_ARN }));

    expect(withoutMetadata(output)).toEqual(rules);
  });

  it('DescribeTargetHealth returns health states and reasons', async () => {
    const health = {
      TargetHealthDescriptions: [
        { Target: { Id: 'i-0abc', Port: 8080 }, HealthCheckPort: '8080', TargetHealth: { State: 'healthy' } },
        {
          Target: { Id: 'i-0def', Port: 8080, AvailabilityZone: 'us-east-1a' },
          TargetHealth: { State: 'unhealthy', Reason: 'Target.FailedHealthChecks', Description: 'Health checks failed' },
        },
      ],
    };
    const world = recorder(() => health);
    const client = new ElasticLoadBalancingV2Client(simClientConfig(world.dispatch));

    const output = await client.send(new DescribeTargetHealthCommand({ TargetGroupArn: BLUE, Targets: [{ Id: 'i-0abc', Port: 8080 }] }));

    expect(withoutMetadata(output)).toEqual(health);
    expect(onlyCall(world).input).toEqual({ TargetGroupArn: BLUE, Targets: [{ Id: 'i-0abc', Port: 8080 }] });
  });

  it('CreateTargetGroup sends booleans and numbers typed, and returns the group', async () => {
    const input = {
      Name: 'green',
      Protocol: 'HTTP' as const,
      Port: 8080,
      VpcId: 'vpc-0123',
      HealthCheckEnabled: true,
      HealthCheckPath: '/healthz',
      HealthCheckIntervalSeconds: 10,
      HealthyThresholdCount: 2,
      Matcher: { HttpCode: '200-299' },
      TargetType: 'ip' as const,
      Tags: [{ Key: 'app', Value: 'web' }],
    };
    const created = {
      TargetGroups: [{ TargetGroupArn: GREEN, TargetGroupName: 'green', Protocol: 'HTTP', Port: 8080, VpcId: 'vpc-0123', HealthCheckEnabled: true, LoadBalancerArns: [] }],
    };
    const world = recorder(() => created);
    const client = new ElasticLoadBalancingV2Client(simClientConfig(world.dispatch));

    const output = await client.send(new CreateTargetGroupCommand(input));

    expect(onlyCall(world).input).toEqual(input);
    expect(withoutMetadata(output)).toEqual(created);
  });
});
