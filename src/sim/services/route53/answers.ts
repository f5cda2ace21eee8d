import { copy } from '../common.js';
import type { ServiceContext } from '../../types.js';
import { answerKey, splitAnswerKey, trafficKey } from './names.js';
import { ALIAS_TTL_SECONDS, type HostedZone, type RecordSet, type Route53State, type ServedAnswer } from './state.js';

/**
 * What resolvers answer for a name and type. The API shows a change at once (ListResourceRecordSets returns
 * PENDING records), but traffic follows it only when resolvers stop serving their cached answers: when the change
 * is INSYNC on every Route 53 name server plus the TTL of the answer they cached.
 */
export function scheduleAnswers(ctx: ServiceContext<Route53State>, zone: HostedZone, touched: ReadonlySet<string>, insyncAt: number): void {
  for (const key of touched) {
    const answer = (zone.answers[key] ??= { current: [], pending: [] });
    const records = copy(zone.records.filter((r) => answerKey(r.Name, r.Type) === key));
    const cachedFor = Math.max(...[answer.current, ...answer.pending.map((p) => p.records)].map(longestTtlSeconds));
    const last = answer.pending[answer.pending.length - 1];
    // Answers replace each other in the order they were written, even when a later one has a shorter TTL.
    const at = Math.max(insyncAt + cachedFor * 1000, last?.at ?? 0);
    answer.pending.push({ at, records });
  }
  applyDueAnswers(ctx, zone, ctx.now);
}

/** Seeded records are what resolvers have been answering all along. */
export function serveNow(zone: HostedZone): void {
  for (const record of zone.records) {
    const key = answerKey(record.Name, record.Type);
    const answer = (zone.answers[key] ??= { current: [], pending: [] });
    answer.current.push(copy(record));
  }
}

export function currentAnswer(zone: HostedZone, name: string, type: string): RecordSet[] {
  return zone.answers[answerKey(name, type)]?.current ?? [];
}

export function nextAnswerAt(state: Route53State): number | undefined {
  let next: number | undefined;
  for (const zone of Object.values(state.zones)) {
    for (const answer of Object.values(zone.answers)) {
      const at = answer.pending[0]?.at;
      if (at !== undefined && (next === undefined || at < next)) next = at;
    }
  }
  return next;
}

/** Makes every answer due by `now` the one resolvers serve, and marks its traffic for recomputation. */
export function applyDueAnswers(ctx: ServiceContext<Route53State>, zone: HostedZone, now: number): void {
  for (const [key, answer] of Object.entries(zone.answers)) {
    if (!takeDue(answer, now)) continue;
    const { name, type } = splitAnswerKey(key);
    ctx.touch(trafficKey(zone.id, name, type));
  }
}

function takeDue(answer: ServedAnswer, now: number): boolean {
  let changed = false;
  while (answer.pending[0] && answer.pending[0].at <= now) {
    answer.current = answer.pending.shift()!.records;
    changed = true;
  }
  return changed;
}

function longestTtlSeconds(records: readonly RecordSet[]): number {
  return records.reduce((ttl, r) => Math.max(ttl, r.AliasTarget ? ALIAS_TTL_SECONDS : (r.TTL ?? 0)), 0);
}
