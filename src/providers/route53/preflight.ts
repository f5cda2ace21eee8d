import type { HostedZone, ResourceRecordSet } from '@aws-sdk/client-route-53';
import { DeployError, messageOf } from '../../errors.js';
import type { Plan } from '../../strategies/types.js';
import type { Json, PreflightReport } from '../types.js';
import type { Route53Api } from './api.js';
import { findRoles, otherSetsWarning, sameAnswerWarning, ttlWarnings, weightProblems, type Where } from './checks.js';
import { splitGroup } from './live.js';
import { cacheSeconds } from './records.js';
import type { Route53Snapshot } from './snapshot.js';
import { normalizeName, type Route53TargetSpec } from './target.js';
import { planWeightFindings } from './weights.js';

function whereOf(api: Route53Api, zoneName?: string): Where {
  const zone = zoneName ? `zone ${zoneName} (${api.zoneId})` : `zone ${api.zoneId}`;
  return { text: `${api.name} ${api.type} in ${zone}`, name: api.name, type: api.type };
}

function isWithinZone(name: string, zoneName: string): boolean {
  return name === zoneName || name.endsWith(`.${zoneName}`);
}

/** Read-only: GetHostedZone, then ListResourceRecordSets from the record's name (every type, every page of it). */
export async function preflightRoute53(api: Route53Api, target: Route53TargetSpec, plan: Plan, signal: AbortSignal): Promise<PreflightReport> {
  const { errors, warnings } = planWeightFindings(plan);
  let zone: HostedZone | undefined;
  try {
    zone = await api.zoneRaw(signal);
  } catch (error) {
    if ((error as Error).name !== 'NoSuchHostedZone') throw api.failure('GetHostedZone', error);
    return { errors: [...errors, `hosted zone ${api.zoneId} not found (${messageOf(error)})`], warnings };
  }
  const zoneName = normalizeName(zone?.Name ?? '');
  const where = whereOf(api, zoneName);
  if (!isWithinZone(api.name, zoneName)) return { errors: [...errors, `${api.name} is not in hosted zone ${zoneName} (${api.zoneId})`], warnings };
  let named: ResourceRecordSet[];
  try {
    named = await api.namedRaw(signal);
  } catch (error) {
    throw api.failure('ListResourceRecordSets', error);
  }
  const roles = findRoles(target, named, where);
  if (!roles.stable || !roles.canary) return { errors: [...errors, ...roles.problems], warnings };
  const { others } = splitGroup({ stable: roles.stable, canary: roles.canary }, named.filter((r) => r.Type === api.type));
  errors.push(...weightProblems(roles.stable, roles.canary, others, where));
  warnings.push(...[otherSetsWarning(others, roles.stable, where), sameAnswerWarning(roles.stable, roles.canary, where)].filter((w): w is string => w !== undefined));
  warnings.push(...ttlWarnings(plan, [roles.stable, roles.canary], where));
  return { errors, warnings, facts: factsOf(zone, roles.stable, roles.canary, others) };
}

function factsOf(zone: HostedZone | undefined, stable: ResourceRecordSet, canary: ResourceRecordSet, others: readonly ResourceRecordSet[]): Record<string, Json> {
  const weights: Record<string, number> = {};
  for (const r of [stable, canary, ...others]) if (r.Weight !== undefined) weights[r.SetIdentifier ?? ''] = r.Weight;
  const pair = (stable.Weight ?? 0) + (canary.Weight ?? 0);
  return {
    hostedZoneId: (zone?.Id ?? '').replace(/^\/hostedzone\//, ''),
    zoneName: zone?.Name ?? null,
    privateZone: zone?.Config?.PrivateZone ?? false,
    recordName: stable.Name ?? null,
    recordType: stable.Type ?? null,
    ttlSeconds: Math.max(cacheSeconds(stable), cacheSeconds(canary)),
    weights,
    livePercent: pair > 0 ? ((canary.Weight ?? 0) * 100) / pair : null,
    healthChecks: [stable.HealthCheckId, canary.HealthCheckId].filter((h): h is string => h !== undefined),
  };
}

/**
 * Capture re-reads and re-checks what preflight found (moments may have passed), so the records kept for the
 * rollback are a clean starting point: both weighted, canary at 0, stable carrying weight.
 */
export async function captureRoute53(api: Route53Api, target: Route53TargetSpec, signal: AbortSignal): Promise<Route53Snapshot> {
  const group = await api.readGroup(signal);
  const where = whereOf(api);
  const roles = findRoles(target, group, where);
  const problem = roles.problems[0] ?? weightProblems(roles.stable!, roles.canary!, splitGroup({ stable: roles.stable!, canary: roles.canary! }, group).others, where)[0];
  if (problem !== undefined) throw new DeployError('DRIFT', `${where.text} changed since preflight: ${problem}`);
  return { provider: 'route53', version: 1, hostedZoneId: api.zoneId, recordName: api.name, recordType: api.type, stable: roles.stable!, canary: roles.canary! };
}
