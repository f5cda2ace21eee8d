import { AutoScalingClient, DescribeAutoScalingGroupsCommand, DescribeInstanceRefreshesCommand, type AutoScalingGroup, type InstanceRefresh } from '@aws-sdk/client-auto-scaling';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { ClockRetryStrategy } from '../../../src/aws/retry.js';
import { parseSpec, planFromSpec } from '../../../src/config/resolve.js';
import type { ParsedDeploySpec } from '../../../src/config/schema.js';
import type { DeployEvent } from '../../../src/engine/events.js';
import type { RolloutResult } from '../../../src/engine/runRollout.js';
import type { PreflightGate } from '../../../src/engine/runtime.js';
import type { Gate } from '../../../src/gates/types.js';
import { createAsgProvider, type AsgTargetSpec } from '../../../src/providers/asg/index.js';
import type { CapacityProvider, TrafficProvider } from '../../../src/providers/types.js';
import { autoscalingService, type AutoScalingState } from '../../../src/sim/services/autoscaling/index.js';
import { cloudwatchService } from '../../../src/sim/services/cloudwatch/index.js';
import { elbv2Service } from '../../../src/sim/services/elbv2/index.js';
import type { Elbv2State } from '../../../src/sim/services/elbv2/state.js';
import type { WorldSeed } from '../../../src/sim/seed.js';
import type { Plan } from '../../../src/strategies/types.js';
import { harness } from '../../fakes/harness.js';
import { clientConfig, simWorld } from '../../sim/simFixture.js';

/**
 * An ALB (listener 80: web-blue 100, web-green 0) in front of Auto Scaling group `web` (4 instances of launch
 * template `web-lt` v1, ELB health checks) and an empty group `web-green` behind web-green; 100 requests a second;
 * a 5xx alarm on each target group. Launch template versions: v1 and v2 good, v3 fails its health checks, v4
 * answers half its requests with 5xx. Template `app-lt` has only v1 and v2 ($Latest = v2).
 */
export function asgSeed(options: { desired?: number; greenTemplate?: string } = {}): WorldSeed {
  const healthCheck = { intervalSeconds: 10, healthyThreshold: 2, unhealthyThreshold: 2 };
  const alarm = (tg: string) => ({
    name: `${tg}-5xx`,
    namespace: 'AWS/ApplicationELB',
    metric: 'HTTPCode_Target_5XX_Count',
    dimensions: { TargetGroup: `\${tg:${tg}.dimension}`, LoadBalancer: '${lb:web.dimension}' },
    statistic: 'Sum',
    period: 60,
    evaluationPeriods: 1,
    threshold: 100,
    comparison: '>',
    treatMissingData: 'notBreaching',
  });
  return {
    versions: { v1: { startSeconds: 20, errorRate: 0.001 }, v2: { startSeconds: 20, errorRate: 0.001 }, v3: { startSeconds: 20, healthy: false }, v4: { startSeconds: 20, errorRate: 0.5 } },
    artifacts: { 'ami-1': 'v1', 'ami-2': 'v2', 'ami-3': 'v3', 'ami-4': 'v4' },
    elbv2: {
      loadBalancers: [
        {
          name: 'web',
          targetGroups: [
            { name: 'web-blue', healthCheck, deregistrationDelaySeconds: 30 },
            { name: 'web-green', healthCheck, deregistrationDelaySeconds: 30 },
          ],
          listeners: [{ port: 80, forward: { 'web-blue': 100, 'web-green': 0 } }],
        },
      ],
    },
    autoscaling: {
      launchTemplates: [
        { name: 'web-lt', versions: [{ imageId: 'ami-1' }, { imageId: 'ami-2' }, { imageId: 'ami-3' }, { imageId: 'ami-4' }] },
        { name: 'app-lt', versions: [{ imageId: 'ami-1' }, { imageId: 'ami-2' }] },
      ],
      groups: [
        { name: 'web', launchTemplate: { name: 'web-lt', version: 1 }, minSize: 2, maxSize: Math.max(12, (options.desired ?? 4) * 2), desiredCapacity: options.desired ?? 4, targetGroups: ['${tg:web-blue.arn}'], healthCheckType: 'ELB', healthCheckGracePeriod: 30, defaultInstanceWarmup: 30 },
        { name: 'web-green', launchTemplate: { name: options.greenTemplate ?? 'web-lt', version: 1 }, minSize: 0, maxSize: 0, desiredCapacity: 0, targetGroups: ['${tg:web-green.arn}'], healthCheckType: 'ELB', healthCheckGracePeriod: 30 },
        { name: 'app', launchTemplate: { name: 'app-lt', version: 1 }, minSize: 1, maxSize: 8, desiredCapacity: 4, healthCheckGracePeriod: 10, defaultInstanceWarmup: 10 },
      ],
    },
    cloudwatch: { alarms: [alarm('web-blue'), alarm('web-green')] },
    traffic: [{ service: 'elbv2', resource: '${listener:web:80.arn}', rps: 100 }],
  };
}

/** The world, production-like clients (retries on the world's clock) and lookups. */
export function asgWorld(seed: WorldSeed = asgSeed()) {
  const { world, clock } = simWorld([elbv2Service, autoscalingService, cloudwatchService], seed);
  const { maxAttempts: _one, ...config } = clientConfig(world);
  const retry = () => ({ ...config, retryStrategy: new ClockRetryStrategy(clock) });
  const asg = new AutoScalingClient(retry());
  const elb = new ElasticLoadBalancingV2Client(retry());
  const cloudwatch = new CloudWatchClient(retry());
  const state = (): AutoScalingState => {
    world.sync();
    return world.stateOf<AutoScalingState>('autoscaling');
  };
  const elbState = (): Elbv2State => world.stateOf<Elbv2State>('elbv2');
  const tg = (name: string): string => Object.values(elbState().targetGroups).find((g) => g.name === name)!.arn;
  const listener = (): string => Object.values(elbState().listeners).find((l) => l.port === 80)!.arn;
  /** App versions of a group's instances that are not terminating, sorted. */
  const versions = (group = 'web'): string[] =>
    Object.values(state().instances)
      .filter((i) => i.group === group && i.lifecycle !== 'Terminating')
      .map((i) => `${i.version}${i.lifecycle === 'InService' && i.health === 'Healthy' ? '' : `:${i.lifecycle}/${i.health}`}`)
      .sort();
  const group = async (name = 'web'): Promise<AutoScalingGroup> => (await asg.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [name] }))).AutoScalingGroups![0]!;
  const refreshes = async (name = 'web'): Promise<InstanceRefresh[]> => (await asg.send(new DescribeInstanceRefreshesCommand({ AutoScalingGroupName: name }))).InstanceRefreshes!;
  /** Calls the world answered for one service, per operation (every attempt counts). */
  const calls = (service = 'autoscaling'): Record<string, number> => {
    const counts: Record<string, number> = {};
    for (const c of world.state.calls) if (c.service === service) counts[c.operation] = (counts[c.operation] ?? 0) + 1;
    return counts;
  };
  return { world, clock, asg, elb, cloudwatch, state, tg, listener, versions, group, refreshes, calls };
}

export type AsgWorld = ReturnType<typeof asgWorld>;

export interface Deployment {
  readonly spec: ParsedDeploySpec;
  readonly plan: Plan;
  readonly target: AsgTargetSpec;
}

export function deployment(options: Record<string, unknown>): Deployment {
  const spec = parseSpec(options);
  return { spec, plan: planFromSpec(spec), target: spec.targets.find((t) => t.type === 'asg') as AsgTargetSpec };
}

/** The provider as the registry should build it: its Auto Scaling client, and the ELBv2 client for target health. */
export function asgProvider(w: AsgWorld, d: Deployment, options: { withElb?: boolean } = {}): CapacityProvider {
  const elbv2 = options.withElb === false ? {} : { elbv2: async () => w.elb };
  return createAsgProvider(d.target, { client: w.asg, plan: d.plan, spec: d.spec, ...elbv2, timings: { pollMs: 10_000 } });
}

/** Runs a whole rollout through the machine on the world's clock; `sample` sees every event as it happens. */
export async function rollout(w: AsgWorld, d: Deployment, parts: { capacity: CapacityProvider[]; traffic?: TrafficProvider[]; gates?: (Gate | PreflightGate)[] }, sample?: (event: DeployEvent) => void) {
  const h = harness({ clock: w.clock, capacity: parts.capacity, traffic: parts.traffic ?? [], gates: parts.gates ?? [] });
  const emit = h.runtime.emit;
  Object.assign(h.runtime, {
    emit: (event: Parameters<typeof emit>[0]) => {
      emit(event);
      sample?.(h.events[h.events.length - 1]!);
    },
  });
  const result: RolloutResult = await h.run(d.plan);
  return { result, events: h.events };
}

/** Seconds from the first event of `type` to the first of `then` after it. */
export function secondsBetween(events: readonly DeployEvent[], first: (e: DeployEvent) => boolean, then: (e: DeployEvent) => boolean): number {
  const start = events.find(first);
  const end = events.find((e) => then(e) && start !== undefined && e.at >= start.at);
  return start && end ? (end.at - start.at) / 1000 : NaN;
}
