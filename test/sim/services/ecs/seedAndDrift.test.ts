import { DescribeTasksCommand, ECSClient, ListTasksCommand, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { describe, expect, it } from 'vitest';
import { ecsService, type EcsState } from '../../../../src/sim/services/ecs/index.js';
import type { WorldSeed } from '../../../../src/sim/seed.js';
import { World } from '../../../../src/sim/world.js';
import { VirtualClock } from '../../../../src/time/clock.js';
import { clientConfig, simWorld } from '../../simFixture.js';
import { ARTIFACTS, describeService, stubElb, TG_BLUE, TG_GREEN, VERSIONS } from './fixture.js';

const WORLD: WorldSeed = {
  versions: VERSIONS,
  artifacts: ARTIFACTS,
  elbv2: { targetGroups: [TG_BLUE, TG_GREEN] },
  ecs: {
    alarmBakeSeconds: 120,
    taskDefinitions: [{ family: 'web', revisions: [{ image: 'web:1', containerPort: 8080 }, { image: 'web:2', containerPort: 8080 }] }],
    clusters: [
      {
        name: 'prod',
        services: [
          { name: 'web', taskDefinition: 'web:1', desiredCount: 3, loadBalancers: [{ targetGroupArn: '${tg:web-blue.arn}', containerName: 'web', containerPort: 8080 }], deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: true } } },
          { name: 'api', taskDefinition: 'web:2', desiredCount: 2 },
        ],
      },
    ],
  },
  traffic: [{ service: 'ecs', resource: '${cluster:prod.name}/${service:prod:api.name}', rps: 5 }],
};

function open(seed: WorldSeed = WORLD, worldSeed = 1) {
  const { world, clock } = simWorld([stubElb, ecsService], { ...seed, seed: worldSeed });
  return { world, clock, ecs: new ECSClient(clientConfig(world)) };
}

describe('ECS world-file section', () => {
  it('seeds steady services: tasks RUNNING and healthy, registered, one COMPLETED PRIMARY deployment', async () => {
    const { ecs, world } = open();
    const web = await describeService(ecs);
    expect(web).toMatchObject({ serviceArn: 'arn:aws:ecs:us-east-1:123456789012:service/prod/web', status: 'ACTIVE', desiredCount: 3, runningCount: 3, pendingCount: 0, launchType: 'FARGATE' });
    expect(web.deployments).toEqual([expect.objectContaining({ status: 'PRIMARY', rolloutState: 'COMPLETED', runningCount: 3 })]);
    expect(web.events?.map((e) => e.message)).toEqual(['(service web) has reached a steady state.']);
    const arns = (await ecs.send(new ListTasksCommand({ cluster: 'prod', serviceName: 'web' }))).taskArns!;
    const tasks = (await ecs.send(new DescribeTasksCommand({ cluster: 'prod', tasks: arns }))).tasks!;
    expect(tasks.map((t) => [t.lastStatus, t.healthStatus])).toEqual(Array.from({ length: 3 }, () => ['RUNNING', 'HEALTHY']));
    const registered = world.stateOf<{ groups: Record<string, { version: string }[]> }>('elbv2').groups[TG_BLUE]!;
    expect(registered.map((t) => t.version)).toEqual(['v1', 'v1', 'v1']);
    // Seeded traffic reached the API service through the references of the section.
    expect(world.state.traffic[0]?.resource).toBe('prod/api');
  });

  it('gives seeded resources the same ids every run', async () => {
    const first = open(WORLD, 1);
    const second = open(WORLD, 7);
    const ids = async (ecs: ECSClient) => {
      const service = await describeService(ecs);
      const tasks = (await ecs.send(new ListTasksCommand({ cluster: 'prod', serviceName: 'web' }))).taskArns;
      return { deployment: service.deployments?.[0]?.id, current: service.currentServiceDeployment, tasks };
    };
    expect(await ids(second.ecs)).toEqual(await ids(first.ecs));
  });

  it('refuses a service on an unknown task definition with the place in the file', () => {
    const seed = { ...WORLD, ecs: { taskDefinitions: [], clusters: [{ name: 'prod', services: [{ name: 'web', taskDefinition: 'web:1', desiredCount: 1 }] }] } };
    expect(() => open(seed)).toThrow(/world: ecs: clusters\.prod\.services\.web/);
  });

  it('lets an out-of-band writer change a service (drift)', async () => {
    const { ecs, clock, world } = open({ ...WORLD, faults: ['writer:ecs@60s:cluster=prod,service=api,desiredCount=4', 'writer:ecs@90s:cluster=prod,service=web,taskDefinition=web:2'] });
    clock.advance(61_000);
    const api = await describeService(ecs, 'api');
    expect(api.desiredCount).toBe(4);
    expect(api.deployments).toHaveLength(1);
    clock.advance(30_000);
    const web = await describeService(ecs);
    expect(web.taskDefinition).toMatch(/web:2$/);
    expect(web.deployments?.map((d) => d.status)).toEqual(['PRIMARY', 'ACTIVE']);
    expect(ecsService.drift!(world.context<EcsState>('ecs'), { cluster: 'prod', service: 'nope' })).toBe('ecs: no ACTIVE service prod/nope to change');
  });

  it('saves as plain JSON and carries on in another world loaded from it', async () => {
    const { ecs, clock, world } = open();
    await ecs.send(new UpdateServiceCommand({ cluster: 'prod', service: 'web', taskDefinition: 'web:2' }));
    clock.advance(25_000);
    const saved = JSON.parse(JSON.stringify(world.save())) as ReturnType<World['save']>;
    const clock2 = new VirtualClock(clock.now());
    const reloaded = new World({ clock: clock2, services: [stubElb, ecsService], state: saved });
    const ecs2 = new ECSClient(clientConfig(reloaded));
    expect((await describeService(ecs2)).deployments?.map((d) => d.rolloutState)).toEqual(['IN_PROGRESS', 'COMPLETED']);
    clock2.advance(120_000);
    expect((await describeService(ecs2)).deployments).toEqual([expect.objectContaining({ rolloutState: 'COMPLETED', taskDefinition: expect.stringMatching(/web:2$/) })]);
  });
});
