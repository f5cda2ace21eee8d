import { DescribeServicesCommand, DescribeTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { DescribeListenersCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { afterEach, describe, expect, it } from 'vitest';
import type { Plan } from '../../../src/strategies/types.js';
import { BLUE, build, deployment, forward, GREEN, LISTENER, mocks, sent, serviceOf, taskDefinitionOf, td, USER_CONFIG, writes, type Mocks } from './fixtures.js';

/** Preflight findings: each names what was found and what is needed; never a write. */

let m: Mocks;
afterEach(() => {
  m.ecs.restore();
  m.elb.restore();
  expect(writes(m)).toEqual([]);
});

const lb = (group: string) => [{ targetGroupArn: group, containerName: 'web', containerPort: 8080 }];
const ALB = { type: 'alb', listenerArn: LISTENER, stableTargetGroupArn: BLUE, canaryTargetGroupArn: GREEN };
const PING_PONG = { type: 'alb', listenerArn: LISTENER, targetGroupArns: [BLUE, GREEN] };
const BLUE_GREEN: Plan = { strategy: 'blueGreen', steps: [{ type: 'deployCapacity', percent: 100 }, { type: 'setWeight', weight: 100 }, { type: 'retireOld' }] };

async function errorsOf(services: unknown[], target = {}, options: Parameters<typeof build>[1] = {}) {
  m = mocks();
  m.ecs.on(DescribeServicesCommand).resolves({ services: services as never, failures: [] });
  const b = build(target, options);
  return b.provider.preflight(b.ctx(null));
}

describe('ECS preflight: rolling', () => {
  it('refuses a plan that bakes between capacity steps: ECS rolling cannot stop at a checkpoint', async () => {
    const plan: Plan = { strategy: 'rolling', steps: [{ type: 'deployCapacity', percent: 50 }, { type: 'bake', seconds: 300 }, { type: 'deployCapacity', percent: 100 }], batch: { percent: 50 } };
    const report = await errorsOf([serviceOf()], {}, { plan });
    expect(report.errors).toEqual([
      'ecs service prod/web: the plan waits between capacity steps (bake 5m (gates watching) after 50%), but an ECS rolling deployment cannot stop at a checkpoint — ' +
        'ECS replaces every task in one go. Deploy in a single batch (rolling without pause between batches, or big-bang), split traffic at the ALB (an alb target and a canaryService) to bake at each step, ' +
        'or let ECS shift traffic itself (native: true)',
    ]);
  });

  it('a bake after the last capacity step is fine: the gates watch the finished deployment', async () => {
    const plan: Plan = { strategy: 'bigBang', steps: [{ type: 'deployCapacity', percent: 100 }, { type: 'bake', seconds: 300 }], batch: { percent: 100 } };
    expect((await errorsOf([serviceOf()], {}, { plan })).errors).toEqual([]);
  });

  it('a missing service, and a cluster that does not exist, are findings', async () => {
    expect((await errorsOf([])).errors).toEqual(['service web not found in cluster prod (DescribeServices: MISSING)']);
    m.ecs.restore();
    m = mocks();
    m.ecs.on(DescribeServicesCommand).rejects(Object.assign(new Error('Cluster not found.'), { name: 'ClusterNotFoundException' }));
    const b = build();
    expect((await b.provider.preflight(b.ctx(null))).errors).toEqual([
      'cluster prod not found (ecs service prod/web (task definition web:42): DescribeServices failed: ClusterNotFoundException: Cluster not found.)',
    ]);
  });

  it('names a service that is not ACTIVE, not on the ECS controller, or a daemon', async () => {
    const report = await errorsOf([serviceOf('web', { status: 'DRAINING', deploymentController: { type: 'CODE_DEPLOY' }, schedulingStrategy: 'DAEMON' })]);
    expect(report.errors).toEqual([
      'service prod/web is DRAINING, not ACTIVE',
      'service prod/web uses the CODE_DEPLOY deployment controller; deployctl drives services of the ECS deployment controller only',
      'service prod/web uses the DAEMON scheduling strategy; deployctl drives REPLICA services (a daemon has no desired count to split or surge)',
    ]);
  });

  it('refuses to start over a deployment in progress (capture would record a half state)', async () => {
    const busy = serviceOf('web', { deployments: [deployment('ecs-svc/5', 40, { rolloutState: 'IN_PROGRESS', runningCount: 1 }), deployment('ecs-svc/1', 41, { status: 'ACTIVE' })] });
    expect((await errorsOf([busy])).errors).toEqual([
      'service prod/web has a deployment in progress or stalled: PRIMARY web:40 IN_PROGRESS (1/4 running, 0 pending, 0 failed), ACTIVE web:41 COMPLETED (4 running); wait for it to finish or roll it back first',
    ]);
  });

  it('checks the new task definition: exists, ACTIVE, has the load balancer’s container and port', async () => {
    m = mocks();
    m.ecs.on(DescribeServicesCommand).resolves({ services: [serviceOf('web', { loadBalancers: lb(BLUE) })] });
    m.ecs.on(DescribeTaskDefinitionCommand).resolves({ taskDefinition: taskDefinitionOf(42, 'app', 80) });
    const b = build();
    expect((await b.provider.preflight(b.ctx(null))).errors).toEqual([
      'service prod/web sends targetgroup/web-blue to container web port 8080, but task definition web:42 has no container named web (it has app)',
    ]);
    m.ecs.on(DescribeTaskDefinitionCommand).resolves({ taskDefinition: taskDefinitionOf(42, 'web', 80) });
    expect((await b.provider.preflight(b.ctx(null))).errors).toEqual([
      'service prod/web sends targetgroup/web-blue to container web port 8080, but in task definition web:42 that container maps ports 80',
    ]);
    m.ecs.on(DescribeTaskDefinitionCommand).rejects(Object.assign(new Error('Unable to describe task definition.'), { name: 'ClientException' }));
    expect((await b.provider.preflight(b.ctx(null))).errors).toEqual(['task definition web:42 does not exist (DescribeTaskDefinition found nothing)']);
  });

  it('warns when the circuit breaker is off, and when the service already runs the new task definition', async () => {
    const report = await errorsOf([serviceOf('web', { taskDefinition: td(42), deployments: [deployment('ecs-svc/1', 42)], deploymentConfiguration: { ...USER_CONFIG, deploymentCircuitBreaker: { enable: false, rollback: false } } })]);
    expect(report.errors).toEqual([]);
    expect(report.warnings).toEqual([
      'the deployment circuit breaker is off on service prod/web: ECS keeps replacing tasks that fail to start; deployctl reports the deployment failed when it stops making progress, or when a gate fires',
      'service prod/web already runs web:42: there is nothing to replace, the rollout only watches the gates',
    ]);
  });
});

describe('ECS preflight: the spec as a whole', () => {
  it('native with an alb target is refused: two writers on one listener rule', async () => {
    const report = await errorsOf([serviceOf()], { native: true }, { others: [ALB], plan: BLUE_GREEN });
    expect(report.errors[0]).toBe(
      'ecs target prod/web: native: true and an alb target cannot be combined: with native deployments ECS rewrites the production listener rule itself, and two writers on one rule (ELB has no revision token) would overwrite each other; drop the alb target or native: true',
    );
  });

  it('an alb target needs a canaryService, and a canaryService needs an alb target', async () => {
    m = mocks();
    m.elb.on(DescribeListenersCommand).resolves({ Listeners: [{ ListenerArn: LISTENER, Protocol: 'HTTP', DefaultActions: forward([[BLUE, 100]]) }] });
    let b = build({}, { others: [ALB], plan: BLUE_GREEN });
    expect((await b.provider.preflight(b.ctx(null))).errors).toEqual(['ecs target prod/web: splitting traffic at the ALB needs a second service (canaryService) attached to the canary target group to run the new version']);
    m.ecs.on(DescribeServicesCommand).resolves({ services: [serviceOf()] });
    b = build({ canaryService: 'web-green' });
    expect((await b.provider.preflight(b.ctx(null))).errors).toEqual(['ecs target prod/web: canaryService web-green is used only with an alb target (the traffic split); add the alb target or drop canaryService']);
  });
});

describe('ECS preflight: split at the ALB', () => {
  const split = (stable: object, canary: object, alb: object = ALB, listenerGroups: [string, number][] = [[BLUE, 100], [GREEN, 0]]) => {
    m = mocks();
    m.ecs.on(DescribeServicesCommand).resolves({ services: [serviceOf('web', stable), serviceOf('web-green', canary)] });
    m.elb.on(DescribeListenersCommand).resolves({ Listeners: [{ ListenerArn: LISTENER, Protocol: 'HTTP', DefaultActions: forward(listenerGroups) }] });
    const b = build({ canaryService: 'web-green' }, { others: [alb], plan: BLUE_GREEN });
    return b.provider.preflight(b.ctx(null));
  };
  const idle = { desiredCount: 0, runningCount: 0, deployments: [deployment('ecs-svc/7', 41, { desiredCount: 0, runningCount: 0 })] };

  it('passes with the live service behind the stable group and an idle one behind the canary group; reads only', async () => {
    const report = await split({ loadBalancers: lb(BLUE) }, { ...idle, loadBalancers: lb(GREEN) });
    expect(report.errors).toEqual([]);
    expect(report.facts).toEqual({
      mode: 'split',
      liveService: 'prod/web (web:41, 4 tasks) behind targetgroup/web-blue',
      newService: 'prod/web-green (web:41, 0 tasks) behind targetgroup/web-green',
      taskDefinition: 'web:42',
      newServiceDesiredCount: 4,
    });
    expect(sent(m).map(([name]) => name).sort()).toEqual(['DescribeListeners', 'DescribeServices', 'DescribeTaskDefinition']);
  });

  it('says which group each service is attached to when they do not match the ALB target', async () => {
    const report = await split({ loadBalancers: lb(GREEN) }, { ...idle, loadBalancers: lb(BLUE) });
    expect(report.errors).toEqual(['service prod/web is not attached to the stable target group targetgroup/web-blue (the one serving today): prod/web is attached to targetgroup/web-green, prod/web-green to targetgroup/web-blue']);
  });

  it('refuses a canary service that runs another version with tasks', async () => {
    const report = await split({ loadBalancers: lb(BLUE) }, { desiredCount: 2, runningCount: 2, taskDefinition: td(40), deployments: [deployment('ecs-svc/7', 40, { desiredCount: 2, runningCount: 2 })], loadBalancers: lb(GREEN) });
    expect(report.errors).toEqual(['the service for the new version prod/web-green runs web:40 with desiredCount 2: it must be idle (desiredCount 0) or already run web:42; scale it to 0 first']);
  });

  it('accepts a canary service already on the new task definition (a re-run)', async () => {
    const report = await split({ loadBalancers: lb(BLUE) }, { taskDefinition: td(42), deployments: [deployment('ecs-svc/7', 42)], loadBalancers: lb(GREEN) });
    expect(report.errors).toEqual([]);
  });

  it('ping-pong: the service behind the group the listener sends all traffic to is the live one', async () => {
    const report = await split({ ...idle, loadBalancers: lb(BLUE) }, { loadBalancers: lb(GREEN) }, PING_PONG, [[BLUE, 0], [GREEN, 100]]);
    expect(report.errors).toEqual([]);
    expect(report.facts).toMatchObject({ liveService: 'prod/web-green (web:41, 4 tasks) behind targetgroup/web-green', newService: 'prod/web (web:41, 0 tasks) behind targetgroup/web-blue' });
  });

  it('ping-pong refuses a half-shifted listener', async () => {
    const report = await split({ loadBalancers: lb(BLUE) }, { ...idle, loadBalancers: lb(GREEN) }, PING_PONG, [[BLUE, 60], [GREEN, 40]]);
    expect(report.errors).toEqual([
      `listener ${LISTENER} forwards to targetgroup/web-blue (weight 60) and targetgroup/web-green (weight 40); with targetGroupArns exactly one of targetgroup/web-blue and targetgroup/web-green must carry all the forward weight (the one serving today) — a rollout may be in progress or was left half-shifted; finish it or roll it back first`,
    ]);
  });

  it('refuses a plan that shifts traffic before the new service is up', async () => {
    m = mocks();
    m.ecs.on(DescribeServicesCommand).resolves({ services: [serviceOf('web', { loadBalancers: lb(BLUE) }), serviceOf('web-green', { ...idle, loadBalancers: lb(GREEN) })] });
    m.elb.on(DescribeListenersCommand).resolves({ Listeners: [{ ListenerArn: LISTENER, Protocol: 'HTTP', DefaultActions: forward([[BLUE, 100]]) }] });
    const plan: Plan = { strategy: 'canary', steps: [{ type: 'setWeight', weight: 10 }, { type: 'deployCapacity', percent: 100 }, { type: 'setWeight', weight: 100 }] };
    const b = build({ canaryService: 'web-green' }, { others: [ALB], plan });
    expect((await b.provider.preflight(b.ctx(null))).errors).toEqual([
      'ecs services prod/web and prod/web-green: the plan shifts traffic (step 1) before the new service is fully up (deployCapacity 100 at step 2)',
    ]);
  });
});
