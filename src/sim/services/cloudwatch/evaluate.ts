/**
 * The metric alarm decision: from the datapoints of the evaluation range to OK, ALARM, INSUFFICIENT_DATA or
 * "retain the current state", following "Configuring how CloudWatch alarms treat missing data" (CloudWatch
 * User Guide, alarms-and-missing-data; awsdocs/amazon-cloudwatch-user-guide AlarmThatSendsEmail.md):
 * - CloudWatch retrieves more datapoints than EvaluationPeriods (the evaluation range). When at least N real
 *   datapoints exist in it, the N most recent real ones are evaluated and TreatMissingData is not used.
 * - Otherwise the missing ones are filled "as few times as possible" with the TreatMissingData setting, and
 *   all real datapoints in the range are included.
 * - "missing"/"ignore" fill nothing: with no real datapoint the alarm goes to INSUFFICIENT_DATA (missing) or
 *   keeps its state (ignore); real datapoints that are not breaching give OK; only breaching ones, fewer
 *   than M, give ALARM under "missing" once the oldest of them is at least M periods old (the documented
 *   "premature alarm state" rule) and otherwise INSUFFICIENT_DATA / keep. This reproduces every row of both
 *   published tables (test/sim/services/cloudwatch/missingData.test.ts) and the older tables' "- - - - X" rows.
 */
import type { AlarmStateValue } from '../contracts.js';
import type { ComparisonOperator, TreatMissingData } from './state.js';

export interface Point {
  readonly timestamp: number;
  readonly value: number;
}

/** A real datapoint of the evaluation range with its age: 1 is the most recent period. */
export interface AgedPoint extends Point {
  readonly age: number;
}

export interface DecisionInput {
  /** One entry per period of the evaluation range, oldest first; undefined where data is missing. */
  readonly slots: readonly (Point | undefined)[];
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm: number;
  readonly threshold: number;
  readonly comparison: ComparisonOperator;
  readonly treatMissingData: TreatMissingData;
}

export interface Decision {
  readonly state: AlarmStateValue | 'RETAIN';
  /** The real datapoints that were evaluated, most recent first. */
  readonly used: readonly AgedPoint[];
  /** How many missing datapoints were filled in, and as what. */
  readonly fills: number;
  readonly fillKind?: 'Breaching' | 'NonBreaching';
}

/** How many periods CloudWatch looks back for an alarm of N evaluation periods. UNVERIFIED beyond N = 3 -> 5. */
export function evaluationRange(evaluationPeriods: number): number {
  return evaluationPeriods + 2;
}

export function crosses(value: number, threshold: number, comparison: ComparisonOperator): boolean {
  switch (comparison) {
    case 'GreaterThanOrEqualToThreshold':
      return value >= threshold;
    case 'GreaterThanThreshold':
      return value > threshold;
    case 'LessThanThreshold':
      return value < threshold;
    case 'LessThanOrEqualToThreshold':
      return value <= threshold;
  }
}

export function decide(input: DecisionInput): Decision {
  const n = input.evaluationPeriods;
  const m = input.datapointsToAlarm;
  const breaching = (p: Point): boolean => crosses(p.value, input.threshold, input.comparison);
  const reals = realPointsNewestFirst(input.slots);
  if (reals.length >= n) {
    const used = reals.slice(0, n);
    return { state: used.filter(breaching).length >= m ? 'ALARM' : 'OK', used, fills: 0 };
  }
  const fills = n - reals.length;
  const breachingReals = reals.filter(breaching).length;
  switch (input.treatMissingData) {
    case 'breaching':
      return { state: breachingReals + fills >= m ? 'ALARM' : 'OK', used: reals, fills, fillKind: 'Breaching' };
    case 'notBreaching':
      return { state: breachingReals >= m ? 'ALARM' : 'OK', used: reals, fills, fillKind: 'NonBreaching' };
    default:
      return { state: decideWithoutFill(reals, breachingReals, m, input.treatMissingData), used: reals, fills: 0 };
  }
}

function decideWithoutFill(reals: readonly AgedPoint[], breachingReals: number, m: number, treat: 'missing' | 'ignore'): Decision['state'] {
  const undecided = treat === 'ignore' ? 'RETAIN' : 'INSUFFICIENT_DATA';
  if (reals.length === 0) return undecided;
  if (breachingReals >= m) return 'ALARM';
  if (breachingReals < reals.length) return 'OK';
  // Only breaching datapoints, fewer than M: ALARM once the oldest of them is M periods old (premature-alarm rule).
  const oldest = Math.max(...reals.map((p) => p.age));
  return treat === 'missing' && oldest >= m ? 'ALARM' : undecided;
}

function realPointsNewestFirst(slots: readonly (Point | undefined)[]): AgedPoint[] {
  const points: AgedPoint[] = [];
  for (let i = slots.length - 1; i >= 0; i--) {
    const slot = slots[i];
    if (slot) points.push({ ...slot, age: slots.length - i });
  }
  return points;
}
