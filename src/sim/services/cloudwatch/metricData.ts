/**
 * GetMetricData, GetMetricStatistics, PutMetricData and ListMetrics over the world's metric store.
 * - GetMetricData: up to 500 queries; StartTime inclusive, EndTime exclusive; ScanBy defaults to
 *   TimestampDescending; ReturnData false hides a query; results page by MaxDatapoints (default 100,800) with
 *   NextToken, a result cut by the page having StatusCode PartialData (facts §2.6). Periods are aligned to
 *   multiples of the period (CloudWatch aligns to the rounded StartTime; same for 60 s periods from a whole minute).
 * - GetMetricStatistics: at most 1,440 datapoints per call ("You have requested up to N datapoints, which exceeds
 *   the limit of 1,440...", InvalidParameterCombination); other wordings follow Eucalyptus's AWS-compatible
 *   CloudWatch (UNVERIFIED on AWS).
 * - PutMetricData: "AWS/" namespaces are reserved ("The value AWS/ for parameter Namespace is invalid.");
 *   at most 1,000 metrics per call (current API docs; the facts file's 20 is the old limit).
 */
import type { ServiceContext } from '../../types.js';
import { date, fail, paginate } from '../common.js';
import { checkQueries, dimensionRecord, runQueries, validQueryPeriod, type QueryOutcome } from './queries.js';
import type { CloudWatchState, Dimension, MetricDataQuery } from './state.js';

type Ctx = ServiceContext<CloudWatchState>;

const MAX_QUERIES = 500;
const DEFAULT_MAX_DATAPOINTS = 100_800;
const MAX_STATISTICS_DATAPOINTS = 1_440;
const MAX_METRIC_DATA = 1_000;
const MAX_COPIES = 100_000;
const LIST_PAGE = 500;

function timeRange(input: Record<string, unknown>, code: string): { start: number; end: number } {
  const start = (input.StartTime as Date).getTime();
  const end = (input.EndTime as Date).getTime();
  if (start === end) fail(code, 'The parameter StartTime must not equal parameter EndTime.', { httpStatus: 400 });
  if (start > end) fail(code, 'The parameter EndTime must be greater than StartTime.', { httpStatus: 400 });
  return { start, end };
}

export function getMetricData(ctx: Ctx, input: Record<string, unknown>): Record<string, unknown> {
  const queries = input.MetricDataQueries as MetricDataQuery[];
  if (queries.length > MAX_QUERIES) fail('ValidationError', `The collection MetricDataQueries must not have a size greater than ${MAX_QUERIES}.`, { httpStatus: 400 });
  const { start, end } = timeRange(input, 'ValidationError');
  checkQueries(queries, 'MetricDataQueries');
  const descending = input.ScanBy !== 'TimestampAscending';
  const outcomes = runQueries(queries, { world: ctx.world, start, end, now: ctx.now }).filter((o) => o.returnData);
  const { results, next } = pageOf(outcomes, descending, input.NextToken, (input.MaxDatapoints as number | undefined) ?? DEFAULT_MAX_DATAPOINTS);
  return { MetricDataResults: results, Messages: [], ...(next ? { NextToken: next } : {}) };
}

function pageOf(outcomes: readonly QueryOutcome[], descending: boolean, token: unknown, max: number): { results: Record<string, unknown>[]; next?: string } {
  const points = outcomes.map((o) => [...o.series.entries()].sort((a, b) => (descending ? b[0] - a[0] : a[0] - b[0])));
  const total = points.reduce((sum, p) => sum + p.length, 0);
  const offset = token === undefined ? 0 : Number(token);
  if (token !== undefined && (typeof token !== 'string' || !/^\d+$/.test(token) || offset > total)) fail('InvalidNextToken', 'The specified token is not valid.', { httpStatus: 400 });
  const pageEnd = Math.min(total, offset + Math.max(1, max));
  const results: Record<string, unknown>[] = [];
  let seen = 0;
  outcomes.forEach((o, i) => {
    const list = points[i] ?? [];
    const from = Math.max(0, offset - seen);
    const to = Math.min(list.length, pageEnd - seen);
    seen += list.length;
    if (from >= to && !(list.length === 0 && offset === 0)) return;
    const slice = list.slice(from, Math.max(from, to));
    results.push({ Id: o.id, Label: o.label, Timestamps: slice.map(([t]) => date(t)), Values: slice.map(([, v]) => v), StatusCode: to < list.length ? 'PartialData' : 'Complete', Messages: [] });
  });
  return pageEnd < total ? { results, next: String(pageEnd) } : { results };
}

export function getMetricStatistics(ctx: Ctx, input: Record<string, unknown>): Record<string, unknown> {
  const statistics = (input.Statistics as string[] | undefined) ?? [];
  const extended = (input.ExtendedStatistics as string[] | undefined) ?? [];
  if ((statistics.length > 0) === (extended.length > 0)) fail('InvalidParameterCombination', 'Must specify either Statistics or ExtendedStatistics, but not both.', { httpStatus: 400 });
  extended.forEach((stat, i) => {
    if (!/^p(\d{1,2}(\.\d+)?|100(\.0+)?)$/.test(stat)) fail('InvalidParameterValue', `The parameter ExtendedStatistics.member.${i + 1} must be a percentile from p0.0 to p100.`, { httpStatus: 400 });
  });
  const period = input.Period as number;
  if (!validQueryPeriod(period)) fail('InvalidParameterValue', 'The parameter Period must be 1, 5, 10, 20, 30 or a multiple of 60.', { httpStatus: 400 });
  const { start, end } = timeRange(input, 'InvalidParameterValue');
  const requested = Math.ceil((end - start) / (period * 1000));
  if (requested > MAX_STATISTICS_DATAPOINTS) {
    fail('InvalidParameterCombination', `You have requested up to ${requested.toLocaleString('en-US')} datapoints, which exceeds the limit of 1,440. You may reduce the datapoints requested by increasing Period, or decreasing the time range.`, { httpStatus: 400 });
  }
  const byTime = new Map<number, Record<string, unknown>>();
  const base = { namespace: String(input.Namespace), metricName: String(input.MetricName), dimensions: dimensionRecord(input.Dimensions as Dimension[] | undefined), period, start, end };
  for (const stat of [...statistics, ...extended]) {
    for (const p of ctx.world.metrics.query({ ...base, stat }, ctx.now)) {
      const point = byTime.get(p.timestamp) ?? { Timestamp: date(p.timestamp), Unit: (input.Unit as string | undefined) ?? 'None' };
      if (extended.includes(stat)) point.ExtendedStatistics = { ...(point.ExtendedStatistics as Record<string, number> | undefined), [stat]: p.value };
      else point[stat] = p.value;
      byTime.set(p.timestamp, point);
    }
  }
  return { Label: String(input.MetricName), Datapoints: [...byTime.entries()].sort((a, b) => a[0] - b[0]).map(([, p]) => p) };
}

interface Datum {
  readonly MetricName: string;
  readonly Dimensions?: Dimension[];
  readonly Timestamp?: Date;
  readonly Value?: number;
  readonly Values?: number[];
  readonly Counts?: number[];
  readonly StatisticValues?: { SampleCount: number; Sum: number; Minimum: number; Maximum: number };
}

/** The raw values a datum stands for (a statistic set becomes min, max and SampleCount-2 values making up the sum). */
function valuesOf(datum: Datum, at: string): number[] {
  const given = [datum.Value !== undefined, datum.Values !== undefined, datum.StatisticValues !== undefined].filter(Boolean).length;
  if (given === 0) fail('MissingParameter', `At least one of the parameters ${at}.Value, ${at}.Values or ${at}.StatisticValues must be specified.`, { httpStatus: 400 });
  if (given > 1) fail('InvalidParameterCombination', `The parameters ${at}.Value, ${at}.Values and ${at}.StatisticValues are mutually exclusive and you have specified more than one.`, { httpStatus: 400 });
  if (datum.Value !== undefined) {
    if (!Number.isFinite(datum.Value)) fail('InvalidParameterValue', `The value ${datum.Value} for parameter ${at}.Value is invalid.`, { httpStatus: 400 });
    return [datum.Value];
  }
  if (datum.Values) {
    const counts = datum.Counts;
    if (counts && counts.length !== datum.Values.length) fail('InvalidParameterValue', `The parameters ${at}.Values and ${at}.Counts must be of the same size.`, { httpStatus: 400 });
    return datum.Values.flatMap((v, i) => Array<number>(Math.min(MAX_COPIES, Math.max(1, Math.round(counts?.[i] ?? 1)))).fill(v));
  }
  const set = datum.StatisticValues!;
  if (set.SampleCount <= 0) fail('InvalidParameterValue', `The parameter ${at}.StatisticValues.SampleCount must be greater than 0.`, { httpStatus: 400 });
  if (set.Maximum < set.Minimum) fail('InvalidParameterValue', `The parameter ${at}.StatisticValues.Maximum must be greater than ${at}.StatisticValues.Minimum.`, { httpStatus: 400 });
  const count = Math.min(MAX_COPIES, Math.round(set.SampleCount));
  if (count === 1) return [set.Sum];
  const middle = count - 2;
  return [set.Minimum, set.Maximum, ...Array<number>(middle).fill(middle > 0 ? (set.Sum - set.Minimum - set.Maximum) / middle : 0)];
}

export function putMetricData(ctx: Ctx, input: Record<string, unknown>): Record<string, never> {
  const namespace = String(input.Namespace);
  if (namespace.startsWith('AWS/')) fail('InvalidParameterValue', 'The value AWS/ for parameter Namespace is invalid.', { httpStatus: 400 });
  const data = (input.MetricData as Datum[] | undefined) ?? [];
  if (data.length > MAX_METRIC_DATA) fail('InvalidParameterValue', `The collection MetricData must not have a size greater than ${MAX_METRIC_DATA}.`, { httpStatus: 400 });
  // Check everything first: a rejected call stores nothing.
  const parsed = data.map((datum, i) => ({ datum, values: valuesOf(datum, `MetricData.member.${i + 1}`) }));
  for (const { datum, values } of parsed) {
    const at = datum.Timestamp?.getTime() ?? ctx.now;
    for (const value of values) ctx.world.metrics.putCustom(namespace, datum.MetricName, dimensionRecord(datum.Dimensions), at, value);
  }
  return {};
}

interface DimensionFilter {
  readonly Name: string;
  readonly Value?: string;
}

export function listMetrics(ctx: Ctx, input: Record<string, unknown>): Record<string, unknown> {
  const filters = (input.Dimensions as DimensionFilter[] | undefined) ?? [];
  const metrics = ctx.world.metrics
    .listSeries()
    .filter(
      (m) =>
        (input.Namespace === undefined || m.namespace === input.Namespace) &&
        (input.MetricName === undefined || m.metricName === input.MetricName) &&
        filters.every((f) => m.dimensions[f.Name] !== undefined && (f.Value === undefined || m.dimensions[f.Name] === f.Value)),
    )
    .map((m) => ({ Namespace: m.namespace, MetricName: m.metricName, Dimensions: Object.keys(m.dimensions).sort().map((Name) => ({ Name, Value: m.dimensions[Name]! })) }))
    .sort((a, b) => sortKey(a).localeCompare(sortKey(b)));
  const { page, next } = paginate(metrics, input.NextToken, LIST_PAGE, LIST_PAGE);
  return { Metrics: page, ...(next ? { NextToken: next } : {}) };
}

function sortKey(m: { Namespace: string; MetricName: string; Dimensions: Dimension[] }): string {
  return `${m.Namespace}|${m.MetricName}|${m.Dimensions.map((d) => `${d.Name}=${d.Value}`).join(',')}`;
}
