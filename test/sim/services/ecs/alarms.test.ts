import { CreateServiceCommand, DescribeServiceDeploymentsCommand, UpdateServiceCommand, type ECSClient } from '@aws-sdk/client-ecs';
import { describe, expect, it } from 'vitest';
import { describeService, ecsWorld, setAlarm } from './fixture.js';

const alarms = (rollback: boolean) => ({ alarms: { alarmNames: ['web-5xx', 'web-latency'], enable: true, rollback } });

async function steadyThenUpdate(ecs: ECSClient, clock: { advance(ms: number): void }, rollback = true): Promise<{ completedId: string; newId: string }> {
  await ecs.send(new CreateServiceCommand({ cluster: 'prod', serviceName: 'web', taskDefinition: 'web:1', desiredCount: 2, deploymentConfiguration: alarms(rollback) }));
  clock.advance(600_000);
  const completed = await describeService(ecs);
  expect(completed.deployments?.[0]?.rolloutState).toBe('COMPLETED');
  const out = await ecs.send(new UpdateServiceCommand({ cluster: 'prod', service: 'web', taskDefinition: 'web:4' }));
  return { completedId: completed.deployments![0]!.id!, newId: out.service!.deployments![0]!.id! };
}

describe('ECS deployment alarms', () => {
  it('fails the deployment when an alarm goes into ALARM once its tasks run, and rolls back', async () => {
    const { ecs, clock, world } = ecsWorld({ cloudwatch: true });
    setAlarm(world, 'web-5xx', 'OK');
    const { completedId, newId } = await steadyThenUpdate(ecs, clock);
    clock.advance(5_000);
    setAlarm(world, 'web-5xx', 'ALARM');
    clock.advance(10_000); // the new tasks are still PENDING: ECS does not monitor yet
    expect((await describeService(ecs)).deployments?.[0]).toMatchObject({ id: newId, rolloutState: 'IN_PROGRESS' });
    clock.advance(10_000); // RUNNING at 20 s
    const out = await describeService(ecs);
    expect(out.deployments?.[1]).toMatchObject({ id: newId, status: 'ACTIVE', rolloutState: 'FAILED' });
    expect(out.deployments?.[0]).toMatchObject({ status: 'PRIMARY', rolloutState: 'IN_PROGRESS', taskDefinition: expect.stringMatching(/web:1$/) });
    expect(out.deployments?.[0]?.rolloutStateReason).toContain(`rolling back to deploymentId ${completedId}.`);
    expect(out.events?.map((e) => e.message)).toEqual(expect.arrayContaining([`(service web) (deployment ${newId}) deployment failed: alarm detected.`, `(service web) rolling back to deployment ${completedId}.`]));
    const [record] = (await ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [out.currentServiceDeployment!] }))).serviceDeployments!;
    expect(record).toMatchObject({ status: 'ROLLBACK_IN_PROGRESS', alarms: { status: 'TRIGGERED', alarmNames: ['web-5xx', 'web-latency'], triggeredAlarmNames: ['web-5xx'] } });
  });

  it('bakes after steady state before COMPLETED, keeping the drained deployment listed until then', async () => {
    const { ecs, clock, world } = ecsWorld({ cloudwatch: true });
    setAlarm(world, 'web-5xx', 'OK');
    const { newId } = await steadyThenUpdate(ecs, clock);
    clock.advance(90_000); // new tasks healthy at 60 s, old ones stopped
    const baking = await describeService(ecs);
    expect(baking.deployments).toEqual([expect.objectContaining({ id: newId, rolloutState: 'IN_PROGRESS', runningCount: 2 }), expect.objectContaining({ status: 'ACTIVE', runningCount: 0 })]);
    // Steady once the old tasks have stopped (65 s); the default bake is 300 s from then.
    clock.advance(270_000);
    expect((await describeService(ecs)).deployments?.[0]?.rolloutState).toBe('IN_PROGRESS');
    clock.advance(10_000);
    expect((await describeService(ecs)).deployments).toEqual([expect.objectContaining({ id: newId, rolloutState: 'COMPLETED' })]);
  });

  it('fails during the bake too, and stays FAILED without rollback', async () => {
    const { ecs, clock, world } = ecsWorld({ cloudwatch: true });
    const { newId } = await steadyThenUpdate(ecs, clock, false);
    clock.advance(120_000);
    setAlarm(world, 'web-latency', 'ALARM');
    clock.advance(5_000);
    const out = await describeService(ecs);
    expect(out.deployments?.[0]).toMatchObject({ id: newId, status: 'PRIMARY', rolloutState: 'FAILED' });
    expect(out.taskDefinition).toMatch(/web:4$/);
  });

  it('ignores an alarm already in ALARM when the deployment starts, until it leaves ALARM', async () => {
    const { ecs, clock, world } = ecsWorld({ cloudwatch: true });
    await ecs.send(new CreateServiceCommand({ cluster: 'prod', serviceName: 'web', taskDefinition: 'web:1', desiredCount: 2, deploymentConfiguration: alarms(true) }));
    clock.advance(600_000);
    setAlarm(world, 'web-5xx', 'ALARM');
    await ecs.send(new UpdateServiceCommand({ cluster: 'prod', service: 'web', taskDefinition: 'web:4' }));
    clock.advance(60_000);
    expect((await describeService(ecs)).deployments?.[0]?.rolloutState).toBe('IN_PROGRESS');
    setAlarm(world, 'web-5xx', 'OK');
    clock.advance(10_000);
    setAlarm(world, 'web-5xx', 'ALARM');
    clock.advance(10_000);
    expect((await describeService(ecs)).deployments?.[1]?.rolloutState).toBe('FAILED');
  });
});
