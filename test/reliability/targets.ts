import type { TargetSpec } from '../../src/config/schema.js';
import type { Json } from '../../src/providers/types.js';
import type { WorldSeed } from '../../src/sim/seed.js';
import type { AutoScalingState } from '../../src/sim/services/autoscaling/state.js';
import type { EcsState } from '../../src/sim/services/ecs/state.js';
import type { Elbv2State } from '../../src/sim/services/elbv2/state.js';
import type { LambdaState } from '../../src/sim/services/lambda/state.js';
import type { Route53State } from '../../src/sim/services/route53/state.js';
import type { ServiceName } from '../../src/sim/types.js';
import type { World } from '../../src/sim/world.js';

/**
 * The five kinds of target of the reliability suite, each with a world in which the new version is healthy and an
 * alarm named `errors` watches it, and with the three readings the invariants need — all read from the world's own
 * state, never through the provider under test:
 * - `live`: the configuration that decides where traffic goes (weights, alias routing, the desired task definition
 *   or launch template version), as a share of the new version plus any problem with it;
 * - `restorable`: every field a rollback must put back exactly;
 * - the traffic source, whose flows (the world's traffic model) must always add up to every request.
 */
export type TargetKind = 'alb' | 'lambda' | 'route53' | 'ecs' | 'asg' | 'ecs-alb';

export interface LiveConfig {
  /** The configured share of the new version, percent (for capacity targets: 100 while the new version is desired). */
  readonly share: number | undefined;
  /** What is wrong with the configuration itself (all-zero weights, a third group, a weight out of range...). */
  readonly problems: readonly string[];
}

export interface TargetCase {
  readonly kind: TargetKind;
  /** The AWS service the target's provider calls (faults aimed at the target are injected there). */
  readonly service: ServiceName;
  /** Further services of a combined target, which faults aimed at it also hit. */
  readonly alsoServices?: readonly ServiceName[];
  readonly role: 'traffic' | 'capacity';
  seed(): WorldSeed;
  target(world: World): TargetSpec;
  /** A combined target's specs (new capacity, then the traffic split); `[target(world)]` otherwise. */
  targets?(world: World): TargetSpec[];
  live(world: World): LiveConfig;
  restorable(world: World): Json;
  /** An out-of-band writer of this target (a `--fault` spec), changing it `at` seconds in. */
  writer(at: number): string;
  /** Where the world's requests enter, for the traffic-model check. */
  readonly traffic: { readonly service: ServiceName; readonly resource: (world: World) => string; readonly rps: number };
}

const VERSIONS = { v1: { errorRate: 0.001, latencyMs: 50, startSeconds: 10 }, v2: { errorRate: 0.001, latencyMs: 45, startSeconds: 10 } };

/** A metric alarm that stays OK while the new version is healthy (faults force it into other states). */
function errorsAlarm(namespace: string, metric: string, dimensions: Record<string, string>): Record<string, unknown> {
  return { name: 'errors', namespace, metric, dimensions, statistic: 'Sum', period: 60, evaluationPeriods: 1, threshold: 10_000, comparison: '>', treatMissingData: 'notBreaching' };
}

/** A deep copy, as the JSON it is. */
const json = (value: unknown): Json => JSON.parse(JSON.stringify(value)) as Json;

// ---------------------------------------------------------------------------------------------------------- ALB

const HEALTH = { intervalSeconds: 10, healthyThreshold: 2, unhealthyThreshold: 2 };

function elb(world: World): Elbv2State {
  return world.stateOf<Elbv2State>('elbv2');
}

function tgArn(world: World, name: string): string {
  const group = Object.values(elb(world).targetGroups).find((g) => g.name === name);
  if (!group) throw new Error(`no target group ${name}`);
  return group.arn;
}

function listener80(world: World) {
  const listener = Object.values(elb(world).listeners).find((l) => l.port === 80);
  if (!listener) throw new Error('no listener on port 80');
  return listener;
}

export const ALB: TargetCase = {
  kind: 'alb',
  service: 'elbv2',
  role: 'traffic',
  seed: () => ({
    versions: VERSIONS,
    elbv2: {
      loadBalancers: [
        {
          name: 'web',
          targetGroups: [
            { name: 'web-blue', healthCheck: HEALTH, deregistrationDelaySeconds: 30, targets: { count: 2, version: 'v1' } },
            { name: 'web-green', healthCheck: HEALTH, deregistrationDelaySeconds: 30, targets: { count: 2, version: 'v2' } },
          ],
          listeners: [
            {
              port: 80,
              forward: { 'web-blue': 100, 'web-green': 0 },
              stickiness: { enabled: true, durationSeconds: 300 },
              rules: [{ priority: 10, pathPattern: '/api/*', forward: { 'web-blue': 1 } }],
            },
          ],
        },
      ],
    },
    cloudwatch: { alarms: [errorsAlarm('AWS/ApplicationELB', 'HTTPCode_Target_5XX_Count', { TargetGroup: '${tg:web-green.dimension}', LoadBalancer: '${lb:web.dimension}' })] },
    traffic: [{ service: 'elbv2', resource: '${listener:web:80.arn}', rps: 100 }],
  }),
  target: (world) => ({ type: 'alb', listenerArn: listener80(world).arn, stableTargetGroupArn: tgArn(world, 'web-blue'), canaryTargetGroupArn: tgArn(world, 'web-green') }),
  live: (world) => {
    const blue = tgArn(world, 'web-blue');
    const green = tgArn(world, 'web-green');
    const forward = listener80(world).defaultActions.find((a) => a.Type === 'forward');
    const tuples = forward?.ForwardConfig?.TargetGroups ?? (forward?.TargetGroupArn ? [{ TargetGroupArn: forward.TargetGroupArn, Weight: 1 }] : []);
    const problems: string[] = [];
    if (!forward) problems.push('the listener has no forward action');
    const others = tuples.filter((t) => t.TargetGroupArn !== blue && t.TargetGroupArn !== green);
    if (others.length > 0) problems.push(`the forward action holds other target groups: ${others.map((t) => t.TargetGroupArn).join(', ')}`);
    for (const t of tuples) if ((t.Weight ?? 1) < 0 || (t.Weight ?? 1) > 999) problems.push(`weight ${t.Weight} is outside 0..999`);
    const total = tuples.reduce((sum, t) => sum + (t.Weight ?? 1), 0);
    if (total <= 0) problems.push('every target group weight is 0 (the load balancer answers 503)');
    const canary = tuples.filter((t) => t.TargetGroupArn === green).reduce((sum, t) => sum + (t.Weight ?? 1), 0);
    return { share: total > 0 ? (canary * 100) / total : undefined, problems };
  },
  restorable: (world) => {
    const listener = listener80(world);
    const rules = Object.values(elb(world).rules).filter((r) => r.listenerArn === listener.arn);
    const groups = Object.values(elb(world).targetGroups).map((g) => ({ name: g.name, attributes: g.attributes, healthCheck: g.healthCheck }));
    return json({ defaultActions: listener.defaultActions, rules: rules.map((r) => ({ priority: r.priority, conditions: r.conditions, actions: r.actions })), groups });
  },
  writer: (at) => `writer:elbv2@${at}s:weight=40`,
  traffic: { service: 'elbv2', resource: (world) => listener80(world).arn, rps: 100 },
};

// ------------------------------------------------------------------------------------------------------- Lambda

function alias(world: World) {
  const record = world.stateOf<LambdaState>('lambda').functions.checkout?.aliases.live;
  if (!record) throw new Error('no alias checkout:live');
  return record;
}

export const LAMBDA: TargetCase = {
  kind: 'lambda',
  service: 'lambda',
  role: 'traffic',
  seed: () => ({
    versions: VERSIONS,
    lambda: {
      settleSeconds: 0,
      functions: [
        {
          name: 'checkout',
          versions: [
            { version: 1, artifact: 'v1', description: 'current' },
            { version: 2, artifact: 'v2', description: 'new' },
          ],
          aliases: [{ name: 'live', version: 1, description: 'production' }],
        },
      ],
    },
    cloudwatch: { alarms: [errorsAlarm('AWS/Lambda', 'Errors', { FunctionName: 'checkout' })] },
    traffic: [{ service: 'lambda', resource: 'checkout:live', rps: 50 }],
  }),
  target: () => ({ type: 'lambda', functionName: 'checkout', alias: 'live', toVersion: 2 }),
  live: (world) => {
    const a = alias(world);
    const problems: string[] = [];
    const entries = Object.entries(a.routing);
    if (entries.length > 1) problems.push(`routing to ${entries.length} additional versions`);
    const extra = entries.reduce((sum, [, w]) => sum + w, 0);
    for (const [version, weight] of entries) if (weight < 0 || weight > 1) problems.push(`weight ${weight} of version ${version} is outside 0..1`);
    if (!['1', '2'].includes(a.functionVersion)) problems.push(`the alias points at version ${a.functionVersion}`);
    for (const [version] of entries) if (!['1', '2'].includes(version) || version === a.functionVersion) problems.push(`routing to version ${version} beside primary ${a.functionVersion}`);
    const share = a.functionVersion === '2' ? 100 * (1 - extra) : 100 * (a.routing['2'] ?? 0);
    return { share, problems };
  },
  restorable: (world) => {
    const a = alias(world);
    return json({ functionVersion: a.functionVersion, routing: a.routing, description: a.description });
  },
  writer: (at) => `writer:lambda@${at}s:function=checkout,alias=live,weight=0.35`,
  traffic: { service: 'lambda', resource: () => 'checkout:live', rps: 50 },
};

// ---------------------------------------------------------------------------------------------------- Route 53

function zone(world: World) {
  const found = Object.values(world.stateOf<Route53State>('route53').zones).find((z) => z.name === 'example.com.');
  if (!found) throw new Error('no zone example.com');
  return found;
}

const setKey = (r: { Name: string; Type: string; SetIdentifier?: string }) => `${r.Name}|${r.Type}|${r.SetIdentifier ?? ''}`;

export const ROUTE53: TargetCase = {
  kind: 'route53',
  service: 'route53',
  role: 'traffic',
  seed: () => ({
    versions: VERSIONS,
    route53: {
      // Small, so a shift's INSYNC wait stays short; the waiting itself is exercised all the same.
      propagationSeconds: 10,
      endpoints: { 'blue.example.com': 'v1', 'green.example.com': 'v2' },
      hostedZones: [
        {
          name: 'example.com',
          records: [
            { name: 'api.example.com', type: 'CNAME', ttl: 60, setIdentifier: 'blue', weight: 100, values: ['blue.example.com'] },
            { name: 'api.example.com', type: 'CNAME', ttl: 60, setIdentifier: 'green', weight: 0, values: ['green.example.com'] },
            { name: 'www.example.com', type: 'A', ttl: 300, values: ['192.0.2.10'] },
          ],
        },
      ],
    },
    cloudwatch: { alarms: [errorsAlarm('Sim/Route53Endpoint', '5XXError', { RecordName: 'api.example.com.', SetIdentifier: 'green' })] },
    traffic: [{ service: 'route53', resource: '${zone:example.com.id}|api.example.com|A', rps: 100 }],
  }),
  target: (world) => ({ type: 'route53', hostedZoneId: zone(world).id, recordName: 'api.example.com', recordType: 'CNAME', stableSetIdentifier: 'blue', canarySetIdentifier: 'green' }),
  live: (world) => {
    const records = zone(world).records.filter((r) => r.Name === 'api.example.com.' && r.Type === 'CNAME');
    const blue = records.find((r) => r.SetIdentifier === 'blue');
    const green = records.find((r) => r.SetIdentifier === 'green');
    const problems: string[] = [];
    if (!blue || !green) problems.push(`a weighted set is missing (found ${records.map((r) => r.SetIdentifier).join(', ') || 'none'})`);
    if (records.length !== 2) problems.push(`${records.length} record sets for api.example.com CNAME`);
    for (const r of records) if ((r.Weight ?? -1) < 0 || (r.Weight ?? 256) > 255) problems.push(`weight ${r.Weight} of ${r.SetIdentifier} is outside 0..255`);
    const total = (blue?.Weight ?? 0) + (green?.Weight ?? 0);
    if (blue && green && total === 0) problems.push('both weights are 0 (Route 53 then answers each set equally)');
    return { share: total > 0 ? ((green?.Weight ?? 0) * 100) / total : undefined, problems };
  },
  restorable: (world) => json([...zone(world).records].sort((a, b) => setKey(a).localeCompare(setKey(b)))),
  writer: (at) => `writer:route53@${at}s:name=api.example.com,type=CNAME,setIdentifier=blue,weight=35`,
  traffic: { service: 'route53', resource: (world) => `${zone(world).id}|api.example.com|A`, rps: 100 },
};

// --------------------------------------------------------------------------------------------------------- ECS

function ecsService(world: World) {
  const state = world.stateOf<EcsState>('ecs');
  const service = state.services['prod/web'];
  if (!service) throw new Error('no service prod/web');
  return { state, service };
}

export const ECS: TargetCase = {
  kind: 'ecs',
  service: 'ecs',
  role: 'capacity',
  seed: () => ({
    versions: VERSIONS,
    artifacts: { 'registry/web:1': 'v1', 'registry/web:2': 'v2' },
    ecs: {
      taskDefinitions: [{ family: 'web', revisions: [{ image: 'registry/web:1', containerPort: 8080 }, { image: 'registry/web:2', containerPort: 8080 }] }],
      clusters: [{ name: 'prod', services: [{ name: 'web', taskDefinition: 'web:1', desiredCount: 4, deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: true } } }] }],
    },
    cloudwatch: { alarms: [errorsAlarm('Sim/ECSService', '5XXError', { ClusterName: 'prod', ServiceName: 'web' })] },
    traffic: [{ service: 'ecs', resource: 'prod/web', rps: 20 }],
  }),
  target: () => ({ type: 'ecs', cluster: 'prod', service: 'web', taskDefinition: 'web:2' }),
  live: (world) => {
    const { state, service } = ecsService(world);
    const revision = state.taskDefinitions.web?.findIndex((t) => t.arn === service.taskDefinitionArn);
    const problems = revision === undefined || revision < 0 ? [`the service runs an unknown task definition ${service.taskDefinitionArn}`] : [];
    return { share: revision === 1 ? 100 : revision === 0 ? 0 : undefined, problems };
  },
  restorable: (world) => {
    const { service } = ecsService(world);
    const { taskDefinitionArn, desiredCount, deploymentConfiguration, loadBalancers, networkConfiguration, healthCheckGracePeriodSeconds, launchType, platformVersion } = service;
    return json({ taskDefinitionArn, desiredCount, deploymentConfiguration, loadBalancers, networkConfiguration: networkConfiguration ?? null, healthCheckGracePeriodSeconds: healthCheckGracePeriodSeconds ?? null, launchType, platformVersion: platformVersion ?? null });
  },
  writer: (at) => `writer:ecs@${at}s:cluster=prod,service=web,taskDefinition=web:1`,
  traffic: { service: 'ecs', resource: () => 'prod/web', rps: 20 },
};

// ----------------------------------------------------------------------------------------------- Auto Scaling

function asgState(world: World) {
  const state = world.stateOf<AutoScalingState>('autoscaling');
  const group = state.groups.web;
  if (!group) throw new Error('no group web');
  return { state, group };
}

/** The launch template version the group is moving to: an active refresh's target (or, rolling back, its origin). */
function desiredTemplateVersion(world: World): string | undefined {
  const { state, group } = asgState(world);
  const refresh = [...state.refreshes].reverse().find((r) => r.group === 'web');
  if (refresh && ['Pending', 'InProgress', 'Baking', 'Cancelling'].includes(refresh.status)) return refresh.target.version;
  if (refresh?.status === 'RollbackInProgress') return refresh.original.version;
  return group.template.version;
}

export const ASG: TargetCase = {
  kind: 'asg',
  service: 'autoscaling',
  role: 'capacity',
  seed: () => ({
    versions: VERSIONS,
    artifacts: { 'ami-1': 'v1', 'ami-2': 'v2' },
    autoscaling: {
      launchTemplates: [{ name: 'web-lt', versions: [{ imageId: 'ami-1' }, { imageId: 'ami-2' }] }],
      groups: [{ name: 'web', launchTemplate: { name: 'web-lt', version: '1' }, minSize: 1, maxSize: 8, desiredCapacity: 4, healthCheckGracePeriod: 10, defaultInstanceWarmup: 10 }],
    },
    cloudwatch: { alarms: [errorsAlarm('Sim/AutoScalingGroup', '5XXError', { AutoScalingGroupName: 'web' })] },
    traffic: [{ service: 'autoscaling', resource: 'web', rps: 20 }],
  }),
  target: () => ({ type: 'asg', autoScalingGroupName: 'web', launchTemplateVersion: 2 }),
  live: (world) => {
    const version = desiredTemplateVersion(world);
    const problems = version === '1' || version === '2' ? [] : [`the group moves to launch template version ${version}`];
    return { share: version === '2' ? 100 : version === '1' ? 0 : undefined, problems };
  },
  restorable: (world) => {
    const { group } = asgState(world);
    const { template, minSize, maxSize, desiredCapacity, healthCheckType, healthCheckGracePeriod, defaultInstanceWarmup, trafficSources, availabilityZones } = group;
    return json({ template, minSize, maxSize, desiredCapacity, healthCheckType, healthCheckGracePeriod, defaultInstanceWarmup: defaultInstanceWarmup ?? null, trafficSources, availabilityZones });
  },
  writer: (at) => `writer:autoscaling@${at}s:group=web,desiredCapacity=2`,
  traffic: { service: 'autoscaling', resource: () => 'web', rps: 20 },
};

// ------------------------------------------------------------------------------------- ECS split at the ALB

/**
 * An ECS service behind the ALB with an idle second service behind the canary group: the new task definition comes
 * up on the idle service, the ALB shifts traffic by the plan, and the old side is retired after the last bake.
 */
export const ECS_ALB: TargetCase = {
  kind: 'ecs-alb',
  service: 'elbv2',
  alsoServices: ['ecs'],
  role: 'traffic',
  seed: () => {
    const group = (name: string) => ({ name, port: 8080, healthCheck: HEALTH, deregistrationDelaySeconds: 20, targets: [] });
    const service = (name: string, tg: string, desiredCount: number) => ({
      name,
      taskDefinition: 'web:1',
      desiredCount,
      loadBalancers: [{ targetGroupArn: `\${tg:${tg}.arn}`, containerName: 'web', containerPort: 8080 }],
      deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: true } },
    });
    return {
      versions: VERSIONS,
      artifacts: { 'registry/web:1': 'v1', 'registry/web:2': 'v2' },
      elbv2: { loadBalancers: [{ name: 'web', targetGroups: [group('web-blue'), group('web-green')], listeners: [{ port: 80, forward: { 'web-blue': 100, 'web-green': 0 } }] }] },
      ecs: {
        taskDefinitions: [{ family: 'web', revisions: [{ image: 'registry/web:1', containerName: 'web', containerPort: 8080 }, { image: 'registry/web:2', containerName: 'web', containerPort: 8080 }] }],
        clusters: [{ name: 'prod', services: [service('web', 'web-blue', 3), service('web-green', 'web-green', 0)] }],
      },
      cloudwatch: { alarms: [errorsAlarm('AWS/ApplicationELB', 'HTTPCode_Target_5XX_Count', { LoadBalancer: '${lb:web.dimension}' })] },
      traffic: [{ service: 'elbv2', resource: '${listener:web:80.arn}', rps: 100 }],
    };
  },
  target: () => ({ type: 'ecs', cluster: 'prod', service: 'web', taskDefinition: 'web:2', canaryService: 'web-green' }),
  targets: (world) => [ECS_ALB.target(world), ALB.target(world)],
  live: (world) => ALB.live(world),
  restorable: (world) => {
    const state = world.stateOf<EcsState>('ecs');
    const services = ['prod/web', 'prod/web-green'].map((key) => {
      const service = state.services[key]!;
      return { name: service.name, taskDefinitionArn: service.taskDefinitionArn, desiredCount: service.desiredCount, loadBalancers: service.loadBalancers, deploymentConfiguration: service.deploymentConfiguration };
    });
    return json({ alb: ALB.restorable(world), services });
  },
  writer: (at) => ALB.writer(at),
  traffic: ALB.traffic,
};

export const TARGETS: Readonly<Record<TargetKind, TargetCase>> = { alb: ALB, lambda: LAMBDA, route53: ROUTE53, ecs: ECS, asg: ASG, 'ecs-alb': ECS_ALB };

/** Every service a fault aimed at the target hits. */
export function servicesOf(target: TargetCase): ServiceName[] {
  return [target.service, ...(target.alsoServices ?? [])];
}
