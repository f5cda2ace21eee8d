/**
 * The `cloudwatch:` section of a world file (documented in docs/worlds.md, ## cloudwatch):
 *
 *   cloudwatch:
 *     alarms:
 *       - name: web-5xx                      # required
 *         namespace: AWS/ApplicationELB
 *         metric: HTTPCode_Target_5XX_Count
 *         dimensions: { TargetGroup: '${tg:web-green.dimension}' }
 *         statistic: Sum                     # or extendedStatistic: p99
 *         period: 60                         # 10, 20, 30 or a multiple of 60
 *         evaluationPeriods: 3
 *         datapointsToAlarm: 2               # optional (M out of N)
 *         threshold: 5
 *         comparison: '>='                   # > >= < <= or GreaterThanThreshold, ...
 *         treatMissingData: notBreaching     # optional: missing (default), notBreaching, breaching, ignore
 *         description: ...                   # optional
 *       - name: error-rate                   # a metric-math alarm: `metrics` instead of namespace ... period
 *         metrics:
 *           - { id: errors, namespace: AWS/Lambda, metric: Errors, dimensions: { FunctionName: f }, stat: Sum, period: 60 }
 *           - { id: calls, namespace: AWS/Lambda, metric: Invocations, dimensions: { FunctionName: f }, stat: Sum, period: 60 }
 *           - { id: rate, expression: '100 * errors / calls', label: error % }
 *         evaluationPeriods: 1
 *         threshold: 5
 *         comparison: '>'
 *     compositeAlarms:
 *       - name: web-health
 *         rule: ALARM(web-5xx) OR ALARM(error-rate)
 *
 * In `metrics`, the entry with `returnData: true` is the alarm's series; when no entry says, the last one is.
 * Alarms start in INSUFFICIENT_DATA and are first evaluated on the next minute. References: `alarm:<name>`
 * with fields `arn` and `name`.
 */
import { InputError } from '../../../errors.js';
import { SimServiceError } from '../../protocol/index.js';
import type { SeedRefs, ServiceContext } from '../../types.js';
import { putCompositeAlarm, putMetricAlarm } from './alarmOps.js';
import type { CloudWatchState, Dimension, MetricDataQuery } from './state.js';

type Ctx = ServiceContext<CloudWatchState>;

const COMPARISONS: Readonly<Record<string, string>> = {
  '>': 'GreaterThanThreshold',
  '>=': 'GreaterThanOrEqualToThreshold',
  '<': 'LessThanThreshold',
  '<=': 'LessThanOrEqualToThreshold',
};

const ALARM_KEYS = new Set(['name', 'namespace', 'metric', 'dimensions', 'statistic', 'extendedStatistic', 'period', 'evaluationPeriods', 'datapointsToAlarm', 'threshold', 'comparison', 'treatMissingData', 'description', 'metrics']);
const QUERY_KEYS = new Set(['id', 'namespace', 'metric', 'dimensions', 'stat', 'period', 'expression', 'label', 'returnData']);

interface SeedSection {
  readonly alarms?: readonly Record<string, unknown>[];
  readonly compositeAlarms?: readonly { readonly name?: unknown; readonly rule?: unknown }[];
}

function record(value: unknown, where: string): Record<string, unknown> {
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new InputError(where, value, 'expected a mapping');
  return value as Record<string, unknown>;
}

function checkKeys(entry: Record<string, unknown>, allowed: ReadonlySet<string>, where: string): void {
  for (const key of Object.keys(entry)) if (!allowed.has(key)) throw new InputError(`${where}: ${key}`, key, `the keys are ${[...allowed].join(', ')}`);
}

function dimensions(value: unknown, where: string): Dimension[] {
  if (value === undefined) return [];
  return Object.entries(record(value, `${where}: dimensions`)).map(([Name, v]) => ({ Name, Value: String(v) }));
}

function query(entry: unknown, where: string, returnsData: boolean): MetricDataQuery {
  const q = record(entry, where);
  checkKeys(q, QUERY_KEYS, where);
  if (typeof q.id !== 'string') throw new InputError(`${where}: id`, q.id, 'every metric needs an id like m1');
  const base = { Id: q.id, ...(q.label !== undefined ? { Label: String(q.label) } : {}), ReturnData: q.returnData === undefined ? returnsData : q.returnData === true };
  if (q.expression !== undefined) return { ...base, Expression: String(q.expression) };
  const metric = { Namespace: String(q.namespace), MetricName: String(q.metric), Dimensions: dimensions(q.dimensions, where) };
  return { ...base, MetricStat: { Metric: metric, Period: Number(q.period ?? 60), Stat: String(q.stat ?? 'Average') } };
}

function metricQueries(value: unknown, where: string): MetricDataQuery[] {
  if (!Array.isArray(value) || value.length === 0) throw new InputError(`${where}: metrics`, value, 'give a list of metrics and expressions');
  const explicit = value.some((q) => q && typeof q === 'object' && 'returnData' in q);
  return value.map((q, i) => query(q, `${where}: metrics[${i}]`, !explicit && i === value.length - 1));
}

function numeric(value: unknown, where: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new InputError(where, value, 'expected a number');
  return value;
}

/** A seeded alarm as PutMetricAlarm input. */
function alarmInput(entry: Record<string, unknown>, where: string): Record<string, unknown> {
  checkKeys(entry, ALARM_KEYS, where);
  const comparison = String(entry.comparison ?? '');
  const optional = { AlarmDescription: entry.description, Statistic: entry.statistic, ExtendedStatistic: entry.extendedStatistic, DatapointsToAlarm: numeric(entry.datapointsToAlarm, `${where}: datapointsToAlarm`), TreatMissingData: entry.treatMissingData };
  const metric =
    entry.metrics !== undefined
      ? { Metrics: metricQueries(entry.metrics, where) }
      : { Namespace: entry.namespace, MetricName: entry.metric, Dimensions: dimensions(entry.dimensions, where), Period: numeric(entry.period, `${where}: period`) };
  return {
    AlarmName: entry.name,
    ...Object.fromEntries(Object.entries({ ...optional, ...metric }).filter(([, v]) => v !== undefined)),
    EvaluationPeriods: numeric(entry.evaluationPeriods, `${where}: evaluationPeriods`),
    Threshold: numeric(entry.threshold, `${where}: threshold`),
    ComparisonOperator: COMPARISONS[comparison] ?? comparison,
  };
}

/** Runs an operation for a seeded resource, turning AWS errors into input errors that name the entry. */
function seeded(where: string, value: unknown, run: () => void): void {
  try {
    run();
  } catch (error) {
    if (error instanceof SimServiceError) throw new InputError(where, value, error.message);
    throw error;
  }
}

export function seedCloudWatch(ctx: Ctx, spec: unknown, refs: SeedRefs): void {
  const section = record(spec, 'world: cloudwatch') as SeedSection;
  checkKeys(section as Record<string, unknown>, new Set(['alarms', 'compositeAlarms']), 'world: cloudwatch');
  (section.alarms ?? []).forEach((raw, i) => {
    const where = `world: cloudwatch.alarms[${i}]`;
    const entry = record(raw, where);
    if (typeof entry.name !== 'string' || entry.name === '') throw new InputError(`${where}: name`, entry.name, 'every alarm needs a name');
    seeded(where, entry.name, () => putMetricAlarm(ctx, alarmInput(entry, where)));
    refs.set(`alarm:${entry.name}`, { arn: ctx.state.alarms[entry.name]!.arn, name: entry.name });
  });
  (section.compositeAlarms ?? []).forEach((raw, i) => {
    const where = `world: cloudwatch.compositeAlarms[${i}]`;
    const entry = record(raw, where);
    checkKeys(entry, new Set(['name', 'rule']), where);
    if (typeof entry.name !== 'string' || typeof entry.rule !== 'string') throw new InputError(where, entry, 'a composite alarm needs a name and a rule like ALARM(a) OR ALARM(b)');
    const name = entry.name;
    seeded(where, entry.rule, () => putCompositeAlarm(ctx, { AlarmName: name, AlarmRule: entry.rule }));
    refs.set(`alarm:${name}`, { arn: ctx.state.alarms[name]!.arn, name });
  });
}
