import { CloudWatchClient, DescribeAlarmsCommand, GetMetricDataCommand, PutMetricAlarmCommand, SetAlarmStateCommand } from '@aws-sdk/client-cloudwatch';
import type { GetMetricDataCommandInput, PutMetricAlarmCommandInput } from '@aws-sdk/client-cloudwatch';
import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { createSimRequestHandler, SimServiceError } from '../../../src/sim/protocol/index.js';
import { onlyCall, recorder, simClientConfig, withoutMetadata } from './simClient.js';

const metricAlarm = {
  AlarmName: 'web-5xx',
  AlarmArn: 'arn:aws:cloudwatch:us-east-1:123456789012:alarm:web-5xx',
  AlarmConfigurationUpdatedTimestamp: new Date('2026-03-01T00:00:00Z'),
  ActionsEnabled: true,
  AlarmActions: ['arn:aws:sns:us-east-1:123456789012:pager'],
  OKActions: [],
  InsufficientDataActions: [],
  StateValue: 'ALARM',
  StateReason: 'Threshold Crossed: 2 out of the last 3 datapoints were greater than the threshold (5.0).',
  StateUpdatedTimestamp: new Date('2026-04-01T12:01:30.250Z'),
  MetricName: 'HTTPCode_Target_5XX_Count',
  Namespace: 'AWS/ApplicationELB',
  Statistic: 'Sum',
  Dimensions: [{ Name: 'LoadBalancer', Value: 'app/web/50dc6c495c0c9188' }],
  Period: 60,
  EvaluationPeriods: 3,
  DatapointsToAlarm: 2,
  Threshold: 5.5,
  ComparisonOperator: 'GreaterThanThreshold',
  TreatMissingData: 'notBreaching',
};

const compositeAlarm = {
  AlarmName: 'web-health',
  AlarmArn: 'arn:aws:cloudwatch:us-east-1:123456789012:alarm:web-health',
  AlarmRule: 'ALARM("web-5xx") OR ALARM("web-p99")',
  ActionsEnabled: false,
  StateValue: 'OK',
  StateUpdatedTimestamp: new Date('2026-04-01T11:00:00Z'),
  StateTransitionedTimestamp: new Date('2026-04-01T11:00:00Z'),
};

describe('CloudWatch over awsJson1_0 (query-compatible)', () => {
  it('DescribeAlarms delivers AlarmTypes and returns metric and composite alarms', async () => {
    const alarms = { MetricAlarms: [metricAlarm], CompositeAlarms: [compositeAlarm], NextToken: 'next' };
    const world = recorder(() => alarms);
    const client = new CloudWatchClient(simClientConfig(world.dispatch));
    const input = { AlarmNames: ['web-5xx', 'web-health'], AlarmTypes: ['MetricAlarm' as const, 'CompositeAlarm' as const], MaxRecords: 100 };

    const output = await client.send(new DescribeAlarmsCommand(input));

    expect(onlyCall(world)).toMatchObject({ service: 'cloudwatch', operation: 'DescribeAlarms', input });
    expect(withoutMetadata(output)).toEqual(alarms);
  });

  it('GetMetricData delivers MetricStat and Expression queries and returns timestamps with values', async () => {
    const input: GetMetricDataCommandInput = {
      MetricDataQueries: [
        {
          Id: 'errors',
          MetricStat: {
            Metric: { Namespace: 'AWS/ApplicationELB', MetricName: 'HTTPCode_Target_5XX_Count', Dimensions: [{ Name: 'TargetGroup', Value: 'targetgroup/green/943f017f100becff' }] },
            Period: 60,
            Stat: 'Sum',
          },
          ReturnData: false,
        },
        { Id: 'requests', MetricStat: { Metric: { Namespace: 'AWS/ApplicationELB', MetricName: 'RequestCount' }, Period: 60, Stat: 'Sum', Unit: 'Count' }, ReturnData: false },
        { Id: 'errorRate', Expression: '100 * errors / requests', Label: 'error %', ReturnData: true },
      ],
      StartTime: new Date('2026-04-01T12:00:00Z'),
      EndTime: new Date('2026-04-01T12:05:00Z'),
      ScanBy: 'TimestampAscending',
      LabelOptions: { Timezone: '+0000' },
    };
    const data = {
      MetricDataResults: [
        {
          Id: 'errorRate',
          Label: 'error %',
          Timestamps: [new Date('2026-04-01T12:00:00Z'), new Date('2026-04-01T12:01:00Z')],
          Values: [0.25, 1.5],
          StatusCode: 'Complete',
        },
      ],
      Messages: [],
    };
    const world = recorder(() => data);
    const client = new CloudWatchClient(simClientConfig(world.dispatch));

    const output = await client.send(new GetMetricDataCommand(input));

    expect(onlyCall(world).input).toEqual(input);
    expect(withoutMetadata(output)).toEqual(data);
  });

  it('PutMetricAlarm and SetAlarmState arrive as given and return no output members', async () => {
    const alarm: PutMetricAlarmCommandInput = {
      AlarmName: 'web-p99',
      MetricName: 'TargetResponseTime',
      Namespace: 'AWS/ApplicationELB',
      ExtendedStatistic: 'p99',
      Dimensions: [{ Name: 'LoadBalancer', Value: 'app/web/50dc6c495c0c9188' }],
      Period: 60,
      EvaluationPeriods: 5,
      DatapointsToAlarm: 3,
      Threshold: 0.75,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'missing',
      Tags: [{ Key: 'deployctl', Value: 'gate' }],
    };
    const state = { AlarmName: 'web-p99', StateValue: 'ALARM' as const, StateReason: 'drill', StateReasonData: '{"source":"deployctl"}' };
    const world = recorder(() => undefined);
    const client = new CloudWatchClient(simClientConfig(world.dispatch));

    const put = await client.send(new PutMetricAlarmCommand(alarm));
    const set = await client.send(new SetAlarmStateCommand(state));

    expect(world.calls.map((call) => [call.operation, call.input])).toEqual([
      ['PutMetricAlarm', alarm],
      ['SetAlarmState', state],
    ]);
    expect(withoutMetadata(put)).toEqual({});
    expect(withoutMetadata(set)).toEqual({});
  });
});

describe('CloudWatch over awsQuery (as the AWS CLI sends it)', () => {
  const parser = new XMLParser({ parseTagValue: false });

  it('decodes a form body and answers with a DescribeAlarmsResponse document', async () => {
    const world = recorder(() => ({ MetricAlarms: [{ AlarmName: 'web-5xx', StateValue: 'OK', Threshold: 5, Dimensions: [{ Name: 'LoadBalancer', Value: 'app/web/1' }] }] }));
    const handler = createSimRequestHandler({ dispatch: world.dispatch, requestId: () => 'req-1' });

    const { response } = await handler.handle({
      method: 'POST',
      protocol: 'https:',
      hostname: 'monitoring.eu-west-1.amazonaws.com',
      path: '/',
      headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
      body: 'Action=DescribeAlarms&Version=2010-08-01&AlarmNames.member.1=web-5xx&AlarmTypes.member.1=MetricAlarm&MaxRecords=10',
    });

    expect(onlyCall(world)).toMatchObject({
      service: 'cloudwatch',
      operation: 'DescribeAlarms',
      region: 'eu-west-1',
      input: { AlarmNames: ['web-5xx'], AlarmTypes: ['MetricAlarm'], MaxRecords: 10 },
    });
    expect(response.statusCode).toBe(200);
    expect(parser.parse(new TextDecoder().decode(response.body as Uint8Array))).toEqual({
      DescribeAlarmsResponse: {
        DescribeAlarmsResult: {
          MetricAlarms: { member: { AlarmName: 'web-5xx', StateValue: 'OK', Dimensions: { member: { Name: 'LoadBalancer', Value: 'app/web/1' } }, Threshold: '5' } },
        },
        ResponseMetadata: { RequestId: 'req-1' },
      },
    });
  });

  it('answers errors with the awsQuery ErrorResponse envelope', async () => {
    const world = recorder(() => {
      throw new SimServiceError('Throttling', 'Rate exceeded');
    });
    const handler = createSimRequestHandler({ dispatch: world.dispatch, requestId: () => 'req-2' });

    const { response } = await handler.handle({
      method: 'POST',
      protocol: 'https:',
      hostname: 'monitoring.us-east-1.amazonaws.com',
      path: '/',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'Action=DescribeAlarms&Version=2010-08-01',
    });

    expect(response.statusCode).toBe(400);
    expect(parser.parse(new TextDecoder().decode(response.body as Uint8Array))).toEqual({
      ErrorResponse: { Error: { Type: 'Sender', Code: 'Throttling', Message: 'Rate exceeded' }, RequestId: 'req-2' },
    });
    expect(response.headers['x-amzn-query-error']).toBeUndefined();
  });
});
