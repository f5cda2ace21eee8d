import { normalFor } from './random.js';
import type { Flow, MetricSeries } from './types.js';

/** A period of traffic with constant flows, from `from` until the next segment of the same entry. */
export interface Segment {
  readonly from: number;
  readonly flows: readonly Flow[];
}

export interface MetricQuery {
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Readonly<Record<string, string>>;
  /** Seconds. */
  readonly period: number;
  /** Sum, Average, SampleCount, Minimum, Maximum, or a percentile like p99. */
  readonly stat: string;
  readonly start: number;
  readonly end: number;
}

export interface Datapoint {
  readonly timestamp: number;
  readonly value: number;
}

interface Totals {
  requests: number;
  errors: number;
  latencyWeighted: number;
}

/** Custom datapoints from PutMetricData. */
/** Serializable form of the store, for saving a world. */
export interface MetricStoreState {
  readonly timelines: Record<string, Segment[]>;
  readonly custom: Record<string, Custom[]>;
}

interface Custom {
  readonly t: number;
  readonly value: number;
}

const PERCENTILE_FACTOR: Record<string, number> = { p50: 0.9, p90: 1.6, p95: 2, p99: 3, 'p99.9': 4 };

export function seriesKey(namespace: string, dimensions: Readonly<Record<string, string>>): string {
  const dims = Object.keys(dimensions)
    .sort()
    .map((k) => `${k}=${dimensions[k]}`)
    .join(',');
  return `${namespace}|${dims}`;
}

/**
 * The metrics of the traffic model. Traffic is kept as a timeline of constant-flow segments per entry point
 * (they change only when weights or health change), and datapoints are integrated from it when queried, so
 * memory grows with the number of changes, not with time.
 */
export class MetricStore {
  private readonly timelines = new Map<string, Segment[]>();
  /** seriesKey -> entry keys whose flows ever counted into that series. */
  private readonly bySeries = new Map<string, Set<string>>();
  private readonly custom = new Map<string, Custom[]>();

  constructor(private readonly delaySeconds: () => number) {}

  /** Records the flows of one entry point from `at` on; no-op when nothing changed. */
  record(entry: string, at: number, flows: readonly Flow[]): void {
    const timeline = this.timelines.get(entry) ?? [];
    const last = timeline[timeline.length - 1];
    if (last && sameFlows(last.flows, flows)) return;
    if (last && last.from === at) timeline[timeline.length - 1] = { from: at, flows };
    else timeline.push({ from: at, flows });
    this.timelines.set(entry, timeline);
    for (const flow of flows) for (const s of flow.series) this.index(seriesKey(s.namespace, s.dimensions), entry);
  }

  putCustom(namespace: string, metricName: string, dimensions: Readonly<Record<string, string>>, t: number, value: number): void {
    const key = `${seriesKey(namespace, dimensions)}|${metricName}`;
    const points = this.custom.get(key) ?? [];
    points.push({ t, value });
    this.custom.set(key, points);
  }

  /** Every (namespace, metric, dimensions) that has data, for ListMetrics. */
  listSeries(): { namespace: string; metricName: string; dimensions: Record<string, string> }[] {
    const found = new Map<string, { namespace: string; metricName: string; dimensions: Record<string, string> }>();
    for (const timeline of this.timelines.values()) {
      for (const segment of timeline) {
        for (const flow of segment.flows) {
          for (const s of flow.series) {
            for (const metricName of [s.requests, ...(s.errors ?? []), s.latency?.name].filter((m): m is string => !!m)) {
              found.set(`${seriesKey(s.namespace, s.dimensions)}|${metricName}`, { namespace: s.namespace, metricName, dimensions: { ...s.dimensions } });
            }
          }
        }
      }
    }
    for (const key of this.custom.keys()) {
      const [namespace = '', dims = '', metricName = ''] = key.split('|');
      found.set(key, { namespace, metricName, dimensions: Object.fromEntries(dims ? dims.split(',').map((d) => d.split('=') as [string, string]) : []) });
    }
    return [...found.values()];
  }

  /** Datapoints per period in [start, end), only for periods with data that has arrived by `now`. */
  query(q: MetricQuery, now: number): Datapoint[] {
    const periodMs = q.period * 1000;
    const availableUntil = now - this.delaySeconds() * 1000;
    const first = Math.floor(q.start / periodMs) * periodMs;
    const points: Datapoint[] = [];
    for (let t = first; t < q.end && t + periodMs <= availableUntil; t += periodMs) {
      if (t + periodMs <= q.start) continue;
      const value = this.valueAt(q, t, t + periodMs);
      if (value !== undefined) points.push({ timestamp: t, value });
    }
    return points;
  }

  private valueAt(q: MetricQuery, from: number, to: number): number | undefined {
    const key = seriesKey(q.namespace, q.dimensions);
    const custom = this.custom.get(`${key}|${q.metricName}`);
    if (custom) return customStat(custom.filter((p) => p.t >= from && p.t < to).map((p) => p.value), q.stat);
    const entries = this.bySeries.get(key);
    if (!entries) return undefined;
    const totals: Totals = { requests: 0, errors: 0, latencyWeighted: 0 };
    let role: 'requests' | 'errors' | 'latency' | undefined;
    let unit: 'Seconds' | 'Milliseconds' = 'Milliseconds';
    for (const entry of entries) {
      for (const [segment, overlap] of overlaps(this.timelines.get(entry) ?? [], from, to)) {
        for (const flow of segment.flows) {
          for (const s of flow.series) {
            if (seriesKey(s.namespace, s.dimensions) !== key) continue;
            const found = roleOf(s, q.metricName);
            if (!found) continue;
            role = found;
            if (s.latency) unit = s.latency.unit;
            const requests = flow.rps * overlap;
            totals.requests += requests;
            totals.errors += requests * flow.errorRate;
            totals.latencyWeighted += requests * flow.latencyMs;
          }
        }
      }
    }
    if (!role || totals.requests <= 0) return undefined;
    return statOf(role, totals, q, from, unit);
  }

  save(): MetricStoreState {
    return { timelines: Object.fromEntries(this.timelines), custom: Object.fromEntries(this.custom) };
  }

  load(state: MetricStoreState): void {
    for (const [entry, timeline] of Object.entries(state.timelines)) for (const segment of timeline) this.record(entry, segment.from, segment.flows);
    for (const [key, points] of Object.entries(state.custom)) this.custom.set(key, [...points]);
  }

  private index(series: string, entry: string): void {
    const set = this.bySeries.get(series) ?? new Set<string>();
    set.add(entry);
    this.bySeries.set(series, set);
  }
}

function roleOf(series: MetricSeries, metricName: string): 'requests' | 'errors' | 'latency' | undefined {
  if (series.requests === metricName) return 'requests';
  if (series.errors?.includes(metricName)) return 'errors';
  if (series.latency?.name === metricName) return 'latency';
  return undefined;
}

/** Seconds of each segment that fall inside [from, to). */
function* overlaps(timeline: readonly Segment[], from: number, to: number): Generator<[Segment, number]> {
  for (let i = 0; i < timeline.length; i++) {
    const segment = timeline[i]!;
    const end = timeline[i + 1]?.from ?? Infinity;
    const overlap = Math.min(end, to) - Math.max(segment.from, from);
    if (overlap > 0) yield [segment, overlap / 1000];
  }
}

/** Applies the statistic, with deterministic noise so that repeated runs see the same "random" traffic. */
function statOf(role: 'requests' | 'errors' | 'latency', totals: Totals, q: MetricQuery, from: number, unit: 'Seconds' | 'Milliseconds'): number {
  const noiseKey = `${q.namespace}|${q.metricName}|${JSON.stringify(q.dimensions)}|${from}|${q.period}`;
  const requests = Math.max(0, Math.round(totals.requests + normalFor(`${noiseKey}|n`) * Math.sqrt(totals.requests)));
  if (role === 'requests') return countStat(requests, requests, q.stat);
  if (role === 'errors') {
    const rate = totals.errors / totals.requests;
    const errors = Math.max(0, Math.min(requests, Math.round(requests * rate + normalFor(`${noiseKey}|e`) * Math.sqrt(requests * rate * (1 - rate)))));
    return countStat(errors, requests, q.stat);
  }
  const meanMs = (totals.latencyWeighted / totals.requests) * (1 + 0.05 * normalFor(`${noiseKey}|l`));
  const mean = unit === 'Seconds' ? meanMs / 1000 : meanMs;
  switch (q.stat) {
    case 'Average':
      return mean;
    case 'Sum':
      return mean * requests;
    case 'SampleCount':
      return requests;
    case 'Minimum':
      return mean * 0.3;
    case 'Maximum':
      return mean * 5;
    default:
      return mean * (PERCENTILE_FACTOR[q.stat] ?? 1);
  }
}

/** A count metric: each request reports 0 or 1 (Lambda's Errors average is the error rate). */
function countStat(count: number, samples: number, stat: string): number {
  switch (stat) {
    case 'Sum':
      return count;
    case 'SampleCount':
      return samples;
    case 'Average':
      return samples > 0 ? count / samples : 0;
    case 'Minimum':
      return count === samples ? 1 : 0;
    case 'Maximum':
      return count > 0 ? 1 : 0;
    default:
      return count;
  }
}

function customStat(values: readonly number[], stat: string): number | undefined {
  if (values.length === 0) return undefined;
  const sum = values.reduce((a, b) => a + b, 0);
  switch (stat) {
    case 'Sum':
      return sum;
    case 'SampleCount':
      return values.length;
    case 'Minimum':
      return Math.min(...values);
    case 'Maximum':
      return Math.max(...values);
    case 'Average':
      return sum / values.length;
    default: {
      const p = Number(stat.replace(/^p/, '')) / 100;
      const sorted = [...values].sort((a, b) => a - b);
      return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
    }
  }
}

function sameFlows(a: readonly Flow[], b: readonly Flow[]): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

