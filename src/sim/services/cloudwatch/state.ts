/**
 * The simulated CloudWatch's state: alarms and their history, as plain JSON (epoch milliseconds, no Dates),
 * so a world can be saved and loaded by another process. Metric data itself lives in the world's MetricStore.
 */
import type { AlarmStateValue } from '../contracts.js';
import type { MetricAlarmConfig } from './alarmConfig.js';

export type { AlarmStateValue };

export type AlarmType = 'MetricAlarm' | 'CompositeAlarm';

export type TreatMissingData = 'missing' | 'notBreaching' | 'breaching' | 'ignore';

export type ComparisonOperator = 'GreaterThanOrEqualToThreshold' | 'GreaterThanThreshold' | 'LessThanThreshold' | 'LessThanOrEqualToThreshold';

export interface Dimension {
  readonly Name: string;
  readonly Value: string;
}

/** A MetricDataQuery as the SDK shapes it (metric-math alarms keep their Metrics list in this form). */
export interface MetricDataQuery {
  readonly Id: string;
  readonly MetricStat?: {
    readonly Metric: { readonly Namespace?: string; readonly MetricName?: string; readonly Dimensions?: readonly Dimension[] };
    readonly Period: number;
    readonly Stat: string;
    readonly Unit?: string;
  };
  readonly Expression?: string;
  readonly Label?: string;
  readonly ReturnData?: boolean;
  readonly Period?: number;
  readonly AccountId?: string;
}

/** The state part every alarm has. */
export interface AlarmStatus {
  stateValue: AlarmStateValue;
  stateReason: string;
  stateReasonData?: string;
  stateUpdatedAt: number;
  stateTransitionedAt: number;
  /**
   * Set by SetAlarmState or the alarm fault: the next evaluation replaces the state even when it computes the
   * same value (AWS: "This temporary state change lasts only until the next alarm comparison occurs").
   */
  manual?: boolean;
  /** The alarm fault's hold: evaluations are skipped until then. */
  holdUntil?: number;
}

interface AlarmCommon {
  name: string;
  arn: string;
  description?: string;
  actionsEnabled: boolean;
  okActions: string[];
  alarmActions: string[];
  insufficientDataActions: string[];
  configurationUpdatedAt: number;
  tags: { Key: string; Value: string }[];
  status: AlarmStatus;
}

export interface MetricAlarmRecord extends AlarmCommon, MetricAlarmConfig {
  readonly type: 'MetricAlarm';
  /** The next instant the evaluation engine looks at this alarm (aligned to 60 s, or 10 s for high resolution). */
  nextEvaluationAt: number;
}

export interface CompositeAlarmRecord extends AlarmCommon {
  readonly type: 'CompositeAlarm';
  rule: string;
  /** Names of the alarms the rule refers to (ARNs resolved to names). */
  children: string[];
  actionsSuppressor?: string;
  actionsSuppressorWaitPeriod?: number;
  actionsSuppressorExtensionPeriod?: number;
}

export type AlarmRecord = MetricAlarmRecord | CompositeAlarmRecord;

export type HistoryItemType = 'ConfigurationUpdate' | 'StateUpdate' | 'Action';

export interface HistoryEntry {
  readonly alarmName: string;
  readonly alarmType: AlarmType;
  readonly timestamp: number;
  readonly type: HistoryItemType;
  readonly summary: string;
  readonly data: string;
}

export interface CloudWatchState {
  alarms: Record<string, AlarmRecord>;
  history: HistoryEntry[];
}

export function initialCloudWatchState(): CloudWatchState {
  return { alarms: {}, history: [] };
}

export function alarmArn(region: string, accountId: string, name: string): string {
  return `arn:aws:cloudwatch:${region}:${accountId}:alarm:${name}`;
}
