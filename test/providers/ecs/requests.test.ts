import { DescribeServicesCommand, StopServiceDeploymentCommand, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { afterEach, describe, expect, it } from 'vitest';
import { DeployError } from '../../../src/errors.js';
import type { Json } from '../../../src/providers/types.js';
import type { Plan } from '../../../src/strategies/types.js';
import { build, deployment, describeSequence, drive, mocks, sent, serviceOf, td, USER_CONFIG, writes, type Mocks } from './fixtures.js';

/** Layer 1, rolling and big-bang: the exact requests, pass-through of the user's settings, read-only preflight. */

let m: Mocks;
afterEach(() => {
  m.ecs.restore();
  m.elb.restore();
});

async function captured(b = build()): Promise<Json> {
  const report = await b.provider.preflight(b.ctx(null));
  expect(report.errors).toEqual([]);
  return b.provider.capture(b.ctx(null));
}

const inProgress = (running: number) =>
  serviceOf('web', {
    taskDefinition: td(42),
    deploymentConfiguration: { ...USER_CONFIG, maximumPercent: 125 },
    deployments: [deployment('ecs-svc/2', 42, { rolloutState: 'IN_PROGRESS', runningCount: running, pendingCount: 1 }), deployment('ecs-svc/1', 41, { status: 'ACTIVE', runningCount: 4 - running })],
  });

describe('ECS rolling provider: requests', () => {
  it('preflight and capture only read: DescribeServices and DescribeTaskDefinition', async () => {
    m = mocks();
    describeSequence(m, serviceOf());
    const b = build();
    const report = await b.provider.preflight(b.ctx(null));
    expect(report).toMatchObject({ errors: [], warnings: [] });
    expect(report.facts).toEqual({
      mode: 'rolling',
      service: 'prod/web',
      taskDefinition: 'web:41 → web:42',
      desiredCount: 4,
      deploymentConfiguration: 'minimumHealthyPercent 100, maximumPercent 200, circuit breaker on with rollback, deployment alarms web-5xx, web-latency with rollback',
      deployWith: 'minimumHealthyPercent 100, maximumPercent 125, circuit breaker on with rollback, deployment alarms web-5xx, web-latency with rollback',
    });
    await b.provider.capture(b.ctx(null));
    expect(sent(m).map(([name]) => name)).toEqual(['DescribeServices', 'DescribeTaskDefinition', 'DescribeServices']);
    expect(sent(m)[0]![1]).toEqual({ cluster: 'prod', services: ['web'] });
    expect(sent(m)[1]![1]).toEqual({ taskDefinition: 'web:42' });
    expect(writes(m)).toEqual([]);
  });

  it('start sends one UpdateService: the new task definition and every captured member, with only the surge changed', async () => {
    m = mocks();
    describeSequence(m, serviceOf(), serviceOf(), serviceOf(), inProgress(0));
    const b = build();
    const snapshot = await captured(b);
    const handle = await b.provider.start(25, undefined, b.ctx(snapshot));
    expect(handle).toEqual({ mode: 'rolling', deploymentId: 'ecs-svc/2' });
    expect(writes(m)).toEqual([
      ['UpdateService', { cluster: 'prod', service: 'web', taskDefinition: td(42), deploymentConfiguration: { ...USER_CONFIG, minimumHealthyPercent: 100, maximumPercent: 125 } }],
    ]);
    // Later checkpoints continue the same deployment: no call at all.
    m.ecs.resetHistory();
    expect(await b.provider.start(50, handle, b.ctx(snapshot))).toEqual(handle);
    expect(sent(m)).toEqual([]);
  });

  it.each([
    ['big-bang (batch 100%): maximumPercent 200', { percent: 100 }, 4, 200],
    ['a count batch of 2 of 4 tasks: maximumPercent 150', { count: 2 }, 4, 150],
    ['25% of 2 tasks still surges one task: maximumPercent 150', { percent: 25 }, 2, 150],
    ['10% of 30 tasks surges 3: maximumPercent 110', { percent: 10 }, 30, 110],
    ['a count larger than the service is capped at 200%', { count: 9 }, 3, 200],
  ])('%s (minimumHealthyPercent 100)', async (_name, batch, desired, maximum) => {
    m = mocks();
    const service = serviceOf('web', { desiredCount: desired, runningCount: desired });
    describeSequence(m, service, service, service, inProgress(0));
    const plan: Plan = { strategy: 'rolling', steps: [{ type: 'deployCapacity', percent: 100 }], batch };
    const b = build({}, { plan });
    await b.provider.start(100, undefined, b.ctx(await captured(b)));
    const update = writes(m)[0]![1] as { deploymentConfiguration: Record<string, unknown> };
    expect(update.deploymentConfiguration).toEqual({ ...USER_CONFIG, minimumHealthyPercent: 100, maximumPercent: maximum });
  });

  it('a plan without a batch keeps the service’s own minimumHealthyPercent and maximumPercent', async () => {
    m = mocks();
    describeSequence(m, serviceOf(), serviceOf(), serviceOf(), inProgress(0));
    const b = build({}, { plan: { strategy: 'canary', steps: [{ type: 'deployCapacity', percent: 100 }] } });
    await b.provider.start(100, undefined, b.ctx(await captured(b)));
    expect(writes(m)[0]![1]).toMatchObject({ deploymentConfiguration: USER_CONFIG });
  });

  it('after a crash before the handle was saved, start adopts the deployment of the new task definition instead of starting another', async () => {
    m = mocks();
    describeSequence(m, serviceOf(), serviceOf(), inProgress(2));
    const b = build();
    const snapshot = await captured(b);
    expect(await b.provider.start(25, undefined, b.ctx(snapshot))).toEqual({ mode: 'rolling', deploymentId: 'ecs-svc/2' });
    expect(writes(m)).toEqual([]);
  });

  it('start refuses (DRIFT, no write) when someone else started a deployment since capture', async () => {
    m = mocks();
    const other = serviceOf('web', { taskDefinition: td(43), deployments: [deployment('ecs-svc/9', 43, { rolloutState: 'IN_PROGRESS' }), deployment('ecs-svc/1', 41, { status: 'ACTIVE' })] });
    describeSequence(m, serviceOf(), serviceOf(), other);
    const b = build();
    const error = await b.provider.start(25, undefined, b.ctx(await captured(b))).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeployError);
    expect((error as DeployError).code).toBe('DRIFT');
    expect((error as DeployError).message).toBe(
      'ecs service prod/web (task definition web:42): service web was changed by someone else: a deployment started since capture: ' +
        'PRIMARY web:43 IN_PROGRESS (4/4 running, 0 pending, 0 failed), ACTIVE web:41 COMPLETED (4 running) (ECS deployment ecs-svc/9 completed.); task definition web:41 → web:43',
    );
    expect(writes(m)).toEqual([]);
  });

  it('a write whose response is lost is confirmed by reading, not sent twice', async () => {
    m = mocks();
    describeSequence(m, serviceOf(), serviceOf(), serviceOf(), inProgress(0));
    m.ecs.on(UpdateServiceCommand).rejectsOnce(Object.assign(new Error('socket hang up'), { name: 'TimeoutError' }));
    const b = build();
    expect(await b.provider.start(25, undefined, b.ctx(await captured(b)))).toEqual({ mode: 'rolling', deploymentId: 'ecs-svc/2' });
    expect(writes(m)).toHaveLength(1);
  });

  it('a lost write (the read still shows the old deployment after the backoff) is written again', async () => {
    m = mocks();
    describeSequence(m, serviceOf(), serviceOf(), serviceOf(), serviceOf(), serviceOf(), inProgress(0));
    const b = build();
    const snapshot = await captured(b);
    expect(await drive(b.clock, b.provider.start(25, undefined, b.ctx(snapshot)))).toEqual({ mode: 'rolling', deploymentId: 'ecs-svc/2' });
    expect(writes(m).map(([name]) => name)).toEqual(['UpdateService', 'UpdateService']);
  });
});

describe('ECS rolling provider: status', () => {
  async function statusOf(...answers: Parameters<typeof describeSequence>[1][]) {
    m = mocks();
    describeSequence(m, serviceOf(), serviceOf(), ...answers);
    const b = build();
    const snapshot = await captured(b);
    return { b, snapshot, status: () => b.provider.status({ mode: 'rolling', deploymentId: 'ecs-svc/2' }, b.ctx(snapshot)) };
  }

  it('reports running tasks of our PRIMARY deployment over desired, never 100 before ECS says COMPLETED', async () => {
    const { status } = await statusOf(inProgress(2), inProgress(4));
    expect(await status()).toEqual({ state: 'inProgress', percent: 50, detail: 'PRIMARY web:42 IN_PROGRESS (2/4 running, 1 pending, 0 failed), ACTIVE web:41 COMPLETED (2 running)' });
    expect(await status()).toMatchObject({ state: 'inProgress', percent: 99 });
  });

  it('COMPLETED is success, and the service gets its own deployment configuration back (configuration only: no new deployment)', async () => {
    const done = serviceOf('web', { taskDefinition: td(42), deploymentConfiguration: { ...USER_CONFIG, maximumPercent: 125 }, deployments: [deployment('ecs-svc/2', 42)] });
    const { status } = await statusOf(done, serviceOf('web', { taskDefinition: td(42), deployments: [deployment('ecs-svc/2', 42)] }));
    expect(await status()).toEqual({ state: 'succeeded', percent: 100, detail: '4 of 4 tasks on web:42; deployment configuration back as captured' });
    expect(writes(m)).toEqual([['UpdateService', { cluster: 'prod', service: 'web', deploymentConfiguration: USER_CONFIG }]]);
  });

  it('a circuit-breaker failure is a failed status with ECS’s reason, and says ECS is rolling back', async () => {
    const rolledBack = serviceOf('web', {
      deployments: [
        deployment('ecs-svc/3', 41, { rolloutState: 'IN_PROGRESS', runningCount: 1, rolloutStateReason: 'ECS deployment circuit breaker: rolling back to deploymentId ecs-svc/1.' }),
        deployment('ecs-svc/2', 42, { status: 'ACTIVE', rolloutState: 'FAILED', runningCount: 0, rolloutStateReason: 'ECS deployment circuit breaker: tasks failed to start.' }),
      ],
    });
    const { status } = await statusOf(rolledBack);
    expect(await status()).toEqual({
      state: 'failed',
      reason: 'ECS failed the deployment: ECS deployment circuit breaker: tasks failed to start.; ECS is rolling back: PRIMARY web:41 IN_PROGRESS (1/4 running, 0 pending, 0 failed), ACTIVE web:42 FAILED (0 running)',
    });
  });

  it('someone else’s deployment over ours is DRIFT', async () => {
    const other = serviceOf('web', { taskDefinition: td(43), deployments: [deployment('ecs-svc/9', 43, { rolloutState: 'IN_PROGRESS' }), deployment('ecs-svc/2', 42, { status: 'ACTIVE', rolloutState: 'IN_PROGRESS' })] });
    const { status } = await statusOf(other);
    await expect(status()).rejects.toMatchObject({ code: 'DRIFT', message: expect.stringContaining('someone else started a deployment over ours: PRIMARY web:43') });
  });

  it('rides out a few failed reads with the last percent, then fails', async () => {
    m = mocks();
    describeSequence(m, serviceOf(), serviceOf());
    const b = build({}, { policy: { readFailureLimit: 3 } });
    const snapshot = await captured(b);
    m.ecs.reset();
    m.ecs.on(DescribeServicesCommand).resolvesOnce({ services: [inProgress(2)] }).rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));
    const status = () => b.provider.status({ mode: 'rolling', deploymentId: 'ecs-svc/2' }, b.ctx(snapshot));
    expect(await status()).toMatchObject({ percent: 50 });
    expect(await status()).toEqual({ state: 'inProgress', percent: 50, detail: 'could not read the service (1 of 3): ecs service prod/web (task definition web:42): DescribeServices failed: ThrottlingException: Rate exceeded' });
    expect(await status()).toMatchObject({ state: 'inProgress', percent: 50 });
    await expect(status()).rejects.toMatchObject({ code: 'AWS_ERROR' });
  });

  it('a read that still shows the deployment from before the rollout is a stale read, ridden out, not a rollback', async () => {
    m = mocks();
    describeSequence(m, serviceOf());
    const b = build({}, { policy: { readFailureLimit: 2 } });
    const snapshot = await captured(b);
    const status = () => b.provider.status({ mode: 'rolling', deploymentId: 'ecs-svc/2' }, b.ctx(snapshot));
    expect(await status()).toEqual({
      state: 'inProgress',
      percent: 0,
      detail: 'our deployment is not visible yet (1 of 2): the service still shows the deployment from before the rollout (PRIMARY web:41 COMPLETED (4/4 running, 0 pending, 0 failed))',
    });
    await expect(status()).rejects.toMatchObject({ code: 'DRIFT', message: expect.stringContaining('our deployment is gone: the service still shows the deployment from before the rollout') });
  });

  it('a deployment that stops moving is reported failed after the progress deadline (ECS has none)', async () => {
    const { b, status } = await statusOf(inProgress(1), inProgress(0), inProgress(1));
    expect(await status()).toMatchObject({ state: 'inProgress', percent: 25 });
    b.clock.advance(5 * 60_000);
    // A task that starts and fails again is no progress: only a new best percent restarts the deadline.
    expect(await status()).toMatchObject({ state: 'inProgress', percent: 0 });
    b.clock.advance(4 * 60_000);
    expect(await status()).toMatchObject({ state: 'inProgress', percent: 25 });
    b.clock.advance(60_000);
    expect(await status()).toEqual({
      state: 'failed',
      reason: 'no progress for 10 minutes (stuck at 25%): PRIMARY web:42 IN_PROGRESS (1/4 running, 1 pending, 0 failed), ACTIVE web:41 COMPLETED (3 running); latest event: (service web) has reached a steady state.',
    });
  });

  it('cancel stops our running deployment with ROLLBACK', async () => {
    const { b, snapshot } = await statusOf(inProgress(1));
    m.ecs.on(StopServiceDeploymentCommand).resolves({});
    await b.provider.cancel({ mode: 'rolling', deploymentId: 'ecs-svc/2' }, b.ctx(snapshot));
    expect(writes(m)).toEqual([['StopServiceDeployment', { serviceDeploymentArn: serviceOf().currentServiceDeployment, stopType: 'ROLLBACK' }]]);
  });
});

describe('ECS rolling provider: rollback', () => {
  it('sends the captured task definition and deployment configuration, then waits until steady there', async () => {
    m = mocks();
    const back = serviceOf('web', { deployments: [deployment('ecs-svc/3', 41, { rolloutState: 'IN_PROGRESS', runningCount: 2 }), deployment('ecs-svc/2', 42, { status: 'ACTIVE' })] });
    describeSequence(m, serviceOf(), serviceOf(), inProgress(2), back, back, serviceOf('web', { deployments: [deployment('ecs-svc/3', 41)] }));
    const b = build();
    const snapshot = await captured(b);
    await drive(b.clock, b.provider.rollback(snapshot, { mode: 'rolling', deploymentId: 'ecs-svc/2' }, b.ctx(snapshot, [])));
    expect(writes(m)).toEqual([['UpdateService', { cluster: 'prod', service: 'web', taskDefinition: td(41), deploymentConfiguration: USER_CONFIG }]]);
    expect(b.clock.now() - Date.UTC(2026, 0, 1)).toBe(1_000);
  });

  it('when ECS is already rolling back to the captured task definition, only what differs is sent (no second deployment)', async () => {
    m = mocks();
    const ecsRollback = serviceOf('web', {
      deploymentConfiguration: { ...USER_CONFIG, maximumPercent: 125 },
      deployments: [deployment('ecs-svc/3', 41, { rolloutState: 'IN_PROGRESS' }), deployment('ecs-svc/2', 42, { status: 'ACTIVE', rolloutState: 'FAILED' })],
    });
    describeSequence(m, serviceOf(), serviceOf(), ecsRollback, serviceOf('web', { deployments: ecsRollback.deployments! }), serviceOf('web', { deployments: [deployment('ecs-svc/3', 41)] }));
    const b = build();
    const snapshot = await captured(b);
    await drive(b.clock, b.provider.rollback(snapshot, { mode: 'rolling', deploymentId: 'ecs-svc/2' }, b.ctx(snapshot, [])));
    expect(writes(m)).toEqual([['UpdateService', { cluster: 'prod', service: 'web', deploymentConfiguration: USER_CONFIG }]]);
  });

  it('says what is still different when the service does not come back in time', async () => {
    m = mocks();
    const stuck = serviceOf('web', { deployments: [deployment('ecs-svc/3', 41, { rolloutState: 'IN_PROGRESS', runningCount: 1 }), deployment('ecs-svc/2', 42, { status: 'ACTIVE', rolloutState: 'FAILED' })] });
    describeSequence(m, serviceOf(), serviceOf(), stuck);
    const b = build();
    const snapshot = await captured(b);
    const error = await drive(b.clock, b.provider.rollback(snapshot, { mode: 'rolling', deploymentId: 'ecs-svc/2' }, b.ctx(snapshot, []))).catch((e: unknown) => e);
    expect((error as Error).message).toBe(
      'ecs service prod/web (task definition web:42): service web back on web:41: not reached after 1m: not steady yet: PRIMARY web:41 IN_PROGRESS (1/4 running, 0 pending, 0 failed), ACTIVE web:42 FAILED (4 running)',
    );
  });

  it('after a start refused for drift (no handle, nothing written), someone else’s deployment is left alone and said', async () => {
    m = mocks();
    const foreign = serviceOf('web', { taskDefinition: td(43), deployments: [deployment('ecs-svc/9', 43, { rolloutState: 'IN_PROGRESS' })] });
    describeSequence(m, serviceOf(), serviceOf(), foreign);
    const b = build();
    const snapshot = await captured(b);
    await b.provider.rollback(snapshot, undefined, b.ctx(snapshot, []));
    expect(writes(m)).toEqual([]);
    expect(b.events.map((e) => (e as { message?: string }).message)).toEqual([
      'ecs service prod/web (task definition web:42): deployctl wrote nothing to service web; the changes found were made by someone else and are left as they are: task definition web:41 → web:43',
    ]);
  });

  it('without a handle but with our deployment there (a crash right after UpdateService), the rollback does undo it', async () => {
    m = mocks();
    const back = serviceOf('web', { deployments: [deployment('ecs-svc/3', 41)] });
    describeSequence(m, serviceOf(), serviceOf(), inProgress(1), inProgress(1), back);
    const b = build();
    const snapshot = await captured(b);
    await drive(b.clock, b.provider.rollback(snapshot, undefined, b.ctx(snapshot, [])));
    expect(writes(m)).toEqual([['UpdateService', { cluster: 'prod', service: 'web', taskDefinition: td(41), deploymentConfiguration: USER_CONFIG }]]);
  });

  it('warns when the restore replaces a task definition someone else deployed', async () => {
    m = mocks();
    const foreign = serviceOf('web', { taskDefinition: td(43), deployments: [deployment('ecs-svc/9', 43)] });
    describeSequence(m, serviceOf(), serviceOf(), foreign, serviceOf());
    const b = build();
    const snapshot = await captured(b);
    await drive(b.clock, b.provider.rollback(snapshot, { mode: 'rolling', deploymentId: 'ecs-svc/2' }, b.ctx(snapshot, [])));
    expect(b.events.filter((e) => e.type === 'warning').map((e) => (e as { message: string }).message)).toEqual([
      'ecs service prod/web (task definition web:42): restoring service web to web:41 replaces web:43, which someone else deployed during the rollout',
    ]);
  });
});
