import { DescribeTargetHealthCommand, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { ECSClient, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { describe, expect, it } from 'vitest';
import { elbv2Service } from '../../../../src/sim/services/elbv2/index.js';
import { ecsService } from '../../../../src/sim/services/ecs/index.js';
import type { WorldSeed } from '../../../../src/sim/seed.js';
import type { World } from '../../../../src/sim/world.js';
import { clientConfig, simWorld, T0 } from '../../simFixture.js';
import { ARTIFACTS, describeService, VERSIONS } from './fixture.js';

const WORLD: WorldSeed = {
  versions: VERSIONS,
  artifacts: ARTIFACTS,
  elbv2: {
    loadBalancers: [
      {
        name: 'web',
        targetGroups: [{ name: 'web-blue', port: 8080, healthCheck: { intervalSeconds: 10, healthyThreshold: 2, unhealthyThreshold: 2 }, deregistrationDelaySeconds: 20, targets: [] }],
        listeners: [{ port: 80, forward: { 'web-blue': 100 } }],
      },
    ],
  },
  ecs: {
    taskDefinitions: [{ family: 'web', revisions: [{ image: 'web:1', containerPort: 8080 }, { image: 'web:2', containerPort: 8080 }, { image: 'web:bad', containerPort: 8080 }, { image: 'web:errors', containerPort: 8080 }] }],
    clusters: [{ name: 'prod', services: [{ name: 'web', taskDefinition: 'web:1', desiredCount: 3, loadBalancers: [{ targetGroupArn: '${tg:web-blue.arn}', containerName: 'web', containerPort: 8080 }], deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: true } } }] }],
  },
  traffic: [{ service: 'elbv2', resource: '${listener:web:80.arn}', rps: 20 }],
};

function open() {
  const { world, clock } = simWorld([elbv2Service, ecsService], WORLD);
  return { world, clock, ecs: new ECSClient(clientConfig(world)), elb: new ElasticLoadBalancingV2Client(clientConfig(world)) };
}

const groupArn = (world: World) => world.stateOf<{ services: Record<string, { loadBalancers: { targetGroupArn: string }[] }> }>('ecs').services['prod/web']!.loadBalancers[0]!.targetGroupArn;

function pass(world: World, clock: { advance(ms: number): void }, ms: number): void {
  for (let t = 0; t < ms; t += 1_000) {
    clock.advance(1_000);
    world.sync();
  }
}

describe('ECS with the simulated ELBv2', () => {
  it('registers seeded and new tasks into the real target group and follows its health checks and draining', async () => {
    const { world, clock, ecs, elb } = open();
    const tg = groupArn(world);
    const health = async () => ((await elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: tg }))).TargetHealthDescriptions ?? []).map((d) => d.TargetHealth?.State).sort();
    expect(await health()).toEqual(['healthy', 'healthy', 'healthy']);
    clock.advance(60_000);
    expect(await health()).toEqual(['healthy', 'healthy', 'healthy']);
    await ecs.send(new UpdateServiceCommand({ cluster: 'prod', service: 'web', taskDefinition: 'web:2' }));
    clock.advance(30_000);
    expect(await health()).toEqual(['healthy', 'healthy', 'healthy', 'initial', 'initial', 'initial']);
    clock.advance(15_000); // healthy 2 × 10 s after registration at 20 s (the task is already up)
    expect(await health()).toEqual(['draining', 'draining', 'draining', 'healthy', 'healthy', 'healthy']);
    expect((await describeService(ecs)).deployments?.[0]?.rolloutState).toBe('IN_PROGRESS');
    clock.advance(30_000);
    expect(await health()).toEqual(['healthy', 'healthy', 'healthy']);
    expect((await describeService(ecs)).deployments).toEqual([expect.objectContaining({ rolloutState: 'COMPLETED', taskDefinition: expect.stringMatching(/web:2$/) })]);
  });

  it('rolls back when the new tasks fail the load balancer health checks', async () => {
    const { world, clock, ecs } = open();
    clock.advance(60_000);
    await ecs.send(new UpdateServiceCommand({ cluster: 'prod', service: 'web', taskDefinition: 'web:3' }));
    clock.advance(45_000); // unhealthy 2 × 10 s after registration at 20 s (the task is already up)
    const out = await describeService(ecs);
    expect(out.deployments?.[1]).toMatchObject({ rolloutState: 'FAILED', rolloutStateReason: 'ECS deployment circuit breaker: tasks failed to start.' });
    expect(out.events?.map((e) => e.message)).toContainEqual(expect.stringMatching(/\(port 8080\) is unhealthy in \(target-group arn:aws:elasticloadbalancing:.*\) due to \(reason Health checks failed\)\.$/));
    clock.advance(180_000);
    expect((await describeService(ecs)).deployments).toEqual([expect.objectContaining({ rolloutState: 'COMPLETED', taskDefinition: expect.stringMatching(/web:1$/) })]);
    expect(world.mutatingCalls('ecs').map((c) => c.operation)).toEqual(['UpdateService']);
  });

  it('carries the new version’s behaviour into the load balancer metrics as tasks are replaced', async () => {
    const { world, clock, ecs } = open();
    pass(world, clock, 60_000);
    await ecs.send(new UpdateServiceCommand({ cluster: 'prod', service: 'web', taskDefinition: 'web:4' }));
    pass(world, clock, 240_000);
    const dimension = world.state.traffic[0]!.resource.split(':listener/')[1]!.split('/').slice(0, 3).join('/');
    const errors = (index: number) =>
      world.metrics.query({ namespace: 'AWS/ApplicationELB', metricName: 'HTTPCode_Target_5XX_Count', dimensions: { LoadBalancer: dimension }, period: 60, stat: 'Sum', start: T0 + index * 60_000, end: T0 + (index + 1) * 60_000 }, world.now())[0]?.value ?? 0;
    expect(errors(0)).toBeLessThan(10);
    expect(errors(4)).toBeGreaterThan(400);
  });
});
