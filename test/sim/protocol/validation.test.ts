import { AutoScalingClient, StartInstanceRefreshCommand } from '@aws-sdk/client-auto-scaling';
import { CloudWatchClient, DescribeAlarmsCommand, ValidationException as CloudWatchValidationException } from '@aws-sdk/client-cloudwatch';
import { ECSClient, InvalidParameterException, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import type { DeploymentStrategy } from '@aws-sdk/client-ecs';
import { ElasticLoadBalancingV2Client, ModifyRuleCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { CreateAliasCommand, LambdaClient, LambdaServiceException, UpdateAliasCommand } from '@aws-sdk/client-lambda';
import { ChangeResourceRecordSetsCommand, InvalidInput, Route53Client } from '@aws-sdk/client-route-53';
import { describe, expect, it } from 'vitest';
import { validateInput } from '../../../src/sim/protocol/index.js';
import { failureOf, recorder, simClientConfig } from './simClient.js';

const metadata = (error: Record<string, unknown>) => error['$metadata'] as { httpStatusCode?: number; attempts?: number };

describe('input that breaks the model is rejected before it reaches the world', () => {
  it('Route 53: Weight 256 (max 255) → InvalidInput', async () => {
    const world = recorder();
    const client = new Route53Client(simClientConfig(world.dispatch));
    const batch = {
      Changes: [
        { Action: 'UPSERT' as const, ResourceRecordSet: { Name: 'api.example.com.', Type: 'A' as const, SetIdentifier: 'green', Weight: 256, TTL: 60, ResourceRecords: [{ Value: '10.0.0.1' }] } },
      ],
    };

    const error = await failureOf(() => client.send(new ChangeResourceRecordSetsCommand({ HostedZoneId: 'Z1', ChangeBatch: batch })));

    expect(error).toBeInstanceOf(InvalidInput);
    expect(error['message']).toBe(
      "1 validation error detected: Value '256' at 'changeBatch.changes.1.member.resourceRecordSet.weight' failed to satisfy constraint: Member must have value less than or equal to 255",
    );
    expect(metadata(error)).toMatchObject({ httpStatusCode: 400, attempts: 1 });
    expect(world.calls).toHaveLength(0);
  });

  it('Lambda: an all-digit alias name breaks the Name pattern → ValidationException', async () => {
    const world = recorder();
    const client = new LambdaClient(simClientConfig(world.dispatch));

    const error = await failureOf(() => client.send(new CreateAliasCommand({ FunctionName: 'checkout', Name: '123', FunctionVersion: '1' })));

    expect(error).toBeInstanceOf(LambdaServiceException);
    expect(error).toMatchObject({ name: 'ValidationException', $fault: 'client' });
    expect(error['message']).toBe(
      "1 validation error detected: Value '123' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: (?!^[0-9]+$)([a-zA-Z0-9-_]+)",
    );
    expect(world.calls).toHaveLength(0);
  });

  it('Lambda: routing weights are checked per map value, version keys per map key', async () => {
    const world = recorder();
    const client = new LambdaClient(simClientConfig(world.dispatch));

    const error = await failureOf(() =>
      client.send(new UpdateAliasCommand({ FunctionName: 'checkout', Name: 'live', RoutingConfig: { AdditionalVersionWeights: { v2: 1.5 } } })),
    );

    expect(error['message']).toBe(
      "2 validation errors detected: Value '{v2=1.5}' at 'routingConfig.additionalVersionWeights' failed to satisfy constraint: Map keys must satisfy constraint: [Member must satisfy regular expression pattern: [0-9]+]; " +
        "Value '{v2=1.5}' at 'routingConfig.additionalVersionWeights' failed to satisfy constraint: Map value must satisfy constraint: [Member must have value less than or equal to 1.0]",
    );
    expect(world.calls).toHaveLength(0);
  });

  it('Auto Scaling: MinHealthyPercentage 101 → ValidationError', async () => {
    const world = recorder();
    const client = new AutoScalingClient(simClientConfig(world.dispatch));

    const error = await failureOf(() => client.send(new StartInstanceRefreshCommand({ AutoScalingGroupName: 'web-asg', Preferences: { MinHealthyPercentage: 101 } })));

    expect(error).toMatchObject({ name: 'ValidationError', $fault: 'client' });
    expect(error['message']).toBe(
      "1 validation error detected: Value '101' at 'preferences.minHealthyPercentage' failed to satisfy constraint: Member must have value less than or equal to 100",
    );
    expect(world.calls).toHaveLength(0);
  });

  it('CloudWatch: more than 100 AlarmNames → ValidationError, which the SDK maps to its ValidationException', async () => {
    const world = recorder();
    const client = new CloudWatchClient(simClientConfig(world.dispatch));
    const names = Array.from({ length: 101 }, (_, i) => `alarm-${i}`);

    const error = await failureOf(() => client.send(new DescribeAlarmsCommand({ AlarmNames: names })));

    // The SDK's CloudWatch model (unlike botocore's) has ValidationException with awsQuery code ValidationError.
    expect(error).toBeInstanceOf(CloudWatchValidationException);
    expect(error).toMatchObject({ name: 'ValidationException', $fault: 'client', Error: { Code: 'ValidationError', Type: 'Sender' } });
    expect(error['message']).toMatch(/^1 validation error detected: Value '\[alarm-0, alarm-1, .*alarm-100\]' at 'alarmNames' failed to satisfy constraint: Member must have length less than or equal to 100$/);
    expect(world.calls).toHaveLength(0);
  });

  it('CloudWatch: an over-long alarm name inside the list is reported on the list', async () => {
    const world = recorder();
    const client = new CloudWatchClient(simClientConfig(world.dispatch));

    const error = await failureOf(() => client.send(new DescribeAlarmsCommand({ AlarmNames: ['ok', 'x'.repeat(256)] })));

    expect(error['message']).toContain("at 'alarmNames' failed to satisfy constraint: Member must satisfy constraint: [Member must have length less than or equal to 255]");
  });

  it('ECS: an unknown deployment strategy → InvalidParameterException', async () => {
    const world = recorder();
    const client = new ECSClient(simClientConfig(world.dispatch));

    const error = await failureOf(() =>
      client.send(new UpdateServiceCommand({ service: 'web', deploymentConfiguration: { strategy: 'DARK_LAUNCH' as DeploymentStrategy } })),
    );

    expect(error).toBeInstanceOf(InvalidParameterException);
    expect(error['message']).toBe(
      "1 validation error detected: Value 'DARK_LAUNCH' at 'deploymentConfiguration.strategy' failed to satisfy constraint: Member must satisfy enum value set: [ROLLING, BLUE_GREEN, LINEAR, CANARY]",
    );
    expect(world.calls).toHaveLength(0);
  });

  it('ELBv2: a missing required member is "Member must not be null"', async () => {
    const world = recorder();
    const client = new ElasticLoadBalancingV2Client(simClientConfig(world.dispatch));

    const error = await failureOf(() => client.send(new ModifyRuleCommand({ RuleArn: undefined as unknown as string })));

    expect(error).toMatchObject({ name: 'ValidationError', message: "1 validation error detected: Value null at 'ruleArn' failed to satisfy constraint: Member must not be null" });
    expect(world.calls).toHaveLength(0);
  });

  it('ELBv2: a forward weight of 1000 is not a model constraint (0..999 is documented only), so the world decides', async () => {
    const world = recorder(() => ({ Rules: [] }));
    const client = new ElasticLoadBalancingV2Client(simClientConfig(world.dispatch));

    await client.send(new ModifyRuleCommand({ RuleArn: 'arn:rule', Actions: [{ Type: 'forward', ForwardConfig: { TargetGroups: [{ TargetGroupArn: 'arn:tg', Weight: 1000 }] } }] }));

    expect(world.calls).toHaveLength(1);
  });
});

describe('validateInput', () => {
  it('accepts valid input and reports every violation otherwise', () => {
    expect(validateInput('route53', 'GetChange', { Id: 'C1' })).toMatchObject({ valid: true, messages: [] });
    expect(validateInput('route53', 'GetChange', {}).messages).toEqual(["Value null at 'id' failed to satisfy constraint: Member must not be null"]);
  });

  it('checks lengths in code points and exactly-one-member unions', () => {
    const state = { StateValue: 'OK', StateReason: 'test' };
    // 255 emoji are 510 UTF-16 code units but 255 code points: within AlarmName's max of 255.
    expect(validateInput('cloudwatch', 'SetAlarmState', { ...state, AlarmName: '😀'.repeat(255) }).valid).toBe(true);
    expect(validateInput('cloudwatch', 'SetAlarmState', { ...state, AlarmName: '😀'.repeat(256) }).messages).toEqual([
      expect.stringContaining('Member must have length less than or equal to 255'),
    ]);
    // EvaluationWindow is a union in the CloudWatch model (botocore marks DynamoDB's AttributeValue as a plain structure).
    const ambiguous = validateInput('cloudwatch', 'PutMetricAlarm', { AlarmName: 'a', EvaluationWindow: { WallClockWindow: {}, SlidingWindow: {} } });
    expect(ambiguous.messages).toEqual([expect.stringContaining("at 'evaluationWindow' failed to satisfy constraint: Member must have exactly one member set")]);
  });

  it('throws for an operation the service does not have', () => {
    expect(() => validateInput('ecs', 'LaunchRocket', {})).toThrow(/no operation LaunchRocket/);
  });
});
