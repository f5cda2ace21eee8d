/**
 * DescribeAlarms and DescribeAlarmHistory.
 * - AlarmTypes: "If you omit this parameter, only metric alarms are returned, even if composite alarms exist in
 *   the account" (DescribeAlarms API docs; facts §2.6 — this silently hides composite gates, so it is modeled).
 * - AlarmNames and AlarmNamePrefix together: InvalidParameterCombination "AlarmNamePrefix and AlarmNames.member
 *   are mutually exclusive" (Eucalyptus's CloudWatch, written against AWS's behaviour; UNVERIFIED on AWS).
 * - ChildrenOfAlarmName / ParentsOfAlarmName allow no other parameter but MaxRecords and NextToken ("you receive
 *   a validation error") and return only AlarmName, AlarmArn (+ StateValue and StateUpdatedTimestamp for
 *   children). The simulator lets AlarmTypes through with them and returns both types when it is omitted
 *   (UNVERIFIED).
 * - Results are sorted by name; MaxRecords defaults to 50 (Eucalyptus: "from experimentation"); NextToken pages.
 */
import type { ServiceContext } from '../../types.js';
import { copy, date, fail, paginate } from '../common.js';
import { parentsOf } from './alarmOps.js';
import type { AlarmRecord, AlarmType, CloudWatchState, CompositeAlarmRecord, MetricAlarmRecord } from './state.js';

type Ctx = ServiceContext<CloudWatchState>;

const DEFAULT_MAX_RECORDS = 50;

function common(alarm: AlarmRecord): Record<string, unknown> {
  const s = alarm.status;
  return {
    AlarmName: alarm.name,
    AlarmArn: alarm.arn,
    ...(alarm.description !== undefined ? { AlarmDescription: alarm.description } : {}),
    AlarmConfigurationUpdatedTimestamp: date(alarm.configurationUpdatedAt),
    ActionsEnabled: alarm.actionsEnabled,
    OKActions: [...alarm.okActions],
    AlarmActions: [...alarm.alarmActions],
    InsufficientDataActions: [...alarm.insufficientDataActions],
    StateValue: s.stateValue,
    StateReason: s.stateReason,
    ...(s.stateReasonData !== undefined ? { StateReasonData: s.stateReasonData } : {}),
    StateUpdatedTimestamp: date(s.stateUpdatedAt),
    StateTransitionedTimestamp: date(s.stateTransitionedAt),
  };
}

export function describeMetricAlarm(alarm: MetricAlarmRecord): Record<string, unknown> {
  const optional = {
    MetricName: alarm.metricName,
    Namespace: alarm.namespace,
    Statistic: alarm.statistic,
    ExtendedStatistic: alarm.extendedStatistic,
    Unit: alarm.unit,
    DatapointsToAlarm: alarm.datapointsToAlarm,
    TreatMissingData: alarm.treatMissingData,
    EvaluateLowSampleCountPercentile: alarm.evaluateLowSampleCountPercentile,
    Metrics: alarm.metrics ? copy(alarm.metrics) : undefined,
  };
  return {
    ...common(alarm),
    ...Object.fromEntries(Object.entries(optional).filter(([, v]) => v !== undefined)),
    Dimensions: copy(alarm.dimensions),
    ...(alarm.metrics ? {} : { Period: alarm.period }),
    EvaluationPeriods: alarm.evaluationPeriods,
    Threshold: alarm.threshold,
    ComparisonOperator: alarm.comparisonOperator,
  };
}

export function describeCompositeAlarm(alarm: CompositeAlarmRecord): Record<string, unknown> {
  return {
    ...common(alarm),
    AlarmRule: alarm.rule,
    ...(alarm.actionsSuppressor !== undefined ? { ActionsSuppressor: alarm.actionsSuppressor } : {}),
    ...(alarm.actionsSuppressorWaitPeriod !== undefined ? { ActionsSuppressorWaitPeriod: alarm.actionsSuppressorWaitPeriod } : {}),
    ...(alarm.actionsSuppressorExtensionPeriod !== undefined ? { ActionsSuppressorExtensionPeriod: alarm.actionsSuppressorExtensionPeriod } : {}),
  };
}

function byName(a: AlarmRecord, b: AlarmRecord): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

function invalid(message: string): never {
  return fail('ValidationError', message, { httpStatus: 400 });
}

interface Selection {
  readonly alarms: AlarmRecord[];
  /** Which members each alarm shows (children and parents queries show only a few). */
  readonly shape: 'full' | 'children' | 'parents';
}

function select(state: CloudWatchState, input: Record<string, unknown>): Selection {
  const { AlarmNames: names, AlarmNamePrefix: prefix, ChildrenOfAlarmName: childrenOf, ParentsOfAlarmName: parentsOfName } = input as Record<string, string[] | string | undefined>;
  if (names !== undefined && prefix !== undefined) fail('InvalidParameterCombination', 'AlarmNamePrefix and AlarmNames.member are mutually exclusive', { httpStatus: 400 });
  const related = childrenOf ?? parentsOfName;
  if (related !== undefined) {
    const others = ['AlarmNames', 'AlarmNamePrefix', 'StateValue', 'ActionPrefix', ...(childrenOf !== undefined ? ['ParentsOfAlarmName'] : [])].filter((k) => input[k] !== undefined);
    if (others.length > 0) invalid(`${childrenOf !== undefined ? 'ChildrenOfAlarmName' : 'ParentsOfAlarmName'} cannot be combined with ${others.join(', ')}; only MaxRecords and NextToken are allowed with it`);
    if (childrenOf !== undefined) {
      const composite = state.alarms[childrenOf as string];
      const children = composite?.type === 'CompositeAlarm' ? composite.children.flatMap((n) => state.alarms[n] ?? []) : [];
      return { alarms: children, shape: 'children' };
    }
    return { alarms: parentsOf(state, parentsOfName as string), shape: 'parents' };
  }
  const wanted = Array.isArray(names) ? new Set(names) : undefined;
  const actionPrefix = input.ActionPrefix as string | undefined;
  const alarms = Object.values(state.alarms).filter(
    (a) =>
      (!wanted || wanted.has(a.name)) &&
      (typeof prefix !== 'string' || a.name.startsWith(prefix)) &&
      (input.StateValue === undefined || a.status.stateValue === input.StateValue) &&
      (actionPrefix === undefined || [...a.alarmActions, ...a.okActions, ...a.insufficientDataActions].some((action) => action.startsWith(actionPrefix))),
  );
  return { alarms, shape: 'full' };
}

function shown(alarm: AlarmRecord, shape: Selection['shape']): Record<string, unknown> {
  if (shape === 'parents') return { AlarmName: alarm.name, AlarmArn: alarm.arn };
  if (shape === 'children') return { AlarmName: alarm.name, AlarmArn: alarm.arn, StateValue: alarm.status.stateValue, StateUpdatedTimestamp: date(alarm.status.stateUpdatedAt) };
  return alarm.type === 'MetricAlarm' ? describeMetricAlarm(alarm) : describeCompositeAlarm(alarm);
}

export function describeAlarms(ctx: Ctx, input: Record<string, unknown>): Record<string, unknown> {
  const { alarms, shape } = select(ctx.state, input);
  const requested = input.AlarmTypes as AlarmType[] | undefined;
  const types = new Set<string>(requested ?? (shape === 'full' ? ['MetricAlarm'] : ['MetricAlarm', 'CompositeAlarm']));
  const listed = alarms.filter((a) => types.has(a.type)).sort(byName);
  const { page, next } = paginate(listed, input.NextToken, (input.MaxRecords as number | undefined) ?? DEFAULT_MAX_RECORDS, 100);
  return {
    MetricAlarms: page.filter((a) => a.type === 'MetricAlarm').map((a) => shown(a, shape)),
    CompositeAlarms: page.filter((a) => a.type === 'CompositeAlarm').map((a) => shown(a, shape)),
    ...(types.has('LogAlarm') ? { LogAlarms: [] } : {}),
    ...(next ? { NextToken: next } : {}),
  };
}

/** History, newest first by default; AlarmTypes defaults to metric alarms only, as for DescribeAlarms. */
export function describeAlarmHistory(ctx: Ctx, input: Record<string, unknown>): Record<string, unknown> {
  const types = new Set<string>((input.AlarmTypes as string[] | undefined) ?? ['MetricAlarm']);
  const start = input.StartDate instanceof Date ? input.StartDate.getTime() : -Infinity;
  const end = input.EndDate instanceof Date ? input.EndDate.getTime() : Infinity;
  const items = ctx.state.history.filter(
    (h) =>
      types.has(h.alarmType) &&
      (input.AlarmName === undefined || h.alarmName === input.AlarmName) &&
      (input.HistoryItemType === undefined || h.type === input.HistoryItemType) &&
      h.timestamp >= start &&
      h.timestamp <= end,
  );
  if (input.ScanBy !== 'TimestampAscending') items.reverse();
  const { page, next } = paginate(items, input.NextToken, (input.MaxRecords as number | undefined) ?? 100, 100);
  return {
    AlarmHistoryItems: page.map((h) => ({ AlarmName: h.alarmName, AlarmType: h.alarmType, Timestamp: date(h.timestamp), HistoryItemType: h.type, HistorySummary: h.summary, HistoryData: h.data })),
    ...(next ? { NextToken: next } : {}),
  };
}

