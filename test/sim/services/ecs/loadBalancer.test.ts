import { CreateServiceCommand, type CreateServiceCommandInput, DescribeTasksCommand, ListTasksCommand, UpdateServiceCommand, type ECSClient } from '@aws-sdk/client-ecs';
import { describe, expect, it } from 'vitest';
import type { World } from '../../../../src/sim/world.js';
import { describeService, DRAIN_MS, ecsWorld, HEALTH_CHECK_MS, TG_BLUE } from './fixture.js';

const lb = { targetGroupArn: TG_BLUE, containerName: 'web', containerPort: 8080 };
const create = (extra: Partial<CreateServiceCommandInput> = {}) => new CreateServiceCommand({ cluster: 'prod', serviceName: 'web', taskDefinition: 'web:1', desiredCount: 2, loadBalancers: [lb], launchType: 'FARGATE', ...extra });

function targets(world: World): { id: string; port?: number; version: string; state: string }[] {
  return world.stateOf<{ groups: Record<string, { id: string; port?: number; version: string; state: string }[]> }>('elbv2').groups[TG_BLUE] ?? [];
}

async function taskStates(ecs: ECSClient, desiredStatus: 'RUNNING' | 'STOPPED' = 'RUNNING') {
  const arns = (await ecs.send(new ListTasksCommand({ cluster: 'prod', serviceName: 'web', desiredStatus }))).taskArns ?? [];
  return arns.length ? ((await ecs.send(new DescribeTasksCommand({ cluster: 'prod', tasks: arns }))).tasks ?? []) : [];
}

describe('ECS services behind a load balancer (ELB target registry)', () => {
  it('registers RUNNING tasks by IP and container port, and counts them healthy when their targets are', async () => {
    const { ecs, clock, world } = ecsWorld({ elb: true });
    await ecs.send(create());
    clock.advance(19_000);
    expect(targets(world)).toEqual([]);
    clock.advance(1_000);
    const tasks = await taskStates(ecs);
    const ips = tasks.map((t) => t.attachments?.[0]?.details?.find((d) => d.name === 'privateIPv4Address')?.value).sort();
    expect(targets(world).map((t) => [t.id, t.port, t.version, t.state]).sort()).toEqual(ips.map((ip) => [ip, 8080, 'v1', 'initial']));
    expect((await describeService(ecs)).events?.[0]?.message).toBe(`(service web) registered 2 targets in (target-group ${TG_BLUE})`);
    expect(tasks.map((t) => t.healthStatus)).toEqual(['UNKNOWN', 'UNKNOWN']);
    clock.advance(HEALTH_CHECK_MS);
    expect((await taskStates(ecs)).map((t) => t.healthStatus)).toEqual(['HEALTHY', 'HEALTHY']);
    clock.advance(5_000);
    expect((await describeService(ecs)).deployments?.[0]?.rolloutState).toBe('COMPLETED');
  });

  it('drains replaced tasks (DEACTIVATING) for the deregistration delay before they stop', async () => {
    const { ecs, clock, world } = ecsWorld({ elb: true });
    await ecs.send(create());
    clock.advance(60_000);
    await ecs.send(new UpdateServiceCommand({ cluster: 'prod', service: 'web', taskDefinition: 'web:2' }));
    clock.advance(20_000 + HEALTH_CHECK_MS + 5_000); // new tasks healthy, the scheduler has stopped the old ones
    const stopping = await taskStates(ecs, 'STOPPED');
    expect(stopping.map((t) => [t.lastStatus, t.desiredStatus])).toEqual([
      ['DEACTIVATING', 'STOPPED'],
      ['DEACTIVATING', 'STOPPED'],
    ]);
    expect(targets(world).filter((t) => t.state === 'draining').map((t) => t.version)).toEqual(['v1', 'v1']);
    const messages = (await describeService(ecs)).events!.map((e) => e.message);
    expect(messages).toContain('(service web) has begun draining connections on 2 tasks.');
    expect(messages).toContain(`(service web) deregistered 2 targets in (target-group ${TG_BLUE})`);
    clock.advance(DRAIN_MS + 10_000);
    expect((await taskStates(ecs, 'STOPPED')).map((t) => t.lastStatus)).toEqual(['STOPPED', 'STOPPED']);
    expect(targets(world).map((t) => t.version)).toEqual(['v2', 'v2']);
    expect((await describeService(ecs)).deployments).toEqual([expect.objectContaining({ rolloutState: 'COMPLETED', runningCount: 2 })]);
  });

  it('stops tasks whose targets fail health checks, after the health check grace period', async () => {
    const { ecs, clock } = ecsWorld({ elb: true });
    await ecs.send(create({ taskDefinition: 'web:3', healthCheckGracePeriodSeconds: 60 }));
    clock.advance(20_000 + HEALTH_CHECK_MS + 20_000); // unhealthy since 35 s, grace until 80 s
    expect((await taskStates(ecs)).map((t) => t.lastStatus)).toEqual(['RUNNING', 'RUNNING']);
    clock.advance(30_000);
    const stopped = await taskStates(ecs, 'STOPPED');
    expect(stopped).toHaveLength(2);
    expect(stopped[0]).toMatchObject({ stopCode: 'ServiceSchedulerInitiated', stoppedReason: `Task failed ELB health checks in (target-group ${TG_BLUE})`, healthStatus: 'UNHEALTHY' });
    const service = await describeService(ecs);
    expect(service.deployments?.[0]?.failedTasks).toBe(2);
    expect(service.events?.map((e) => e.message)).toContain(`(service web) (task ${stopped[0]!.taskArn!.split('/').pop()}) (port 8080) is unhealthy in (target-group ${TG_BLUE}) due to (reason Health checks failed).`);
    // Replacements were started.
    expect((await taskStates(ecs)).length).toBe(2);
  });
});
