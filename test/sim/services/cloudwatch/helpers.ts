/** Shared set-up for the CloudWatch tests: a world with the simulated CloudWatch and a real SDK client. */
import { CloudWatchClient, PutMetricAlarmCommand, PutMetricDataCommand, type PutMetricAlarmCommandInput } from '@aws-sdk/client-cloudwatch';
import { cloudwatchService } from '../../../../src/sim/services/cloudwatch/index.js';
import type { CloudWatchState } from '../../../../src/sim/services/cloudwatch/index.js';
import type { WorldSeed } from '../../../../src/sim/seed.js';
import type { SimService } from '../../../../src/sim/types.js';
import { clientConfig, simWorld, T0 } from '../../simFixture.js';

export { T0 };

export const MINUTE = 60_000;

/** API rate limits are off unless the seed turns them on: these tests make many calls at one instant. */
export function cloudWatchWorld(seed: WorldSeed = {}, extra: readonly SimService[] = []) {
  const { world, clock } = simWorld([cloudwatchService, ...extra], { apiLimits: false, ...seed });
  const client = new CloudWatchClient(clientConfig(world));
  /** The service state after time has caught up with the clock. */
  const state = (): CloudWatchState => {
    world.sync();
    return world.stateOf<CloudWatchState>('cloudwatch');
  };
  return { world, clock, client, state };
}

/** A simple static-threshold alarm on the custom metric App/Errors (Service=web). */
export function alarmInput(overrides: Partial<PutMetricAlarmCommandInput> = {}): PutMetricAlarmCommandInput {
  return {
    AlarmName: 'errors',
    Namespace: 'App',
    MetricName: 'Errors',
    Dimensions: [{ Name: 'Service', Value: 'web' }],
    Statistic: 'Sum',
    Period: 60,
    EvaluationPeriods: 1,
    Threshold: 5,
    ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    ...overrides,
  };
}

export async function putAlarm(client: CloudWatchClient, overrides: Partial<PutMetricAlarmCommandInput> = {}): Promise<void> {
  await client.send(new PutMetricAlarmCommand(alarmInput(overrides)));
}

/** Publishes one value of App/Errors (Service=web) at the given time. */
export async function putErrors(client: CloudWatchClient, at: number, value: number, metricName = 'Errors'): Promise<void> {
  await client.send(new PutMetricDataCommand({ Namespace: 'App', MetricData: [{ MetricName: metricName, Dimensions: [{ Name: 'Service', Value: 'web' }], Timestamp: new Date(at), Value: value }] }));
}

/** The error a command fails with (fails the test when it succeeds). */
export async function failure(send: Promise<unknown>): Promise<{ name: string; message: string; $metadata: { httpStatusCode?: number } }> {
  try {
    await send;
  } catch (error) {
    return error as { name: string; message: string; $metadata: { httpStatusCode?: number } };
  }
  throw new Error('expected the command to fail');
}
