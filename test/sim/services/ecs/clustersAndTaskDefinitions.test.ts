import {
  ClientException,
  CreateClusterCommand,
  DeregisterTaskDefinitionCommand,
  DescribeClustersCommand,
  DescribeTaskDefinitionCommand,
  ListTaskDefinitionsCommand,
  RegisterTaskDefinitionCommand,
} from '@aws-sdk/client-ecs';
import { describe, expect, it } from 'vitest';
import { ecsWorld, failure } from './fixture.js';

const ACCOUNT = 'arn:aws:ecs:us-east-1:123456789012';

describe('ECS clusters', () => {
  it('creates clusters idempotently, with the default name, and describes them with MISSING failures', async () => {
    const { ecs } = ecsWorld();
    const created = await ecs.send(new CreateClusterCommand({ clusterName: 'staging', tags: [{ key: 'team', value: 'web' }] }));
    expect(created.cluster).toMatchObject({ clusterArn: `${ACCOUNT}:cluster/staging`, clusterName: 'staging', status: 'ACTIVE', runningTasksCount: 0, activeServicesCount: 0 });
    const again = await ecs.send(new CreateClusterCommand({ clusterName: 'staging' }));
    expect(again.cluster?.clusterArn).toBe(created.cluster?.clusterArn);
    expect((await ecs.send(new CreateClusterCommand({}))).cluster?.clusterName).toBe('default');

    const described = await ecs.send(new DescribeClustersCommand({ clusters: ['staging', `${ACCOUNT}:cluster/prod`, 'nope'], include: ['TAGS'] }));
    expect(described.clusters?.map((c) => c.clusterName)).toEqual(['staging', 'prod']);
    expect(described.clusters?.[0]?.tags).toEqual([{ key: 'team', value: 'web' }]);
    expect(described.failures).toEqual([{ arn: `${ACCOUNT}:cluster/nope`, reason: 'MISSING' }]);
  });
});

describe('ECS task definitions', () => {
  it('registers revisions per family and describes them by family, family:revision and ARN', async () => {
    const { ecs } = ecsWorld();
    const registered = await ecs.send(
      new RegisterTaskDefinitionCommand({ family: 'api', networkMode: 'awsvpc', cpu: '256', memory: '512', containerDefinitions: [{ name: 'api', image: 'api:1', portMappings: [{ containerPort: 3000 }] }], tags: [{ key: 'k', value: 'v' }] }),
    );
    expect(registered.taskDefinition).toMatchObject({ family: 'api', revision: 1, status: 'ACTIVE', taskDefinitionArn: `${ACCOUNT}:task-definition/api:1`, networkMode: 'awsvpc', cpu: '256', compatibilities: ['EC2', 'FARGATE'] });
    expect(registered.taskDefinition?.registeredAt).toBeInstanceOf(Date);
    const second = await ecs.send(new RegisterTaskDefinitionCommand({ family: 'api', containerDefinitions: [{ name: 'api', image: 'api:2' }] }));
    expect(second.taskDefinition?.revision).toBe(2);

    const latest = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'api' }));
    expect(latest.taskDefinition?.containerDefinitions?.[0]?.image).toBe('api:2');
    const first = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'api:1', include: ['TAGS'] }));
    expect(first.taskDefinition?.containerDefinitions?.[0]?.image).toBe('api:1');
    expect(first.tags).toEqual([{ key: 'k', value: 'v' }]);
    const byArn = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: `${ACCOUNT}:task-definition/api:2` }));
    expect(byArn.taskDefinition?.revision).toBe(2);
  });

  it('rejects containers without an image or a name, and unknown task definitions, as ClientException', async () => {
    const { ecs } = ecsWorld();
    const noImage = await failure(ecs.send(new RegisterTaskDefinitionCommand({ family: 'api', containerDefinitions: [{ name: 'api' }] })));
    expect(noImage).toBeInstanceOf(ClientException);
    expect(noImage).toMatchObject({ name: 'ClientException', message: 'Container.image should not be null or empty.', $metadata: { httpStatusCode: 400 } });
    const noName = await failure(ecs.send(new RegisterTaskDefinitionCommand({ family: 'api', containerDefinitions: [{ image: 'api:1' }] })));
    expect(noName.message).toBe('Container.name should not be null or empty.');
    const badFamily = await failure(ecs.send(new RegisterTaskDefinitionCommand({ family: 'api/v1', containerDefinitions: [{ name: 'a', image: 'api:1' }] })));
    expect(badFamily.name).toBe('ClientException');
    const unknown = await failure(ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'nope:1' })));
    expect(unknown).toMatchObject({ name: 'ClientException', message: 'Unable to describe task definition.', $metadata: { httpStatusCode: 400 } });
  });

  it('deregisters revisions to INACTIVE, which stay describable and are listed apart', async () => {
    const { ecs } = ecsWorld();
    const out = await ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: 'web:1' }));
    expect(out.taskDefinition).toMatchObject({ status: 'INACTIVE', revision: 1 });
    expect(out.taskDefinition?.deregisteredAt).toBeInstanceOf(Date);
    expect((await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'web:1' }))).taskDefinition?.status).toBe('INACTIVE');

    const active = await ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: 'web' }));
    expect(active.taskDefinitionArns?.map((a) => a.split('/')[1])).toEqual(['web:2', 'web:3', 'web:4']);
    const inactive = await ecs.send(new ListTaskDefinitionsCommand({ status: 'INACTIVE' }));
    expect(inactive.taskDefinitionArns?.map((a) => a.split('/')[1])).toEqual(['web:1']);
    const newestFirst = await ecs.send(new ListTaskDefinitionsCommand({ sort: 'DESC', maxResults: 2 }));
    expect(newestFirst.taskDefinitionArns?.map((a) => a.split('/')[1])).toEqual(['web:4', 'web:3']);
    const rest = await ecs.send(new ListTaskDefinitionsCommand({ sort: 'DESC', maxResults: 2, nextToken: newestFirst.nextToken }));
    expect(rest.taskDefinitionArns?.map((a) => a.split('/')[1])).toEqual(['web:2']);
    expect(rest.nextToken).toBeUndefined();

    expect((await failure(ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: 'web' })))).name).toBe('ClientException');
    const missing = await failure(ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: 'web:99' })));
    expect(missing).toMatchObject({ name: 'ClientException', message: 'The specified task definition does not exist.' });
  });
});
