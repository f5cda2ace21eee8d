import type { Service } from '@aws-sdk/client-ecs';
import { DeployError } from '../../errors.js';
import type { ProviderContext } from '../types.js';
import { steadyProblems } from './checks.js';
import { nativeConfiguration, rollingConfiguration } from './config.js';
import { servingRoles, shortGroup, whereOfAlb } from './elb.js';
import { nativePlan } from './planShape.js';
import { preflightEcs, type Found, type PreflightParts } from './preflight.js';
import { captureService, type EcsSnapshot } from './snapshot.js';
import { regionOf } from './target.js';

/**
 * The exact configuration before the first write: every service deployctl may touch, as DescribeServices returns
 * it now, and — for rolling and native — the exact deployment configuration the rollout will send, so a resumed
 * process sends the same. Capture re-reads what preflight found (moments may have passed) and refuses to record
 * a service in the middle of someone else's deployment.
 */
export async function captureEcs(parts: PreflightParts, found: Found | undefined, ctx: ProviderContext): Promise<EcsSnapshot> {
  const seen = found ?? (await refound(parts, ctx.signal));
  if (parts.ref.mode === 'split') return captureSplit(parts, seen, ctx.signal);
  const service = await parts.api.service(parts.ref.service, ctx.signal);
  unchanged(service, parts);
  const captured = captureService(service);
  const base = { provider: 'ecs' as const, version: 1 as const, cluster: parts.ref.cluster, ...region(service), targetTaskDefinition: seen.targetArn };
  if (parts.ref.mode === 'rolling') {
    return { ...base, mode: 'rolling', service: captured, send: rollingConfiguration(captured.deploymentConfiguration, parts.plan.batch, captured.desiredCount) };
  }
  const members = nativePlan(parts.plan, parts.api.label).members;
  if (!members || !seen.production) throw new DeployError('INTERNAL', `${parts.api.label}: capture without a native plan translation`);
  return { ...base, mode: 'native', service: captured, send: nativeConfiguration(captured.deploymentConfiguration, members), production: [...seen.production] };
}

async function captureSplit(parts: PreflightParts, found: Found, signal: AbortSignal): Promise<EcsSnapshot> {
  const { api, ref, elb } = parts;
  if (!found.split || !ref.alb) throw new DeployError('INTERNAL', `${api.label}: capture without the split roles found by preflight`);
  const where = whereOfAlb(ref.alb);
  const roles = servingRoles(ref.alb, await elb.read(where, signal));
  if (typeof roles === 'string' || roles.stable !== found.split.roles.stable) {
    const now = typeof roles === 'string' ? roles : `${shortGroup(roles.stable)} serves now`;
    throw new DeployError('DRIFT', `${api.label}: ${where.resource} ${where.arn} changed since preflight: ${now}, preflight found ${shortGroup(found.split.roles.stable)}`);
  }
  const [stable, canary] = (await api.servicesInOrder([found.split.stable, found.split.canary], signal)) as [Service, Service];
  for (const service of [stable, canary]) unchanged(service, parts);
  return {
    provider: 'ecs',
    version: 1,
    cluster: ref.cluster,
    ...region(stable),
    targetTaskDefinition: found.targetArn,
    mode: 'split',
    stable: captureService(stable),
    canary: captureService(canary),
    roles: found.split.roles,
    listener: where,
  };
}

/** Preflight ran in another process (or not at all): run it again, read-only, and insist it passes. */
async function refound(parts: PreflightParts, signal: AbortSignal): Promise<Found> {
  const result = await preflightEcs(parts, signal);
  if (!result.found) throw new DeployError('PREFLIGHT_FAILED', `${parts.api.label}: ${result.report.errors.join('; ')}`);
  return result.found;
}

function unchanged(service: Service, parts: PreflightParts): void {
  const problem = steadyProblems(service)[0];
  if (problem) throw new DeployError('DRIFT', `${parts.api.label}: changed since preflight: ${problem}`);
}

function region(service: Service): { region?: string } {
  const found = regionOf(service.serviceArn, service.clusterArn);
  return found ? { region: found } : {};
}
