/**
 * The alarm evaluation engine. Metric alarms are evaluated every 60 s on the minute (every 10 s for
 * high-resolution periods of 10, 20 or 30 s: "High-res alarms are evaluated every 10 s", facts §2.6); each
 * evaluation reads the last EvaluationPeriods + 2 periods that have ended (the evaluation range) from the world's
 * metric store, which applies the world's metric delay. Composite alarms are evaluated after the metric alarms of
 * the same instant, and whenever a child changes state (they are event-driven in CloudWatch).
 * Period windows are aligned to multiples of the period; real CloudWatch slides them with the evaluation time
 * (documented deviation; identical for the common 60 s period).
 */
import type { World } from '../../world.js';
import type { AlarmStateValue } from '../contracts.js';
import { decide, evaluationRange, type Point } from './evaluate.js';
import { longDate, reasonDataDate } from './format.js';
import { updateState } from './history.js';
import { metricStatSeries, runQueries, type QueryWindow } from './queries.js';
import { stateReason, stateReasonData, type ReasonContext } from './reason.js';
import { evaluateRule, parseRule, satisfiedChildren } from './rule.js';
import type { CloudWatchState, CompositeAlarmRecord, MetricAlarmRecord } from './state.js';
import type { Series } from './math.js';

/** Composite alarms may refer to each other (even in cycles); settle them in at most this many passes. */
const COMPOSITE_PASSES = 10;

export function cloudWatchState(world: World): CloudWatchState {
  return world.stateOf<CloudWatchState>('cloudwatch');
}

export function evaluationCadenceMs(periodSeconds: number): number {
  return periodSeconds < 60 ? 10_000 : 60_000;
}

/** The first evaluation instant strictly after `at`. */
export function nextEvaluationAfter(at: number, periodSeconds: number): number {
  const cadence = evaluationCadenceMs(periodSeconds);
  return Math.floor(at / cadence) * cadence + cadence;
}

function metricAlarms(state: CloudWatchState): MetricAlarmRecord[] {
  return Object.values(state.alarms).filter((a): a is MetricAlarmRecord => a.type === 'MetricAlarm');
}

function compositeAlarms(state: CloudWatchState): CompositeAlarmRecord[] {
  return Object.values(state.alarms).filter((a): a is CompositeAlarmRecord => a.type === 'CompositeAlarm');
}

/** The earliest pending evaluation (or end of a composite's hold), if any. */
export function nextEvaluationTime(state: CloudWatchState): number | undefined {
  let next: number | undefined;
  for (const alarm of Object.values(state.alarms)) {
    const at = alarm.type === 'MetricAlarm' ? alarm.nextEvaluationAt : alarm.status.holdUntil;
    if (at !== undefined && (next === undefined || at < next)) next = at;
  }
  return next;
}

/** Applies every evaluation due at `at` (metric alarms first, then composites). */
export function advanceTo(world: World, state: CloudWatchState, at: number): void {
  const changed = new Set<string>();
  const force = new Set<string>();
  for (const alarm of metricAlarms(state).sort(byName)) {
    if (alarm.nextEvaluationAt > at) continue;
    if (evaluateMetricAlarm(world, state, alarm, at)) changed.add(alarm.name);
    alarm.nextEvaluationAt = nextEvaluationAfter(at, alarm.period);
  }
  for (const composite of compositeAlarms(state)) {
    if (composite.status.holdUntil !== undefined && composite.status.holdUntil <= at) {
      delete composite.status.holdUntil;
      force.add(composite.name);
    }
  }
  refreshComposites(state, at, changed, force);
}

/** Evaluates everything due up to `limit`, in time order (used when another service reads an alarm state). */
export function catchUp(world: World, limit: number): void {
  const state = cloudWatchState(world);
  for (let next = nextEvaluationTime(state); next !== undefined && next <= limit; next = nextEvaluationTime(state)) advanceTo(world, state, next);
}

function byName(a: { name: string }, b: { name: string }): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

function alarmSeries(world: World, alarm: MetricAlarmRecord, window: QueryWindow): Series {
  try {
    if (alarm.metrics) return runQueries(alarm.metrics, window).find((o) => o.returnData)?.series ?? new Map();
    const stat = alarm.statistic ?? alarm.extendedStatistic ?? 'Average';
    return metricStatSeries({ Id: 'm1', MetricStat: { Metric: { Namespace: alarm.namespace, MetricName: alarm.metricName, Dimensions: alarm.dimensions }, Period: alarm.period, Stat: stat } }, window);
  } catch {
    // Expressions were checked when the alarm was saved; a failure here reads as no data.
    return new Map();
  }
}

/** One evaluation of a metric alarm at `at`; returns whether its state value changed. */
export function evaluateMetricAlarm(world: World, state: CloudWatchState, alarm: MetricAlarmRecord, at: number): boolean {
  const hold = alarm.status.holdUntil;
  if (hold !== undefined && at < hold) return false;
  if (hold !== undefined) delete alarm.status.holdUntil;
  const periodMs = alarm.period * 1000;
  const end = Math.floor(at / periodMs) * periodMs;
  const range = evaluationRange(alarm.evaluationPeriods);
  const slotStarts = Array.from({ length: range }, (_, i) => end - (range - i) * periodMs);
  const series = alarmSeries(world, alarm, { world, start: slotStarts[0] ?? end, end, now: at });
  const slots = slotStarts.map((t): Point | undefined => (series.has(t) ? { timestamp: t, value: series.get(t)! } : undefined));
  // "Alarms that evaluate metrics in the AWS/DynamoDB namespace always ignore missing data" (PutMetricAlarm docs).
  const treat = alarm.namespace === 'AWS/DynamoDB' ? 'ignore' : (alarm.treatMissingData ?? 'missing');
  const m = alarm.datapointsToAlarm ?? alarm.evaluationPeriods;
  const decision = decide({ slots, evaluationPeriods: alarm.evaluationPeriods, datapointsToAlarm: m, threshold: alarm.threshold, comparison: alarm.comparisonOperator, treatMissingData: treat });
  if (decision.state === 'RETAIN') return false;
  if (decision.state === alarm.status.stateValue && !alarm.status.manual) return false;
  const ctx: ReasonContext = {
    evaluationPeriods: alarm.evaluationPeriods,
    datapointsToAlarm: m,
    mOutOfN: alarm.datapointsToAlarm !== undefined,
    threshold: alarm.threshold,
    comparison: alarm.comparisonOperator,
    statistic: alarm.statistic ?? alarm.extendedStatistic,
    period: alarm.period,
    evaluatedAt: at,
    slotStarts,
  };
  return updateState(state, alarm, { value: decision.state, reason: stateReason(decision, decision.state, ctx), reasonData: stateReasonData(decision, ctx) }, at);
}

/**
 * Re-evaluates the composites whose children changed (or that are forced), until nothing changes. A composite
 * set by SetAlarmState keeps that state until a child changes state or its configuration is updated (AWS docs).
 */
export function refreshComposites(state: CloudWatchState, at: number, changed: Set<string>, force: Set<string> = new Set()): void {
  for (let pass = 0; pass < COMPOSITE_PASSES; pass++) {
    let any = false;
    for (const composite of compositeAlarms(state).sort(byName)) {
      if (!force.has(composite.name) && !composite.children.some((c) => changed.has(c))) continue;
      force.delete(composite.name);
      if (evaluateComposite(state, composite, at)) {
        changed.add(composite.name);
        any = true;
      }
    }
    if (!any && force.size === 0) return;
  }
}

/** Evaluates a composite's rule; returns whether its state value changed. */
export function evaluateComposite(state: CloudWatchState, composite: CompositeAlarmRecord, at: number): boolean {
  if (composite.status.holdUntil !== undefined && at < composite.status.holdUntil) return false;
  const stateOf = (name: string): AlarmStateValue | undefined => state.alarms[name]?.status.stateValue;
  const rule = parseRule(composite.rule);
  const value: AlarmStateValue = evaluateRule(rule, stateOf) ? 'ALARM' : 'OK';
  if (value === composite.status.stateValue && !composite.status.manual) return false;
  const triggering = (value === 'ALARM' ? satisfiedChildren(rule, stateOf) : composite.children).flatMap((name) => state.alarms[name] ?? []);
  const latest = [...triggering].sort((a, b) => b.status.stateUpdatedAt - a.status.stateUpdatedAt)[0];
  const reason = latest
    ? `${latest.arn} transitioned to ${latest.status.stateValue} at ${longDate(latest.status.stateUpdatedAt)}`
    : `Rule ${composite.rule} evaluated to ${value === 'ALARM' ? 'TRUE' : 'FALSE'}`;
  const reasonData = JSON.stringify({ triggeringAlarms: triggering.map((a) => ({ arn: a.arn, state: { value: a.status.stateValue, timestamp: reasonDataDate(a.status.stateUpdatedAt) } })) });
  return updateState(state, composite, { value, reason, reasonData }, at);
}
