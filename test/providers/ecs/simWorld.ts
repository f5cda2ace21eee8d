import { DescribeServicesCommand, ECSClient, type Service } from '@aws-sdk/client-ecs';
import { DescribeListenersCommand, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { ClockRetryStrategy } from '../../../src/aws/retry.js';
import type { ParsedDeploySpec } from '../../../src/config/schema.js';
import { parseSpec } from '../../../src/config/resolve.js';
import { createAlbProvider } from '../../../src/providers/alb/index.js';
import { createEcsProvider, type EcsPolicy, type EcsTargetSpec } from '../../../src/providers/ecs/index.js';
import { cloudwatchService } from '../../../src/sim/services/cloudwatch/index.js';
import { ecsService } from '../../../src/sim/services/ecs/index.js';
import type { EcsState } from '../../../src/sim/services/ecs/state.js';
import { elbv2Service } from '../../../src/sim/services/elbv2/index.js';
import type { Elbv2State } from '../../../src/sim/services/elbv2/state.js';
import type { WorldSeed } from '../../../src/sim/seed.js';
import type { Plan } from '../../../src/strategies/types.js';
import { clientConfig, simWorld } from '../../sim/simFixture.js';

/** Task definitions web:1 (v1), web:2 (v2), web:3 (fails its health checks), web:4 (serves 50% errors). */
const TASK_DEFINITIONS = [{ family: 'web', revisions: ['web:1', 'web:2', 'web:bad', 'web:errors'].map((image) => ({ image, containerPort: 8080 })) }];
const VERSIONS = {
  v1: { errorRate: 0.001, latencyMs: 50, startSeconds: 20 },
  v2: { errorRate: 0.002, latencyMs: 40, startSeconds: 20 },
  bad: { errorRate: 0.5, latencyMs: 40, healthy: false, startSeconds: 20 },
  errors: { errorRate: 0.5, latencyMs: 80, startSeconds: 20 },
};
const ARTIFACTS = { 'web:1': 'v1', 'web:2': 'v2', 'web:bad': 'bad', 'web:errors': 'errors' };

export const BREAKER = { deploymentCircuitBreaker: { enable: true, rollback: true } };

/** prod/web: 4 tasks of web:1 without a load balancer, the circuit breaker on with rollback. */
export function rollingSeed(deploymentConfiguration: Record<string, unknown> = BREAKER, desiredCount = 4): WorldSeed {
  return {
    apiLimits: false,
    versions: VERSIONS,
    artifacts: ARTIFACTS,
    ecs: { taskDefinitions: TASK_DEFINITIONS, clusters: [{ name: 'prod', services: [{ name: 'web', taskDefinition: 'web:1', desiredCount, deploymentConfiguration }] }] },
    traffic: [{ service: 'ecs', resource: 'prod/web', rps: 20 }],
  };
}

/**
 * The `web` ALB, listener 80 forwarding 100/0 to web-blue and web-green; prod/web (3 tasks of web:1) behind
 * web-blue, prod/web-green idle (0 tasks of web:1) behind web-green. Health checks every 10 s, 2 to pass.
 */
export function splitSeed(extra: { alarms?: unknown } = {}): WorldSeed {
  const group = (name: string) => ({ name, port: 8080, healthCheck: { intervalSeconds: 10, healthyThreshold: 2, unhealthyThreshold: 2 }, deregistrationDelaySeconds: 20, targets: [] });
  const service = (name: string, tg: string, desiredCount: number) => ({
    name,
    taskDefinition: 'web:1',
    desiredCount,
    loadBalancers: [{ targetGroupArn: `\${tg:${tg}.arn}`, containerName: 'web', containerPort: 8080 }],
    deploymentConfiguration: BREAKER,
  });
  return {
    apiLimits: false,
    versions: VERSIONS,
    artifacts: ARTIFACTS,
    elbv2: { loadBalancers: [{ name: 'web', targetGroups: [group('web-blue'), group('web-green')], listeners: [{ port: 80, forward: { 'web-blue': 100, 'web-green': 0 } }] }] },
    ecs: { taskDefinitions: TASK_DEFINITIONS, clusters: [{ name: 'prod', services: [service('web', 'web-blue', 3), service('web-green', 'web-green', 0)] }] },
    ...(extra.alarms ? { cloudwatch: { alarms: extra.alarms } } : {}),
    traffic: [{ service: 'elbv2', resource: '${listener:web:80.arn}', rps: 20 }],
  };
}

export const FAST: Partial<EcsPolicy> = { wait: { pollMs: 5_000, timeoutMs: 20 * 60_000 } };

/** The world with real SDK clients (retries on the world's clock), and lookups. */
export function ecsSimWorld(seed: WorldSeed) {
  const services = seed.elbv2 ? [elbv2Service, ecsService, cloudwatchService] : [ecsService, cloudwatchService];
  const { world, clock } = simWorld(services, seed);
  const { maxAttempts: _one, ...config } = clientConfig(world);
  const retry = { retryStrategy: new ClockRetryStrategy(clock) };
  const ecs = new ECSClient({ ...config, ...retry });
  const elb = new ElasticLoadBalancingV2Client({ ...config, ...retry });
  const ecsState = (): EcsState => world.stateOf<EcsState>('ecs');
  const tg = (name: string): string => Object.values(world.stateOf<Elbv2State>('elbv2').targetGroups).find((g) => g.name === name)!.arn;
  const listener = (): string => Object.values(world.stateOf<Elbv2State>('elbv2').listeners)[0]!.arn;
  const service = async (name = 'web'): Promise<Service> => (await ecs.send(new DescribeServicesCommand({ cluster: 'prod', services: [name] }))).services![0]!;
  const listenerActions = async () => (await elb.send(new DescribeListenersCommand({ ListenerArns: [listener()] }))).Listeners![0]!.DefaultActions!;
  const taskDefinition = (revision: number): string => ecsState().taskDefinitions.web![revision - 1]!.arn;
  return { world, clock, ecs, elb, ecsState, tg, listener, service, listenerActions, taskDefinition };
}

export type EcsSim = ReturnType<typeof ecsSimWorld>;

export function specOf(targets: unknown[], strategy: ParsedDeploySpec['strategy'] = 'rolling'): ParsedDeploySpec {
  return parseSpec({ strategy, targets });
}

/** The ECS provider on the sim's clients. */
export function ecsProvider(sim: EcsSim, target: Partial<EcsTargetSpec>, plan: Plan, spec?: ParsedDeploySpec, policy: Partial<EcsPolicy> = FAST) {
  const full: EcsTargetSpec = { type: 'ecs', cluster: 'prod', service: 'web', taskDefinition: 'web:2', ...target };
  return createEcsProvider(full, { client: sim.ecs, plan, spec: spec ?? specOf([full]), elbv2: async () => sim.elb, policy });
}

/** The ALB provider for the split world (stable web-blue, canary web-green, or ping-pong). */
export function albProvider(sim: EcsSim, plan: Plan, pingPong = false) {
  const target = pingPong
    ? { type: 'alb' as const, listenerArn: sim.listener(), targetGroupArns: [sim.tg('web-blue'), sim.tg('web-green')] as [string, string] }
    : { type: 'alb' as const, listenerArn: sim.listener(), stableTargetGroupArn: sim.tg('web-blue'), canaryTargetGroupArn: sim.tg('web-green') };
  return { target, provider: createAlbProvider(target, { client: sim.elb, plan }) };
}

