import {
  AttachLoadBalancerTargetGroupsCommand,
  AttachTrafficSourcesCommand,
  AutoScalingClient,
  DescribeAutoScalingGroupsCommand,
  DescribeInstanceRefreshesCommand,
  DescribeLoadBalancerTargetGroupsCommand,
  DescribeScalingActivitiesCommand,
  DescribeTrafficSourcesCommand,
  InstanceRefreshInProgressFault,
  StartInstanceRefreshCommand,
} from '@aws-sdk/client-auto-scaling';
import { DescribeTargetHealthCommand, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { describe, expect, it } from 'vitest';
import { autoscalingService, type AutoScalingState } from '../../../../src/sim/services/autoscaling/index.js';
import { cloudwatchService } from '../../../../src/sim/services/cloudwatch/index.js';
import { elbv2Service } from '../../../../src/sim/services/elbv2/index.js';
import { clientConfig, simWorld } from '../../simFixture.js';
import { failureOf } from './fixture.js';

/** A load balancer in front of an Auto Scaling group, a 5xx alarm on its target group, and 100 requests a second. */
function world() {
  const { world, clock } = simWorld([elbv2Service, autoscalingService, cloudwatchService], {
    versions: {
      v1: { startSeconds: 20, errorRate: 0.001 },
      v2: { startSeconds: 20, errorRate: 0.001 },
      v3: { startSeconds: 20, healthy: false },
      v4: { startSeconds: 20, errorRate: 0.5 },
    },
    artifacts: { 'ami-1': 'v1', 'ami-2': 'v2', 'ami-3': 'v3', 'ami-4': 'v4' },
    elbv2: {
      loadBalancers: [
        {
          name: 'web',
          targetGroups: [
            { name: 'web-tg', healthCheck: { intervalSeconds: 10, healthyThreshold: 2, unhealthyThreshold: 2 }, deregistrationDelaySeconds: 30 },
            { name: 'spare-tg', healthCheck: { intervalSeconds: 10, healthyThreshold: 2, unhealthyThreshold: 2 } },
          ],
          listeners: [{ port: 80, forward: { 'web-tg': 100 } }],
        },
      ],
    },
    autoscaling: {
      launchTemplates: [{ name: 'web', versions: [{ imageId: 'ami-1' }, { imageId: 'ami-2' }, { imageId: 'ami-3' }, { imageId: 'ami-4' }] }],
      groups: [{ name: 'web-asg', launchTemplate: { name: 'web', version: 1 }, minSize: 1, maxSize: 8, desiredCapacity: 4, targetGroups: ['${tg:web-tg.arn}'], healthCheckType: 'ELB', healthCheckGracePeriod: 30 }],
    },
    cloudwatch: {
      alarms: [
        {
          name: 'web-5xx',
          namespace: 'AWS/ApplicationELB',
          metric: 'HTTPCode_Target_5XX_Count',
          dimensions: { TargetGroup: '${tg:web-tg.dimension}', LoadBalancer: '${lb:web.dimension}' },
          statistic: 'Sum',
          period: 60,
          evaluationPeriods: 1,
          threshold: 100,
          comparison: '>',
          treatMissingData: 'notBreaching',
        },
      ],
    },
    traffic: [{ service: 'elbv2', resource: '${listener:web:80.arn}', rps: 100 }],
  });
  const asg = new AutoScalingClient(clientConfig(world));
  const elb = new ElasticLoadBalancingV2Client(clientConfig(world));
  const advance = (seconds: number) => {
    clock.advance(seconds * 1000);
    world.sync();
  };
  const refresh = async () => (await asg.send(new DescribeInstanceRefreshesCommand({ AutoScalingGroupName: 'web-asg' }))).InstanceRefreshes![0]!;
  const versions = () =>
    Object.values(world.stateOf<AutoScalingState>('autoscaling').instances)
      .filter((i) => i.lifecycle !== 'Terminating')
      .map((i) => i.version)
      .sort();
  const tgArn = () => world.stateOf<AutoScalingState>('autoscaling').groups['web-asg']!.trafficSources[0]!.identifier;
  return { world, clock, asg, elb, advance, refresh, versions, tgArn };
}

const toVersion = (version: string, preferences: Record<string, unknown>) =>
  new StartInstanceRefreshCommand({ AutoScalingGroupName: 'web-asg', DesiredConfiguration: { LaunchTemplate: { LaunchTemplateName: 'web', Version: version } }, Preferences: preferences });

describe('Auto Scaling with the simulated ELBv2 and CloudWatch', () => {
  it('registers its instances as ELB targets that turn healthy, and reports the target group InService', async () => {
    const w = world();
    const before = await w.asg.send(new DescribeTrafficSourcesCommand({ AutoScalingGroupName: 'web-asg' }));
    // A seeded world starts steady: the seeded instances are already healthy targets.
    expect(before.TrafficSources).toEqual([{ TrafficSource: w.tgArn(), Identifier: w.tgArn(), Type: 'elbv2', State: 'InService' }]);
    w.advance(60);
    const health = await w.elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: w.tgArn() }));
    const instances = (await w.asg.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: ['web-asg'] }))).AutoScalingGroups![0]!.Instances!;
    expect(health.TargetHealthDescriptions!.map((d) => d.Target!.Id).sort()).toEqual(instances.map((i) => i.InstanceId).sort());
    expect(health.TargetHealthDescriptions!.every((d) => d.TargetHealth!.State === 'healthy')).toBe(true);
    expect((await w.asg.send(new DescribeLoadBalancerTargetGroupsCommand({ AutoScalingGroupName: 'web-asg' }))).LoadBalancerTargetGroups).toEqual([{ LoadBalancerTargetGroupARN: w.tgArn(), State: 'InService' }]);
  });

  it('attaches another target group and registers every instance with it, but not during a refresh', async () => {
    const w = world();
    const spare = Object.keys(w.world.stateOf<{ targetGroups: Record<string, unknown> }>('elbv2').targetGroups).find((arn) => arn.includes('/spare-tg/'))!;
    await w.asg.send(new AttachLoadBalancerTargetGroupsCommand({ AutoScalingGroupName: 'web-asg', TargetGroupARNs: [spare] }));
    const health = await w.elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: spare }));
    expect(health.TargetHealthDescriptions).toHaveLength(4);
    expect((await w.asg.send(new DescribeTrafficSourcesCommand({ AutoScalingGroupName: 'web-asg', TrafficSourceType: 'elbv2' }))).TrafficSources!.map((s) => s.Identifier)).toEqual([w.tgArn(), spare]);
    await w.asg.send(toVersion('2', {}));
    const refused = await failureOf(w.asg.send(new AttachTrafficSourcesCommand({ AutoScalingGroupName: 'web-asg', TrafficSources: [{ Identifier: spare }] })));
    expect(refused).toBeInstanceOf(InstanceRefreshInProgressFault);
  });

  it('refreshes to a good version behind the load balancer', async () => {
    const w = world();
    w.advance(60);
    await w.asg.send(toVersion('2', { MinHealthyPercentage: 50, AlarmSpecification: { Alarms: ['web-5xx'] }, AutoRollback: true }));
    w.advance(600);
    expect(await w.refresh()).toMatchObject({ Status: 'Successful', PercentageComplete: 100 });
    expect(w.versions()).toEqual(['v2', 'v2', 'v2', 'v2']);
    const health = await w.elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: w.tgArn() }));
    const states = health.TargetHealthDescriptions!.map((d) => d.TargetHealth!.State).sort();
    expect(states.filter((s) => s === 'healthy')).toHaveLength(4);
  });

  it('rolls back automatically when the 5xx alarm on the target group fires', async () => {
    const w = world();
    w.advance(60);
    await w.asg.send(toVersion('4', { MinHealthyPercentage: 50, AlarmSpecification: { Alarms: ['web-5xx'] }, AutoRollback: true }));
    let status = '';
    for (let t = 0; t < 600 && status !== 'RollbackInProgress'; t += 10) {
      w.advance(10);
      status = (await w.refresh()).Status!;
    }
    expect(status).toBe('RollbackInProgress');
    expect(cloudwatchService.alarms.state(w.world, 'web-5xx')).toBe('ALARM');
    const rolling = await w.refresh();
    expect(rolling.RollbackDetails!.RollbackReason).toBe('The instance refresh failed because the CloudWatch alarm web-5xx is in the ALARM state.');
    w.advance(600);
    expect((await w.refresh()).Status).toBe('RollbackSuccessful');
    expect(w.versions()).toEqual(['v1', 'v1', 'v1', 'v1']);
    expect((await w.asg.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: ['web-asg'] }))).AutoScalingGroups![0]!.LaunchTemplate!.Version).toBe('1');
  });

  it('fails a refresh whose instances the load balancer finds unhealthy', async () => {
    const w = world();
    w.advance(60);
    await w.asg.send(toVersion('3', { MinHealthyPercentage: 75, InstanceWarmup: 60 }));
    w.advance(120);
    const failed = await w.refresh();
    expect(failed.Status).toBe('Failed');
    expect(failed.StatusReason).toMatch(/failed its health check/);
    const causes = (await w.asg.send(new DescribeScalingActivitiesCommand({ AutoScalingGroupName: 'web-asg' }))).Activities!.map((a) => a.Cause!);
    expect(causes.some((c) => c.endsWith('an instance was taken out of service in response to an ELB system health check failure.'))).toBe(true);
    w.advance(300);
    expect(w.versions()).toEqual(['v1', 'v1', 'v1', 'v1']);
  });
});
