import { DescribeAlarmsCommand, type CloudWatchClient, type DescribeAlarmsCommandInput } from '@aws-sdk/client-cloudwatch';

/** The part of a metric or composite alarm that a gate needs. */
export interface AlarmStatus {
  readonly name: string;
  readonly kind: 'metric' | 'composite';
  readonly state: 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';
  readonly reason: string;
  /** When the alarm last changed state (ms), to recognise an alarm that has been firing since before we started. */
  readonly since: number | undefined;
  /** PARTIAL_DATA, EVALUATION_ERROR or EVALUATION_FAILURE for metric alarms that cannot evaluate normally. */
  readonly evaluationState: string | undefined;
}

/** DescribeAlarms takes at most 100 names per call (and returns at most 100 records per page). */
export const MAX_NAMES_PER_CALL = 100;
/**
 * Always both: without AlarmTypes, DescribeAlarms returns only metric alarms and a composite alarm reads as
 * "does not exist" (or worse, is silently skipped).
 */
export const ALARM_TYPES = ['MetricAlarm', 'CompositeAlarm'] as const;

/** Alarms by name: one call per 100 names, every page followed. Names that do not exist are simply absent. */
export async function describeAlarmsByName(client: CloudWatchClient, names: readonly string[], signal: AbortSignal): Promise<Map<string, AlarmStatus>> {
  const found = new Map<string, AlarmStatus>();
  for (let i = 0; i < names.length; i += MAX_NAMES_PER_CALL) {
    const batch = names.slice(i, i + MAX_NAMES_PER_CALL);
    for (const alarm of await describeAllPages(client, { AlarmNames: batch }, signal)) found.set(alarm.name, alarm);
  }
  return found;
}

/** Every alarm whose name starts with the prefix (AlarmNamePrefix cannot be combined with AlarmNames). */
export async function describeAlarmsByPrefix(client: CloudWatchClient, prefix: string, signal: AbortSignal): Promise<Map<string, AlarmStatus>> {
  const found = new Map<string, AlarmStatus>();
  for (const alarm of await describeAllPages(client, { AlarmNamePrefix: prefix }, signal)) found.set(alarm.name, alarm);
  return found;
}

async function describeAllPages(client: CloudWatchClient, selector: Pick<DescribeAlarmsCommandInput, 'AlarmNames' | 'AlarmNamePrefix'>, signal: AbortSignal): Promise<AlarmStatus[]> {
  const alarms: AlarmStatus[] = [];
  let nextToken: string | undefined;
  do {
    const input: DescribeAlarmsCommandInput = { ...selector, AlarmTypes: [...ALARM_TYPES], MaxRecords: MAX_NAMES_PER_CALL, ...(nextToken ? { NextToken: nextToken } : {}) };
    const page = await client.send(new DescribeAlarmsCommand(input), { abortSignal: signal });
    for (const alarm of page.MetricAlarms ?? []) alarms.push(toStatus(alarm, 'metric'));
    for (const alarm of page.CompositeAlarms ?? []) alarms.push(toStatus(alarm, 'composite'));
    nextToken = page.NextToken || undefined;
  } while (nextToken);
  return alarms;
}

interface RawAlarm {
  AlarmName?: string | undefined;
  StateValue?: string | undefined;
  StateReason?: string | undefined;
  StateTransitionedTimestamp?: Date | undefined;
  StateUpdatedTimestamp?: Date | undefined;
  EvaluationState?: string | undefined;
}

function toStatus(alarm: RawAlarm, kind: AlarmStatus['kind']): AlarmStatus {
  const state = alarm.StateValue === 'ALARM' || alarm.StateValue === 'OK' ? alarm.StateValue : 'INSUFFICIENT_DATA';
  const since = (alarm.StateTransitionedTimestamp ?? alarm.StateUpdatedTimestamp)?.getTime();
  return { name: alarm.AlarmName ?? '', kind, state, reason: alarm.StateReason ?? '', since, evaluationState: alarm.EvaluationState };
}
