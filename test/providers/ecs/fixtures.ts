import { DescribeServicesCommand, DescribeTaskDefinitionCommand, ECSClient, type Deployment, type Service, type TaskDefinition } from '@aws-sdk/client-ecs';
import { ElasticLoadBalancingV2Client, type Action } from '@aws-sdk/client-elastic-load-balancing-v2';
import { mockClient } from 'aws-sdk-client-mock';
import { parseSpec } from '../../../src/config/resolve.js';
import type { DeployEvent } from '../../../src/engine/events.js';
import { createEcsProvider, type EcsPolicy, type EcsTargetSpec } from '../../../src/providers/ecs/index.js';
import type { CapacityContext, Json } from '../../../src/providers/types.js';
import type { Plan } from '../../../src/strategies/types.js';
import { VirtualClock } from '../../../src/time/clock.js';

export const REGION = 'eu-west-1';
export const ACCOUNT = '111122223333';
export const CLUSTER_ARN = `arn:aws:ecs:${REGION}:${ACCOUNT}:cluster/prod`;
export const td = (revision: number, family = 'web') => `arn:aws:ecs:${REGION}:${ACCOUNT}:task-definition/${family}:${revision}`;
const ELB = `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}`;
export const LISTENER = `${ELB}:listener/app/web/50dc6c495c0c9188/f2f7dc8efc522ab2`;
export const RULE = `${ELB}:listener-rule/app/web/50dc6c495c0c9188/f2f7dc8efc522ab2/9683b2d02a6f2f1c`;
export const BLUE = `${ELB}:targetgroup/web-blue/73e2d6bc24d8a067`;
export const GREEN = `${ELB}:targetgroup/web-green/a1b2c3d4e5f60718`;
export const ROLE = `arn:aws:iam::${ACCOUNT}:role/ecs-infrastructure`;

/** The user's own configuration, with every member a rollout must carry through untouched. */
export const USER_CONFIG = {
  deploymentCircuitBreaker: { enable: true, rollback: true, resetOnHealthyTask: false, thresholdConfiguration: { type: 'COUNT' as const, value: 5 } },
  maximumPercent: 200,
  minimumHealthyPercent: 100,
  alarms: { alarmNames: ['web-5xx', 'web-latency'], enable: true, rollback: true },
  strategy: 'ROLLING' as const,
  lifecycleHooks: [{ hookTargetArn: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:smoke`, roleArn: ROLE, lifecycleStages: ['POST_SCALE_UP' as const] }],
};

export function deployment(id: string, revision: number, extra: Partial<Deployment> = {}): Deployment {
  return { id, status: 'PRIMARY', taskDefinition: td(revision), desiredCount: 4, runningCount: 4, pendingCount: 0, failedTasks: 0, rolloutState: 'COMPLETED', rolloutStateReason: `ECS deployment ${id} completed.`, ...extra };
}

/** A steady service of the ECS deployment controller, as DescribeServices returns it. */
export function serviceOf(name = 'web', extra: Partial<Service> = {}): Service {
  return {
    serviceName: name,
    serviceArn: `arn:aws:ecs:${REGION}:${ACCOUNT}:service/prod/${name}`,
    clusterArn: CLUSTER_ARN,
    status: 'ACTIVE',
    desiredCount: 4,
    runningCount: 4,
    pendingCount: 0,
    taskDefinition: td(41),
    deploymentConfiguration: structuredClone(USER_CONFIG),
    deployments: [deployment('ecs-svc/1', 41)],
    loadBalancers: [],
    deploymentController: { type: 'ECS' },
    schedulingStrategy: 'REPLICA',
    currentServiceDeployment: `arn:aws:ecs:${REGION}:${ACCOUNT}:service-deployment/prod/${name}/first`,
    events: [{ id: 'e1', message: `(service ${name}) has reached a steady state.` }],
    ...extra,
  };
}

export function taskDefinitionOf(revision: number, container = 'web', port = 8080): TaskDefinition {
  return { taskDefinitionArn: td(revision), family: 'web', revision, status: 'ACTIVE', containerDefinitions: [{ name: container, image: `registry/web:${revision}`, portMappings: [{ containerPort: port }] }] };
}

export function forward(groups: readonly (readonly [string, number])[]): Action[] {
  return [{ Type: 'forward', Order: 1, ForwardConfig: { TargetGroups: groups.map(([TargetGroupArn, Weight]) => ({ TargetGroupArn, Weight })), TargetGroupStickinessConfig: { Enabled: false } } }];
}

export const ROLLING_PLAN: Plan = {
  strategy: 'rolling',
  steps: [
    { type: 'deployCapacity', percent: 25 },
    { type: 'deployCapacity', percent: 50 },
    { type: 'deployCapacity', percent: 75 },
    { type: 'deployCapacity', percent: 100 },
  ],
  batch: { percent: 25 },
};

export const FAST: Partial<EcsPolicy> = { wait: { pollMs: 1_000, timeoutMs: 60_000 }, write: { attempts: 2, backoffMs: 100 }, progressDeadlineMs: 10 * 60_000 };

export function mocks() {
  const ecs = mockClient(ECSClient);
  const elb = mockClient(ElasticLoadBalancingV2Client);
  ecs.on(DescribeTaskDefinitionCommand).resolves({ taskDefinition: taskDefinitionOf(42) });
  return { ecs, elb };
}

export type Mocks = ReturnType<typeof mocks>;

export interface Built {
  readonly provider: ReturnType<typeof createEcsProvider>;
  readonly events: DeployEvent[];
  readonly clock: VirtualClock;
  ctx(snapshot: Json, checkpoints?: number[]): CapacityContext;
}

/** The provider on mocked clients; `spec` targets default to the ECS target alone. */
export function build(target: Partial<EcsTargetSpec> = {}, options: { plan?: Plan; others?: unknown[]; strategy?: string; policy?: Partial<EcsPolicy> } = {}): Built {
  const full: EcsTargetSpec = { type: 'ecs', cluster: 'prod', service: 'web', taskDefinition: 'web:42', ...target };
  const plan = options.plan ?? ROLLING_PLAN;
  const spec = parseSpec({ strategy: options.strategy ?? plan.strategy, targets: [full, ...(options.others ?? [])] });
  const ecsClient = new ECSClient({ region: REGION, credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
  const elbClient = new ElasticLoadBalancingV2Client({ region: REGION, credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
  const provider = createEcsProvider(full, { client: ecsClient, plan, spec, elbv2: async () => elbClient, policy: options.policy ?? FAST });
  const events: DeployEvent[] = [];
  const clock = new VirtualClock();
  const ctx = (snapshot: Json, checkpoints: number[] = [100]): CapacityContext => ({
    deploymentId: 'd-1',
    signal: new AbortController().signal,
    clock,
    emit: (e) => events.push(e),
    snapshot,
    checkpoints,
    ...(plan.batch ? { batch: plan.batch } : {}),
  });
  return { provider, events, clock, ctx };
}

/** Answers DescribeServices with the services given, one call after another (the last one repeats). */
export function describeSequence(m: Mocks, ...answers: (Service | Service[])[]): void {
  let stub = m.ecs.on(DescribeServicesCommand);
  for (const answer of answers) {
    stub = stub.resolvesOnce({ services: Array.isArray(answer) ? answer : [answer], failures: [] });
  }
  const last = answers[answers.length - 1]!;
  stub.resolves({ services: Array.isArray(last) ? last : [last], failures: [] });
}

/** From now on, DescribeServices answers these, one call after another (the last one repeats). */
export function describeFromNow(m: Mocks, ...answers: Service[]): void {
  const queue = [...answers];
  m.ecs.on(DescribeServicesCommand).callsFake(() => ({ services: [queue.length > 1 ? queue.shift()! : queue[0]!], failures: [] }));
}

/** Every command sent, as [name, input]. */
export function sent(m: Mocks): [string, unknown][] {
  return [...m.ecs.calls(), ...m.elb.calls()].map((c) => [c.args[0].constructor.name.replace(/Command$/, ''), c.args[0].input]);
}

export function writes(m: Mocks): [string, unknown][] {
  return sent(m).filter(([name]) => !/^(Describe|List)/.test(name));
}

/** Runs a promise that waits on the virtual clock to its end. */
export function drive<T>(clock: VirtualClock, promise: Promise<T>): Promise<T> {
  return clock.run(promise, { maxMs: 24 * 3600_000 });
}
