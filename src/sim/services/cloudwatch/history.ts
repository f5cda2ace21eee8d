/**
 * Alarm history and state updates. History items follow CloudWatch's form: HistorySummary "Alarm updated from OK
 * to ALARM" with HistoryData {"version":"1.0","oldState":{"stateValue","stateReason",...},"newState":{...}}
 * (DescribeAlarmHistory output quoted in public issues); configuration items read 'Alarm "name" created' /
 * 'updated' / 'deleted' (UNVERIFIED wording). CloudWatch keeps alarm history for two weeks.
 */
import type { AlarmStateValue } from '../contracts.js';
import type { AlarmRecord, AlarmStatus, CloudWatchState, HistoryEntry } from './state.js';

const HISTORY_RETENTION_MS = 14 * 24 * 3600 * 1000;
const MAX_HISTORY = 20_000;

export interface StateChange {
  readonly value: AlarmStateValue;
  readonly reason: string;
  readonly reasonData?: string;
  /** SetAlarmState or the alarm fault: the next evaluation replaces it even with the same value. */
  readonly manual?: boolean;
  readonly holdUntil?: number;
}

export function appendHistory(state: CloudWatchState, entry: HistoryEntry): void {
  state.history.push(entry);
  const oldest = entry.timestamp - HISTORY_RETENTION_MS;
  let drop = 0;
  while (drop < state.history.length && (state.history[drop]!.timestamp < oldest || state.history.length - drop > MAX_HISTORY)) drop++;
  if (drop > 0) state.history.splice(0, drop);
}

export function recordConfiguration(state: CloudWatchState, alarm: AlarmRecord, action: 'created' | 'updated' | 'deleted', at: number): void {
  const type = action === 'created' ? 'Create' : action === 'updated' ? 'Update' : 'Delete';
  appendHistory(state, {
    alarmName: alarm.name,
    alarmType: alarm.type,
    timestamp: at,
    type: 'ConfigurationUpdate',
    summary: `Alarm "${alarm.name}" ${action}`,
    data: JSON.stringify({ version: '1.0', type, alarmName: alarm.name, alarmArn: alarm.arn }),
  });
}

function snapshot(status: Pick<AlarmStatus, 'stateValue' | 'stateReason' | 'stateReasonData'>): Record<string, unknown> {
  return {
    stateValue: status.stateValue,
    stateReason: status.stateReason,
    ...(status.stateReasonData ? { stateReasonData: parseOrText(status.stateReasonData) } : {}),
  };
}

function parseOrText(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/**
 * Writes a state update: StateUpdatedTimestamp always, StateTransitionedTimestamp only when the value changes,
 * and a StateUpdate history item. Returns whether the state value changed (a transition).
 */
export function updateState(state: CloudWatchState, alarm: AlarmRecord, change: StateChange, at: number): boolean {
  const old = alarm.status;
  const transitioned = old.stateValue !== change.value;
  const next: AlarmStatus = { stateValue: change.value, stateReason: change.reason, stateUpdatedAt: at, stateTransitionedAt: transitioned ? at : old.stateTransitionedAt };
  if (change.reasonData !== undefined) next.stateReasonData = change.reasonData;
  if (change.manual) next.manual = true;
  if (change.holdUntil !== undefined) next.holdUntil = change.holdUntil;
  appendHistory(state, {
    alarmName: alarm.name,
    alarmType: alarm.type,
    timestamp: at,
    type: 'StateUpdate',
    summary: `Alarm updated from ${old.stateValue} to ${change.value}`,
    data: JSON.stringify({ version: '1.0', oldState: snapshot(old), newState: snapshot({ stateValue: change.value, stateReason: change.reason, stateReasonData: change.reasonData }) }),
  });
  alarm.status = next;
  return transitioned;
}
