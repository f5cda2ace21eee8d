import type { Action } from '@aws-sdk/client-elastic-load-balancing-v2';
import { DeployError, messageOf } from '../../errors.js';
import type { Plan } from '../../strategies/types.js';
import type { Json, PreflightReport } from '../types.js';
import { findForward, groupsOf, totalWeight, weightOf } from './actions.js';
import { canaryHealth, forwardProblems, groupProblems, resolveServing, stickinessWarning } from './checks.js';
import { isNotFound, type AlbApi, type LiveTarget } from './live.js';
import { shortGroup, type AlbRoles, type AlbTargetRef } from './target.js';
import { planWeightErrors, shareOf } from './weights.js';

export interface PreflightResult {
  readonly report: PreflightReport;
  /** Set when the target is fit to shift: the roles to capture with (found here for ping-pong). */
  readonly roles?: AlbRoles;
}

export function whereOf(ref: AlbTargetRef): string {
  return `${ref.resource} ${ref.arn}`;
}

/** Read-only: DescribeListeners/DescribeRules, DescribeTargetGroups, DescribeTargetHealth. Never writes. */
export async function preflightAlb(api: AlbApi, ref: AlbTargetRef, plan: Plan, signal: AbortSignal): Promise<PreflightResult> {
  const planErrors = planWeightErrors(plan);
  const where = whereOf(ref);
  let live: LiveTarget;
  try {
    live = await api.readRaw(ref, signal);
  } catch (error) {
    if (!isNotFound(error)) throw api.failure(ref.resource === 'listener' ? 'DescribeListeners' : 'DescribeRules', error);
    return { report: { errors: [...planErrors, `${where} not found (${messageOf(error)})`], warnings: [] } };
  }
  const shape = rolesFor(ref, live, where);
  if (typeof shape === 'string') return { report: { errors: [...planErrors, shape], warnings: [] } };
  const { roles, forward } = shape;
  const errors = [...planErrors, ...forwardProblems(forward, roles, where)];
  const warnings = [stickinessWarning(forward, where)].filter((w): w is string => w !== undefined);
  const groups = await api.targetGroups([roles.stable, roles.canary], signal);
  errors.push(...groupProblems(roles, groups, live.loadBalancerArn));
  let health = 'not checked (the group does not exist)';
  if (groups.some((g) => g.TargetGroupArn === roles.canary)) {
    const finding = canaryHealth(roles.canary, await api.targetHealth(roles.canary, signal), weightOf(forward, roles.canary) !== undefined);
    // With new capacity brought up before any traffic moves (blue-green, canary with ECS/Auto Scaling), the
    // canary group is expected to be empty now; its health is checked again right before the first shift.
    if (capacityComesFirst(plan)) warnings.push(...finding.errors.map((e) => `${e} (expected now: the new capacity comes up before traffic moves; checked again before the first shift)`));
    else errors.push(...finding.errors);
    warnings.push(...finding.warnings);
    health = finding.summary;
  }
  const facts = factsOf(ref, live, forward, roles, health);
  return errors.length > 0 ? { report: { errors, warnings, facts } } : { report: { errors, warnings, facts }, roles };
}

/** Only HTTP/HTTPS listeners (an ALB) split traffic by weight; then the one forward action and the roles. */
function rolesFor(ref: AlbTargetRef, live: LiveTarget, where: string): { roles: AlbRoles; forward: Action } | string {
  if (live.protocol !== undefined && live.protocol !== 'HTTP' && live.protocol !== 'HTTPS') {
    return `${where} uses protocol ${live.protocol}: only Application Load Balancer listeners (HTTP/HTTPS) split traffic between weighted target groups`;
  }
  const forward = findForward(live.actions);
  if (!forward.ok) return `${where} ${forward.problem}`;
  if (ref.groups.type === 'roles') return { roles: ref.groups.roles, forward: forward.action };
  const roles = resolveServing(forward.action, ref.groups.pair, where);
  return typeof roles === 'string' ? roles : { roles, forward: forward.action };
}

function factsOf(ref: AlbTargetRef, live: LiveTarget, forward: Action, roles: AlbRoles, canaryHealth: string): Record<string, Json> {
  const weights: Record<string, number> = {};
  for (const t of groupsOf(forward)) weights[shortGroup(t.TargetGroupArn!)] = t.Weight!;
  return {
    [ref.resource === 'listener' ? 'listenerArn' : 'ruleArn']: ref.arn,
    ...(live.loadBalancerArn ? { loadBalancerArn: live.loadBalancerArn } : {}),
    ...(live.port !== undefined ? { port: live.port } : {}),
    stableTargetGroupArn: roles.stable,
    canaryTargetGroupArn: roles.canary,
    ...(ref.groups.type === 'pingPong' ? { pingPong: `${shortGroup(roles.stable)} serves today; shifting to ${shortGroup(roles.canary)}` } : {}),
    weights,
    livePercent: shareOf(weightOf(forward, roles.canary) ?? 0, totalWeight(forward)) ?? null,
    stickiness: forward.ForwardConfig?.TargetGroupStickinessConfig?.Enabled === true,
    canaryHealth,
  };
}

/**
 * Capture re-reads and re-checks what preflight found (moments may have passed), so the configuration kept for
 * the rollback is a clean one: stable carrying all the weight, canary at 0 or absent.
 */
export function checkCapturable(ref: AlbTargetRef, live: LiveTarget, expected: AlbRoles | undefined): { roles: AlbRoles } {
  const where = whereOf(ref);
  const shape = rolesFor(ref, live, where);
  const problem = typeof shape === 'string' ? shape : forwardProblems(shape.forward, shape.roles, where)[0];
  if (problem !== undefined || typeof shape === 'string') throw new DeployError('DRIFT', `${where} changed since preflight: ${problem}`);
  if (expected && (expected.stable !== shape.roles.stable || expected.canary !== shape.roles.canary)) {
    throw new DeployError('DRIFT', `${where} changed since preflight: ${shortGroup(shape.roles.stable)} serves now, preflight found ${shortGroup(expected.stable)}`);
  }
  return { roles: shape.roles };
}

/** The plan deploys capacity before its first traffic shift. */
export function capacityComesFirst(plan: Plan): boolean {
  const capacity = plan.steps.findIndex((s) => s.type === 'deployCapacity');
  const traffic = plan.steps.findIndex((s) => s.type === 'setWeight');
  return capacity >= 0 && (traffic < 0 || capacity < traffic);
}
