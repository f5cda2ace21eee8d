import { AutoScalingClient, DescribeAutoScalingGroupsCommand, DescribeInstanceRefreshesCommand } from '@aws-sdk/client-auto-scaling';
import type { AutoScalingGroup, InstanceRefresh } from '@aws-sdk/client-auto-scaling';
import { autoscalingService, type AutoScalingState } from '../../../../src/sim/services/autoscaling/index.js';
import type { AlarmReader, AlarmStateValue, SimTarget, TargetHealthState, TargetRegistry } from '../../../../src/sim/services/contracts.js';
import type { SimService } from '../../../../src/sim/types.js';
import type { WorldSeed } from '../../../../src/sim/seed.js';
import type { World } from '../../../../src/sim/world.js';
import { clientConfig, simWorld } from '../../simFixture.js';

export const TG_WEB = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/0123456789abcdef';
export const TG_OTHER = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/other/fedcba9876543210';

interface StubTarget {
  readonly version: string;
  readonly registeredAt: number;
}

/**
 * A stand-in ELBv2 with just the target registry: a target is `initial` for `checkSeconds` after registration plus
 * its version's startSeconds, then `healthy` or `unhealthy` by its version (the world's AppVersion.healthy).
 */
export class StubElb {
  readonly targets = new Map<string, Map<string, StubTarget>>();
  /** Target ids reported unhealthy whatever their version (a broken host). */
  readonly unhealthy = new Set<string>();
  checkSeconds = 10;

  constructor(targetGroups: readonly string[] = [TG_WEB, TG_OTHER]) {
    for (const arn of targetGroups) this.targets.set(arn, new Map());
  }

  service(): SimService & { targets: TargetRegistry } {
    const registry: TargetRegistry = {
      register: (world, arn, targets: readonly SimTarget[]) => {
        for (const t of targets) this.targets.get(arn)?.set(t.id, { version: t.version, registeredAt: world.state.now });
      },
      deregister: (_world, arn, ids) => {
        for (const id of ids) this.targets.get(arn)?.delete(id);
      },
      health: (world, arn, id): TargetHealthState | undefined => {
        const target = this.targets.get(arn)?.get(id);
        if (!target) return undefined;
        if (this.unhealthy.has(id)) return 'unhealthy';
        const app = world.version(target.version);
        if (world.state.now < target.registeredAt + (app.startSeconds + this.checkSeconds) * 1000) return 'initial';
        return app.healthy ? 'healthy' : 'unhealthy';
      },
      exists: (_world, arn) => this.targets.has(arn),
    };
    return { name: 'elbv2', initialState: () => ({}), operations: {}, targets: registry };
  }

  registered(arn: string): string[] {
    return [...(this.targets.get(arn)?.keys() ?? [])].sort();
  }
}

/** A stand-in CloudWatch whose alarm states a test sets directly. */
export class StubAlarms {
  readonly states = new Map<string, AlarmStateValue>();

  service(): SimService & { alarms: AlarmReader } {
    return { name: 'cloudwatch', initialState: () => ({}), operations: {}, alarms: { state: (_world, name) => this.states.get(name) } };
  }
}

/** Launch template `web` with versions v1 (ami-web-1), v2 (ami-web-2), v3 (ami-web-3, a broken build). */
export const WEB_TEMPLATE = {
  name: 'web',
  versions: [{ imageId: 'ami-web-1' }, { imageId: 'ami-web-2', instanceType: 't3.small' }, { imageId: 'ami-web-3' }],
};

export const VERSIONS = {
  v1: { startSeconds: 20, errorRate: 0.01, latencyMs: 50 },
  v2: { startSeconds: 20, errorRate: 0.02, latencyMs: 80 },
  v3: { startSeconds: 20, healthy: false },
};

export const ARTIFACTS = { 'ami-web-1': 'v1', 'ami-web-2': 'v2', 'ami-web-3': 'v3' };

export interface GroupSeedOptions {
  readonly desiredCapacity?: number;
  readonly maxSize?: number;
  readonly minSize?: number;
  readonly version?: string;
  readonly targetGroups?: readonly string[];
  readonly healthCheckType?: string;
  readonly healthCheckGracePeriod?: number;
  readonly defaultInstanceWarmup?: number;
}

export function webGroup(options: GroupSeedOptions = {}): Record<string, unknown> {
  return {
    name: 'web-asg',
    launchTemplate: { name: 'web', version: options.version ?? '1' },
    minSize: options.minSize ?? 0,
    maxSize: options.maxSize ?? 20,
    desiredCapacity: options.desiredCapacity ?? 4,
    ...(options.targetGroups ? { targetGroups: options.targetGroups } : {}),
    ...(options.healthCheckType ? { healthCheckType: options.healthCheckType } : {}),
    healthCheckGracePeriod: options.healthCheckGracePeriod ?? 10,
    ...(options.defaultInstanceWarmup !== undefined ? { defaultInstanceWarmup: options.defaultInstanceWarmup } : {}),
  };
}

export interface Harness {
  readonly world: World;
  readonly clock: ReturnType<typeof simWorld>['clock'];
  readonly client: AutoScalingClient;
  readonly elb: StubElb;
  readonly alarms: StubAlarms;
  state(): AutoScalingState;
  group(name?: string): Promise<AutoScalingGroup>;
  refresh(name?: string): Promise<InstanceRefresh>;
  /** Advances the virtual clock in steps, syncing the world at each (time-driven changes apply in order either way). */
  advance(seconds: number): void;
}

export function harness(groups: readonly Record<string, unknown>[] = [webGroup()], extra: Partial<WorldSeed> = {}, services: { elb?: StubElb; alarms?: StubAlarms; withElb?: boolean } = {}): Harness {
  const elb = services.elb ?? new StubElb();
  const alarms = services.alarms ?? new StubAlarms();
  const list: SimService[] = [autoscalingService, alarms.service()];
  if (services.withElb !== false) list.push(elb.service());
  const { world, clock } = simWorld(list, { versions: VERSIONS, artifacts: ARTIFACTS, autoscaling: { launchTemplates: [WEB_TEMPLATE], groups }, ...extra });
  const client = new AutoScalingClient(clientConfig(world));
  return {
    world,
    clock,
    client,
    elb,
    alarms,
    state: () => {
      world.sync();
      return world.stateOf<AutoScalingState>('autoscaling');
    },
    group: async (name = 'web-asg') => (await client.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [name] }))).AutoScalingGroups![0]!,
    refresh: async (name = 'web-asg') => (await client.send(new DescribeInstanceRefreshesCommand({ AutoScalingGroupName: name }))).InstanceRefreshes![0]!,
    advance: (seconds: number) => {
      clock.advance(seconds * 1000);
      world.sync();
    },
  };
}

/** The rejection of a promise (fails the test when it resolves). */
export async function failureOf(promise: Promise<unknown>): Promise<Error & { name: string; message: string; $metadata: { httpStatusCode?: number } }> {
  try {
    await promise;
  } catch (error) {
    return error as Error & { name: string; message: string; $metadata: { httpStatusCode?: number } };
  }
  throw new Error('expected the call to fail, but it succeeded');
}

/** App versions of the group's instances (not terminating), sorted. */
export function versionsOf(h: Harness, group = 'web-asg'): string[] {
  return Object.values(h.state().instances)
    .filter((i) => i.group === group && i.lifecycle !== 'Terminating')
    .map((i) => i.version)
    .sort();
}
