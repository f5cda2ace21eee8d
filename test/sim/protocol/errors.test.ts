import { CloudWatchClient, DescribeAlarmsCommand, LimitExceededFault, PutMetricAlarmCommand } from '@aws-sdk/client-cloudwatch';
import { ConditionalCheckFailedException, DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { DescribeServicesCommand, ECSClient } from '@aws-sdk/client-ecs';
import {
  DescribeListenersCommand,
  ElasticLoadBalancingV2Client,
  HealthUnavailableException,
  ListenerNotFoundException,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { AutoScalingClient, ResourceContentionFault, StartInstanceRefreshCommand } from '@aws-sdk/client-auto-scaling';
import { GetAliasCommand, LambdaClient, PreconditionFailedException, TooManyRequestsException, UpdateAliasCommand } from '@aws-sdk/client-lambda';
import { ChangeResourceRecordSetsCommand, InvalidChangeBatch, PriorRequestNotComplete, Route53Client } from '@aws-sdk/client-route-53';
import { describe, expect, it } from 'vitest';
import { SimServiceError } from '../../../src/sim/protocol/index.js';
import { failureOf, recorder, simClientConfig } from './simClient.js';

function throwing(error: Error) {
  return recorder(() => {
    throw error;
  });
}

const metadata = (error: Record<string, unknown>) => error['$metadata'] as { httpStatusCode?: number; attempts?: number };


describe('modeled errors come out of the SDK as their exception classes', () => {
  it('awsQuery (ELBv2): ListenerNotFound → ListenerNotFoundException, 400, client fault, not retried', async () => {
    const world = throwing(new SimServiceError('ListenerNotFound', 'One or more listeners not found'));
    const client = new ElasticLoadBalancingV2Client(simClientConfig(world.dispatch));

    const error = await failureOf(() => client.send(new DescribeListenersCommand({ ListenerArns: ['arn:listener'] })));

    expect(error).toBeInstanceOf(ListenerNotFoundException);
    expect(error).toMatchObject({ name: 'ListenerNotFoundException', message: 'One or more listeners not found', $fault: 'client' });
    expect(metadata(error).httpStatusCode).toBe(400);
    expect(world.calls).toHaveLength(1);
  });

  it('awsQuery accepts the exception shape name too, and uses the model status for server faults', async () => {
    const world = throwing(new SimServiceError('HealthUnavailableException', 'Health is unavailable'));
    const client = new ElasticLoadBalancingV2Client({ ...simClientConfig(world.dispatch), maxAttempts: 1 });

    const error = await failureOf(() => client.send(new DescribeListenersCommand({ ListenerArns: ['arn:listener'] })));

    expect(error).toBeInstanceOf(HealthUnavailableException);
    expect(error).toMatchObject({ $fault: 'server' });
    expect(metadata(error).httpStatusCode).toBe(500);
  });

  it('awsQuery (Auto Scaling): ResourceContention is a 500 and therefore retried', async () => {
    const world = throwing(new SimServiceError('ResourceContention', 'You already have a pending update'));
    const client = new AutoScalingClient(simClientConfig(world.dispatch));

    const error = await failureOf(() => client.send(new StartInstanceRefreshCommand({ AutoScalingGroupName: 'web-asg' })));

    expect(error).toBeInstanceOf(ResourceContentionFault);
    expect(metadata(error)).toMatchObject({ httpStatusCode: 500, attempts: 3 });
    expect(world.calls.map((call) => call.attempt)).toEqual([1, 2, 3]);
  });

  it('restJson1 (Lambda): PreconditionFailedException is a 412 with Type filled in', async () => {
    const world = throwing(new SimServiceError('PreconditionFailedException', 'The RevisionId provided does not match the latest RevisionId'));
    const client = new LambdaClient(simClientConfig(world.dispatch));

    const error = await failureOf(() => client.send(new UpdateAliasCommand({ FunctionName: 'checkout', Name: 'live', RevisionId: 'stale' })));

    expect(error).toBeInstanceOf(PreconditionFailedException);
    expect(error).toMatchObject({ name: 'PreconditionFailedException', Type: 'User', $fault: 'client' });
    expect(metadata(error).httpStatusCode).toBe(412);
    expect(world.calls).toHaveLength(1);
  });

  it('restJson1 (Lambda): TooManyRequestsException is a 429 with Retry-After and Reason, retried', async () => {
    const world = throwing(
      new SimServiceError('TooManyRequestsException', 'Rate exceeded', { retryAfterSeconds: 1, extra: { Reason: 'CallerRateLimitExceeded' } }),
    );
    const client = new LambdaClient(simClientConfig(world.dispatch));

    const error = await failureOf(() => client.send(new GetAliasCommand({ FunctionName: 'checkout', Name: 'live' })));

    expect(error).toBeInstanceOf(TooManyRequestsException);
    expect(error).toMatchObject({ retryAfterSeconds: '1', Reason: 'CallerRateLimitExceeded', Type: 'User', message: 'Rate exceeded' });
    expect(metadata(error)).toMatchObject({ httpStatusCode: 429, attempts: 3 });
    expect(world.calls).toHaveLength(3);
  });

  it('restXml (Route 53): InvalidChangeBatch is a client error, not retried', async () => {
    const world = throwing(new SimServiceError('InvalidChangeBatch', '[Tried to delete resource record set [name=api.example.com., type=A, set-identifier=green] but it was not found]'));
    const client = new Route53Client(simClientConfig(world.dispatch));
    const batch = { Changes: [{ Action: 'DELETE' as const, ResourceRecordSet: { Name: 'api.example.com.', Type: 'A' as const, SetIdentifier: 'green', Weight: 0, TTL: 60, ResourceRecords: [{ Value: '10.0.0.1' }] } }] };

    const error = await failureOf(() => client.send(new ChangeResourceRecordSetsCommand({ HostedZoneId: 'Z1', ChangeBatch: batch })));

    expect(error).toBeInstanceOf(InvalidChangeBatch);
    expect(error['message']).toContain('but it was not found');
    expect(metadata(error).httpStatusCode).toBe(400);
    expect(world.calls).toHaveLength(1);
  });

  it('restXml (Route 53): PriorRequestNotComplete is retried as throttling', async () => {
    const world = throwing(new SimServiceError('PriorRequestNotComplete', 'The request was rejected because Route 53 was still processing a prior request.'));
    const client = new Route53Client(simClientConfig(world.dispatch));
    const batch = { Changes: [{ Action: 'UPSERT' as const, ResourceRecordSet: { Name: 'a.example.com.', Type: 'A' as const, TTL: 60, ResourceRecords: [{ Value: '10.0.0.1' }] } }] };

    const error = await failureOf(() => client.send(new ChangeResourceRecordSetsCommand({ HostedZoneId: 'Z1', ChangeBatch: batch })));

    expect(error).toBeInstanceOf(PriorRequestNotComplete);
    expect(metadata(error)).toMatchObject({ httpStatusCode: 400, attempts: 3 });
  });

  it('awsJson1_0 query-compatible (CloudWatch): the awsQuery code LimitExceeded finds LimitExceededFault', async () => {
    const world = throwing(new SimServiceError('LimitExceeded', 'The maximum number of alarms has been reached'));
    const client = new CloudWatchClient(simClientConfig(world.dispatch));

    const error = await failureOf(() => client.send(new PutMetricAlarmCommand({ AlarmName: 'x' })));

    expect(error).toBeInstanceOf(LimitExceededFault);
    expect(error).toMatchObject({ name: 'LimitExceededFault', $fault: 'client', Error: { Code: 'LimitExceeded', Type: 'Sender' } });
  });

  it('awsJson1_0 (DynamoDB): ConditionalCheckFailedException carries the old item', async () => {
    const world = throwing(new SimServiceError('ConditionalCheckFailedException', 'The conditional request failed', { extra: { Item: { pk: { S: 'lock' } } } }));
    const client = new DynamoDBClient(simClientConfig(world.dispatch));

    const error = await failureOf(() => client.send(new PutItemCommand({ TableName: 't', Item: { pk: { S: 'lock' } }, ConditionExpression: 'attribute_not_exists(pk)' })));

    expect(error).toBeInstanceOf(ConditionalCheckFailedException);
    expect(error).toMatchObject({ Item: { pk: { S: 'lock' } }, message: 'The conditional request failed' });
    expect(world.calls).toHaveLength(1);
  });
});

type Dispatch = Parameters<typeof simClientConfig>[0];

const throttlingCases: ReadonlyArray<{ label: string; code: string; send: (dispatch: Dispatch) => Promise<unknown> }> = [
  { label: 'ELBv2 (awsQuery)', code: 'Throttling', send: (d) => new ElasticLoadBalancingV2Client(simClientConfig(d)).send(new DescribeListenersCommand({})) },
  {
    label: 'Auto Scaling (awsQuery)',
    code: 'Throttling',
    send: (d) => new AutoScalingClient(simClientConfig(d)).send(new StartInstanceRefreshCommand({ AutoScalingGroupName: 'asg' })),
  },
  { label: 'CloudWatch (awsJson, query-compatible)', code: 'Throttling', send: (d) => new CloudWatchClient(simClientConfig(d)).send(new DescribeAlarmsCommand({})) },
  { label: 'ECS (awsJson 1.1)', code: 'ThrottlingException', send: (d) => new ECSClient(simClientConfig(d)).send(new DescribeServicesCommand({ services: ['web'] })) },
];

describe('throttling is retried by the default client (3 attempts), validation errors are not', () => {
  it.each(throttlingCases)('$label: $code', async ({ code, send }) => {
    const world = throwing(new SimServiceError(code, 'Rate exceeded'));

    const error = await failureOf(() => send(world.dispatch));

    expect(error).toMatchObject({ name: code, message: 'Rate exceeded', $fault: 'client' });
    expect(metadata(error)).toMatchObject({ httpStatusCode: 400, attempts: 3 });
    expect(world.calls.map((call) => [call.attempt, call.maxAttempts])).toEqual([
      [1, 3],
      [2, 3],
      [3, 3],
    ]);
    // Retries of one command share its invocation id.
    expect(new Set(world.calls.map((call) => call.invocationId)).size).toBe(1);
  });

  it('a 400 validation error from the world is not retried', async () => {
    const world = throwing(new SimServiceError('ValidationError', 'Either AvailabilityZones or SubnetIds must be specified'));
    const client = new ElasticLoadBalancingV2Client(simClientConfig(world.dispatch));

    const error = await failureOf(() => client.send(new DescribeListenersCommand({})));

    expect(error).toMatchObject({ name: 'ValidationError', $fault: 'client' });
    expect(metadata(error)).toMatchObject({ httpStatusCode: 400, attempts: 1 });
    expect(world.calls).toHaveLength(1);
  });
});
