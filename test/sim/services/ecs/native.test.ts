import { DescribeLoadBalancersCommand, DescribeRulesCommand, DescribeTargetHealthCommand, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { DescribeServiceDeploymentsCommand, ECSClient, StopServiceDeploymentCommand, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { describe, expect, it } from 'vitest';
import { elbv2Service } from '../../../../src/sim/services/elbv2/index.js';
import { ecsService } from '../../../../src/sim/services/ecs/index.js';
import type { WorldSeed } from '../../../../src/sim/seed.js';
import type { World } from '../../../../src/sim/world.js';
import { clientConfig, simWorld, T0 } from '../../simFixture.js';
import { ARTIFACTS, describeService, setAlarm, stubCloudWatch, VERSIONS } from './fixture.js';

const HEALTH = { intervalSeconds: 10, healthyThreshold: 2, unhealthyThreshold: 2 };

function world(deploymentConfiguration: Record<string, unknown>): WorldSeed {
  return {
    versions: VERSIONS,
    artifacts: ARTIFACTS,
    elbv2: {
      loadBalancers: [
        {
          name: 'web',
          targetGroups: [
            { name: 'web-blue', port: 8080, healthCheck: HEALTH, deregistrationDelaySeconds: 20, targets: [] },
            { name: 'web-green', port: 8080, healthCheck: HEALTH, deregistrationDelaySeconds: 20, targets: [] },
          ],
          listeners: [{ port: 80, forward: { 'web-blue': 100 }, rules: [{ priority: 10, pathPattern: '/*', forward: { 'web-blue': 100, 'web-green': 0 } }] }],
        },
      ],
    },
    ecs: {
      taskDefinitions: [{ family: 'web', revisions: [{ image: 'web:1', containerPort: 8080 }, { image: 'web:2', containerPort: 8080 }] }],
      clusters: [
        {
          name: 'prod',
          services: [
            {
              name: 'web',
              taskDefinition: 'web:1',
              desiredCount: 2,
              loadBalancers: [
                {
                  targetGroupArn: '${tg:web-blue.arn}',
                  containerName: 'web',
                  containerPort: 8080,
                  advancedConfiguration: { alternateTargetGroupArn: '${tg:web-green.arn}', productionListenerRule: '${rule:web:80:10.arn}', roleArn: 'arn:aws:iam::123456789012:role/ecs-blue-green' },
                },
              ],
              deploymentConfiguration,
            },
          ],
        },
      ],
    },
    traffic: [{ service: 'elbv2', resource: '${rule:web:80:10.arn}', rps: 20 }],
  };
}

function open(deploymentConfiguration: Record<string, unknown>, cloudwatch = false) {
  const services = cloudwatch ? [elbv2Service, ecsService, stubCloudWatch] : [elbv2Service, ecsService];
  const { world: w, clock } = simWorld(services, world(deploymentConfiguration));
  const lb = w.stateOf<{ services: Record<string, { loadBalancers: { targetGroupArn: string; advancedConfiguration: { alternateTargetGroupArn: string; productionListenerRule: string } }[] }> }>('ecs').services['prod/web']!.loadBalancers[0]!;
  return {
    world: w,
    clock,
    ecs: new ECSClient(clientConfig(w)),
    elb: new ElasticLoadBalancingV2Client(clientConfig(w)),
    blue: lb.targetGroupArn,
    green: lb.advancedConfiguration.alternateTargetGroupArn,
    rule: lb.advancedConfiguration.productionListenerRule,
  };
}

type Opened = ReturnType<typeof open>;

/** Production weights of the rule as [blue, green]. */
async function weights(o: Opened): Promise<[number, number]> {
  const rule = (await o.elb.send(new DescribeRulesCommand({ RuleArns: [o.rule] }))).Rules![0]!;
  const groups = rule.Actions![0]!.ForwardConfig!.TargetGroups!;
  const weight = (arn: string) => groups.find((g) => g.TargetGroupArn === arn)?.Weight ?? 0;
  return [weight(o.blue), weight(o.green)];
}

async function registered(o: Opened, group: string): Promise<number> {
  return ((await o.elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: group }))).TargetHealthDescriptions ?? []).filter((d) => d.TargetHealth?.State !== 'draining').length;
}

async function stage(o: Opened): Promise<{ status?: string; lifecycleStage?: string; weight?: number }> {
  const arn = (await describeService(o.ecs)).currentServiceDeployment!;
  const [record] = (await o.ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [arn] }))).serviceDeployments!;
  return { status: record?.status, lifecycleStage: record?.lifecycleStage, weight: record?.targetServiceRevision?.requestedProductionTrafficWeight };
}

function pass(w: World, clock: { advance(ms: number): void }, ms: number): void {
  for (let t = 0; t < ms; t += 1_000) {
    clock.advance(1_000);
    w.sync();
  }
}

describe('ECS-native traffic shifting through the production listener rule', () => {
  it('CANARY: green starts in the alternate target group, takes canaryPercent, then everything, bakes, and blue is cleaned up', async () => {
    const o = open({ strategy: 'CANARY', canaryConfiguration: { canaryPercent: 10, canaryBakeTimeInMinutes: 5 }, bakeTimeInMinutes: 2 });
    o.clock.advance(60_000);
    await o.ecs.send(new UpdateServiceCommand({ cluster: 'prod', service: 'web', taskDefinition: 'web:2' }));
    o.clock.advance(30_000);
    expect(await stage(o)).toMatchObject({ status: 'IN_PROGRESS', lifecycleStage: 'SCALE_UP', weight: 0 });
    expect([await registered(o, o.blue), await registered(o, o.green)]).toEqual([2, 2]);
    expect(await weights(o)).toEqual([100, 0]);
    o.clock.advance(20_000); // green healthy: 2 × 10 s checks after registration at 20 s (the tasks are already up)
    expect(await weights(o)).toEqual([900, 100]);
    expect(await stage(o)).toMatchObject({ lifecycleStage: 'PRODUCTION_TRAFFIC_SHIFT', weight: 10 });
    o.clock.advance(280_000);
    expect(await weights(o)).toEqual([900, 100]);
    o.clock.advance(20_000); // the canary bake is 5 minutes
    expect(await weights(o)).toEqual([0, 100]);
    expect(await stage(o)).toMatchObject({ lifecycleStage: 'BAKE_TIME', weight: 100 });
    expect((await describeService(o.ecs)).deployments?.map((d) => d.runningCount)).toEqual([2, 2]);
    o.clock.advance(120_000);
    expect(await stage(o)).toMatchObject({ lifecycleStage: 'CLEAN_UP' });
    o.clock.advance(40_000);
    expect(await stage(o)).toMatchObject({ status: 'SUCCESSFUL', weight: 100 });
    const done = await describeService(o.ecs);
    expect(done.deployments).toEqual([expect.objectContaining({ rolloutState: 'COMPLETED', taskDefinition: expect.stringMatching(/web:2$/), runningCount: 2 })]);
    expect([await registered(o, o.blue), await registered(o, o.green)]).toEqual([0, 2]);

    // The next deployment goes the other way: green is now production, blue takes the new tasks.
    await o.ecs.send(new UpdateServiceCommand({ cluster: 'prod', service: 'web', taskDefinition: 'web:1' }));
    o.clock.advance(70_000);
    expect([await registered(o, o.blue), await registered(o, o.green)]).toEqual([2, 2]);
    expect(await weights(o)).toEqual([100, 900]);
  });

  it('LINEAR: shifts stepPercent every stepBakeTimeInMinutes, and the traffic follows into the metrics', async () => {
    const o = open({ strategy: 'LINEAR', linearConfiguration: { stepPercent: 25, stepBakeTimeInMinutes: 1 }, bakeTimeInMinutes: 0 });
    pass(o.world, o.clock, 60_000);
    await o.ecs.send(new UpdateServiceCommand({ cluster: 'prod', service: 'web', taskDefinition: 'web:2' }));
    const seen: string[] = [];
    for (let t = 0; t < 300; t += 5) {
      pass(o.world, o.clock, 5_000);
      const w = (await weights(o)).join('/');
      if (seen.at(-1) !== w) seen.push(w);
    }
    expect(seen).toEqual(['100/0', '750/250', '500/500', '250/750', '0/100']);
    const lbDimension = (await o.elb.send(new DescribeLoadBalancersCommand({}))).LoadBalancers![0]!.LoadBalancerArn!.split(':loadbalancer/')[1]!;
    const requests = (group: string, minute: number) =>
      o.world.metrics.query({ namespace: 'AWS/ApplicationELB', metricName: 'RequestCount', dimensions: { TargetGroup: group.split(':').pop()!, LoadBalancer: lbDimension }, period: 60, stat: 'Sum', start: T0 + minute * 60_000, end: T0 + (minute + 1) * 60_000 }, o.world.now())[0]?.value ?? 0;
    // Minute 3 (180-240 s) is the 25% step (steps at about 125 s, 185 s, 245 s, 305 s).
    const share = requests(o.green, 3) / (requests(o.green, 3) + requests(o.blue, 3));
    expect(share).toBeGreaterThan(0.3);
    expect(share).toBeLessThan(0.7);
    expect(requests(o.green, 0)).toBe(0);
  });

  it('BLUE_GREEN: an alarm during the bake sends production back to blue, which becomes PRIMARY again', async () => {
    const o = open({ strategy: 'BLUE_GREEN', bakeTimeInMinutes: 10, alarms: { alarmNames: ['web-5xx'], enable: true, rollback: true } }, true);
    setAlarm(o.world, 'web-5xx', 'OK');
    o.clock.advance(60_000);
    const blueId = (await describeService(o.ecs)).deployments![0]!.id!;
    const greenId = (await o.ecs.send(new UpdateServiceCommand({ cluster: 'prod', service: 'web', taskDefinition: 'web:2' }))).service!.deployments![0]!.id!;
    o.clock.advance(70_000);
    expect(await weights(o)).toEqual([0, 100]);
    expect(await stage(o)).toMatchObject({ lifecycleStage: 'BAKE_TIME' });
    setAlarm(o.world, 'web-5xx', 'ALARM');
    o.clock.advance(5_000);
    expect(await weights(o)).toEqual([100, 0]);
    const rolledBack = await describeService(o.ecs);
    expect(rolledBack.deployments?.map((d) => [d.id, d.status, d.rolloutState])).toEqual([
      [blueId, 'PRIMARY', 'IN_PROGRESS'],
      [greenId, 'ACTIVE', 'FAILED'],
    ]);
    expect(rolledBack.deployments?.[0]?.rolloutStateReason).toContain(`rolling back to deploymentId ${blueId}.`);
    expect(rolledBack.taskDefinition).toMatch(/web:1$/);
    expect(await stage(o)).toMatchObject({ status: 'ROLLBACK_IN_PROGRESS' });
    o.clock.advance(60_000);
    expect(await stage(o)).toMatchObject({ status: 'ROLLBACK_SUCCESSFUL' });
    expect((await describeService(o.ecs)).deployments).toEqual([expect.objectContaining({ id: blueId, rolloutState: 'COMPLETED' })]);
    expect([await registered(o, o.blue), await registered(o, o.green)]).toEqual([2, 0]);
  });

  it('StopServiceDeployment ROLLBACK during a canary puts production back on blue', async () => {
    const o = open({ strategy: 'CANARY', canaryConfiguration: { canaryPercent: 20, canaryBakeTimeInMinutes: 10 } });
    o.clock.advance(60_000);
    const arn = (await o.ecs.send(new UpdateServiceCommand({ cluster: 'prod', service: 'web', taskDefinition: 'web:2' }))).service!.currentServiceDeployment!;
    o.clock.advance(70_000);
    expect(await weights(o)).toEqual([800, 200]);
    await o.ecs.send(new StopServiceDeploymentCommand({ serviceDeploymentArn: arn, stopType: 'ROLLBACK' }));
    o.clock.advance(2_000);
    expect(await weights(o)).toEqual([100, 0]);
    o.clock.advance(60_000);
    expect(await stage(o)).toMatchObject({ status: 'ROLLBACK_SUCCESSFUL' });
  });
});

describe('ECS-native shifts that fail without rollback', () => {
  it('stay where they were (stalled) and let time go on', async () => {
    const o = open({ strategy: 'CANARY', canaryConfiguration: { canaryPercent: 20, canaryBakeTimeInMinutes: 10 }, alarms: { alarmNames: ['web-5xx'], enable: true, rollback: false } }, true);
    setAlarm(o.world, 'web-5xx', 'OK');
    o.clock.advance(60_000);
    await o.ecs.send(new UpdateServiceCommand({ cluster: 'prod', service: 'web', taskDefinition: 'web:2' }));
    o.clock.advance(70_000);
    setAlarm(o.world, 'web-5xx', 'ALARM');
    o.clock.advance(3_600_000);
    expect(await weights(o)).toEqual([800, 200]);
    const out = await describeService(o.ecs);
    expect(out.deployments?.map((d) => [d.status, d.rolloutState, d.runningCount])).toEqual([
      ['PRIMARY', 'FAILED', 2],
      ['ACTIVE', 'COMPLETED', 2],
    ]);
    expect(await stage(o)).toMatchObject({ status: 'STOPPED' });
  });
});
