import type { ResourceRecordSet } from '@aws-sdk/client-route-53';
import type { Plan } from '../../strategies/types.js';
import { cacheSeconds, describeSet, routingPolicyOf } from './records.js';
import type { Role } from './snapshot.js';
import type { Route53TargetSpec } from './target.js';

/** Pure preflight findings over what Route 53 returned. Each message names what was found and what is needed. */

export interface Where {
  /** `api.example.com. CNAME in zone example.com. (Z0123…)` */
  readonly text: string;
  readonly name: string;
  readonly type: string;
}

export interface RoleRecords {
  readonly stable?: ResourceRecordSet;
  readonly canary?: ResourceRecordSet;
  readonly problems: string[];
}

/** Both weighted sets exist with the name and type; when one does not, say what is there instead. */
export function findRoles(target: Route53TargetSpec, named: readonly ResourceRecordSet[], where: Where): RoleRecords {
  const group = named.filter((r) => r.Type === where.type);
  const problems: string[] = [];
  const found: Partial<Record<Role, ResourceRecordSet>> = {};
  for (const [role, id] of [['stable', target.stableSetIdentifier], ['canary', target.canarySetIdentifier]] as const) {
    const record = group.find((r) => r.SetIdentifier === id);
    const elsewhere = named.find((r) => r.SetIdentifier === id);
    if (record?.Weight !== undefined) found[role] = record;
    else if (record) problems.push(`the ${role} set '${id}' of ${where.text} is not a weighted record (it uses ${routingPolicyOf(record)} routing)`);
    else if (elsewhere) problems.push(`the ${role} set '${id}' of ${where.name} is a ${elsewhere.Type} record, not ${where.type}`);
    else problems.push(`no record set '${id}' (the ${role} set) in ${where.text}; ${foundInstead(group, named, where)}`);
  }
  return { ...found, problems };
}

function foundInstead(group: readonly ResourceRecordSet[], named: readonly ResourceRecordSet[], where: Where): string {
  if (group.length > 0) return `found ${group.map(describeSet).join(', ')}`;
  if (named.length > 0) return `the name has only ${[...new Set(named.map((r) => r.Type))].join(', ')} records, no ${where.type}`;
  return 'there is no record of that name';
}

/**
 * Before a rollout the canary must get nothing (weight 0) and the stable something: a canary with weight means a
 * rollout is in progress, and all-zero weights make Route 53 answer every record equally (canary included).
 */
export function weightProblems(stable: ResourceRecordSet, canary: ResourceRecordSet, others: readonly ResourceRecordSet[], where: Where): string[] {
  const total = [stable, canary, ...others].reduce((sum, r) => sum + (r.Weight ?? 0), 0);
  if ((canary.Weight ?? 0) > 0) {
    return [
      `the canary set ${describeSet(canary)} of ${where.text} already has weight ${canary.Weight} of ${total}: ` +
        `another rollout is in progress or was left half-shifted; finish it or set the canary's weight to 0 first`,
    ];
  }
  if (total === 0) {
    return [`every weighted set of ${where.text} has weight 0, so Route 53 answers them all with equal probability and the canary ${describeSet(canary)} already gets traffic; give the stable set its weight first`];
  }
  if ((stable.Weight ?? 0) === 0) return [`the stable set ${describeSet(stable)} of ${where.text} has weight 0: it serves nothing today, so there is nothing to shift from`];
  return [];
}

/** Other weighted sets that answer: the rollout's percents are then a split of the two sets' share only. */
export function otherSetsWarning(others: readonly ResourceRecordSet[], stable: ResourceRecordSet, where: Where): string | undefined {
  const answering = others.filter((r) => (r.Weight ?? 0) > 0);
  if (answering.length === 0) return undefined;
  const theirs = answering.reduce((sum, r) => sum + (r.Weight ?? 0), 0);
  return (
    `${where.text} has other weighted sets that answer too (${answering.map(describeSet).join(', ')}): the rollout splits only the share of ` +
    `'${stable.SetIdentifier}' between stable and canary, and leaves those sets as they are (weight ${theirs} of ${theirs + (stable.Weight ?? 0)} today)`
  );
}

/**
 * Resolvers keep an answer for its TTL after the change is INSYNC, so a bake or pause shorter than the TTL lets
 * the gates judge traffic that has not moved yet.
 */
export function ttlWarnings(plan: Plan, records: readonly ResourceRecordSet[], where: Where): string[] {
  const ttl = Math.max(...records.map(cacheSeconds));
  const alias = records.some((r) => r.AliasTarget !== undefined) ? ' (alias records: 60 s for load balancers)' : '';
  const short = plan.steps.flatMap((step, i) => ((step.type === 'bake' || step.type === 'pause') && step.seconds < ttl ? [`step ${i + 1} (${step.type} ${step.seconds}s)`] : []));
  if (short.length === 0) return [];
  return [
    `${short.join(', ')} ${short.length === 1 ? 'is' : 'are'} shorter than the TTL of ${where.text}, ${ttl} s${alias}: resolvers keep the old answer for up to ` +
      `${ttl} s after a change is INSYNC, so the gates would judge traffic that has not moved yet; bake at least ${ttl} s`,
  ];
}

/** The two sets answering the same thing would make the rollout move nothing. */
export function sameAnswerWarning(stable: ResourceRecordSet, canary: ResourceRecordSet, where: Where): string | undefined {
  const answer = (r: ResourceRecordSet) => JSON.stringify(r.AliasTarget ? [r.AliasTarget.DNSName?.toLowerCase()] : (r.ResourceRecords ?? []).map((v) => v.Value).sort());
  return answer(stable) === answer(canary) ? `the stable and canary sets of ${where.text} answer the same ${answer(stable)}: shifting weight between them moves no traffic` : undefined;
}
