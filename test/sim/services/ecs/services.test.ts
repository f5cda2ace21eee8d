import {
  ClientException,
  ClusterNotFoundException,
  CreateServiceCommand,
  type CreateServiceCommandInput,
  DeleteServiceCommand,
  DeregisterTaskDefinitionCommand,
  DescribeServicesCommand,
  InvalidParameterException,
  ServiceNotActiveException,
  ServiceNotFoundException,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import { describe, expect, it } from 'vitest';
import { describeService, ecsWorld, failure, TG_BLUE, TG_GREEN } from './fixture.js';

const ACCOUNT = 'arn:aws:ecs:us-east-1:123456789012';
const create = (extra: Partial<CreateServiceCommandInput> = {}) => new CreateServiceCommand({ cluster: 'prod', serviceName: 'web', taskDefinition: 'web:1', desiredCount: 2, ...extra });

describe('ECS CreateService and DescribeServices', () => {
  it('creates a service in the long ARN format with default deployment configuration and a first deployment', async () => {
    const { ecs } = ecsWorld();
    const out = await ecs.send(create({ launchType: 'FARGATE', clientToken: 'token-1' }));
    expect(out.service).toMatchObject({
      serviceArn: `${ACCOUNT}:service/prod/web`,
      clusterArn: `${ACCOUNT}:cluster/prod`,
      serviceName: 'web',
      status: 'ACTIVE',
      desiredCount: 2,
      runningCount: 0,
      taskDefinition: `${ACCOUNT}:task-definition/web:1`,
      launchType: 'FARGATE',
      platformVersion: 'LATEST',
      schedulingStrategy: 'REPLICA',
      deploymentController: { type: 'ECS' },
      deploymentConfiguration: { maximumPercent: 200, minimumHealthyPercent: 100, strategy: 'ROLLING', deploymentCircuitBreaker: { enable: false, rollback: false } },
    });
    const [deployment] = out.service!.deployments!;
    expect(deployment).toMatchObject({ status: 'PRIMARY', rolloutState: 'IN_PROGRESS', desiredCount: 2, failedTasks: 0 });
    expect(deployment?.id).toMatch(/^ecs-svc\/[1-9]\d{18}$/);
    expect(deployment?.rolloutStateReason).toBe(`ECS deployment ${deployment?.id} in progress.`);
    expect(out.service?.currentServiceDeployment).toMatch(new RegExp(`^${ACCOUNT}:service-deployment/prod/web/[A-Za-z0-9_-]{20}$`));
    // The same clientToken repeats the call instead of failing.
    expect((await ecs.send(create({ launchType: 'FARGATE', clientToken: 'token-1' }))).service?.serviceArn).toBe(out.service?.serviceArn);
  });

  it('reports missing services as MISSING failures, and refuses more than 10 names', async () => {
    const { ecs } = ecsWorld();
    await ecs.send(create());
    const out = await ecs.send(new DescribeServicesCommand({ cluster: 'prod', services: ['web', 'api', `${ACCOUNT}:service/prod/worker`] }));
    expect(out.services?.map((s) => s.serviceName)).toEqual(['web']);
    expect(out.failures).toEqual([
      { arn: `${ACCOUNT}:service/prod/api`, reason: 'MISSING' },
      { arn: `${ACCOUNT}:service/prod/worker`, reason: 'MISSING' },
    ]);
    const byArn = await ecs.send(new DescribeServicesCommand({ services: [`${ACCOUNT}:service/prod/web`], cluster: 'prod' }));
    expect(byArn.services?.[0]?.serviceName).toBe('web');
    const tooMany = await failure(ecs.send(new DescribeServicesCommand({ cluster: 'prod', services: Array.from({ length: 11 }, (_, i) => `s${i}`) })));
    expect(tooMany).toBeInstanceOf(InvalidParameterException);
    expect(tooMany.$metadata.httpStatusCode).toBe(400);
    expect((await failure(ecs.send(new DescribeServicesCommand({ cluster: 'nope', services: ['web'] }))))).toBeInstanceOf(ClusterNotFoundException);
  });

  it('refuses an unknown cluster, an unknown or inactive task definition, and a duplicate name', async () => {
    const { ecs } = ecsWorld();
    const noCluster = await failure(ecs.send(create({ cluster: 'nope' })));
    expect(noCluster).toBeInstanceOf(ClusterNotFoundException);
    expect(noCluster).toMatchObject({ message: 'Cluster not found.', $metadata: { httpStatusCode: 400 } });
    const noDefinition = await failure(ecs.send(create({ taskDefinition: 'web:9' })));
    expect(noDefinition).toBeInstanceOf(ClientException);
    expect(noDefinition.message).toBe('TaskDefinition not found.');
    await ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: 'web:4' }));
    expect((await failure(ecs.send(create({ taskDefinition: 'web:4' })))).message).toBe('TaskDefinition is inactive');
    await ecs.send(create());
    const duplicate = await failure(ecs.send(create()));
    expect(duplicate).toBeInstanceOf(InvalidParameterException);
    expect(duplicate.message).toBe('Creation of service was not idempotent.');
  });

  it('checks load balancers against the task definition and the target groups ELB knows', async () => {
    const { ecs } = ecsWorld({ elb: true });
    const wrongContainer = await failure(ecs.send(create({ loadBalancers: [{ targetGroupArn: TG_BLUE, containerName: 'nope', containerPort: 8080 }] })));
    expect(wrongContainer).toMatchObject({ name: 'InvalidParameterException', message: 'The container nope does not exist in the task definition.' });
    const unknownGroup = `${TG_BLUE.slice(0, -4)}0000`;
    const noGroup = await failure(ecs.send(create({ loadBalancers: [{ targetGroupArn: unknownGroup, containerName: 'web', containerPort: 8080 }] })));
    expect(noGroup.name).toBe('InvalidParameterException');
    const ok = await ecs.send(create({ loadBalancers: [{ targetGroupArn: TG_BLUE, containerName: 'web', containerPort: 8080 }] }));
    expect(ok.service?.loadBalancers).toEqual([{ targetGroupArn: TG_BLUE, containerName: 'web', containerPort: 8080 }]);
  });

  it('validates the ECS-native strategies as AWS does (facts §7.2)', async () => {
    const { ecs } = ecsWorld({ elb: true, cloudwatch: true });
    const lb = { targetGroupArn: TG_BLUE, containerName: 'web', containerPort: 8080, advancedConfiguration: { alternateTargetGroupArn: TG_GREEN, productionListenerRule: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:listener-rule/app/web/1/2/3', roleArn: 'arn:aws:iam::123456789012:role/ecs' } };
    const bad: CreateServiceCommandInput['deploymentConfiguration'][] = [
      { strategy: 'LINEAR', linearConfiguration: { stepPercent: 2.9 } },
      { strategy: 'LINEAR', linearConfiguration: { stepPercent: 3.05 } },
      { strategy: 'LINEAR', linearConfiguration: { stepPercent: 10, stepBakeTimeInMinutes: 1441 } },
      { strategy: 'CANARY', canaryConfiguration: { canaryPercent: 0 } },
      { strategy: 'CANARY', canaryConfiguration: { canaryPercent: 100.05 } },
      { strategy: 'BLUE_GREEN' },
      { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 1441 },
    ];
    for (const deploymentConfiguration of bad) {
      const error = await failure(ecs.send(create({ deploymentConfiguration, loadBalancers: [lb] })));
      expect(error, JSON.stringify(deploymentConfiguration)).toBeInstanceOf(InvalidParameterException);
    }
    const noAdvanced = await failure(ecs.send(create({ deploymentConfiguration: { strategy: 'CANARY', canaryConfiguration: { canaryPercent: 10 } }, loadBalancers: [{ targetGroupArn: TG_BLUE, containerName: 'web', containerPort: 8080 }] })));
    expect(noAdvanced.name).toBe('InvalidParameterException');
    const codeDeployAlarms = await failure(ecs.send(create({ deploymentController: { type: 'CODE_DEPLOY' }, deploymentConfiguration: { alarms: { alarmNames: ['a'], enable: true, rollback: true } } })));
    expect(codeDeployAlarms.name).toBe('InvalidParameterException');
    for (const ok of [{ strategy: 'LINEAR', linearConfiguration: { stepPercent: 3, stepBakeTimeInMinutes: 0 } }, { strategy: 'CANARY', canaryConfiguration: { canaryPercent: 0.1 } }, { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 0 }] as const) {
      const name = `svc-${ok.strategy.toLowerCase()}`;
      expect((await ecs.send(create({ serviceName: name, deploymentConfiguration: ok, loadBalancers: [lb] }))).service?.deploymentConfiguration?.strategy).toBe(ok.strategy);
    }
  });
});

describe('ECS UpdateService and DeleteService', () => {
  it('fails for unknown services and clusters', async () => {
    const { ecs } = ecsWorld();
    const missing = await failure(ecs.send(new UpdateServiceCommand({ cluster: 'prod', service: 'nope', desiredCount: 1 })));
    expect(missing).toBeInstanceOf(ServiceNotFoundException);
    expect(missing).toMatchObject({ message: 'Service not found.', $metadata: { httpStatusCode: 400 } });
    expect(await failure(ecs.send(new UpdateServiceCommand({ cluster: 'nope', service: 'web' })))).toBeInstanceOf(ClusterNotFoundException);
    expect(await failure(ecs.send(new DeleteServiceCommand({ cluster: 'prod', service: 'nope' })))).toBeInstanceOf(ServiceNotFoundException);
  });

  it('changes desiredCount and deployment configuration without a new deployment, but not the task definition', async () => {
    const { ecs } = ecsWorld();
    await ecs.send(create({ deploymentConfiguration: { maximumPercent: 150 } }));
    const out = await ecs.send(new UpdateServiceCommand({ cluster: 'prod', service: 'web', desiredCount: 3, taskDefinition: 'web:1', deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: true } } }));
    expect(out.service?.deployments).toHaveLength(1);
    expect(out.service?.desiredCount).toBe(3);
    // Members given replace the stored ones, the others stay; AWS fills in resetOnHealthyTask.
    expect(out.service?.deploymentConfiguration).toMatchObject({ maximumPercent: 150, minimumHealthyPercent: 100, deploymentCircuitBreaker: { enable: true, rollback: true, resetOnHealthyTask: true } });
    const forced = await ecs.send(new UpdateServiceCommand({ cluster: 'prod', service: 'web', forceNewDeployment: true }));
    expect(forced.service?.deployments?.map((d) => d.status)).toEqual(['PRIMARY', 'ACTIVE']);
    expect(forced.service?.deployments?.[0]?.taskDefinition).toBe(forced.service?.deployments?.[1]?.taskDefinition);
    const newDefinition = await ecs.send(new UpdateServiceCommand({ cluster: 'prod', service: 'web', taskDefinition: 'web' }));
    expect(newDefinition.service?.taskDefinition).toBe(`${ACCOUNT}:task-definition/web:4`);
    expect(newDefinition.service?.deployments).toHaveLength(3);
  });

  it('refuses to delete a service scaled above 0 unless forced, then drains it to INACTIVE', async () => {
    const { ecs, clock } = ecsWorld();
    await ecs.send(create());
    clock.advance(120_000);
    const refused = await failure(ecs.send(new DeleteServiceCommand({ cluster: 'prod', service: 'web' })));
    expect(refused).toBeInstanceOf(InvalidParameterException);
    expect(refused.message).toBe('The service cannot be stopped while it is scaled above 0.');
    const deleted = await ecs.send(new DeleteServiceCommand({ cluster: 'prod', service: 'web', force: true }));
    expect(deleted.service).toMatchObject({ status: 'DRAINING', desiredCount: 0 });
    const notActive = await failure(ecs.send(new UpdateServiceCommand({ cluster: 'prod', service: 'web', desiredCount: 1 })));
    expect(notActive).toBeInstanceOf(ServiceNotActiveException);
    expect(notActive.message).toBe('Service was not ACTIVE.');
    expect((await failure(ecs.send(create()))).name).toBe('InvalidParameterException');
    clock.advance(30_000);
    const gone = await describeService(ecs);
    expect(gone).toMatchObject({ status: 'INACTIVE', runningCount: 0 });
    // An INACTIVE service's name can be used again.
    expect((await ecs.send(create())).service?.status).toBe('ACTIVE');
  });
});
