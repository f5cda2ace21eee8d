import { DescribeServiceDeploymentsCommand, DescribeServicesCommand, StopServiceDeploymentCommand, type Service } from '@aws-sdk/client-ecs';
import { DescribeRulesCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { afterEach, describe, expect, it } from 'vitest';
import { nativePlan } from '../../../src/providers/ecs/index.js';
import type { Json } from '../../../src/providers/types.js';
import { bigBang, blueGreen, canary, linear, rolling } from '../../../src/strategies/index.js';
import type { Plan } from '../../../src/strategies/types.js';
import { BLUE, build, deployment, describeFromNow, drive, forward, GREEN, mocks, ROLE, RULE, serviceOf, td, USER_CONFIG, writes, type Mocks } from './fixtures.js';

/** Layer 1, ECS-native strategies: the plan translated where ECS can express it, the exact requests, the rollback. */

const CAPACITY_ONLY = { traffic: false, capacity: true } as const;
const where = 'ecs service prod/web';

describe('translating the plan into ECS native strategy settings', () => {
  it.each<[string, Plan, { bakeTimeInMinutes: number; [member: string]: unknown }]>([
    ['canary 10% for 5m, then 10m with both up', canary({ steps: '10,100', bakeSeconds: 300, finalBakeSeconds: 600, ...CAPACITY_ONLY }), { strategy: 'CANARY', canaryConfiguration: { canaryPercent: 10, canaryBakeTimeInMinutes: 5 }, bakeTimeInMinutes: 10 }],
    ['canary 0.5% (tenths allowed)', canary({ steps: '0.5,100', bakeSeconds: 60, ...CAPACITY_ONLY }), { strategy: 'CANARY', canaryConfiguration: { canaryPercent: 0.5, canaryBakeTimeInMinutes: 1 }, bakeTimeInMinutes: 0 }],
    ['linear 10% every 2m', linear({ stepPercent: 10, intervalSeconds: 120, ...CAPACITY_ONLY }), { strategy: 'LINEAR', linearConfiguration: { stepPercent: 10, stepBakeTimeInMinutes: 2 }, bakeTimeInMinutes: 0 }],
    ['linear 30% (last step 10%) every 1m', linear({ stepPercent: 30, intervalSeconds: 60, ...CAPACITY_ONLY }), { strategy: 'LINEAR', linearConfiguration: { stepPercent: 30, stepBakeTimeInMinutes: 1 }, bakeTimeInMinutes: 0 }],
    ['blue-green with a 15m bake', blueGreen({ bakeSeconds: 900, ...CAPACITY_ONLY }), { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 15 }],
  ])('%s', (_name, plan, members) => {
    const translation = nativePlan(plan, where);
    expect(translation).toMatchObject({ members, problems: [] });
    expect(translation.warnings).toHaveLength(members.bakeTimeInMinutes > 0 ? 1 : 0);
  });

  it('says the final bake runs twice: first ECS’s (both revisions up), then deployctl’s', () => {
    expect(nativePlan(blueGreen({ bakeSeconds: 900, ...CAPACITY_ONLY }), where).warnings).toEqual([
      `${where}: ECS bakes 15m with both revisions up (bakeTimeInMinutes) and finishes before deployctl's own final bake starts, so the final bake takes twice as long; a gate during ECS's part rolls back instantly, during deployctl's part by a new deployment of the old revision`,
    ]);
  });

  it.each<[string, Plan, string]>([
    ['canary 1,5,25', canary({ steps: '1,5,25,100', bakeSeconds: 300, ...CAPACITY_ONLY }), `${where}: ECS CANARY shifts one canary step and then the rest, so steps 1, 5, 25, 100 cannot be expressed; use one canary step (for example --steps 5,100) or split traffic at the ALB (an alb target and a canaryService) for more steps`],
    ['linear 2% steps', linear({ stepPercent: 2, intervalSeconds: 60, ...CAPACITY_ONLY }), `${where}: ECS LINEAR steps are multiples of 0.1 from 3% to 100%; a 2% step cannot be expressed (use --step-percent 3 or more, or split traffic at the ALB)`],
    ['a 90s canary bake', canary({ steps: '10,100', bakeSeconds: 90, ...CAPACITY_ONLY }), `${where}: the canary bake is 1m30s, but ECS bake times are whole minutes; use 1m or 2m`],
    ['a 2-day final bake', blueGreen({ bakeSeconds: 2 * 86400, ...CAPACITY_ONLY }), `${where}: the bake after 100% is 2d, but ECS bakes at most 1440 minutes (24h)`],
    ['an approval between canary steps', canary({ steps: [10, { type: 'approval' }, 100], ...CAPACITY_ONLY }), `${where}: between 10% and 100%: ECS moves on when its bake ends and cannot wait for wait for approval (deployctl promote); remove it or split traffic at the ALB (an alb target and a canaryService)`],
    ['a rolling plan', rolling({ batch: '25%', ...CAPACITY_ONLY }), `${where}: native: true runs ECS BLUE_GREEN, LINEAR or CANARY deployments; a rolling plan is an ordinary ECS rolling deployment — drop native: true`],
    ['a big-bang plan', bigBang({ ...CAPACITY_ONLY, traffic: false }), `${where}: native: true runs ECS BLUE_GREEN, LINEAR or CANARY deployments; a bigBang plan is an ordinary ECS rolling deployment — drop native: true`],
  ])('refuses %s, saying what ECS cannot express', (_name, plan, problem) => {
    const translation = nativePlan(plan, where);
    expect(translation.members).toBeUndefined();
    expect(translation.problems).toEqual([problem]);
  });
});

let m: Mocks;
afterEach(() => {
  // The pure translation tests above use no mocks.
  (m as Mocks | undefined)?.ecs.restore();
  (m as Mocks | undefined)?.elb.restore();
});

const NATIVE_LB = [{ targetGroupArn: BLUE, containerName: 'web', containerPort: 8080, advancedConfiguration: { alternateTargetGroupArn: GREEN, productionListenerRule: RULE, roleArn: ROLE } }];
const PLAN = canary({ steps: '10,100', bakeSeconds: 300, finalBakeSeconds: 600, ...CAPACITY_ONLY });
const SD = 'arn:aws:ecs:eu-west-1:111122223333:service-deployment/prod/web/abc';
const native = (extra: Partial<Service> = {}) => serviceOf('web', { loadBalancers: NATIVE_LB, ...extra });
const SEND = { ...USER_CONFIG, strategy: 'CANARY', canaryConfiguration: { canaryPercent: 10, canaryBakeTimeInMinutes: 5 }, bakeTimeInMinutes: 10 };
const started = (extra: Partial<Service> = {}) =>
  native({ taskDefinition: td(42), deploymentConfiguration: SEND as never, currentServiceDeployment: SD, deployments: [deployment('ecs-svc/2', 42, { rolloutState: 'IN_PROGRESS' }), deployment('ecs-svc/1', 41, { status: 'ACTIVE' })], ...extra });

function rule(groups: [string, number][]): void {
  m.elb.on(DescribeRulesCommand).resolves({ Rules: [{ RuleArn: RULE, Priority: '10', Actions: forward(groups), Conditions: [] }] });
}

async function capturedNative(): Promise<{ b: ReturnType<typeof build>; snapshot: Json }> {
  const b = build({ native: true }, { plan: PLAN });
  const report = await b.provider.preflight(b.ctx(null));
  expect(report.errors).toEqual([]);
  return { b, snapshot: await b.provider.capture(b.ctx(null)) };
}

describe('ECS native provider: requests', () => {
  it('preflight needs advancedConfiguration on every load balancer and a production rule with all traffic on one group', async () => {
    m = mocks();
    m.ecs.on(DescribeServicesCommand).resolves({ services: [native({ loadBalancers: [{ targetGroupArn: BLUE, containerName: 'web', containerPort: 8080 }] })] });
    let b = build({ native: true }, { plan: PLAN });
    expect((await b.provider.preflight(b.ctx(null))).errors).toEqual([
      'service prod/web: load balancer targetgroup/web-blue has no complete advancedConfiguration (alternateTargetGroupArn, productionListenerRule and roleArn); ECS native strategies need it',
    ]);
    m.ecs.on(DescribeServicesCommand).resolves({ services: [native()] });
    rule([[BLUE, 70], [GREEN, 30]]);
    b = build({ native: true }, { plan: PLAN });
    expect((await b.provider.preflight(b.ctx(null))).errors).toEqual([
      `service prod/web: production rule ${RULE} forwards to targetgroup/web-blue (weight 70) and targetgroup/web-green (weight 30); one of targetgroup/web-blue and targetgroup/web-green must carry all the weight before a deployment (one may be in progress or half-shifted)`,
    ]);
    expect(writes(m)).toEqual([]);
  });

  it('start sends the new task definition with the strategy members and every captured member', async () => {
    m = mocks();
    rule([[BLUE, 100], [GREEN, 0]]);
    m.ecs.on(DescribeServicesCommand).resolvesOnce({ services: [native()] }).resolvesOnce({ services: [native()] }).resolvesOnce({ services: [native()] }).resolves({ services: [started()] });
    const { b, snapshot } = await capturedNative();
    expect(await b.provider.start(10, undefined, b.ctx(snapshot))).toEqual({ mode: 'native', deploymentId: 'ecs-svc/2', serviceDeploymentArn: SD });
    expect(writes(m)).toEqual([['UpdateService', { cluster: 'prod', service: 'web', taskDefinition: td(42), deploymentConfiguration: SEND }]]);
  });

  it('status follows the lifecycle stage and, during the shift, the green share of the production rule', async () => {
    m = mocks();
    rule([[BLUE, 100], [GREEN, 0]]);
    m.ecs.on(DescribeServicesCommand).resolves({ services: [native()] });
    const { b, snapshot } = await capturedNative();
    const handle = { mode: 'native', deploymentId: 'ecs-svc/2', serviceDeploymentArn: SD };
    const stage = (status: string, lifecycleStage?: string, statusReason?: string) =>
      m.ecs.on(DescribeServiceDeploymentsCommand).resolves({ serviceDeployments: [{ serviceDeploymentArn: SD, status: status as never, ...(lifecycleStage ? { lifecycleStage: lifecycleStage as never } : {}), ...(statusReason ? { statusReason } : {}) }] });
    stage('IN_PROGRESS', 'SCALE_UP');
    expect(await b.provider.status(handle, b.ctx(snapshot))).toEqual({ state: 'inProgress', percent: 0, detail: 'ECS stage SCALE_UP, 0% of production traffic on web:42' });
    stage('IN_PROGRESS', 'PRODUCTION_TRAFFIC_SHIFT');
    rule([[BLUE, 90], [GREEN, 10]]);
    expect(await b.provider.status(handle, b.ctx(snapshot))).toMatchObject({ state: 'inProgress', percent: 10 });
    stage('IN_PROGRESS', 'BAKE_TIME');
    // 100 only once ECS has finished: the last capacity step waits for ECS's bake and clean-up.
    expect(await b.provider.status(handle, b.ctx(snapshot))).toEqual({ state: 'inProgress', percent: 99, detail: 'ECS stage BAKE_TIME, all production traffic on web:42' });
    stage('ROLLBACK_IN_PROGRESS', 'PRODUCTION_TRAFFIC_SHIFT', 'ECS deployment failed: alarm detected.');
    expect(await b.provider.status(handle, b.ctx(snapshot))).toEqual({ state: 'failed', reason: 'ECS service deployment ROLLBACK_IN_PROGRESS: ECS deployment failed: alarm detected.' });
    expect(writes(m)).toEqual([]);
    stage('SUCCESSFUL');
    describeFromNow(m, started({ deployments: [deployment('ecs-svc/2', 42)] }), native({ taskDefinition: td(42) }));
    expect(await b.provider.status(handle, b.ctx(snapshot))).toEqual({ state: 'succeeded', percent: 100, detail: 'ECS finished the deployment; deployment configuration back as captured' });
    expect(writes(m)).toEqual([['UpdateService', { cluster: 'prod', service: 'web', deploymentConfiguration: USER_CONFIG }]]);
  });

  it('rollback stops the service deployment with ROLLBACK, waits for ECS, then restores the configuration and checks blue serves again', async () => {
    m = mocks();
    rule([[BLUE, 100], [GREEN, 0]]);
    m.ecs.on(DescribeServicesCommand).resolves({ services: [native()] });
    const { b, snapshot } = await capturedNative();
    rule([[BLUE, 90], [GREEN, 10]]);
    m.ecs.on(DescribeServiceDeploymentsCommand).resolvesOnce({ serviceDeployments: [{ serviceDeploymentArn: SD, status: 'IN_PROGRESS' }] }).resolvesOnce({ serviceDeployments: [{ serviceDeploymentArn: SD, status: 'ROLLBACK_IN_PROGRESS' }] }).resolves({ serviceDeployments: [{ serviceDeploymentArn: SD, status: 'ROLLBACK_SUCCESSFUL' }] });
    m.ecs.on(StopServiceDeploymentCommand).callsFake(() => {
      rule([[BLUE, 100], [GREEN, 0]]);
      return { serviceDeploymentArn: SD };
    });
    const rolledBack = native({ deploymentConfiguration: SEND as never });
    describeFromNow(m, started(), rolledBack, rolledBack, rolledBack, native());
    await drive(b.clock, b.provider.rollback(snapshot, { mode: 'native', deploymentId: 'ecs-svc/2', serviceDeploymentArn: SD }, b.ctx(snapshot, [])));
    expect(writes(m)).toEqual([
      ['StopServiceDeployment', { serviceDeploymentArn: SD, stopType: 'ROLLBACK' }],
      ['UpdateService', { cluster: 'prod', service: 'web', deploymentConfiguration: USER_CONFIG }],
    ]);
  });

  it('manual commands stop a running service deployment first, then put the captured revision and configuration back', async () => {
    m = mocks();
    rule([[BLUE, 100], [GREEN, 0]]);
    m.ecs.on(DescribeServicesCommand).resolves({ services: [native()] });
    const { b, snapshot } = await capturedNative();
    expect(b.provider.manualRestoreCommands(snapshot)).toEqual([
      `aws ecs stop-service-deployment --region 'eu-west-1' --service-deployment-arn "$(aws ecs describe-services --region 'eu-west-1' --cluster 'prod' --services 'web' --query 'services[0].currentServiceDeployment' --output text)" --stop-type ROLLBACK`,
      `aws ecs update-service --region 'eu-west-1' --cluster 'prod' --service 'web' --task-definition '${td(41)}' --deployment-configuration '${JSON.stringify(USER_CONFIG)}'`,
      `aws ecs wait services-stable --region 'eu-west-1' --cluster 'prod' --services 'web'`,
    ]);
  });
});
