import { DescribeAlarmsCommand, CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { ECSClient, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { describe, expect, it } from 'vitest';
import { cloudwatchService } from '../../../../src/sim/services/cloudwatch/index.js';
import { ecsService } from '../../../../src/sim/services/ecs/index.js';
import type { World } from '../../../../src/sim/world.js';
import { clientConfig, simWorld } from '../../simFixture.js';
import { ARTIFACTS, describeService, VERSIONS } from './fixture.js';

function pass(world: World, clock: { advance(ms: number): void }, ms: number): void {
  for (let t = 0; t < ms; t += 1_000) {
    clock.advance(1_000);
    world.sync();
  }
}

describe('ECS deployment alarms with the simulated CloudWatch', () => {
  it('rolls back when an alarm on the service’s own 5XX metric fires during the bake', async () => {
    const { world, clock } = simWorld([ecsService, cloudwatchService], {
      versions: VERSIONS,
      artifacts: ARTIFACTS,
      ecs: {
        taskDefinitions: [{ family: 'web', revisions: [{ image: 'web:1' }, { image: 'web:errors' }] }],
        clusters: [{ name: 'prod', services: [{ name: 'web', taskDefinition: 'web:1', desiredCount: 2, deploymentConfiguration: { alarms: { alarmNames: ['web-5xx'], enable: true, rollback: true } } }] }],
      },
      cloudwatch: {
        alarms: [
          { name: 'web-5xx', namespace: 'Sim/ECSService', metric: '5XXError', dimensions: { ClusterName: '${cluster:prod.name}', ServiceName: '${service:prod:web.name}' }, statistic: 'Sum', period: 60, evaluationPeriods: 1, threshold: 30, comparison: '>', treatMissingData: 'notBreaching' },
        ],
      },
      traffic: [{ service: 'ecs', resource: 'prod/web', rps: 10 }],
    });
    const ecs = new ECSClient(clientConfig(world));
    const cloudwatch = new CloudWatchClient(clientConfig(world));
    pass(world, clock, 120_000);
    expect((await cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: ['web-5xx'] }))).MetricAlarms?.[0]?.StateValue).toBe('OK');
    const completedId = (await describeService(ecs)).deployments![0]!.id!;
    const failingId = (await ecs.send(new UpdateServiceCommand({ cluster: 'prod', service: 'web', taskDefinition: 'web:2' }))).service!.deployments![0]!.id!;
    // New tasks serve from 180 s (20 s start + 40 s); the minute 180-240 s breaches and is evaluated at 240 s.
    pass(world, clock, 115_000);
    expect((await describeService(ecs)).deployments?.[0]).toMatchObject({ id: failingId, rolloutState: 'IN_PROGRESS' });
    pass(world, clock, 10_000);
    expect((await cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: ['web-5xx'] }))).MetricAlarms?.[0]?.StateValue).toBe('ALARM');
    const out = await describeService(ecs);
    expect(out.deployments?.[1]).toMatchObject({ id: failingId, rolloutState: 'FAILED' });
    expect(out.deployments?.[0]?.rolloutStateReason).toContain(`rolling back to deploymentId ${completedId}.`);
    // The rollback is a deployment with the same alarms: it bakes too (300 s from steady state) before COMPLETED.
    pass(world, clock, 360_000);
    expect((await describeService(ecs)).deployments).toEqual([expect.objectContaining({ rolloutState: 'COMPLETED', taskDefinition: expect.stringMatching(/web:1$/) })]);
    expect((await cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: ['web-5xx'] }))).MetricAlarms?.[0]?.StateValue).toBe('OK');
  });
});
