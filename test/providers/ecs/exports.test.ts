import { afterEach, describe, expect, it } from 'vitest';
import { parseSpec } from '../../../src/config/resolve.js';
import { ecsCallsFor, ecsResourceArns, type EcsTargetSpec } from '../../../src/providers/ecs/index.js';
import { BLUE, build, describeSequence, GREEN, LISTENER, mocks, serviceOf, td, USER_CONFIG, type Mocks } from './fixtures.js';

/** What `deployctl plan` and the IAM policy generator get, the label and lock key, and the manual restore commands. */

const ECS: EcsTargetSpec = { type: 'ecs', cluster: 'prod', service: 'web', taskDefinition: 'web:42' };
const ALB = { type: 'alb', listenerArn: LISTENER, stableTargetGroupArn: BLUE, canaryTargetGroupArn: GREEN };

describe('ECS provider: calls and resources for plan and IAM', () => {
  it('names the calls of each mode; ELB is only ever read', () => {
    expect(ecsCallsFor(ECS)).toEqual({ read: ['ecs:DescribeServices', 'ecs:DescribeTaskDefinition'], write: ['ecs:UpdateService', 'ecs:StopServiceDeployment'] });
    const split = parseSpec({ strategy: 'blueGreen', targets: [{ ...ECS, canaryService: 'web-green' }, ALB] });
    expect(ecsCallsFor({ ...ECS, canaryService: 'web-green' }, split)).toEqual({
      read: ['ecs:DescribeServices', 'ecs:DescribeTaskDefinition', 'elasticloadbalancing:DescribeListeners', 'elasticloadbalancing:DescribeTargetHealth'],
      write: ['ecs:UpdateService'],
    });
    expect(ecsCallsFor({ ...ECS, native: true })).toEqual({
      read: ['ecs:DescribeServices', 'ecs:DescribeTaskDefinition', 'ecs:DescribeServiceDeployments', 'elasticloadbalancing:DescribeRules', 'elasticloadbalancing:DescribeListeners'],
      write: ['ecs:UpdateService', 'ecs:StopServiceDeployment'],
    });
  });

  it('scopes writes to the service ARNs (Region and account from a cluster ARN, else *)', () => {
    expect(ecsResourceArns({ ...ECS, canaryService: 'web-green' })).toEqual({
      written: ['arn:aws:ecs:*:*:service/prod/web', 'arn:aws:ecs:*:*:service/prod/web-green'],
      read: ['arn:aws:ecs:*:*:service/prod/web', 'arn:aws:ecs:*:*:service/prod/web-green', 'arn:aws:ecs:*:*:task-definition/web:*'],
    });
    expect(ecsResourceArns({ ...ECS, cluster: 'arn:aws:ecs:eu-west-1:111122223333:cluster/prod', taskDefinition: td(42) }).written).toEqual(['arn:aws:ecs:eu-west-1:111122223333:service/prod/web']);
  });
});

let m: Mocks;
afterEach(() => {
  (m as Mocks | undefined)?.ecs.restore();
  (m as Mocks | undefined)?.elb.restore();
});

describe('ECS provider: label, lock key, manual commands', () => {
  it('label and lock key name the cluster, the service and the new task definition', () => {
    const b = build({ cluster: 'arn:aws:ecs:eu-west-1:111122223333:cluster/prod', service: 'arn:aws:ecs:eu-west-1:111122223333:service/prod/web', taskDefinition: td(42) });
    expect(b.provider.label).toBe('ecs service prod/web (task definition web:42)');
    expect(b.provider.lockKey).toBe('ecs:prod/web');
    expect(build({ canaryService: 'web-green' }, { others: [ALB] }).provider.label).toBe('ecs services prod/web and prod/web-green (task definition web:42)');
  });

  it('rolling: the captured task definition and whole deployment configuration, quoted for a POSIX shell, then the wait', async () => {
    m = mocks();
    const quoted = { ...USER_CONFIG, alarms: { ...USER_CONFIG.alarms, alarmNames: ["web's-5xx"] } };
    describeSequence(m, serviceOf('web', { deploymentConfiguration: quoted }));
    const b = build();
    expect((await b.provider.preflight(b.ctx(null))).errors).toEqual([]);
    const snapshot = await b.provider.capture(b.ctx(null));
    const json = JSON.stringify(quoted).replace("web's-5xx", `web'\\''s-5xx`);
    expect(b.provider.manualRestoreCommands(snapshot)).toEqual([
      `aws ecs update-service --region 'eu-west-1' --cluster 'prod' --service 'web' --task-definition '${td(41)}' --deployment-configuration '${json}'`,
      `aws ecs wait services-stable --region 'eu-west-1' --cluster 'prod' --services 'web'`,
    ]);
  });

  it('without a captured configuration it says so and prints how to look, never a guess', () => {
    expect(build({ canaryService: 'web-green' }, { others: [ALB] }).provider.manualRestoreCommands(null)).toEqual([
      '# ecs services prod/web and prod/web-green (task definition web:42): no captured configuration was recorded, so there is nothing exact to restore; inspect the services with:',
      `aws ecs describe-services --cluster 'prod' --services 'web' 'web-green'`,
    ]);
  });
});
