import { ClusterNotFoundException, CreateServiceCommand, DescribeTasksCommand, ListTasksCommand, ServiceNotFoundException } from '@aws-sdk/client-ecs';
import { describe, expect, it } from 'vitest';
import { ecsWorld, failure } from './fixture.js';

describe('ECS ListTasks and DescribeTasks', () => {
  it('lists a service’s tasks with filters and pages, and describes them with MISSING failures', async () => {
    const { ecs } = ecsWorld();
    await ecs.send(new CreateServiceCommand({ cluster: 'prod', serviceName: 'web', taskDefinition: 'web:1', desiredCount: 3 }));
    await ecs.send(new CreateServiceCommand({ cluster: 'prod', serviceName: 'api', taskDefinition: 'web:2', desiredCount: 1 }));
    const all = await ecs.send(new ListTasksCommand({ cluster: 'prod' }));
    expect(all.taskArns).toHaveLength(4);
    expect((await ecs.send(new ListTasksCommand({ cluster: 'prod', serviceName: 'web' }))).taskArns).toHaveLength(3);
    expect((await ecs.send(new ListTasksCommand({ cluster: 'prod', family: 'web' }))).taskArns).toHaveLength(4);
    expect((await ecs.send(new ListTasksCommand({ cluster: 'prod', desiredStatus: 'STOPPED' }))).taskArns).toEqual([]);
    const page = await ecs.send(new ListTasksCommand({ cluster: 'prod', serviceName: 'web', maxResults: 2 }));
    expect(page.taskArns).toHaveLength(2);
    const rest = await ecs.send(new ListTasksCommand({ cluster: 'prod', serviceName: 'web', maxResults: 2, nextToken: page.nextToken }));
    expect(rest.taskArns).toHaveLength(1);
    expect(rest.nextToken).toBeUndefined();

    const id = page.taskArns![0]!.split('/').pop()!;
    const described = await ecs.send(new DescribeTasksCommand({ cluster: 'prod', tasks: [id, page.taskArns![1]!, '0123456789abcdef0123456789abcdef'] }));
    expect(described.tasks?.map((t) => t.taskArn)).toEqual(page.taskArns);
    expect(described.tasks?.[0]).toMatchObject({ clusterArn: 'arn:aws:ecs:us-east-1:123456789012:cluster/prod', taskDefinitionArn: 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:1', launchType: 'EC2', group: 'service:web' });
    expect(described.tasks?.[0]?.createdAt).toBeInstanceOf(Date);
    expect(described.failures).toEqual([{ arn: 'arn:aws:ecs:us-east-1:123456789012:task/prod/0123456789abcdef0123456789abcdef', reason: 'MISSING' }]);
  });

  it('fails for unknown services and clusters', async () => {
    const { ecs } = ecsWorld();
    expect(await failure(ecs.send(new ListTasksCommand({ cluster: 'prod', serviceName: 'nope' })))).toBeInstanceOf(ServiceNotFoundException);
    expect(await failure(ecs.send(new ListTasksCommand({ cluster: 'nope' })))).toBeInstanceOf(ClusterNotFoundException);
    expect(await failure(ecs.send(new DescribeTasksCommand({ cluster: 'nope', tasks: ['x'] })))).toBeInstanceOf(ClusterNotFoundException);
  });
});
