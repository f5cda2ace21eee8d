import type { Service } from '@aws-sdk/client-ecs';
import { DeployError, messageOf } from '../../errors.js';
import type { Plan } from '../../strategies/types.js';
import type { AlbRoles } from '../alb/target.js';
import type { Json, PreflightReport } from '../types.js';
import type { EcsApi } from './api.js';
import { circuitBreakerWarning, serviceName, serviceProblems, steadyProblems, steadyWarnings, taskDefinitionProblems } from './checks.js';
import { describeConfiguration, nativeConfiguration, rollingConfiguration } from './config.js';
import type { ElbReader } from './elb.js';
import { nativePlan, rollingPlanProblems } from './planShape.js';
import { productionRules } from './nativeRules.js';
import { preflightSplit } from './preflightSplit.js';
import type { ProductionRule } from './snapshot.js';
import { shortService, shortTaskDefinition, type EcsTargetRef } from './target.js';

/** What preflight found that capture builds on (capture re-reads and re-checks it). */
export interface Found {
  readonly targetArn: string;
  /** Split mode: which of the two services is live (from the listener with ping-pong) and which brings up the new version. */
  readonly split?: { readonly stable: string; readonly canary: string; readonly roles: AlbRoles };
  readonly production?: readonly ProductionRule[];
}

export interface PreflightResult {
  readonly report: PreflightReport;
  /** Set only when the target is fit to deploy. */
  readonly found?: Found;
}

export interface PreflightParts {
  readonly api: EcsApi;
  readonly elb: ElbReader;
  readonly ref: EcsTargetRef;
  readonly plan: Plan;
}

/** Read-only: DescribeServices, DescribeTaskDefinition, and (split, native) DescribeListeners/DescribeRules. */
export async function preflightEcs(parts: PreflightParts, signal: AbortSignal): Promise<PreflightResult> {
  try {
    if (parts.ref.mode === 'split') return await preflightSplit(parts, signal);
    return await preflightOne(parts, signal);
  } catch (error) {
    const cluster = clusterMissing(error, parts.ref);
    if (cluster) return { report: { errors: [...parts.ref.specProblems, cluster], warnings: [] } };
    throw error;
  }
}

/** ECS answers ClusterNotFoundException for a cluster that does not exist: a finding, not a crash. */
function clusterMissing(error: unknown, ref: EcsTargetRef): string | undefined {
  const cause = error instanceof DeployError ? (error.cause as { name?: string } | undefined) : undefined;
  return cause?.name === 'ClusterNotFoundException' ? `cluster ${ref.cluster} not found (${messageOf(error)})` : undefined;
}

/** Rolling and native: one service. */
async function preflightOne(parts: PreflightParts, signal: AbortSignal): Promise<PreflightResult> {
  const { api, ref, plan } = parts;
  const where = `ecs service ${shortService(ref.cluster, ref.service)}`;
  const translation = ref.mode === 'native' ? nativePlan(plan, where) : undefined;
  const errors = [...ref.specProblems, ...(translation ? translation.problems : rollingPlanProblems(plan, where))];
  const warnings = [...(translation?.warnings ?? [])];
  const service = (await api.describeServices([ref.service], signal)).services[0];
  if (!service) return { report: { errors: [...errors, `service ${ref.service} not found in cluster ${ref.cluster} (DescribeServices: MISSING)`], warnings } };
  errors.push(...serviceProblems(service), ...steadyProblems(service));
  const definition = await api.taskDefinition(ref.taskDefinition, signal);
  errors.push(...taskDefinitionProblems(ref.taskDefinition, definition, [service]));
  warnings.push(...steadyWarnings(service));
  if (ref.mode === 'rolling') warnings.push(...circuitBreakerWarning(service));
  const targetArn = definition?.taskDefinitionArn ?? ref.taskDefinition;
  if (service.taskDefinition === targetArn) warnings.push(`service ${serviceName(service)} already runs ${shortTaskDefinition(targetArn)}: there is nothing to replace, the rollout only watches the gates`);
  let production: ProductionRule[] | undefined;
  if (ref.mode === 'native') {
    const rules = await productionRules(parts.elb, service, signal);
    errors.push(...rules.problems);
    production = rules.rules;
  }
  const current = service.deploymentConfiguration ?? {};
  const desired = service.desiredCount ?? 0;
  const send = translation?.members ? nativeConfiguration(current, translation.members) : rollingConfiguration(current, plan.batch, desired);
  const facts = factsOf(service, targetArn, describeConfiguration(current), errors.length === 0 || ref.mode === 'rolling' ? describeConfiguration(send) : undefined, ref);
  if (errors.length > 0) return { report: { errors, warnings, facts } };
  return { report: { errors, warnings, facts }, found: { targetArn, ...(production ? { production } : {}) } };
}

function factsOf(service: Service, targetArn: string, now: string, send: string | undefined, ref: EcsTargetRef): Record<string, Json> {
  return {
    mode: ref.mode,
    service: serviceName(service),
    taskDefinition: `${shortTaskDefinition(service.taskDefinition ?? '?')} → ${shortTaskDefinition(targetArn)}`,
    desiredCount: service.desiredCount ?? 0,
    deploymentConfiguration: now,
    ...(send ? { deployWith: send } : {}),
  };
}
