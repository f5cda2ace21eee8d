import { CreateServiceCommand, type CreateServiceCommandInput, DescribeTasksCommand, ListTasksCommand, type Task, UpdateServiceCommand, type ECSClient } from '@aws-sdk/client-ecs';
import { describe, expect, it } from 'vitest';
import { describeService, ecsWorld, step } from './fixture.js';

const create = (extra: Partial<CreateServiceCommandInput> = {}) => new CreateServiceCommand({ cluster: 'prod', serviceName: 'web', taskDefinition: 'web:1', desiredCount: 4, ...extra });

async function tasks(ecs: ECSClient): Promise<Task[]> {
  const arns = (await ecs.send(new ListTasksCommand({ cluster: 'prod', serviceName: 'web' }))).taskArns ?? [];
  if (arns.length === 0) return [];
  return (await ecs.send(new DescribeTasksCommand({ cluster: 'prod', tasks: arns }))).tasks ?? [];
}

const healthy = (list: readonly Task[]) => list.filter((t) => t.lastStatus === 'RUNNING' && t.healthStatus === 'HEALTHY').length;

describe('ECS rolling deployments without a load balancer', () => {
  it('takes tasks PROVISIONING → PENDING → RUNNING after the version starts, healthy 40 s later, then COMPLETED', async () => {
    const { ecs, clock } = ecsWorld();
    await ecs.send(create({ desiredCount: 2 }));
    let list = await tasks(ecs);
    expect(list.map((t) => t.lastStatus)).toEqual(['PROVISIONING', 'PROVISIONING']);
    expect(list[0]).toMatchObject({ desiredStatus: 'RUNNING', healthStatus: 'UNKNOWN', group: 'service:web', containers: [{ image: 'web:1', name: 'web' }] });
    expect(list[0]?.taskArn).toMatch(/^arn:aws:ecs:us-east-1:123456789012:task\/prod\/[0-9a-f]{32}$/);
    expect(list[0]?.startedBy).toBe((await describeService(ecs)).deployments?.[0]?.id);
    clock.advance(5_000);
    expect((await tasks(ecs)).map((t) => t.lastStatus)).toEqual(['PENDING', 'PENDING']);
    clock.advance(15_000); // v1 starts in 20 s
    const running = await describeService(ecs);
    expect(running).toMatchObject({ runningCount: 2, pendingCount: 0 });
    expect(running.deployments?.[0]?.rolloutState).toBe('IN_PROGRESS');
    clock.advance(39_000);
    expect((await describeService(ecs)).deployments?.[0]?.rolloutState).toBe('IN_PROGRESS');
    clock.advance(1_000);
    list = await tasks(ecs);
    expect(list.map((t) => t.healthStatus)).toEqual(['HEALTHY', 'HEALTHY']);
    const done = await describeService(ecs);
    const id = done.deployments?.[0]?.id;
    expect(done.deployments).toHaveLength(1);
    expect(done.deployments?.[0]).toMatchObject({ rolloutState: 'COMPLETED', rolloutStateReason: `ECS deployment ${id} completed.`, runningCount: 2 });
    expect(done.events?.map((e) => e.message)).toEqual([
      '(service web) has reached a steady state.',
      `(service web) (deployment ${id}) deployment completed.`,
      expect.stringMatching(/^\(service web\) has started 2 tasks: \(task [0-9a-f]{32}\) \(task [0-9a-f]{32}\)\.$/),
    ]);
  });

  it('starts the new tasks first with the default 100/200 and never drops below the minimum healthy count', async () => {
    const { ecs, clock } = ecsWorld();
    await ecs.send(create());
    clock.advance(120_000);
    const update = await ecs.send(new UpdateServiceCommand({ cluster: 'prod', service: 'web', taskDefinition: 'web:2' }));
    const [primary, active] = update.service!.deployments!;
    expect(primary).toMatchObject({ status: 'PRIMARY', rolloutState: 'IN_PROGRESS', taskDefinition: expect.stringMatching(/web:2$/) });
    expect(active).toMatchObject({ status: 'ACTIVE', rolloutState: 'COMPLETED', runningCount: 4 });
    let maxLive = 0;
    let minHealthy = Infinity;
    await step(clock, 150_000, 1_000, async () => {
      const list = await tasks(ecs);
      maxLive = Math.max(maxLive, list.length);
      minHealthy = Math.min(minHealthy, healthy(list));
    });
    expect(maxLive).toBe(8);
    expect(minHealthy).toBe(4);
    const done = await describeService(ecs);
    expect(done.deployments).toEqual([expect.objectContaining({ id: primary!.id, status: 'PRIMARY', rolloutState: 'COMPLETED', runningCount: 4 })]);
    expect((await tasks(ecs)).every((t) => t.containers?.[0]?.image === 'web:2')).toBe(true);
    const messages = done.events!.map((e) => e.message ?? '').reverse();
    const started = messages.findIndex((m, i) => i > 2 && m.startsWith('(service web) has started 4 tasks'));
    const stopped = messages.findIndex((m) => m.startsWith('(service web) has stopped 4 running tasks'));
    expect(started).toBeGreaterThan(0);
    expect(stopped).toBeGreaterThan(started);
    expect(messages.at(-1)).toBe('(service web) has reached a steady state.');
  });

  it('stops old tasks first with minimumHealthyPercent 50 / maximumPercent 100', async () => {
    const { ecs, clock } = ecsWorld();
    await ecs.send(create({ deploymentConfiguration: { minimumHealthyPercent: 50, maximumPercent: 100 } }));
    clock.advance(120_000);
    await ecs.send(new UpdateServiceCommand({ cluster: 'prod', service: 'web', taskDefinition: 'web:2' }));
    let maxLive = 0;
    let minHealthy = Infinity;
    await step(clock, 240_000, 1_000, async () => {
      const list = await tasks(ecs);
      maxLive = Math.max(maxLive, list.length);
      minHealthy = Math.min(minHealthy, healthy(list));
    });
    expect(maxLive).toBe(4);
    expect(minHealthy).toBe(2);
    expect((await describeService(ecs)).deployments).toEqual([expect.objectContaining({ rolloutState: 'COMPLETED', taskDefinition: expect.stringMatching(/web:2$/) })]);
  });

  it('scales in and out on desiredCount without a new deployment, and reports steady state again', async () => {
    const { ecs, clock } = ecsWorld();
    await ecs.send(create({ desiredCount: 2 }));
    clock.advance(120_000);
    const deploymentId = (await describeService(ecs)).deployments?.[0]?.id;
    await ecs.send(new UpdateServiceCommand({ cluster: 'prod', service: 'web', desiredCount: 3 }));
    clock.advance(1_000);
    expect(await describeService(ecs)).toMatchObject({ desiredCount: 3, runningCount: 2, pendingCount: 1, deployments: [{ id: deploymentId, rolloutState: 'COMPLETED', desiredCount: 3 }] });
    clock.advance(120_000);
    const out = await describeService(ecs);
    expect(out).toMatchObject({ runningCount: 3, pendingCount: 0 });
    expect(out.events?.[0]?.message).toBe('(service web) has reached a steady state.');
    await ecs.send(new UpdateServiceCommand({ cluster: 'prod', service: 'web', desiredCount: 1 }));
    clock.advance(10_000);
    const scaledIn = await describeService(ecs);
    expect(scaledIn).toMatchObject({ runningCount: 1, deployments: [{ id: deploymentId }] });
    expect(scaledIn.events?.map((e) => e.message)).toContainEqual(expect.stringMatching(/^\(service web\) has stopped 2 running tasks/));
    const stopped = (await ecs.send(new ListTasksCommand({ cluster: 'prod', serviceName: 'web', desiredStatus: 'STOPPED' }))).taskArns ?? [];
    const described = (await ecs.send(new DescribeTasksCommand({ cluster: 'prod', tasks: stopped }))).tasks ?? [];
    expect(described.map((t) => [t.lastStatus, t.stopCode, t.stoppedReason])).toEqual([
      ['STOPPED', 'ServiceSchedulerInitiated', `Scaling activity initiated by (deployment ${deploymentId})`],
      ['STOPPED', 'ServiceSchedulerInitiated', `Scaling activity initiated by (deployment ${deploymentId})`],
    ]);
  });

  it('reports a deployment configuration that lets nothing move', async () => {
    const { ecs, clock } = ecsWorld();
    await ecs.send(create({ desiredCount: 1, deploymentConfiguration: { minimumHealthyPercent: 100, maximumPercent: 100 } }));
    clock.advance(120_000);
    await ecs.send(new UpdateServiceCommand({ cluster: 'prod', service: 'web', taskDefinition: 'web:2' }));
    clock.advance(60_000);
    const out = await describeService(ecs);
    expect(out.deployments?.[0]).toMatchObject({ rolloutState: 'IN_PROGRESS', runningCount: 0, pendingCount: 0 });
    expect(out.events?.[0]?.message).toBe(
      '(service web) was unable to stop or start tasks during a deployment because of the service deployment configuration. Update the minimumHealthyPercent or maximumPercent value and try again.',
    );
  });
});
