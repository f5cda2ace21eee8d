/**
 * StateReason and StateReasonData of a metric alarm evaluation, in CloudWatch's wording. Forms seen in real
 * notifications and DescribeAlarms output:
 * - "Threshold Crossed: 3 out of the last 3 datapoints [1.0 (09/02/21 04:23:00), ...] were greater than or equal
 *   to the threshold (1.0) (minimum 3 datapoints for OK -> ALARM transition)."
 * - "... was not greater than the threshold (50.0) (minimum 1 datapoint for ALARM -> OK transition)."
 * - "Threshold Crossed: 1 datapoint [1.0 (26/03/26 09:42:00)] was greater than the threshold (0.0)."
 * - "... and 19 missing datapoints were treated as [NonBreaching] (minimum 1 datapoint for OK -> ALARM ...)."
 * - "Threshold Crossed: no datapoints were received for 1 period and 1 missing datapoint was treated as [Breaching]."
 * - "1 datapoint was received for 3 periods and 2 missing datapoints were treated as [Breaching]."
 * - "Insufficient Data: 1 datapoint was unknown."
 * Both datapoint forms exist; which one AWS picks is not documented. The simulator uses the "M out of N" form
 * when the alarm has DatapointsToAlarm set and the short form otherwise (UNVERIFIED inference).
 */
import type { AlarmStateValue } from '../contracts.js';
import { crosses, type AgedPoint, type Decision } from './evaluate.js';
import { javaDouble, plural, reasonDataDate, reasonDate, verb } from './format.js';
import type { ComparisonOperator } from './state.js';

export interface ReasonContext {
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm: number;
  /** Whether DatapointsToAlarm was given (selects the "M out of N" wording). */
  readonly mOutOfN: boolean;
  readonly threshold: number;
  readonly comparison: ComparisonOperator;
  readonly statistic?: string;
  readonly period: number;
  readonly evaluatedAt: number;
  /** Start of every period of the evaluation range, oldest first. */
  readonly slotStarts: readonly number[];
}

const OPERATOR_WORDS: Record<ComparisonOperator, string> = {
  GreaterThanOrEqualToThreshold: 'greater than or equal to',
  GreaterThanThreshold: 'greater than',
  LessThanThreshold: 'less than',
  LessThanOrEqualToThreshold: 'less than or equal to',
};

export function stateReason(decision: Decision, state: AlarmStateValue, ctx: ReasonContext): string {
  if (state === 'INSUFFICIENT_DATA') {
    const unknown = ctx.evaluationPeriods - decision.used.length;
    return `Insufficient Data: ${plural(unknown, 'datapoint')} ${verb(unknown)} unknown.`;
  }
  const alarm = state === 'ALARM';
  const listed = decision.used.filter((p) => crosses(p.value, ctx.threshold, ctx.comparison) === alarm);
  const fillClause = decision.fills > 0 && decision.fillKind ? `${plural(decision.fills, 'missing datapoint')} ${verb(decision.fills)} treated as [${decision.fillKind}]` : '';
  if (listed.length === 0 && fillClause) {
    const received = decision.used.length === 0 ? 'no datapoints were received' : `${plural(decision.used.length, 'datapoint')} ${verb(decision.used.length)} received`;
    return `Threshold Crossed: ${received} for ${plural(ctx.evaluationPeriods, 'period')} and ${fillClause}.`;
  }
  const points = listed.map((p) => `${javaDouble(p.value)} (${reasonDate(p.timestamp)})`).join(', ');
  const comparison = `${verb(listed.length)} ${alarm ? '' : 'not '}${OPERATOR_WORDS[ctx.comparison]} the threshold (${javaDouble(ctx.threshold)})`;
  const and = fillClause ? ` and ${fillClause}` : '';
  if (!ctx.mOutOfN) return `Threshold Crossed: ${plural(listed.length, 'datapoint')} [${points}] ${comparison}${and}.`;
  const minimum = alarm ? ctx.datapointsToAlarm : ctx.evaluationPeriods - ctx.datapointsToAlarm + 1;
  const transition = alarm ? 'OK -> ALARM' : 'ALARM -> OK';
  return `Threshold Crossed: ${listed.length} out of the last ${ctx.evaluationPeriods} datapoints [${points}] ${comparison}${and} (minimum ${plural(minimum, 'datapoint')} for ${transition} transition).`;
}

/**
 * The JSON CloudWatch stores with the reason, e.g. {"version":"1.0","queryDate":"2024-09-19T06:01:18.043+0000",
 * "startDate":"2024-09-19T05:56:00.000+0000","statistic":"Average","period":300,"recentDatapoints":[1.01],
 * "threshold":90.0,"evaluatedDatapoints":[{"timestamp":"2024-09-19T05:56:00.000+0000","value":1.01}]}.
 * Numbers are JSON numbers (90, not Java's 90.0); sampleCount is not tracked.
 */
export function stateReasonData(decision: Decision, ctx: ReasonContext): string {
  const used = [...decision.used].sort((a, b) => a.timestamp - b.timestamp);
  const evaluated = used.length > 0 ? [...used].reverse().map(evaluatedPoint) : ctx.slotStarts.slice(-ctx.evaluationPeriods).reverse().map((t) => ({ timestamp: reasonDataDate(t) }));
  const data = {
    version: '1.0',
    queryDate: reasonDataDate(ctx.evaluatedAt),
    ...(used[0] ? { startDate: reasonDataDate(used[0].timestamp) } : {}),
    ...(ctx.statistic ? { statistic: ctx.statistic } : {}),
    period: ctx.period,
    recentDatapoints: used.map((p) => p.value),
    threshold: ctx.threshold,
    evaluatedDatapoints: evaluated,
  };
  return JSON.stringify(data);
}

function evaluatedPoint(p: AgedPoint): { timestamp: string; value: number } {
  return { timestamp: reasonDataDate(p.timestamp), value: p.value };
}
