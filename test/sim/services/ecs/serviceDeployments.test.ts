import {
  ConflictException,
  CreateServiceCommand,
  DescribeServiceDeploymentsCommand,
  InvalidParameterException,
  ListServiceDeploymentsCommand,
  ServiceDeploymentNotFoundException,
  ServiceNotFoundException,
  StopServiceDeploymentCommand,
  UpdateServiceCommand,
  type ECSClient,
} from '@aws-sdk/client-ecs';
import { describe, expect, it } from 'vitest';
import { describeService, ecsWorld, failure } from './fixture.js';

const ACCOUNT = 'arn:aws:ecs:us-east-1:123456789012';

async function deployments(ecs: ECSClient, arns: string[]) {
  return (await ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: arns }))).serviceDeployments!;
}

describe('ECS service deployments API', () => {
  it('records each deployment with its revisions, status and monitors', async () => {
    const { ecs, clock } = ecsWorld();
    const created = await ecs.send(new CreateServiceCommand({ cluster: 'prod', serviceName: 'web', taskDefinition: 'web:1', desiredCount: 2, deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: true } } }));
    const first = created.service!.currentServiceDeployment!;
    let [record] = await deployments(ecs, [first]);
    expect(record).toMatchObject({
      serviceDeploymentArn: first,
      serviceArn: `${ACCOUNT}:service/prod/web`,
      clusterArn: `${ACCOUNT}:cluster/prod`,
      status: 'IN_PROGRESS',
      sourceServiceRevisions: [],
      targetServiceRevision: { requestedTaskCount: 2, runningTaskCount: 0 },
      deploymentCircuitBreaker: { status: 'MONITORING', failureCount: 0, threshold: 3 },
      alarms: { status: 'DISABLED' },
      deploymentConfiguration: { maximumPercent: 200, minimumHealthyPercent: 100 },
    });
    expect(record?.targetServiceRevision?.arn).toMatch(new RegExp(`^${ACCOUNT}:service-revision/prod/web/[1-9]\\d{18}$`));
    expect(record?.startedAt).toBeInstanceOf(Date);
    clock.advance(120_000);
    [record] = await deployments(ecs, [first]);
    expect(record).toMatchObject({ status: 'SUCCESSFUL', targetServiceRevision: { runningTaskCount: 2 }, deploymentCircuitBreaker: { status: 'MONITORING_COMPLETE' } });
    expect(record?.finishedAt).toBeInstanceOf(Date);

    const updated = await ecs.send(new UpdateServiceCommand({ cluster: 'prod', service: 'web', taskDefinition: 'web:2' }));
    const second = updated.service!.currentServiceDeployment!;
    expect(second).not.toBe(first);
    const [next] = await deployments(ecs, [second]);
    expect(next?.sourceServiceRevisions).toEqual([{ arn: record!.targetServiceRevision!.arn, requestedTaskCount: 2, runningTaskCount: 2, pendingTaskCount: 0 }]);

    const listed = await ecs.send(new ListServiceDeploymentsCommand({ cluster: 'prod', service: 'web' }));
    expect(listed.serviceDeployments?.map((d) => [d.serviceDeploymentArn, d.status])).toEqual([
      [second, 'IN_PROGRESS'],
      [first, 'SUCCESSFUL'],
    ]);
    const onlySuccessful = await ecs.send(new ListServiceDeploymentsCommand({ cluster: 'prod', service: 'web', status: ['SUCCESSFUL'] }));
    expect(onlySuccessful.serviceDeployments?.map((d) => d.serviceDeploymentArn)).toEqual([first]);
    const page = await ecs.send(new ListServiceDeploymentsCommand({ cluster: 'prod', service: 'web', maxResults: 1 }));
    expect(page.serviceDeployments).toHaveLength(1);
    const rest = await ecs.send(new ListServiceDeploymentsCommand({ cluster: 'prod', service: 'web', maxResults: 1, nextToken: page.nextToken }));
    expect(rest.serviceDeployments?.[0]?.serviceDeploymentArn).toBe(first);

    const unknown = `${ACCOUNT}:service-deployment/prod/web/nope`;
    expect((await ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [unknown] }))).failures).toEqual([{ arn: unknown, reason: 'MISSING' }]);
    expect(await failure(ecs.send(new ListServiceDeploymentsCommand({ cluster: 'prod', service: 'api' })))).toBeInstanceOf(ServiceNotFoundException);
  });

  it('marks an ongoing deployment STOPPED when a newer one starts', async () => {
    const { ecs } = ecsWorld();
    const first = (await ecs.send(new CreateServiceCommand({ cluster: 'prod', serviceName: 'web', taskDefinition: 'web:1', desiredCount: 2 }))).service!.currentServiceDeployment!;
    await ecs.send(new UpdateServiceCommand({ cluster: 'prod', service: 'web', taskDefinition: 'web:2' }));
    const [record] = await deployments(ecs, [first]);
    expect(record).toMatchObject({ status: 'STOPPED' });
    expect(record?.stoppedAt).toBeInstanceOf(Date);
  });

  it('rolls back on StopServiceDeployment ROLLBACK: ROLLBACK_REQUESTED, ROLLBACK_IN_PROGRESS, ROLLBACK_SUCCESSFUL', async () => {
    const { ecs, clock } = ecsWorld();
    await ecs.send(new CreateServiceCommand({ cluster: 'prod', serviceName: 'web', taskDefinition: 'web:1', desiredCount: 2 }));
    clock.advance(120_000);
    const completedId = (await describeService(ecs)).deployments![0]!.id!;
    const arn = (await ecs.send(new UpdateServiceCommand({ cluster: 'prod', service: 'web', taskDefinition: 'web:2' }))).service!.currentServiceDeployment!;
    clock.advance(10_000);
    expect(await ecs.send(new StopServiceDeploymentCommand({ serviceDeploymentArn: arn, stopType: 'ROLLBACK' }))).toMatchObject({ serviceDeploymentArn: arn });
    expect((await deployments(ecs, [arn]))[0]?.status).toBe('ROLLBACK_REQUESTED');
    clock.advance(1_000);
    const [rolling] = await deployments(ecs, [arn]);
    expect(rolling).toMatchObject({ status: 'ROLLBACK_IN_PROGRESS', rollback: { serviceRevisionArn: rolling?.sourceServiceRevisions?.[0]?.arn } });
    expect(rolling?.rollback?.startedAt).toBeInstanceOf(Date);
    const service = await describeService(ecs);
    expect(service.taskDefinition).toMatch(/web:1$/);
    expect(service.deployments?.[0]?.rolloutStateReason).toContain(`rolling back to deploymentId ${completedId}.`);
    expect(service.deployments?.[1]).toMatchObject({ rolloutState: 'FAILED' });
    clock.advance(120_000);
    expect((await deployments(ecs, [arn]))[0]?.status).toBe('ROLLBACK_SUCCESSFUL');
    expect((await describeService(ecs)).deployments).toEqual([expect.objectContaining({ rolloutState: 'COMPLETED', taskDefinition: expect.stringMatching(/web:1$/) })]);

    const finished = await failure(ecs.send(new StopServiceDeploymentCommand({ serviceDeploymentArn: arn })));
    expect(finished).toBeInstanceOf(ConflictException);
    expect(finished.$metadata.httpStatusCode).toBe(400);
    const unknown = await failure(ecs.send(new StopServiceDeploymentCommand({ serviceDeploymentArn: `${arn}x` })));
    expect(unknown).toBeInstanceOf(ServiceDeploymentNotFoundException);
  });

  it('refuses the ABORT stop type, which the documentation does not list as valid', async () => {
    const { ecs } = ecsWorld();
    const arn = (await ecs.send(new CreateServiceCommand({ cluster: 'prod', serviceName: 'web', taskDefinition: 'web:1', desiredCount: 2 }))).service!.currentServiceDeployment!;
    expect(await failure(ecs.send(new StopServiceDeploymentCommand({ serviceDeploymentArn: arn, stopType: 'ABORT' })))).toBeInstanceOf(InvalidParameterException);
  });

  it('fails the rollback when there is no previous revision to go back to', async () => {
    const { ecs, clock } = ecsWorld();
    const arn = (await ecs.send(new CreateServiceCommand({ cluster: 'prod', serviceName: 'web', taskDefinition: 'web:1', desiredCount: 2 }))).service!.currentServiceDeployment!;
    await ecs.send(new StopServiceDeploymentCommand({ serviceDeploymentArn: arn }));
    clock.advance(1_000);
    expect((await deployments(ecs, [arn]))[0]?.status).toBe('ROLLBACK_FAILED');
    expect((await describeService(ecs)).deployments?.[0]?.rolloutState).toBe('FAILED');
  });
});
