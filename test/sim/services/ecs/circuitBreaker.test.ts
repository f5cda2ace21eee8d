import { CreateServiceCommand, type CreateServiceCommandInput, ListTasksCommand, UpdateServiceCommand, type ECSClient } from '@aws-sdk/client-ecs';
import { describe, expect, it } from 'vitest';
import type { World } from '../../../../src/sim/world.js';
import { describeService, ecsWorld, step } from './fixture.js';

const create = (extra: Partial<CreateServiceCommandInput> = {}) => new CreateServiceCommand({ cluster: 'prod', serviceName: 'web', taskDefinition: 'web:1', desiredCount: 4, ...extra });
const breaker = (rollback: boolean, extra = {}) => ({ deploymentCircuitBreaker: { enable: true, rollback, ...extra } });

/** A steady service on web:1, then an update to the broken web:3 (its version fails health checks). */
async function brokenDeployment(ecs: ECSClient, clock: { advance(ms: number): void }, extra: Partial<CreateServiceCommandInput> = {}): Promise<{ completedId: string; failingId: string }> {
  await ecs.send(create(extra));
  clock.advance(120_000);
  const completedId = (await describeService(ecs)).deployments![0]!.id!;
  const out = await ecs.send(new UpdateServiceCommand({ cluster: 'prod', service: 'web', taskDefinition: 'web:3' }));
  return { completedId, failingId: out.service!.deployments![0]!.id! };
}

/** The broken version starts (or stops) passing health checks, for tasks judged from now on. */
function setHealthy(world: World, healthy: boolean): void {
  world.sync();
  world.state.versions.bad = { ...world.state.versions.bad!, healthy };
}

const isHealthy = (world: World) => world.state.versions.bad!.healthy;

async function runningImages(ecs: ECSClient, world: World): Promise<string[]> {
  const arns = (await ecs.send(new ListTasksCommand({ cluster: 'prod', serviceName: 'web' }))).taskArns ?? [];
  const tasks = world.stateOf<{ tasks: Record<string, { image: string; lastStatus: string }> }>('ecs').tasks;
  return arns.map((arn) => tasks[arn.split('/').pop()!]!).filter((t) => t.lastStatus === 'RUNNING').map((t) => t.image).sort();
}

describe('ECS deployment circuit breaker', () => {
  it('fails a deployment whose tasks fail health checks and rolls back to the last COMPLETED deployment', async () => {
    const { ecs, clock, world } = ecsWorld();
    const { completedId, failingId } = await brokenDeployment(ecs, clock, { deploymentConfiguration: breaker(true) });
    let lowest = Infinity;
    await step(clock, 110_000, 1_000, async () => {
      lowest = Math.min(lowest, (await runningImages(ecs, world)).filter((i) => i === 'web:1').length);
    });
    const failed = await describeService(ecs);
    const [rollback, failing] = failed.deployments!;
    expect(failing).toMatchObject({ id: failingId, status: 'ACTIVE', rolloutState: 'FAILED', rolloutStateReason: 'ECS deployment circuit breaker: tasks failed to start.' });
    expect(failing!.failedTasks).toBeGreaterThanOrEqual(3);
    expect(rollback).toMatchObject({ status: 'PRIMARY', rolloutState: 'IN_PROGRESS', rolloutStateReason: `ECS deployment circuit breaker: rolling back to deploymentId ${completedId}.`, taskDefinition: expect.stringMatching(/web:1$/) });
    expect(rollback!.id).not.toBe(completedId);
    expect(failed.taskDefinition).toMatch(/web:1$/);
    const messages = failed.events!.map((e) => e.message);
    expect(messages).toContain(`(service web) (deployment ${failingId}) deployment failed: tasks failed to start.`);
    expect(messages).toContain(`(service web) rolling back to deployment ${completedId}.`);
    expect(messages).toContainEqual(expect.stringMatching(/^\(service web\) \(task [0-9a-f]{32}\) failed container health checks\.$/));
    // The old tasks kept serving throughout (minimumHealthyPercent 100).
    expect(lowest).toBe(4);
    clock.advance(180_000);
    const done = await describeService(ecs);
    expect(done.deployments).toEqual([expect.objectContaining({ id: rollback!.id, rolloutState: 'COMPLETED', runningCount: 4 })]);
    expect(await runningImages(ecs, world)).toEqual(['web:1', 'web:1', 'web:1', 'web:1']);
  });

  it('leaves the deployment FAILED and stalled without rollback: no new tasks, the old ones keep running', async () => {
    const { ecs, clock, world } = ecsWorld();
    const { failingId } = await brokenDeployment(ecs, clock, { deploymentConfiguration: breaker(false) });
    clock.advance(600_000);
    const out = await describeService(ecs);
    expect(out.taskDefinition).toMatch(/web:3$/);
    expect(out.deployments).toEqual([
      expect.objectContaining({ id: failingId, status: 'PRIMARY', rolloutState: 'FAILED', runningCount: 0, pendingCount: 0, rolloutStateReason: 'ECS deployment circuit breaker: tasks failed to start.' }),
      expect.objectContaining({ status: 'ACTIVE', rolloutState: 'COMPLETED', runningCount: 4 }),
    ]);
    expect(await runningImages(ecs, world)).toEqual(['web:1', 'web:1', 'web:1', 'web:1']);
  });

  it('keeps a broken deployment IN_PROGRESS without a circuit breaker, replacing failing tasks', async () => {
    const { ecs, clock } = ecsWorld();
    await brokenDeployment(ecs, clock);
    clock.advance(1_200_000);
    const out = await describeService(ecs);
    expect(out.deployments?.[0]).toMatchObject({ rolloutState: 'IN_PROGRESS', status: 'PRIMARY' });
    expect(out.deployments?.[0]?.failedTasks).toBeGreaterThanOrEqual(20);
    expect(out.deployments?.[1]).toMatchObject({ status: 'ACTIVE', runningCount: 4 });
    const stopped = await ecs.send(new ListTasksCommand({ cluster: 'prod', serviceName: 'web', desiredStatus: 'STOPPED' }));
    expect(stopped.taskArns!.length).toBeGreaterThanOrEqual(20);
  });

  it('trips at clamp(ceil(50% × desiredCount), 3, 200) failed tasks by default', async () => {
    const { ecs, clock } = ecsWorld();
    // maximumPercent 125 of 4 leaves room for one new task at a time, so failures come one by one.
    await brokenDeployment(ecs, clock, { deploymentConfiguration: { maximumPercent: 125, ...breaker(false) } });
    const seen: [number, string][] = [];
    await step(clock, 600_000, 5_000, async () => {
      const d = (await describeService(ecs)).deployments![0]!;
      const last = seen.at(-1);
      if (!last || last[0] !== d.failedTasks || last[1] !== d.rolloutState) seen.push([d.failedTasks!, d.rolloutState!]);
    });
    expect(seen).toEqual([
      [0, 'IN_PROGRESS'],
      [1, 'IN_PROGRESS'],
      [2, 'IN_PROGRESS'],
      [3, 'FAILED'],
    ]);
  });

  it('uses a COUNT threshold as given, and counts failures cumulatively with resetOnHealthyTask false', async () => {
    const { ecs, clock, world } = ecsWorld();
    const config = { maximumPercent: 125, ...breaker(false, { resetOnHealthyTask: false, thresholdConfiguration: { type: 'COUNT', value: 4 } }) };
    await brokenDeployment(ecs, clock, { deploymentConfiguration: config });
    const failedTasks = async () => (await describeService(ecs)).deployments![0]!.failedTasks;
    await step(clock, 300_000, 5_000, async () => {
      if ((await failedTasks()) === 2 && !isHealthy(world)) setHealthy(world, true);
    });
    // One task of the deployment turned healthy: the count stays 2 instead of resetting.
    expect(await failedTasks()).toBe(2);
    setHealthy(world, false);
    clock.advance(600_000);
    expect((await describeService(ecs)).deployments![0]).toMatchObject({ rolloutState: 'FAILED', failedTasks: 4 });
  });

  it('resets the failure count when a task of the deployment becomes healthy (resetOnHealthyTask default)', async () => {
    const { ecs, clock, world } = ecsWorld();
    await brokenDeployment(ecs, clock, { deploymentConfiguration: { maximumPercent: 125, ...breaker(false) } });
    let reset = false;
    await step(clock, 400_000, 5_000, async () => {
      const d = (await describeService(ecs)).deployments![0]!;
      if (d.failedTasks === 2 && !isHealthy(world) && !reset) setHealthy(world, true);
      if (isHealthy(world) && d.failedTasks === 0) reset = true;
    });
    expect(reset).toBe(true);
  });
});

describe('ECS container health checks without a load balancer', () => {
  it('ignore a failing container until the health check grace period is over', async () => {
    const { ecs, clock } = ecsWorld();
    await ecs.send(create({ taskDefinition: 'web:3', desiredCount: 1, healthCheckGracePeriodSeconds: 300 }));
    clock.advance(20_000 + 250_000);
    expect((await describeService(ecs)).deployments?.[0]?.failedTasks).toBe(0);
    clock.advance(60_000);
    expect((await describeService(ecs)).deployments?.[0]?.failedTasks).toBe(1);
  });
});
