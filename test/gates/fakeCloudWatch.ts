import { CloudWatchClient, DescribeAlarmsCommand, type DescribeAlarmsCommandInput, type DescribeAlarmsCommandOutput } from '@aws-sdk/client-cloudwatch';
import { mockClient } from 'aws-sdk-client-mock';

export interface FakeAlarm {
  name: string;
  type: 'MetricAlarm' | 'CompositeAlarm';
  state: 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';
  reason?: string;
  since?: Date;
  evaluationState?: string;
}

/**
 * DescribeAlarms as CloudWatch documents it: AlarmNames or AlarmNamePrefix, only metric alarms unless AlarmTypes
 * says otherwise, at most `pageSize` (or MaxRecords) records per page with a NextToken.
 */
export function fakeCloudWatch(alarms: FakeAlarm[], options: { pageSize?: number } = {}) {
  const mock = mockClient(CloudWatchClient);
  mock.on(DescribeAlarmsCommand).callsFake((input: DescribeAlarmsCommandInput): DescribeAlarmsCommandOutput => {
    if (input.AlarmNames && input.AlarmNamePrefix) throw Object.assign(new Error('AlarmNames and AlarmNamePrefix cannot be combined'), { name: 'InvalidParameterCombination' });
    if ((input.AlarmNames?.length ?? 0) > 100) throw Object.assign(new Error('AlarmNames: at most 100'), { name: 'ValidationError' });
    const types = input.AlarmTypes ?? ['MetricAlarm'];
    const matching = alarms
      .filter((a) => types.includes(a.type))
      .filter((a) => (input.AlarmNames ? input.AlarmNames.includes(a.name) : true))
      .filter((a) => (input.AlarmNamePrefix ? a.name.startsWith(input.AlarmNamePrefix) : true))
      .sort((a, b) => a.name.localeCompare(b.name));
    const pageSize = Math.min(options.pageSize ?? 100, input.MaxRecords ?? 50);
    const from = input.NextToken ? Number(input.NextToken) : 0;
    const page = matching.slice(from, from + pageSize);
    const next = from + pageSize < matching.length ? String(from + pageSize) : undefined;
    const shape = (a: FakeAlarm) => ({ AlarmName: a.name, StateValue: a.state, StateReason: a.reason ?? `${a.name} is ${a.state}`, StateTransitionedTimestamp: a.since ?? new Date(0), ...(a.evaluationState ? { EvaluationState: a.evaluationState as 'PARTIAL_DATA' } : {}) });
    return {
      MetricAlarms: page.filter((a) => a.type === 'MetricAlarm').map(shape),
      CompositeAlarms: page.filter((a) => a.type === 'CompositeAlarm').map(shape),
      ...(next ? { NextToken: next } : {}),
      $metadata: {},
    };
  });
  const client = new CloudWatchClient({ region: 'us-east-1', credentials: { accessKeyId: 'AKID', secretAccessKey: 'secret' } });
  return { mock, client };
}

export function describeAlarmsInputs(mock: ReturnType<typeof mockClient>): DescribeAlarmsCommandInput[] {
  return mock.commandCalls(DescribeAlarmsCommand).map((call) => call.args[0].input);
}

export function manyAlarms(count: number, state: FakeAlarm['state'] = 'OK'): FakeAlarm[] {
  return Array.from({ length: count }, (_, i) => ({ name: `alarm-${String(i).padStart(3, '0')}`, type: 'MetricAlarm' as const, state }));
}

export function context(stepIndex = 0, signal = new AbortController().signal) {
  return { deploymentId: 'd-test', signal, stepIndex, weight: 10 };
}
