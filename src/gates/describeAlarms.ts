import { DescribeAlarmsCommand, type CloudWatchClient, type DescribeAlarmsCommandInput } from '@aws-sdk/client-cloudwatch';

/** The part of a metric or composite alarm that a gate needs. */
export interface AlarmStatus {
  readonly name: string;
  readonly kind: 'metric' | 'composite';
  readonly state: 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';
  readonly reason: string;
  /** When the alarm last changed state (ms), to recognise an alarm that has been firing since before we started. */
  readonly since: number | undefined;
  /** PARTIAL_DATA, EVALUATION_ERROR or EVALUATION_FAILURE for metric alarms that cannot evaluate normally. */
  readonly evaluationState: string | undefined;
}

/** DescribeAlarms takes at most 100 names per call (and returns at most 100 records per page). */
export const MAX_NAMES_PER_CALL = 100;
/**
 * Always both: without AlarmTypes, DescribeAlarms returns only metric alarms and a composite alarm reads as
 * "does not exist" (or worse, is silently skipped).
 */
export const ALARM_TYPES = ['MetricAlarm', 'CompositeAlarm'] as const;

/**
 * Alarms by name: one call per 100 names, every page followed. Names that do not exist are simply absent.
 *
 * Requests on one client are coalesced: every request waiting while a call is queued behind the rate limiter or in
 * flight joins the next call (up to 100 names), so a fleet of deployments in one process shares DescribeAlarms
 * calls instead of queueing one each behind the account's budget. A request never joins a call already sent, so
 * every answer was read after the request was made (a gate check is always fresh).
 */
export function describeAlarmsByName(client: CloudWatchClient, names: readonly string[], signal: AbortSignal): Promise<Map<string, AlarmStatus>> {
  let batcher = batchers.get(client);
  if (!batcher) batchers.set(client, (batcher = new NameBatcher(client)));
  return batcher.request(names, signal);
}

const batchers = new WeakMap<CloudWatchClient, NameBatcher>();

interface Waiter {
  readonly names: readonly string[];
  readonly signal: AbortSignal;
  readonly found: Map<string, AlarmStatus>;
  /** Names not yet asked for. */
  pending: string[];
  /** Calls carrying some of its names that have not answered yet. */
  inFlight: number;
  /** Answered or failed: nothing more is sent for it. */
  settled: boolean;
  resolve(found: Map<string, AlarmStatus>): void;
  reject(error: unknown): void;
}

class NameBatcher {
  private readonly queue: Waiter[] = [];
  private draining = false;

  constructor(private readonly client: CloudWatchClient) {}

  request(names: readonly string[], signal: AbortSignal): Promise<Map<string, AlarmStatus>> {
    if (signal.aborted) return Promise.reject(signal.reason);
    if (names.length === 0) return Promise.resolve(new Map());
    return new Promise((resolve, reject) => {
      const onAbort = () => this.fail(waiter, signal.reason);
      const done = () => signal.removeEventListener('abort', onAbort);
      const waiter: Waiter = {
        names,
        signal,
        found: new Map(),
        pending: [...new Set(names)],
        inFlight: 0,
        settled: false,
        resolve: (found) => (done(), resolve(found)),
        reject: (error) => (done(), reject(error)),
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.queue.push(waiter);
      if (!this.draining) {
        this.draining = true;
        // A microtask later: requests made in the same turn share the first call too.
        queueMicrotask(() => void this.drain());
      }
    });
  }

  private async drain(): Promise<void> {
    try {
      for (let batch = this.nextBatch(); batch; batch = this.nextBatch()) await this.send(batch);
    } finally {
      this.draining = false;
    }
  }

  /** Up to 100 names from the waiters in arrival order; each waiter's names leave its pending list. */
  private nextBatch(): { names: string[]; waiters: Waiter[] } | undefined {
    const names = new Set<string>();
    const waiters: Waiter[] = [];
    for (const waiter of this.queue) {
      const left: string[] = [];
      let taken = 0;
      for (const name of waiter.pending) {
        if (names.has(name) || names.size < MAX_NAMES_PER_CALL) {
          names.add(name);
          taken += 1;
        } else left.push(name);
      }
      waiter.pending = left;
      if (taken > 0) {
        waiter.inFlight += 1;
        waiters.push(waiter);
      }
    }
    for (let i = this.queue.length - 1; i >= 0; i--) if (this.queue[i]!.pending.length === 0) this.queue.splice(i, 1);
    return waiters.length > 0 ? { names: [...names], waiters } : undefined;
  }

  private async send(batch: { names: string[]; waiters: Waiter[] }): Promise<void> {
    // The call is abandoned only when every request riding on it was.
    const controller = new AbortController();
    const live = () => batch.waiters.some((w) => !w.settled);
    const onAbort = () => (live() ? undefined : controller.abort(new DOMException('every caller aborted', 'AbortError')));
    for (const waiter of batch.waiters) waiter.signal.addEventListener('abort', onAbort, { once: true });
    try {
      const alarms = await describeAllPages(this.client, { AlarmNames: batch.names }, controller.signal);
      for (const waiter of batch.waiters) {
        const wanted = new Set(waiter.names);
        for (const alarm of alarms) if (wanted.has(alarm.name)) waiter.found.set(alarm.name, alarm);
        waiter.inFlight -= 1;
        if (!waiter.settled && waiter.inFlight === 0 && waiter.pending.length === 0) {
          waiter.settled = true;
          waiter.resolve(waiter.found);
        }
      }
    } catch (error) {
      for (const waiter of batch.waiters) this.fail(waiter, error);
    } finally {
      for (const waiter of batch.waiters) waiter.signal.removeEventListener('abort', onAbort);
    }
  }

  private fail(waiter: Waiter, error: unknown): void {
    if (waiter.settled) return;
    waiter.settled = true;
    const at = this.queue.indexOf(waiter);
    if (at >= 0) this.queue.splice(at, 1);
    waiter.reject(error);
  }
}

/** Every alarm whose name starts with the prefix (AlarmNamePrefix cannot be combined with AlarmNames). */
export async function describeAlarmsByPrefix(client: CloudWatchClient, prefix: string, signal: AbortSignal): Promise<Map<string, AlarmStatus>> {
  const found = new Map<string, AlarmStatus>();
  for (const alarm of await describeAllPages(client, { AlarmNamePrefix: prefix }, signal)) found.set(alarm.name, alarm);
  return found;
}

async function describeAllPages(client: CloudWatchClient, selector: Pick<DescribeAlarmsCommandInput, 'AlarmNames' | 'AlarmNamePrefix'>, signal: AbortSignal): Promise<AlarmStatus[]> {
  const alarms: AlarmStatus[] = [];
  let nextToken: string | undefined;
  do {
    const input: DescribeAlarmsCommandInput = { ...selector, AlarmTypes: [...ALARM_TYPES], MaxRecords: MAX_NAMES_PER_CALL, ...(nextToken ? { NextToken: nextToken } : {}) };
    const page = await client.send(new DescribeAlarmsCommand(input), { abortSignal: signal });
    for (const alarm of page.MetricAlarms ?? []) alarms.push(toStatus(alarm, 'metric'));
    for (const alarm of page.CompositeAlarms ?? []) alarms.push(toStatus(alarm, 'composite'));
    nextToken = page.NextToken || undefined;
  } while (nextToken);
  return alarms;
}

interface RawAlarm {
  AlarmName?: string | undefined;
  StateValue?: string | undefined;
  StateReason?: string | undefined;
  StateTransitionedTimestamp?: Date | undefined;
  StateUpdatedTimestamp?: Date | undefined;
  EvaluationState?: string | undefined;
}

function toStatus(alarm: RawAlarm, kind: AlarmStatus['kind']): AlarmStatus {
  const state = alarm.StateValue === 'ALARM' || alarm.StateValue === 'OK' ? alarm.StateValue : 'INSUFFICIENT_DATA';
  const since = (alarm.StateTransitionedTimestamp ?? alarm.StateUpdatedTimestamp)?.getTime();
  return { name: alarm.AlarmName ?? '', kind, state, reason: alarm.StateReason ?? '', since, evaluationState: alarm.EvaluationState };
}
