import type { CloudWatchClient, MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import type { MetricGateSpec } from '../config/schema.js';
import type { PreflightGate } from '../engine/runtime.js';
import { InputError, messageOf } from '../errors.js';
import type { Clock } from '../time/clock.js';
import { formatDuration, parseDuration } from '../util/duration.js';
import { finiteValues, getMetricData, metricStatQuery, type Series } from './metricData.js';
import type { GateResult } from './types.js';

export const DEFAULT_METRIC_WINDOW_SECONDS = 300;

/**
 * Metric threshold gate: GetMetricData over the window ending now; the newest datapoint of the `value` query is
 * compared with the threshold. Too few samples, or no datapoint at all, is inconclusive — never a pass.
 */
export function createMetricGate(spec: MetricGateSpec, deps: { client: CloudWatchClient; clock: Clock }): PreflightGate {
  const where = `gates.metrics "${spec.name}"`;
  const queries = buildQueries(spec, where);
  const windowSeconds = spec.window === undefined ? DEFAULT_METRIC_WINDOW_SECONDS : parseDuration(spec.window, `${where}.window`);
  if (windowSeconds <= 0) throw new InputError(`${where}.window`, spec.window, 'use a window longer than 0s, for example 5m');

  const evaluate = async (signal: AbortSignal): Promise<GateResult> => {
    const end = deps.clock.now();
    const data = await getMetricData(deps.client, queries, { start: end - windowSeconds * 1000, end }, signal);
    return judgeMetric(spec, data, formatDuration(windowSeconds));
  };

  return {
    name: spec.name,
    check: (ctx) => evaluate(ctx.signal),
    async preflight(ctx) {
      try {
        const result = await evaluate(ctx.signal);
        const warnings = result.type === 'alarm' ? [`metric gate ${spec.name} already breaches before the rollout: ${result.reason}`] : [];
        return { errors: [], warnings, facts: { [`metric:${spec.name}`]: result.type === 'ok' ? (result.detail ?? 'ok') : `${result.type}: ${result.reason}` } };
      } catch (error) {
        return { errors: [`metric gate ${spec.name}: GetMetricData failed: ${messageOf(error)}`], warnings: [] };
      }
    },
  };
}

/** The spec's queries as GetMetricData queries; only `value` and `sampleCount` are returned, the rest feed them. */
function buildQueries(spec: MetricGateSpec, where: string): MetricDataQuery[] {
  const ids = spec.queries.map((q) => q.id);
  const duplicate = ids.find((id, i) => ids.indexOf(id) !== i);
  if (duplicate) throw new InputError(`${where}.queries`, duplicate, 'give every query its own id');
  if (!ids.includes(spec.value)) throw new InputError(`${where}.value`, spec.value, `name one of the query ids: ${ids.join(', ')}`);
  if (spec.sampleCount !== undefined && !ids.includes(spec.sampleCount)) throw new InputError(`${where}.sampleCount`, spec.sampleCount, `name one of the query ids: ${ids.join(', ')}`);
  const returned = new Set([spec.value, ...(spec.sampleCount ? [spec.sampleCount] : [])]);
  return spec.queries.map((q) => {
    const at = `${where}.queries "${q.id}"`;
    if ((q.metric === undefined) === (q.expression === undefined)) throw new InputError(at, q, 'give either metric or expression (exactly one)');
    if (q.metric) return metricStatQuery(q.id, q.metric, returned.has(q.id), `${at}.metric`);
    return { Id: q.id, Expression: q.expression, ReturnData: returned.has(q.id) };
  });
}

/** Pure verdict from the fetched series: samples first (no data is never a pass), then the newest value. */
export function judgeMetric(spec: MetricGateSpec, data: ReadonlyMap<string, Series>, windowText: string): GateResult {
  const series = data.get(spec.value);
  // A sampleCount query without minSamples still means "at least one sample".
  const minSamples = spec.minSamples ?? (spec.sampleCount === undefined ? undefined : 1);
  if (minSamples !== undefined) {
    const samples = spec.sampleCount === undefined ? finiteValues(series).length : sum(finiteValues(data.get(spec.sampleCount)));
    const what = spec.sampleCount === undefined ? `datapoints of ${spec.value}` : `samples (${spec.sampleCount})`;
    if (samples < minSamples) return { type: 'inconclusive', reason: `${spec.name}: ${samples} ${what} in the last ${windowText}, fewer than minSamples ${minSamples}` };
  }
  const newest = newestFinite(series);
  if (!newest) return { type: 'inconclusive', reason: `${spec.name}: no datapoints for ${spec.value} in the last ${windowText}` };
  const text = `${spec.name}: ${spec.value} = ${round(newest.value)} at ${new Date(newest.timestamp).toISOString()}`;
  if (holds(newest.value, spec.operator, spec.threshold)) return { type: 'ok', detail: `${text} (${spec.operator} ${spec.threshold})` };
  return { type: 'alarm', names: [spec.name], reason: `${text}, not ${spec.operator} ${spec.threshold}` };
}

function newestFinite(series: Series | undefined): { timestamp: number; value: number } | undefined {
  const index = series?.values.findIndex((v) => Number.isFinite(v)) ?? -1;
  return series && index >= 0 ? { timestamp: series.timestamps[index]!, value: series.values[index]! } : undefined;
}

function holds(value: number, operator: MetricGateSpec['operator'], threshold: number): boolean {
  switch (operator) {
    case '<':
      return value < threshold;
    case '<=':
      return value <= threshold;
    case '>':
      return value > threshold;
    case '>=':
      return value >= threshold;
    default: {
      const never: never = operator;
      throw new Error(`unknown operator ${String(never)}`);
    }
  }
}

function sum(values: readonly number[]): number {
  return values.reduce((total, v) => total + v, 0);
}

function round(x: number): string {
  return Number.isInteger(x) ? String(x) : Number(x.toPrecision(4)).toString();
}
