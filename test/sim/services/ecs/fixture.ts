import { DescribeServicesCommand, ECSClient, type Service } from '@aws-sdk/client-ecs';
import { expect } from 'vitest';
import type { AlarmStateValue, TargetHealthState, TargetRegistry } from '../../../../src/sim/services/contracts.js';
import { ecsService } from '../../../../src/sim/services/ecs/index.js';
import type { WorldSeed } from '../../../../src/sim/seed.js';
import type { AppVersion, SimService } from '../../../../src/sim/types.js';
import type { World } from '../../../../src/sim/world.js';
import type { VirtualClock } from '../../../../src/time/clock.js';
import { clientConfig, simWorld, T0 } from '../../simFixture.js';

export { T0 };

/**
 * Test doubles for the services ECS talks to, until (and besides) the real ones: an 'elbv2' with a target
 * registry whose health checks take HEALTH_CHECK_MS after registration and whose deregistration drains for
 * DRAIN_MS, and a 'cloudwatch' whose alarm states a test sets directly.
 */

export const HEALTH_CHECK_MS = 15_000;
export const DRAIN_MS = 10_000;

interface StubTarget {
  id: string;
  port?: number;
  version: string;
  state: TargetHealthState;
  nextAt?: number;
}

interface StubElbState {
  groups: Record<string, StubTarget[]>;
}

function elbState(world: World): StubElbState {
  return world.stateOf<StubElbState>('elbv2');
}

const registry: TargetRegistry = {
  register(world, group, targets) {
    const list = (elbState(world).groups[group] ??= []);
    for (const t of targets) {
      const existing = list.findIndex((x) => x.id === t.id);
      if (existing >= 0) list.splice(existing, 1);
      list.push({ id: t.id, version: t.version, state: 'initial', nextAt: world.state.now + HEALTH_CHECK_MS, ...(t.port !== undefined ? { port: t.port } : {}) });
    }
  },
  deregister(world, group, ids) {
    for (const t of elbState(world).groups[group] ?? []) {
      if (ids.includes(t.id) && t.state !== 'draining') Object.assign(t, { state: 'draining', nextAt: world.state.now + DRAIN_MS });
    }
  },
  health: (world, group, id) => elbState(world).groups[group]?.find((t) => t.id === id)?.state,
  exists: (world, group) => group in elbState(world).groups,
};

export const stubElb: SimService<StubElbState> & { targets: TargetRegistry } = {
  name: 'elbv2',
  initialState: () => ({ groups: {} }),
  operations: {},
  targets: registry,
  seed: (ctx, spec, refs) => {
    for (const arn of (spec as { targetGroups: string[] }).targetGroups) {
      ctx.state.groups[arn] = [];
      refs.set(`tg:${arn.split('/')[1]}`, { arn });
    }
  },
  nextEventAt: (ctx) => {
    const times = Object.values(ctx.state.groups)
      .flat()
      .map((t) => t.nextAt)
      .filter((t): t is number => t !== undefined);
    return times.length > 0 ? Math.min(...times) : undefined;
  },
  advance: (ctx) => {
    for (const list of Object.values(ctx.state.groups)) {
      for (const t of [...list]) {
        if (t.nextAt === undefined || t.nextAt > ctx.now) continue;
        delete t.nextAt;
        if (t.state === 'draining') list.splice(list.indexOf(t), 1);
        else t.state = ctx.world.version(t.version).healthy ? 'healthy' : 'unhealthy';
      }
    }
  },
};
interface StubCloudWatchState {
  alarms: Record<string, AlarmStateValue>;
}

export const stubCloudWatch: SimService<StubCloudWatchState> & { alarms: { state(world: World, name: string): AlarmStateValue | undefined } } = {
  name: 'cloudwatch',
  initialState: () => ({ alarms: {} }),
  operations: {},
  alarms: { state: (world, name) => world.stateOf<StubCloudWatchState>('cloudwatch').alarms[name] },
};

/** Sets an alarm's state from now on (time catches up first, so earlier scheduler passes saw the old state). */
export function setAlarm(world: World, name: string, state: AlarmStateValue): void {
  world.sync();
  world.stateOf<StubCloudWatchState>('cloudwatch').alarms[name] = state;
}

export const TG_BLUE = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web-blue/0123456789abcdef';
export const TG_GREEN = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web-green/fedcba9876543210';

export const VERSIONS: Record<string, Partial<AppVersion>> = {
  v1: { errorRate: 0.001, latencyMs: 50, healthy: true, startSeconds: 20 },
  v2: { errorRate: 0.002, latencyMs: 40, healthy: true, startSeconds: 20 },
  bad: { errorRate: 0.5, latencyMs: 40, healthy: false, startSeconds: 20 },
  errors: { errorRate: 0.5, latencyMs: 80, healthy: true, startSeconds: 20 },
};

export const ARTIFACTS = { 'web:1': 'v1', 'web:2': 'v2', 'web:bad': 'bad', 'web:errors': 'errors' };

/** A world with ECS (and optionally the test ELB and CloudWatch), seeded with task definitions web:1..4 and cluster prod. */
export function ecsWorld(options: { elb?: boolean; cloudwatch?: boolean; seed?: WorldSeed } = {}): { world: World; clock: VirtualClock; ecs: ECSClient } {
  const services: SimService[] = [ecsService];
  if (options.elb) services.unshift(stubElb);
  if (options.cloudwatch) services.push(stubCloudWatch);
  const seed: WorldSeed = {
    versions: VERSIONS,
    artifacts: ARTIFACTS,
    ...(options.elb ? { elbv2: { targetGroups: [TG_BLUE, TG_GREEN] } } : {}),
    ecs: {
      taskDefinitions: [{ family: 'web', revisions: [{ image: 'web:1', containerPort: 8080 }, { image: 'web:2', containerPort: 8080 }, { image: 'web:bad', containerPort: 8080 }, { image: 'web:errors', containerPort: 8080 }] }],
      clusters: [{ name: 'prod' }],
    },
    ...options.seed,
  };
  const { world, clock } = simWorld(services, seed);
  return { world, clock, ecs: new ECSClient(clientConfig(world)) };
}

export async function describeService(ecs: ECSClient, service = 'web', cluster = 'prod'): Promise<Service> {
  const out = await ecs.send(new DescribeServicesCommand({ cluster, services: [service] }));
  expect(out.services).toHaveLength(1);
  return out.services![0]!;
}

/** Advances the virtual clock one step at a time, calling `each` after every step (time syncs on each call). */
export async function step(clock: VirtualClock, totalMs: number, stepMs: number, each: () => Promise<void>): Promise<void> {
  for (let t = 0; t < totalMs; t += stepMs) {
    clock.advance(stepMs);
    await each();
  }
}

/** The SDK error a call fails with. */
export async function failure(promise: Promise<unknown>): Promise<{ name: string; message: string; $metadata: { httpStatusCode?: number } }> {
  try {
    await promise;
  } catch (error) {
    return error as { name: string; message: string; $metadata: { httpStatusCode?: number } };
  }
  throw new Error('expected the call to fail');
}
