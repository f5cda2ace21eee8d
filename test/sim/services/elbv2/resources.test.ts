import {
  AddTagsCommand,
  CreateLoadBalancerCommand,
  CreateTargetGroupCommand,
  DeleteTargetGroupCommand,
  DeregisterTargetsCommand,
  DescribeLoadBalancersCommand,
  DescribeTagsCommand,
  DescribeTargetGroupAttributesCommand,
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
  ModifyTargetGroupAttributesCommand,
  ModifyTargetGroupCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { describe, expect, it } from 'vitest';
import { elbWorld, expectAwsError, T0 } from './fixture.js';

describe('ELBv2 load balancers', () => {
  it('creates an ALB with AWS ARN and DNS formats; the same settings again return it', async () => {
    const { client, clock } = elbWorld();
    clock.advance(1_000);
    const input = { Name: 'api', Subnets: ['subnet-a', 'subnet-b'], Tags: [{ Key: 'team', Value: 'core' }] };
    const [lb] = (await client.send(new CreateLoadBalancerCommand(input))).LoadBalancers ?? [];
    expect(lb).toMatchObject({ LoadBalancerName: 'api', Scheme: 'internet-facing', Type: 'application', State: { Code: 'active' }, CreatedTime: new Date(T0 + 1_000), CanonicalHostedZoneId: 'Z35SXDOTRQ7X7K', IpAddressType: 'ipv4' });
    expect(lb?.LoadBalancerArn).toMatch(/^arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer\/app\/api\/[0-9a-f]{16}$/);
    expect(lb?.DNSName).toMatch(/^api-\d+\.us-east-1\.elb\.amazonaws\.com$/);
    expect(lb?.AvailabilityZones).toEqual([
      { ZoneName: 'us-east-1a', SubnetId: 'subnet-a' },
      { ZoneName: 'us-east-1b', SubnetId: 'subnet-b' },
    ]);
    const again = await client.send(new CreateLoadBalancerCommand(input));
    expect(again.LoadBalancers?.[0]?.LoadBalancerArn).toBe(lb?.LoadBalancerArn);
    await expectAwsError(client.send(new CreateLoadBalancerCommand({ ...input, Scheme: 'internal' })), 'DuplicateLoadBalancerNameException');
    const internal = await client.send(new CreateLoadBalancerCommand({ Name: 'private', Scheme: 'internal', SubnetMappings: [{ SubnetId: 's-1' }, { SubnetId: 's-2' }] }));
    expect(internal.LoadBalancers?.[0]?.DNSName).toMatch(/^internal-private-\d+\.us-east-1\.elb\.amazonaws\.com$/);
  });

  it('rejects bad names, fewer than two subnets, and load balancer types it does not model', async () => {
    const { client } = elbWorld();
    const subnets = ['subnet-a', 'subnet-b'];
    for (const Name of ['-api', 'api-', 'internal-api', 'a'.repeat(33), 'api_v2']) {
      await expectAwsError(client.send(new CreateLoadBalancerCommand({ Name, Subnets: subnets })), 'ValidationError');
    }
    await expectAwsError(client.send(new CreateLoadBalancerCommand({ Name: 'one', Subnets: ['subnet-a'] })), 'ValidationError', 400, /two subnets/);
    await expectAwsError(client.send(new CreateLoadBalancerCommand({ Name: 'nlb', Subnets: subnets, Type: 'network' })), 'ValidationError', 400, /Application Load Balancers only/);
  });

  it('describes by ARN or name with pagination; unknown ones are LoadBalancerNotFound', async () => {
    const { client, lb } = elbWorld();
    for (const Name of ['b1', 'b2']) await client.send(new CreateLoadBalancerCommand({ Name, Subnets: ['s-1', 's-2'] }));
    const page = await client.send(new DescribeLoadBalancersCommand({ PageSize: 2 }));
    expect(page.LoadBalancers?.map((l) => l.LoadBalancerName)).toEqual(['web', 'b1']);
    const rest = await client.send(new DescribeLoadBalancersCommand({ PageSize: 2, Marker: page.NextMarker }));
    expect(rest.LoadBalancers?.map((l) => l.LoadBalancerName)).toEqual(['b2']);
    expect((await client.send(new DescribeLoadBalancersCommand({ LoadBalancerArns: [lb().arn] }))).LoadBalancers?.[0]?.DNSName).toBe(lb().dnsName);
    await expectAwsError(client.send(new DescribeLoadBalancersCommand({ Names: ['web', 'nope'] })), 'LoadBalancerNotFoundException', 400, /nope/);
  });
});

describe('ELBv2 target groups', () => {
  it('creates with AWS defaults, idempotently; different settings under the same name are DuplicateTargetGroupName', async () => {
    const { client } = elbWorld();
    const input = { Name: 'svc', Protocol: 'HTTP' as const, Port: 8080, VpcId: 'vpc-1' };
    const [group] = (await client.send(new CreateTargetGroupCommand(input))).TargetGroups ?? [];
    expect(group).toEqual({
      TargetGroupArn: expect.stringMatching(/^arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup\/svc\/[0-9a-f]{16}$/),
      TargetGroupName: 'svc',
      Protocol: 'HTTP',
      ProtocolVersion: 'HTTP1',
      Port: 8080,
      VpcId: 'vpc-1',
      HealthCheckProtocol: 'HTTP',
      HealthCheckPort: 'traffic-port',
      HealthCheckEnabled: true,
      HealthCheckIntervalSeconds: 30,
      HealthCheckTimeoutSeconds: 6,
      HealthyThresholdCount: 5,
      UnhealthyThresholdCount: 2,
      HealthCheckPath: '/',
      Matcher: { HttpCode: '200' },
      LoadBalancerArns: [],
      TargetType: 'instance',
    });
    expect((await client.send(new CreateTargetGroupCommand(input))).TargetGroups?.[0]?.TargetGroupArn).toBe(group?.TargetGroupArn);
    await expectAwsError(client.send(new CreateTargetGroupCommand({ ...input, Port: 9090 })), 'DuplicateTargetGroupNameException');
    await expectAwsError(client.send(new CreateTargetGroupCommand({ Name: 'noport', Protocol: 'HTTP', VpcId: 'vpc-1' })), 'ValidationError');
    await expectAwsError(client.send(new CreateTargetGroupCommand({ ...input, Name: 'slow', HealthCheckIntervalSeconds: 5, HealthCheckTimeoutSeconds: 5 })), 'ValidationError', 400, /timeout/);
    const lambda = await client.send(new CreateTargetGroupCommand({ Name: 'fn', TargetType: 'lambda' }));
    expect(lambda.TargetGroups?.[0]).toMatchObject({ TargetType: 'lambda', HealthCheckEnabled: false, HealthCheckIntervalSeconds: 35 });
  });

  it('describes by load balancer, ARN or name; a load balancer lists the groups its listeners and rules forward to', async () => {
    const { client, lb, tg } = elbWorld();
    const byLb = await client.send(new DescribeTargetGroupsCommand({ LoadBalancerArn: lb().arn }));
    expect(byLb.TargetGroups?.map((g) => [g.TargetGroupName, g.LoadBalancerArns])).toEqual([
      ['web-blue', [lb().arn]],
      ['web-green', [lb().arn]],
    ]);
    const paged = await client.send(new DescribeTargetGroupsCommand({ PageSize: 2 }));
    expect(paged.NextMarker).toBeDefined();
    expect((await client.send(new DescribeTargetGroupsCommand({ Marker: paged.NextMarker }))).TargetGroups?.map((g) => g.TargetGroupName)).toEqual(['web-spare']);
    await expectAwsError(client.send(new DescribeTargetGroupsCommand({ Names: ['nope'] })), 'TargetGroupNotFoundException');
    await expectAwsError(client.send(new DescribeTargetGroupsCommand({ TargetGroupArns: [tg('web-blue').arn.replace(/[0-9a-f]{16}$/, '0000000000000000')] })), 'TargetGroupNotFoundException');
    await expectAwsError(client.send(new DescribeTargetGroupsCommand({ LoadBalancerArn: lb().arn.replace(/[0-9a-f]{16}$/, '0000000000000000') })), 'LoadBalancerNotFoundException');
    await expectAwsError(client.send(new DescribeTargetGroupsCommand({ Names: ['web-blue'], LoadBalancerArn: lb().arn })), 'ValidationError');
  });

  it('ModifyTargetGroup changes health checks and returns the group', async () => {
    const { client, tg } = elbWorld();
    const out = await client.send(new ModifyTargetGroupCommand({ TargetGroupArn: tg('web-spare').arn, HealthCheckPath: '/healthz', HealthyThresholdCount: 2, Matcher: { HttpCode: '200-299' } }));
    expect(out.TargetGroups?.[0]).toMatchObject({ HealthCheckPath: '/healthz', HealthyThresholdCount: 2, Matcher: { HttpCode: '200-299' }, HealthCheckIntervalSeconds: 30 });
    await expectAwsError(client.send(new ModifyTargetGroupCommand({ TargetGroupArn: tg('web-spare').arn, HealthCheckTimeoutSeconds: 30 })), 'ValidationError');
  });

  it('DeleteTargetGroup: in use is ResourceInUse; an unused group goes; an unknown one is no error', async () => {
    const { client, tg, state } = elbWorld();
    const blue = tg('web-blue').arn;
    await expectAwsError(client.send(new DeleteTargetGroupCommand({ TargetGroupArn: blue })), 'ResourceInUseException', 400, /currently in use by a listener or a rule/);
    const spare = tg('web-spare').arn;
    await client.send(new DeleteTargetGroupCommand({ TargetGroupArn: spare }));
    expect(state().targetGroups[spare]).toBeUndefined();
    await client.send(new DeleteTargetGroupCommand({ TargetGroupArn: spare }));
  });

  it('attributes: every default is listed; changes are validated; the deregistration delay drives draining', async () => {
    const { client, clock, tg } = elbWorld();
    const TargetGroupArn = tg('web-spare').arn;
    const described = await client.send(new DescribeTargetGroupAttributesCommand({ TargetGroupArn }));
    expect(Object.fromEntries(described.Attributes!.map((a) => [a.Key, a.Value]))).toMatchObject({ 'deregistration_delay.timeout_seconds': '300', 'stickiness.enabled': 'false', 'load_balancing.algorithm.type': 'round_robin' });
    const changed = await client.send(new ModifyTargetGroupAttributesCommand({ TargetGroupArn, Attributes: [{ Key: 'deregistration_delay.timeout_seconds', Value: '5' }] }));
    expect(changed.Attributes).toEqual([{ Key: 'deregistration_delay.timeout_seconds', Value: '5' }]);
    for (const bad of [{ Key: 'deregistration_delay.timeout_seconds', Value: '3601' }, { Key: 'slow_start.duration_seconds', Value: '10' }, { Key: 'no.such.key', Value: '1' }]) {
      await expectAwsError(client.send(new ModifyTargetGroupAttributesCommand({ TargetGroupArn, Attributes: [bad] })), 'ValidationError');
    }
    await client.send(new DeregisterTargetsCommand({ TargetGroupArn, Targets: [{ Id: '10.0.0.9', Port: 8080 }] }));
    clock.advance(5_000);
    const health = await client.send(new DescribeTargetHealthCommand({ TargetGroupArn }));
    expect(health.TargetHealthDescriptions).toEqual([]);
    await expectAwsError(client.send(new DescribeTargetGroupAttributesCommand({ TargetGroupArn: TargetGroupArn.replace(/[0-9a-f]{16}$/, '0000000000000000') })), 'TargetGroupNotFoundException');
  });
});

describe('ELBv2 tags', () => {
  it('adds, replaces and describes tags on every kind of resource', async () => {
    const { client, lb, tg, listener, state } = elbWorld();
    const rule = Object.values(state().rules)[0]!.arn;
    const arns = [lb().arn, tg('web-blue').arn, listener().arn, rule];
    await client.send(new AddTagsCommand({ ResourceArns: arns, Tags: [{ Key: 'app', Value: 'web' }, { Key: 'stage', Value: 'blue' }] }));
    await client.send(new AddTagsCommand({ ResourceArns: [lb().arn], Tags: [{ Key: 'stage', Value: 'green' }] }));
    const out = await client.send(new DescribeTagsCommand({ ResourceArns: arns }));
    expect(out.TagDescriptions?.map((d) => [d.ResourceArn, d.Tags])).toEqual([
      [lb().arn, [{ Key: 'app', Value: 'web' }, { Key: 'stage', Value: 'green' }]],
      ...arns.slice(1).map((arn) => [arn, [{ Key: 'app', Value: 'web' }, { Key: 'stage', Value: 'blue' }]]),
    ]);
  });

  it('duplicate keys, more than 50 tags and unknown resources are refused', async () => {
    const { client, lb, tg, listener } = elbWorld();
    await expectAwsError(client.send(new AddTagsCommand({ ResourceArns: [lb().arn], Tags: [{ Key: 'a', Value: '1' }, { Key: 'a', Value: '2' }] })), 'DuplicateTagKeysException');
    const many = Array.from({ length: 51 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
    await expectAwsError(client.send(new AddTagsCommand({ ResourceArns: [lb().arn], Tags: many })), 'TooManyTagsException');
    const zero = (arn: string) => arn.replace(/[0-9a-f]{16}$/, '0000000000000000');
    await expectAwsError(client.send(new DescribeTagsCommand({ ResourceArns: [zero(lb().arn)] })), 'LoadBalancerNotFoundException');
    await expectAwsError(client.send(new DescribeTagsCommand({ ResourceArns: [zero(tg('web-blue').arn)] })), 'TargetGroupNotFoundException');
    await expectAwsError(client.send(new AddTagsCommand({ ResourceArns: [zero(listener().arn)], Tags: [{ Key: 'a' }] })), 'ListenerNotFoundException');
  });
});
