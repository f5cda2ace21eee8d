/**
 * MetricDataQuery lists (GetMetricData, metric-math alarms): checking them, and running them against the
 * world's metric store, expressions included.
 */
import type { World } from '../../world.js';
import { fail } from '../common.js';
import { evaluateExpression, MathError, type LabeledSeries, type MathValue, type Series } from './math.js';
import type { Dimension, MetricDataQuery } from './state.js';

/** Statistics CloudWatch accepts: the five simple ones, percentiles and the other extended statistics. */
const STATISTIC = /^(SampleCount|Average|Sum|Minimum|Maximum|IQM|p(\d{1,2}(\.\d+)?|100)|(tm|wm|tc|ts)\d{1,2}(\.\d+)?|(TM|WM|TC|TS|PR)\(.+\))$/;
/** Ids: letters, digits and underscores, starting with a lowercase letter (MetricDataQuery.Id). */
const QUERY_ID = /^[a-z][A-Za-z0-9_]*$/;

export function validStatistic(stat: string): boolean {
  return STATISTIC.test(stat);
}

/** Periods a metric query accepts: 1, 5, 10, 20, 30 (high resolution) or a multiple of 60. */
export function validQueryPeriod(period: number): boolean {
  return [1, 5, 10, 20, 30].includes(period) || (period > 0 && period % 60 === 0);
}

export function dimensionRecord(dimensions: readonly Dimension[] | undefined): Record<string, string> {
  return Object.fromEntries((dimensions ?? []).map((d) => [d.Name, d.Value]));
}

function invalid(message: string): never {
  return fail('ValidationError', message, { httpStatus: 400 });
}

/** Checks a query list; `member` names the list in messages ("MetricDataQueries" or "Metrics"). */
export function checkQueries(queries: readonly MetricDataQuery[], member: string): void {
  const ids = new Set<string>();
  queries.forEach((q, i) => {
    const at = `${member}.member.${i + 1}`;
    if (!QUERY_ID.test(q.Id)) invalid(`The value ${q.Id} for parameter ${at}.Id is invalid: it must start with a lowercase letter and contain only letters, numbers and underscores.`);
    if (ids.has(q.Id)) invalid(`The values for parameter Id in ${member} are not unique: ${q.Id}.`);
    ids.add(q.Id);
    if ((q.MetricStat === undefined) === (q.Expression === undefined)) invalid(`Exactly one of MetricStat and Expression must be set in ${at}.`);
    const stat = q.MetricStat;
    if (!stat) return;
    if (!stat.Metric.Namespace || !stat.Metric.MetricName) invalid(`The parameters ${at}.MetricStat.Metric.Namespace and MetricName are required.`);
    if (!validStatistic(stat.Stat)) invalid(`The value for parameter ${at}.MetricStat.Stat is not a valid statistic.`);
    if (!validQueryPeriod(stat.Period)) invalid(`The parameter ${at}.MetricStat.Period must be 1, 5, 10, 20, 30 or a multiple of 60.`);
  });
}

export interface QueryWindow {
  readonly world: World;
  /** Inclusive, epoch ms. */
  readonly start: number;
  /** Exclusive, epoch ms. */
  readonly end: number;
  /** Data that has arrived by this instant is visible (the world's metric delay applies). */
  readonly now: number;
}

export interface QueryOutcome {
  readonly id: string;
  readonly label: string;
  readonly series: Series;
  readonly returnData: boolean;
}

export function metricStatSeries(q: MetricDataQuery, window: QueryWindow): Series {
  const stat = q.MetricStat;
  if (!stat) return new Map();
  const points = window.world.metrics.query(
    { namespace: stat.Metric.Namespace ?? '', metricName: stat.Metric.MetricName ?? '', dimensions: dimensionRecord(stat.Metric.Dimensions), period: stat.Period, stat: stat.Stat, start: window.start, end: window.end },
    window.now,
  );
  return new Map(points.map((p) => [p.timestamp, p.value]));
}

/** Period starts of the window that have ended by `now` (what FILL fills), at the given period. */
export function periodGrid(window: QueryWindow, periodSeconds: number): number[] {
  const ms = periodSeconds * 1000;
  const grid: number[] = [];
  for (let t = Math.floor(window.start / ms) * ms; t < window.end && t + ms <= window.now; t += ms) if (t + ms > window.start) grid.push(t);
  return grid;
}

/** Runs every query (expressions over the others), returning one outcome per series in request order. */
export function runQueries(queries: readonly MetricDataQuery[], window: QueryWindow): QueryOutcome[] {
  const byId = new Map(queries.map((q) => [q.Id, q]));
  const values = new Map<string, MathValue>();
  const inProgress = new Set<string>();
  const metricQueries = queries.filter((q) => q.MetricStat);
  const gridPeriod = metricQueries[0]?.MetricStat?.Period ?? queries.find((q) => q.Period)?.Period ?? 60;
  const grid = periodGrid(window, gridPeriod);
  const valueOf = (id: string): MathValue => {
    const known = values.get(id);
    if (known) return known;
    const q = byId.get(id);
    if (!q) throw new MathError(`Unknown metric or expression id '${id}'`);
    if (inProgress.has(id)) throw new MathError(`Circular reference to '${id}'`);
    inProgress.add(id);
    const value: MathValue = q.MetricStat ? { kind: 'series', series: metricStatSeries(q, window) } : expressionValue(q);
    inProgress.delete(id);
    values.set(id, value);
    return value;
  };
  const metrics = (filter?: string): LabeledSeries[] =>
    metricQueries.filter((q) => filter === undefined || q.Id.includes(filter)).map((q) => ({ label: labelOf(q), series: seriesOrEmpty(valueOf(q.Id)) }));
  const expressionValue = (q: MetricDataQuery): MathValue => {
    try {
      return evaluateExpression(q.Expression ?? '', { resolve: valueOf, metrics, grid });
    } catch (error) {
      if (error instanceof MathError) invalid(`Error in expression ${q.Id} [${error.message}]`);
      throw error;
    }
  };
  return queries.flatMap((q) => outcomesOf(q, valueOf(q.Id)));
}

function seriesOrEmpty(value: MathValue): Series {
  return value.kind === 'series' ? value.series : new Map();
}

export function labelOf(q: MetricDataQuery): string {
  return q.Label ?? q.MetricStat?.Metric.MetricName ?? q.Id;
}

function outcomesOf(q: MetricDataQuery, value: MathValue): QueryOutcome[] {
  const returnData = q.ReturnData !== false;
  if (value.kind === 'scalar') invalid(`Error in expression ${q.Id} [the expression must return a time series or an array of time series, not a scalar]`);
  if (value.kind === 'series') return [{ id: q.Id, label: labelOf(q), series: value.series, returnData }];
  return value.items.map((item) => ({ id: q.Id, label: [q.Label ?? '', item.label].filter(Boolean).join(' '), series: item.series, returnData }));
}
