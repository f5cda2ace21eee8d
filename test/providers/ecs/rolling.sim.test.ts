import { describe, expect, it } from 'vitest';
import type { DeployEvent } from '../../../src/engine/events.js';
import type { CapacityContext, Json } from '../../../src/providers/types.js';
import { parseFault } from '../../../src/sim/faults.js';
import type { Plan } from '../../../src/strategies/types.js';
import { alarmAtStep, FakeGate } from '../../fakes/fakeGate.js';
import { harness } from '../../fakes/harness.js';
import { T0 } from '../../sim/simFixture.js';
import { BREAKER, ecsProvider, ecsSimWorld, rollingSeed, type EcsSim } from './simWorld.js';

/** Layer 2: the rolling mode with real SDK clients against the simulated ECS, driven by the engine over time. */

const ROLLING: Plan = {
  strategy: 'rolling',
  steps: [
    { type: 'deployCapacity', percent: 25 },
    { type: 'deployCapacity', percent: 50 },
    { type: 'deployCapacity', percent: 75 },
    { type: 'deployCapacity', percent: 100 },
    { type: 'bake', seconds: 120 },
  ],
  batch: { percent: 25 },
};
const BIG_BANG: Plan = { strategy: 'bigBang', steps: [{ type: 'deployCapacity', percent: 100 }, { type: 'bake', seconds: 120 }], batch: { percent: 100 } };

function setup(seed = rollingSeed(), taskDefinition = 'web:2', plan = ROLLING) {
  const sim = ecsSimWorld(seed);
  const ecs = ecsProvider(sim, { taskDefinition }, plan);
  return { sim, ecs };
}

/** The service compared field by field with what was captured: the members a rollout may touch, and steadiness. */
async function expectAsCaptured(sim: EcsSim, snapshot: Json): Promise<void> {
  const captured = (snapshot as { service: { taskDefinition: string; deploymentConfiguration: unknown; desiredCount: number } }).service;
  const live = await sim.service();
  expect(live.taskDefinition).toBe(captured.taskDefinition);
  expect(live.deploymentConfiguration).toEqual(captured.deploymentConfiguration);
  expect(live.desiredCount).toBe(captured.desiredCount);
  expect(live.deployments).toEqual([expect.objectContaining({ status: 'PRIMARY', rolloutState: 'COMPLETED', taskDefinition: captured.taskDefinition, runningCount: captured.desiredCount })]);
  expect(live.runningCount).toBe(captured.desiredCount);
}

/** Samples the world every 5 s of simulated time: the fewest healthy serving tasks and the most tasks at once. */
function sampleTasks(sim: EcsSim): { minHealthy: number; maxLive: number } {
  const seen = { minHealthy: Infinity, maxLive: 0 };
  const tick = (): void => {
    sim.world.sync();
    const tasks = Object.values(sim.ecsState().tasks).filter((t) => t.service === 'web' && t.desiredStatus === 'RUNNING');
    seen.minHealthy = Math.min(seen.minHealthy, tasks.filter((t) => t.lastStatus === 'RUNNING' && t.health === 'HEALTHY').length);
    seen.maxLive = Math.max(seen.maxLive, tasks.length);
    sim.clock.setTimeout(tick, 5_000);
  };
  tick();
  return seen;
}

const at = (events: readonly DeployEvent[], type: DeployEvent['type']) => events.find((e) => e.type === type)?.at;
const updateCalls = (sim: EcsSim) => sim.world.mutatingCalls('ecs').filter((c) => c.operation === 'UpdateService').length;

describe('ECS rolling in the simulated world', () => {
  it('rolls 25% at a time to success, never below 4 healthy tasks, and gives the service its own configuration back', async () => {
    const { sim, ecs } = setup();
    const seen = sampleTasks(sim);
    const h = harness({ capacity: [ecs], clock: sim.clock });
    const result = await h.run(ROLLING);
    expect(result.outcome).toBe('succeeded');
    const live = await sim.service();
    expect(live.deployments).toEqual([expect.objectContaining({ taskDefinition: sim.taskDefinition(2), rolloutState: 'COMPLETED', runningCount: 4 })]);
    expect(live.deploymentConfiguration).toEqual((result.context.snapshots![ecs.lockKey] as { service: { deploymentConfiguration: unknown } }).service.deploymentConfiguration);
    expect(seen.minHealthy).toBeGreaterThanOrEqual(4);
    expect(seen.maxLive).toBe(5);
    expect(updateCalls(sim)).toBe(2); // the deployment, then the configuration back
    const progress = h.events.flatMap((e) => (e.type === 'capacity.progress' ? [e.percent] : []));
    expect([...new Set(progress)]).toEqual([0, 25, 50, 75, 99, 100]);
  });

  it('big-bang starts every new task beside the old ones (minimumHealthyPercent 100, maximumPercent 200)', async () => {
    const { sim, ecs } = setup(rollingSeed(), 'web:2', BIG_BANG);
    const seen = sampleTasks(sim);
    const result = await harness({ capacity: [ecs], clock: sim.clock }).run(BIG_BANG);
    expect(result.outcome).toBe('succeeded');
    expect(seen.minHealthy).toBeGreaterThanOrEqual(4);
    expect(seen.maxLive).toBe(8);
  });

  it('a version that fails its health checks: ECS’s circuit breaker fails it, the rollout rolls back, the captured version serves', async () => {
    const { sim, ecs } = setup(rollingSeed(), 'web:3');
    const h = harness({ capacity: [ecs], clock: sim.clock });
    const result = await h.run(ROLLING);
    expect(result.outcome).toBe('rolledBack');
    expect(result.failure).toMatchObject({ kind: 'capacity', message: expect.stringContaining('ECS failed the deployment: ECS deployment circuit breaker: tasks failed to start.') });
    await expectAsCaptured(sim, result.context.snapshots![ecs.lockKey]!);
  });

  it('a gate that fires mid-rollout rolls back within one poll, to the captured task definition and configuration', async () => {
    const { sim, ecs } = setup();
    const h = harness({ capacity: [ecs], gates: [new FakeGate(alarmAtStep(1))], clock: sim.clock });
    const result = await h.run(ROLLING);
    expect(result.outcome).toBe('rolledBack');
    const fired = h.events.find((e) => e.type === 'gate.checked' && e.result.type === 'alarm')!.at;
    expect(at(h.events, 'rollback.started')! - fired).toBe(0);
    await expectAsCaptured(sim, result.context.snapshots![ecs.lockKey]!);
    expect(h.clock.now() - fired).toBeLessThan(5 * 60_000);
  });

  it.each([
    ['lost-write:ecs:UpdateService=x1', 3],
    ['timeout-after-apply:ecs:UpdateService=x1', 2],
    // Each read inside the window shows the state before the write: the (idempotent) writes are sent again.
    ['stale-read:ecs=20s', 8],
    ['half of all DescribeServices throttled after the start', 2],
  ])('with %s the rollout still succeeds with exactly one deployment of the new version (at most %i UpdateService)', async (fault, updates) => {
    const { sim, ecs } = setup();
    sim.world.addFault(fault.startsWith('half') ? { type: 'throttle', service: 'ecs', operation: 'DescribeServices', rate: 0.5, from: 1 } : parseFault(fault));
    const result = await harness({ capacity: [ecs], clock: sim.clock }).run(ROLLING);
    expect(result.outcome).toBe('succeeded');
    const deployments = Object.values(sim.ecsState().serviceDeployments).filter((d) => d.service === 'web');
    expect(deployments).toHaveLength(2); // the seeded one and ours
    expect(updateCalls(sim)).toBeGreaterThanOrEqual(2);
    expect(updateCalls(sim)).toBeLessThanOrEqual(updates);
    // Read from the world's state: a throttled read outside the rollout would wait on a clock nobody advances.
    const service = sim.ecsState().services['prod/web']!;
    expect(service.taskDefinitionArn).toBe(sim.taskDefinition(2));
    expect(service.deployments).toEqual([expect.objectContaining({ rolloutState: 'COMPLETED' })]);
  });

  it('someone else’s deployment during the rollout is drift: rolled back to the capture, with a warning that it replaced theirs', async () => {
    const { sim, ecs } = setup();
    sim.world.addFault(parseFault('writer:ecs@40s:cluster=prod,service=web,taskDefinition=web:4'));
    const h = harness({ capacity: [ecs], clock: sim.clock });
    const result = await h.run(ROLLING);
    expect(result.outcome).toBe('rolledBack');
    expect(result.failure).toMatchObject({ kind: 'drift', message: expect.stringContaining('someone else started a deployment over ours: PRIMARY web:4') });
    expect(h.events.filter((e) => e.type === 'warning').map((e) => (e as { message: string }).message)).toContainEqual(expect.stringContaining('replaces web:4, which someone else deployed during the rollout'));
    await expectAsCaptured(sim, result.context.snapshots![ecs.lockKey]!);
  });

  it('someone else’s deployment between capture and start: the start refuses, and the rollback leaves their deployment alone', async () => {
    const plan: Plan = { strategy: 'bigBang', steps: [{ type: 'bake', seconds: 60 }, { type: 'deployCapacity', percent: 100 }], batch: { percent: 100 } };
    const { sim, ecs } = setup(rollingSeed(), 'web:2', plan);
    sim.world.addFault(parseFault('writer:ecs@30s:cluster=prod,service=web,taskDefinition=web:4'));
    const h = harness({ capacity: [ecs], clock: sim.clock });
    const result = await h.run(plan);
    expect(result.outcome).toBe('rolledBack');
    expect(result.failure).toMatchObject({ kind: 'drift', message: expect.stringContaining('service web was changed by someone else: a deployment started since capture') });
    expect(sim.world.mutatingCalls('ecs').map((c) => c.operation)).toEqual([]);
    expect(sim.ecsState().services['prod/web']!.taskDefinitionArn).toBe(sim.taskDefinition(4));
    expect(h.events.filter((e) => e.type === 'warning').map((e) => (e as { message: string }).message)).toEqual([
      `${ecs.label}: deployctl wrote nothing to service web; the changes found were made by someone else and are left as they are: task definition web:1 → web:4`,
    ]);
  });

  it('a plan that bakes between batches is refused before any write', async () => {
    const plan: Plan = { strategy: 'rolling', steps: [{ type: 'deployCapacity', percent: 50 }, { type: 'bake', seconds: 300 }, { type: 'deployCapacity', percent: 100 }], batch: { percent: 50 } };
    const { sim, ecs } = setup(rollingSeed(), 'web:2', plan);
    const result = await harness({ capacity: [ecs], clock: sim.clock }).run(plan);
    expect(result.outcome).toBe('rejected');
    expect(sim.world.mutatingCalls()).toEqual([]);
  });

  it('without a circuit breaker a crash-looping version is reported after the progress deadline and rolled back', async () => {
    const sim = ecsSimWorld(rollingSeed({ deploymentCircuitBreaker: { enable: false, rollback: false } }));
    const ecs = ecsProvider(sim, { taskDefinition: 'web:3' }, ROLLING, undefined, { wait: { pollMs: 5_000, timeoutMs: 20 * 60_000 }, progressDeadlineMs: 10 * 60_000 });
    const h = harness({ capacity: [ecs], clock: sim.clock });
    const result = await h.run(ROLLING);
    expect(result.outcome).toBe('rolledBack');
    expect(result.failure?.message).toMatch(/no progress for 10 minutes \(stuck at 25%\): PRIMARY web:3 IN_PROGRESS \(1\/4 running, 0 pending, \d+ failed\)/);
    await expectAsCaptured(sim, result.context.snapshots![ecs.lockKey]!);
  });

  it('a process that crashed after UpdateService but before saving the handle adopts the deployment; one UpdateService in all', async () => {
    const { sim, ecs } = setup();
    const ctx = (snapshot: Json): CapacityContext => ({ deploymentId: 'd-1', signal: new AbortController().signal, clock: sim.clock, emit: () => undefined, snapshot, checkpoints: [25, 50, 75, 100], batch: { percent: 25 } });
    expect((await ecs.preflight(ctx(null))).errors).toEqual([]);
    const snapshot = await ecs.capture(ctx(null));
    const first = await ecs.start(25, undefined, ctx(snapshot));
    sim.clock.advance(30_000);
    const resumed = ecsProvider(sim, { taskDefinition: 'web:2' }, ROLLING);
    expect(await resumed.start(25, undefined, ctx(snapshot))).toEqual(first);
    expect(updateCalls(sim)).toBe(1);
    expect(await resumed.status(first, ctx(snapshot))).toMatchObject({ state: 'inProgress', percent: 25 });
  });

  it('the circuit breaker and deployment alarms the user configured are in every request and back after the rollout', async () => {
    const config = { ...BREAKER, alarms: { alarmNames: ['web-errors'], enable: true, rollback: true } };
    const seed = { ...rollingSeed(config), cloudwatch: { alarms: [{ name: 'web-errors', namespace: 'Sim/ECSService', metric: '5XXError', dimensions: { ClusterName: 'prod', ServiceName: 'web' }, statistic: 'Sum', period: 60, evaluationPeriods: 1, threshold: 1000, comparison: '>=' }] } };
    const { sim, ecs } = setup(seed);
    const before = (await sim.service()).deploymentConfiguration;
    const during: unknown[] = [];
    sim.clock.setTimeout(() => void sim.service().then((s) => during.push(s.deploymentConfiguration)), 30_000);
    const result = await harness({ capacity: [ecs], clock: sim.clock }).run(ROLLING);
    expect(result.outcome).toBe('succeeded');
    expect(during[0]).toEqual({ ...before, maximumPercent: 125 });
    expect((await sim.service()).deploymentConfiguration).toEqual(before);
    expect(sim.clock.now() - T0).toBeGreaterThan(300_000); // ECS baked its alarms before COMPLETED
  });
});
