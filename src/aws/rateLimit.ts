import type { Clock } from '../time/clock.js';

/**
 * Client-side token buckets, shared by every deployment in the process, so that many rollouts stay under the
 * account-wide API budgets that every pipeline in the account shares (AWS throttles the whole account).
 */
export interface RateBudget {
  /** Tokens added per second. */
  readonly ratePerSecond: number;
  /** Bucket size: how many calls may go at once after a quiet period. */
  readonly burst: number;
}

/**
 * Budgets per service, and per operation where AWS publishes one. Sources: shared/research/aws-facts.md §3.1
 * (Lambda control plane 15/s shared by GetAlias/UpdateAlias/PublishVersion; CloudWatch DescribeAlarms 9/s,
 * GetMetricData 50/s; Route 53 5/s legacy account limit; ELB Describe* bucket 40 refilling 10/s). ECS and Auto
 * Scaling publish no figures: 10/s is a conservative default. Leave head room for other pipelines: 80%.
 */
export const DEFAULT_BUDGETS: Readonly<Record<string, RateBudget>> = {
  lambda: { ratePerSecond: 12, burst: 12 },
  'lambda:GetFunction': { ratePerSecond: 80, burst: 80 },
  cloudwatch: { ratePerSecond: 8, burst: 8 },
  'cloudwatch:DescribeAlarms': { ratePerSecond: 7, burst: 7 },
  'cloudwatch:GetMetricData': { ratePerSecond: 40, burst: 40 },
  route53: { ratePerSecond: 4, burst: 4 },
  elbv2: { ratePerSecond: 8, burst: 32 },
  ecs: { ratePerSecond: 8, burst: 16 },
  autoscaling: { ratePerSecond: 8, burst: 16 },
  dynamodb: { ratePerSecond: 100, burst: 100 },
  sns: { ratePerSecond: 10, burst: 10 },
  sts: { ratePerSecond: 10, burst: 10 },
};

class TokenBucket {
  private tokens: number;
  private updatedAt: number;
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly budget: RateBudget,
    private readonly clock: Clock,
  ) {
    this.tokens = budget.burst;
    this.updatedAt = clock.now();
  }

  /** Waits for a token; callers are served in arrival order. */
  take(signal?: AbortSignal): Promise<void> {
    const turn = this.queue.then(() => this.takeNow(signal));
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  private async takeNow(signal?: AbortSignal): Promise<void> {
    this.refill();
    if (this.tokens < 1) {
      const waitMs = Math.ceil(((1 - this.tokens) / this.budget.ratePerSecond) * 1000);
      await this.clock.sleep(waitMs, signal);
      this.refill();
    }
    this.tokens -= 1;
  }

  private refill(): void {
    const now = this.clock.now();
    this.tokens = Math.min(this.budget.burst, this.tokens + ((now - this.updatedAt) / 1000) * this.budget.ratePerSecond);
    this.updatedAt = now;
  }
}

export class RateLimiter {
  private readonly buckets = new Map<string, TokenBucket>();

  constructor(
    private readonly clock: Clock,
    private readonly budgets: Readonly<Record<string, RateBudget>> = DEFAULT_BUDGETS,
  ) {}

  /** Takes a token from the operation's bucket when it has its own budget, and from the service's bucket. */
  async take(service: string, operation: string, signal?: AbortSignal): Promise<void> {
    const own = this.budgets[`${service}:${operation}`];
    if (own) await this.bucket(`${service}:${operation}`, own).take(signal);
    const shared = this.budgets[service];
    if (shared && !own) await this.bucket(service, shared).take(signal);
  }

  private bucket(key: string, budget: RateBudget): TokenBucket {
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = new TokenBucket(budget, this.clock);
      this.buckets.set(key, bucket);
    }
    return bucket;
  }
}
