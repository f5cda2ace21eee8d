import { DescribeServicesCommand, UpdateServiceCommand, type Service } from '@aws-sdk/client-ecs';
import { DescribeListenersCommand, DescribeTargetHealthCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { afterEach, describe, expect, it } from 'vitest';
import type { Json } from '../../../src/providers/types.js';
import type { Plan } from '../../../src/strategies/types.js';
import { BLUE, build, deployment, drive, forward, GREEN, LISTENER, mocks, serviceOf, td, USER_CONFIG, writes, type Mocks } from './fixtures.js';

/** Layer 1, the traffic split at the ALB: exact requests to the two services; ELB is only read. */

let m: Mocks;
afterEach(() => {
  m.ecs.restore();
  m.elb.restore();
});

const lb = (group: string) => [{ targetGroupArn: group, containerName: 'web', containerPort: 8080 }];
const ALB = { type: 'alb', listenerArn: LISTENER, stableTargetGroupArn: BLUE, canaryTargetGroupArn: GREEN };
const PLAN: Plan = { strategy: 'blueGreen', steps: [{ type: 'deployCapacity', percent: 100 }, { type: 'setWeight', weight: 100 }, { type: 'bake', seconds: 600 }, { type: 'retireOld' }] };
const stable = (extra: Partial<Service> = {}) => serviceOf('web', { loadBalancers: lb(BLUE), ...extra });
const idle = (extra: Partial<Service> = {}) =>
  serviceOf('web-green', { desiredCount: 0, runningCount: 0, loadBalancers: lb(GREEN), deployments: [deployment('ecs-svc/7', 41, { desiredCount: 0, runningCount: 0 })], ...extra });
const upOn42 = (running: number, extra: Partial<Service> = {}) =>
  idle({ taskDefinition: td(42), desiredCount: 4, runningCount: running, deployments: [deployment('ecs-svc/8', 42, { runningCount: running, rolloutState: running === 4 ? 'COMPLETED' : 'IN_PROGRESS' })], ...extra });

/** Answers DescribeServices per service name: each name its own sequence (the last answer repeats). */
function services(byName: Record<string, Service[]>): void {
  m.ecs.on(DescribeServicesCommand).callsFake((input: { services: string[] }) => {
    const found = input.services.map((name) => {
      const list = byName[name]!;
      return list.length > 1 ? list.shift()! : list[0]!;
    });
    return { services: found, failures: [] };
  });
}

function listener(groups: [string, number][]): void {
  m.elb.on(DescribeListenersCommand).resolves({ Listeners: [{ ListenerArn: LISTENER, Protocol: 'HTTP', DefaultActions: forward(groups) }] });
}

function healthy(count: number, group = GREEN): void {
  m.elb.on(DescribeTargetHealthCommand, { TargetGroupArn: group }).resolves({ TargetHealthDescriptions: Array.from({ length: count }, (_, i) => ({ Target: { Id: `10.0.0.${i}`, Port: 8080 }, TargetHealth: { State: 'healthy' } })) });
}

async function capturedSplit(): Promise<{ b: ReturnType<typeof build>; snapshot: Json }> {
  const b = build({ canaryService: 'web-green' }, { others: [ALB], plan: PLAN });
  expect((await b.provider.preflight(b.ctx(null))).errors).toEqual([]);
  return { b, snapshot: await b.provider.capture(b.ctx(null)) };
}

describe('ECS split provider: requests', () => {
  it('start brings the idle service up on the new task definition at the live service’s desired count; the live one is never written', async () => {
    m = mocks();
    listener([[BLUE, 100], [GREEN, 0]]);
    services({ web: [stable()], 'web-green': [idle(), idle(), idle(), upOn42(0)] });
    const { b, snapshot } = await capturedSplit();
    const handle = await b.provider.start(100, undefined, b.ctx(snapshot));
    expect(handle).toEqual({ mode: 'split', desiredCount: 4, fullCount: 4 });
    expect(writes(m)).toEqual([['UpdateService', { cluster: 'prod', service: 'web-green', taskDefinition: td(42), desiredCount: 4 }]]);
    expect(snapshot).toMatchObject({ mode: 'split', stable: { name: 'web', desiredCount: 4, taskDefinition: td(41) }, canary: { name: 'web-green', desiredCount: 0, deploymentConfiguration: USER_CONFIG }, roles: { stable: BLUE, canary: GREEN } });
  });

  it('after a crash before the handle was saved, start finds the new side already up and writes nothing', async () => {
    m = mocks();
    listener([[BLUE, 100], [GREEN, 0]]);
    services({ web: [stable()], 'web-green': [idle(), idle(), upOn42(1)] });
    const { b, snapshot } = await capturedSplit();
    expect(await b.provider.start(100, undefined, b.ctx(snapshot))).toEqual({ mode: 'split', desiredCount: 4, fullCount: 4 });
    expect(writes(m)).toEqual([]);
  });

  it('a partial capacity step sizes the new side by the percent, and the next step only raises the count', async () => {
    m = mocks();
    listener([[BLUE, 100], [GREEN, 0]]);
    services({ web: [stable()], 'web-green': [idle(), idle(), idle(), upOn42(0, { desiredCount: 2 }), upOn42(2, { desiredCount: 2 }), upOn42(2)] });
    const { b, snapshot } = await capturedSplit();
    const half = await b.provider.start(50, undefined, b.ctx(snapshot));
    expect(half).toEqual({ mode: 'split', desiredCount: 2, fullCount: 4 });
    expect(await b.provider.start(100, half, b.ctx(snapshot))).toEqual({ mode: 'split', desiredCount: 4, fullCount: 4 });
    expect(writes(m)).toEqual([
      ['UpdateService', { cluster: 'prod', service: 'web-green', taskDefinition: td(42), desiredCount: 2 }],
      ['UpdateService', { cluster: 'prod', service: 'web-green', desiredCount: 4 }],
    ]);
  });

  it('status counts healthy targets of the new side in the canary group; success needs all of them and a steady service', async () => {
    m = mocks();
    listener([[BLUE, 100], [GREEN, 0]]);
    services({ web: [stable()], 'web-green': [idle(), idle(), upOn42(3), upOn42(4), upOn42(4)] });
    const { b, snapshot } = await capturedSplit();
    const handle = { mode: 'split', desiredCount: 4, fullCount: 4 };
    healthy(1);
    expect(await b.provider.status(handle, b.ctx(snapshot))).toEqual({
      state: 'inProgress',
      percent: 25,
      detail: '1 healthy in targetgroup/web-green; PRIMARY web:42 IN_PROGRESS (3/4 running, 0 pending, 0 failed)',
    });
    healthy(3);
    expect(await b.provider.status(handle, b.ctx(snapshot))).toMatchObject({ state: 'inProgress', percent: 75 });
    healthy(4);
    expect(await b.provider.status(handle, b.ctx(snapshot))).toMatchObject({ state: 'succeeded', percent: 100 });
    expect(writes(m)).toEqual([]);
  });

  it('retireOld refuses while the listener still sends traffic to the old side', async () => {
    m = mocks();
    listener([[BLUE, 100], [GREEN, 0]]);
    services({ web: [stable()], 'web-green': [idle()] });
    const { b, snapshot } = await capturedSplit();
    listener([[BLUE, 5], [GREEN, 95]]);
    await expect(b.provider.retireOld(b.ctx(snapshot))).rejects.toMatchObject({
      code: 'DRIFT',
      message: `ecs services prod/web and prod/web-green (task definition web:42): refusing to scale service web down: listener ${LISTENER} forwards to targetgroup/web-blue (weight 5) and targetgroup/web-green (weight 95), so traffic has not left targetgroup/web-blue`,
    });
    expect(writes(m)).toEqual([]);
  });

  it('retireOld scales the old side to 0 (desiredCount only) once no traffic reaches it', async () => {
    m = mocks();
    listener([[BLUE, 100], [GREEN, 0]]);
    services({ web: [stable(), stable(), stable(), stable({ desiredCount: 0 })], 'web-green': [idle()] });
    const { b, snapshot } = await capturedSplit();
    listener([[BLUE, 0], [GREEN, 100]]);
    await b.provider.retireOld(b.ctx(snapshot));
    expect(writes(m)).toEqual([['UpdateService', { cluster: 'prod', service: 'web', desiredCount: 0 }]]);
  });

  it('restoreOld brings the old side back to its captured count and waits until its targets are healthy', async () => {
    m = mocks();
    listener([[BLUE, 100], [GREEN, 0]]);
    services({ web: [stable(), stable(), stable({ desiredCount: 0, runningCount: 0 }), stable({ runningCount: 2 }), stable()], 'web-green': [idle()] });
    const { b, snapshot } = await capturedSplit();
    m.elb.on(DescribeTargetHealthCommand, { TargetGroupArn: BLUE }).resolvesOnce({ TargetHealthDescriptions: [] }).resolves({
      TargetHealthDescriptions: [1, 2, 3, 4].map((i) => ({ Target: { Id: `10.0.1.${i}` }, TargetHealth: { State: 'healthy' } })),
    });
    await drive(b.clock, b.provider.restoreOld(snapshot, b.ctx(snapshot, [])));
    expect(writes(m)).toEqual([['UpdateService', { cluster: 'prod', service: 'web', desiredCount: 4 }]]);
  });

  it('rollback scales the new side back to its capture (task definition and count), but never while it still has traffic', async () => {
    m = mocks();
    listener([[BLUE, 100], [GREEN, 0]]);
    services({ web: [stable()], 'web-green': [idle(), idle(), upOn42(4), upOn42(4), upOn42(4), idle()] });
    const { b, snapshot } = await capturedSplit();
    listener([[BLUE, 50], [GREEN, 50]]);
    await expect(b.provider.rollback(snapshot, null, b.ctx(snapshot, []))).rejects.toMatchObject({ code: 'DRIFT', message: expect.stringContaining('refusing to scale service web-green down') });
    expect(writes(m)).toEqual([]);
    listener([[BLUE, 100], [GREEN, 0]]);
    m.ecs.on(UpdateServiceCommand).resolves({});
    await drive(b.clock, b.provider.rollback(snapshot, null, b.ctx(snapshot, [])));
    expect(writes(m)).toEqual([['UpdateService', { cluster: 'prod', service: 'web-green', taskDefinition: td(41), desiredCount: 0 }]]);
  });

  it('manual commands: the live side back to its size first, then the new side to its capture, then the wait', async () => {
    m = mocks();
    listener([[BLUE, 100], [GREEN, 0]]);
    services({ web: [stable()], 'web-green': [idle()] });
    const { b, snapshot } = await capturedSplit();
    const config = JSON.stringify(USER_CONFIG);
    expect(b.provider.manualRestoreCommands(snapshot)).toEqual([
      `aws ecs update-service --region 'eu-west-1' --cluster 'prod' --service 'web' --desired-count 4`,
      `aws ecs update-service --region 'eu-west-1' --cluster 'prod' --service 'web-green' --task-definition '${td(41)}' --desired-count 0 --deployment-configuration '${config}'`,
      `aws ecs wait services-stable --region 'eu-west-1' --cluster 'prod' --services 'web' 'web-green'`,
    ]);
  });
});
