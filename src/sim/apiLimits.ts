import { SimServiceError, type SimCall } from './protocol/index.js';
import { throttlingError } from './faults.js';
import type { Clock } from '../time/clock.js';

export interface ApiLimitsConfig {
  /** AWS's account-wide API rate limits, enforced by the world (throttling errors above them). */
  readonly enabled: boolean;
}

interface Limit {
  readonly rate: number;
  readonly burst: number;
}

/**
 * The published account-wide budgets (shared/research/aws-facts.md §3.1). Keys are `service` or
 * `service:Operation`; an operation with its own budget does not also draw from the service's.
 */
export const AWS_API_LIMITS: Readonly<Record<string, Limit>> = {
  lambda: { rate: 15, burst: 15 },
  'lambda:GetFunction': { rate: 100, burst: 100 },
  'lambda:Invoke': { rate: 1000, burst: 1000 },
  'cloudwatch:DescribeAlarms': { rate: 9, burst: 9 },
  'cloudwatch:GetMetricData': { rate: 50, burst: 50 },
  'cloudwatch:PutMetricAlarm': { rate: 3, burst: 3 },
  'cloudwatch:SetAlarmState': { rate: 3, burst: 3 },
  route53: { rate: 5, burst: 5 },
  elbv2: { rate: 10, burst: 40 },
};

interface Bucket {
  tokens: number;
  at: number;
}

/** Token buckets on the world's clock; also records the busiest second per key for the benchmarks. */
export class ApiLimits {
  private readonly buckets = new Map<string, Bucket>();
  private readonly perSecond = new Map<string, { second: number; count: number; peak: number }>();

  constructor(
    private readonly config: () => ApiLimitsConfig,
    private readonly clock: Clock,
  ) {}

  check(call: SimCall): void {
    const key = AWS_API_LIMITS[`${call.service}:${call.operation}`] ? `${call.service}:${call.operation}` : call.service;
    this.count(key);
    const limit = AWS_API_LIMITS[key];
    if (!limit || !this.config().enabled) return;
    const now = this.clock.now();
    const bucket = this.buckets.get(key) ?? { tokens: limit.burst, at: now };
    bucket.tokens = Math.min(limit.burst, bucket.tokens + ((now - bucket.at) / 1000) * limit.rate);
    bucket.at = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens < 1) {
      const e = throttlingError(call.service);
      throw new SimServiceError(e.code, e.message, { httpStatus: e.httpStatus, ...(e.retryAfterSeconds ? { retryAfterSeconds: e.retryAfterSeconds } : {}), ...(e.extra ? { extra: e.extra } : {}) });
    }
    bucket.tokens -= 1;
  }

  /** The most calls seen in one clock second, per key. */
  peaks(): Record<string, number> {
    return Object.fromEntries([...this.perSecond.entries()].map(([k, v]) => [k, v.peak]));
  }

  private count(key: string): void {
    const second = Math.floor(this.clock.now() / 1000);
    const entry = this.perSecond.get(key) ?? { second, count: 0, peak: 0 };
    if (entry.second !== second) {
      entry.second = second;
      entry.count = 0;
    }
    entry.count += 1;
    entry.peak = Math.max(entry.peak, entry.count);
    this.perSecond.set(key, entry);
  }
}
