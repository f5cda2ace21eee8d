import { DescribeServicesCommand, ECSClient, RunTaskCommand, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import type { UpdateServiceCommandInput } from '@aws-sdk/client-ecs';
import { describe, expect, it } from 'vitest';
import { onlyCall, recorder, simClientConfig, withoutMetadata } from './simClient.js';

const SERVICE_ARN = 'arn:aws:ecs:us-east-1:123456789012:service/prod/web';

describe('ECS over awsJson1_1', () => {
  it('UpdateService delivers the deployment configuration with circuit breaker, alarms, strategy and canary settings', async () => {
    const input: UpdateServiceCommandInput = {
      cluster: 'prod',
      service: 'web',
      taskDefinition: 'web:42',
      desiredCount: 6,
      forceNewDeployment: false,
      deploymentConfiguration: {
        maximumPercent: 200,
        minimumHealthyPercent: 100,
        deploymentCircuitBreaker: { enable: true, rollback: true },
        alarms: { alarmNames: ['web-5xx', 'web-p99'], enable: true, rollback: true },
        strategy: 'CANARY',
        bakeTimeInMinutes: 15,
        canaryConfiguration: { canaryPercent: 12.5, canaryBakeTimeInMinutes: 10 },
      },
      healthCheckGracePeriodSeconds: 30,
    };
    const world = recorder(() => ({ service: { serviceArn: SERVICE_ARN, serviceName: 'web', desiredCount: 6 } }));
    const client = new ECSClient(simClientConfig(world.dispatch));

    const output = await client.send(new UpdateServiceCommand(input));

    expect(onlyCall(world)).toMatchObject({ service: 'ecs', operation: 'UpdateService' });
    expect(onlyCall(world).input).toEqual(input);
    expect(output.service).toEqual({ serviceArn: SERVICE_ARN, serviceName: 'web', desiredCount: 6 });
  });

  it('DescribeServices returns deployments with Date timestamps, rollout states and failures', async () => {
    const described = {
      services: [
        {
          serviceArn: SERVICE_ARN,
          serviceName: 'web',
          status: 'ACTIVE',
          desiredCount: 6,
          runningCount: 6,
          pendingCount: 0,
          deploymentConfiguration: {
            deploymentCircuitBreaker: { enable: true, rollback: true },
            strategy: 'CANARY',
            canaryConfiguration: { canaryPercent: 10, canaryBakeTimeInMinutes: 5 },
          },
          deployments: [
            {
              id: 'ecs-svc/1111',
              status: 'PRIMARY',
              taskDefinition: 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:42',
              desiredCount: 6,
              runningCount: 3,
              pendingCount: 3,
              failedTasks: 0,
              createdAt: new Date('2026-04-01T12:00:00.125Z'),
              updatedAt: new Date('2026-04-01T12:03:00Z'),
              rolloutState: 'IN_PROGRESS',
              rolloutStateReason: 'ECS deployment ecs-svc/1111 in progress.',
            },
            { id: 'ecs-svc/0000', status: 'ACTIVE', desiredCount: 3, runningCount: 3, createdAt: new Date('2026-03-30T08:00:00Z'), rolloutState: 'COMPLETED' },
          ],
          createdAt: new Date('2025-01-01T00:00:00Z'),
        },
      ],
      failures: [{ arn: 'arn:aws:ecs:us-east-1:123456789012:service/prod/api', reason: 'MISSING' }],
    };
    const world = recorder(() => described);
    const client = new ECSClient(simClientConfig(world.dispatch));

    const output = await client.send(new DescribeServicesCommand({ cluster: 'prod', services: ['web', 'api'] }));

    expect(withoutMetadata(output)).toEqual(described);
    expect(output.services?.[0]?.deployments?.[0]?.createdAt).toBeInstanceOf(Date);
    expect(onlyCall(world).input).toEqual({ cluster: 'prod', services: ['web', 'api'] });
  });

  it('members marked idempotencyToken are filled in by the SDK when the caller leaves them out', async () => {
    const world = recorder(() => ({ tasks: [], failures: [] }));
    const client = new ECSClient(simClientConfig(world.dispatch));

    await client.send(new RunTaskCommand({ cluster: 'prod', taskDefinition: 'migrate:3' }));

    expect(onlyCall(world).input).toEqual({ cluster: 'prod', taskDefinition: 'migrate:3', clientToken: expect.stringMatching(/^[0-9a-f-]{36}$/) });
  });
});
