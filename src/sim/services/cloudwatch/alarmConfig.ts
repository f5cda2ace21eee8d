/**
 * PutMetricAlarm's checks beyond the model (the wire layer already enforced types, enums, required members and
 * ranges). Errors are CloudWatch's ValidationError (HTTP 400). Wordings with a public source:
 * - "Period must be 10, 30 or a multiple of 60" (awsdocs/aws-cloudformation-user-guide#777, before 20 s periods
 *   existed; the simulator adds 20 as the API reference now allows it);
 * - "Metrics cannot be checked across more than a day (EvaluationPeriods * Period must be <= 86400)" (UNVERIFIED:
 *   quoted by emulators, not by AWS; the 604,800 s form is modeled on it);
 * - "Exactly one element of the metrics list should return data." (hashicorp/terraform-provider-aws#29894);
 * - "MetricName must not be null" (aws-cloudformation/cfn-lint#771);
 * - "Unit should not be set if list of Metrics is set." (aws-cloudformation/cfn-lint#1306).
 * Others (DatapointsToAlarm, Statistic/ExtendedStatistic) are worded by analogy and UNVERIFIED.
 */
import { fail } from '../common.js';
import { validStatistic, checkQueries, runQueries } from './queries.js';
import type { World } from '../../world.js';
import type { ComparisonOperator, Dimension, MetricDataQuery, TreatMissingData } from './state.js';

export interface MetricAlarmConfig {
  namespace?: string;
  metricName?: string;
  dimensions: Dimension[];
  statistic?: string;
  extendedStatistic?: string;
  /** Seconds. For metric-math alarms, the period of the metrics in `metrics`. */
  period: number;
  unit?: string;
  evaluationPeriods: number;
  datapointsToAlarm?: number;
  threshold: number;
  comparisonOperator: ComparisonOperator;
  treatMissingData?: TreatMissingData;
  evaluateLowSampleCountPercentile?: string;
  metrics?: MetricDataQuery[];
}

const THRESHOLD_OPERATORS = new Set(['GreaterThanOrEqualToThreshold', 'GreaterThanThreshold', 'LessThanThreshold', 'LessThanOrEqualToThreshold']);
const TREATMENTS = new Set(['breaching', 'notBreaching', 'ignore', 'missing']);
const ONE_DAY = 86_400;
const ONE_WEEK = 604_800;
const MAX_ALARM_METRICS = 10;

function invalid(message: string): never {
  return fail('ValidationError', message, { httpStatus: 400 });
}

function required<T>(value: T | undefined, name: string): T {
  if (value === undefined || value === null) invalid(`${name} must not be null`);
  return value;
}

export function validAlarmPeriod(period: number): boolean {
  return period === 10 || period === 20 || period === 30 || (period >= 60 && period % 60 === 0);
}

/** Turns PutMetricAlarm input into a checked configuration, or throws the ValidationError AWS would. */
export function metricAlarmConfig(input: Record<string, unknown>, world: World): MetricAlarmConfig {
  const operator = required(input.ComparisonOperator as string | undefined, 'ComparisonOperator');
  if (!THRESHOLD_OPERATORS.has(operator) || input.ThresholdMetricId !== undefined) {
    invalid(`ComparisonOperator ${operator}${input.ThresholdMetricId !== undefined ? ' with ThresholdMetricId' : ''} needs an anomaly detection band, which the simulated CloudWatch does not model; use a static threshold`);
  }
  if (input.EvaluationCriteria !== undefined) invalid('PromQL alarms (EvaluationCriteria) are not modeled by the simulated CloudWatch');
  const evaluationPeriods = required(input.EvaluationPeriods as number | undefined, 'EvaluationPeriods');
  const threshold = required(input.Threshold as number | undefined, 'Threshold');
  const metrics = input.Metrics as MetricDataQuery[] | undefined;
  const source = metrics ? mathSource(metrics, input, world) : singleMetricSource(input);
  if (!validAlarmPeriod(source.period)) invalid('Period must be 10, 20, 30 or a multiple of 60');
  checkWindow(source.period, evaluationPeriods);
  const datapointsToAlarm = input.DatapointsToAlarm as number | undefined;
  if (datapointsToAlarm !== undefined && datapointsToAlarm > evaluationPeriods) invalid('DatapointsToAlarm must be less than or equal to EvaluationPeriods');
  const treat = input.TreatMissingData as string | undefined;
  if (treat !== undefined && !TREATMENTS.has(treat)) invalid(`TreatMissingData ${treat} is not valid: use breaching, notBreaching, ignore or missing`);
  return {
    ...source,
    evaluationPeriods,
    ...(datapointsToAlarm !== undefined ? { datapointsToAlarm } : {}),
    threshold,
    comparisonOperator: operator as ComparisonOperator,
    ...(treat !== undefined ? { treatMissingData: treat as TreatMissingData } : {}),
    ...(input.EvaluateLowSampleCountPercentile !== undefined ? { evaluateLowSampleCountPercentile: String(input.EvaluateLowSampleCountPercentile) } : {}),
  };
}

type Source = Pick<MetricAlarmConfig, 'namespace' | 'metricName' | 'dimensions' | 'statistic' | 'extendedStatistic' | 'period' | 'unit' | 'metrics'>;

function singleMetricSource(input: Record<string, unknown>): Source {
  const metricName = required(input.MetricName as string | undefined, 'MetricName');
  const namespace = required(input.Namespace as string | undefined, 'Namespace');
  const statistic = input.Statistic as string | undefined;
  const extendedStatistic = input.ExtendedStatistic as string | undefined;
  if (statistic !== undefined && extendedStatistic !== undefined) invalid('Statistic and ExtendedStatistic cannot both be set');
  if (statistic === undefined && extendedStatistic === undefined) invalid('Either Statistic or ExtendedStatistic must be set');
  if (extendedStatistic !== undefined && !validStatistic(extendedStatistic)) invalid(`The value ${extendedStatistic} for parameter ExtendedStatistic is not a valid statistic.`);
  const period = required(input.Period as number | undefined, 'Period');
  return {
    namespace,
    metricName,
    dimensions: (input.Dimensions as Dimension[] | undefined) ?? [],
    ...(statistic !== undefined ? { statistic } : {}),
    ...(extendedStatistic !== undefined ? { extendedStatistic } : {}),
    period,
    ...(input.Unit !== undefined ? { unit: String(input.Unit) } : {}),
  };
}

function mathSource(metrics: MetricDataQuery[], input: Record<string, unknown>, world: World): Source {
  for (const member of ['MetricName', 'Namespace', 'Dimensions', 'Period', 'Statistic', 'ExtendedStatistic', 'Unit']) {
    if (input[member] !== undefined) invalid(`${member} should not be set if list of Metrics is set.`);
  }
  checkQueries(metrics, 'Metrics');
  if (metrics.filter((q) => q.ReturnData !== false).length !== 1) invalid('Exactly one element of the metrics list should return data.');
  const stats = metrics.flatMap((q) => (q.MetricStat ? [q.MetricStat] : []));
  if (stats.length > MAX_ALARM_METRICS) invalid(`A math expression used for an alarm can include at most ${MAX_ALARM_METRICS} metrics; got ${stats.length}`);
  const periods = new Set(stats.map((s) => s.Period));
  if (periods.size > 1) invalid('All metrics used by an alarm must use the same period');
  const period = stats[0]?.Period ?? metrics.find((q) => q.ReturnData !== false)?.Period ?? 60;
  // A dry run over an empty window finds unknown ids and bad expressions now rather than at evaluation time.
  const now = world.now();
  runQueries(metrics, { world, start: now, end: now, now });
  return { dimensions: [], period, metrics };
}

function checkWindow(period: number, evaluationPeriods: number): void {
  const total = period * evaluationPeriods;
  if (period < 3600 && total > ONE_DAY) invalid(`Metrics cannot be checked across more than a day (EvaluationPeriods * Period must be <= ${ONE_DAY})`);
  if (total > ONE_WEEK) invalid(`Metrics cannot be checked across more than a week (EvaluationPeriods * Period must be <= ${ONE_WEEK})`);
}
