import { GetMetricDataCommand, type CloudWatchClient, type GetMetricDataCommandInput, type MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import { DeployError, InputError } from '../errors.js';
import { parseDuration } from '../util/duration.js';

/** A metric as the spec names it (MetricStat in src/config/schema.ts). */
export interface MetricStatSpec {
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions?: Readonly<Record<string, string>> | undefined;
  readonly stat: string;
  readonly period?: string | number | undefined;
}

/** The datapoints of one query, newest first. */
export interface Series {
  readonly timestamps: readonly number[];
  readonly values: readonly number[];
}

export const DEFAULT_PERIOD_SECONDS = 60;
const VALID_PERIOD = (seconds: number): boolean => [1, 5, 10, 20, 30].includes(seconds) || (Number.isInteger(seconds) && seconds > 0 && seconds % 60 === 0);

/** A MetricStat query; the period is checked here so a bad one fails before the rollout, naming the field. */
export function metricStatQuery(id: string, metric: MetricStatSpec, returnData: boolean, where: string): MetricDataQuery {
  const period = metric.period === undefined ? DEFAULT_PERIOD_SECONDS : parseDuration(metric.period, `${where}.period`);
  if (!VALID_PERIOD(period)) throw new InputError(`${where}.period`, metric.period, 'CloudWatch periods are 1s, 5s, 10s, 20s, 30s or a multiple of 60s');
  const dimensions = Object.entries(metric.dimensions ?? {}).map(([Name, Value]) => ({ Name, Value }));
  return {
    Id: id,
    MetricStat: { Metric: { Namespace: metric.namespace, MetricName: metric.metricName, ...(dimensions.length > 0 ? { Dimensions: dimensions } : {}) }, Period: period, Stat: metric.stat },
    ReturnData: returnData,
  };
}

/**
 * GetMetricData over [start, end), every page followed, results merged per query id (newest first).
 * A query CloudWatch could not answer (InternalError, Forbidden) is a failure to read, not "no data".
 */
export async function getMetricData(client: CloudWatchClient, queries: readonly MetricDataQuery[], window: { start: number; end: number }, signal: AbortSignal): Promise<Map<string, Series>> {
  const merged = new Map<string, { timestamps: number[]; values: number[] }>();
  let nextToken: string | undefined;
  do {
    const input: GetMetricDataCommandInput = {
      MetricDataQueries: [...queries],
      StartTime: new Date(window.start),
      EndTime: new Date(window.end),
      ScanBy: 'TimestampDescending',
      ...(nextToken ? { NextToken: nextToken } : {}),
    };
    const page = await client.send(new GetMetricDataCommand(input), { abortSignal: signal });
    for (const result of page.MetricDataResults ?? []) {
      if (result.StatusCode === 'InternalError' || result.StatusCode === 'Forbidden') {
        const messages = (result.Messages ?? []).map((m) => `${m.Code ?? ''} ${m.Value ?? ''}`.trim()).join('; ');
        throw new DeployError('AWS_ERROR', `GetMetricData could not answer query ${result.Id ?? '?'}: ${result.StatusCode}${messages ? ` (${messages})` : ''}`, { source: 'aws' });
      }
      const series = merged.get(result.Id ?? '') ?? { timestamps: [], values: [] };
      (result.Timestamps ?? []).forEach((t, i) => {
        series.timestamps.push(t.getTime());
        series.values.push(result.Values?.[i] ?? Number.NaN);
      });
      merged.set(result.Id ?? '', series);
    }
    nextToken = page.NextToken || undefined;
  } while (nextToken);
  return new Map([...merged].map(([id, series]) => [id, newestFirst(series)]));
}

function newestFirst(series: { timestamps: number[]; values: number[] }): Series {
  const order = series.timestamps.map((_, i) => i).sort((a, b) => series.timestamps[b]! - series.timestamps[a]!);
  return { timestamps: order.map((i) => series.timestamps[i]!), values: order.map((i) => series.values[i]!) };
}

/** The finite values of a series (NaN and ±Infinity, e.g. a division by zero in metric math, are dropped). */
export function finiteValues(series: Series | undefined): number[] {
  return (series?.values ?? []).filter((v) => Number.isFinite(v));
}
