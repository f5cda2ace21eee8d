import type { Action, TargetGroup, TargetHealthDescription } from '@aws-sdk/client-elastic-load-balancing-v2';
import { groupsOf, totalWeight, weightOf } from './actions.js';
import { shortGroup, type AlbRoles } from './target.js';
import { formatPercent, MAX_GROUPS_PER_ACTION } from './weights.js';

/**
 * Pure preflight findings over what ELB returned. Each message names what was found and what is needed.
 * `where` is how the target is named in messages (`listener arn:…`).
 */

export function describeForward(action: Action): string {
  const groups = groupsOf(action).map((t) => `${shortGroup(t.TargetGroupArn!)} (weight ${t.Weight})`);
  return groups.length === 0 ? 'no target group' : groups.length === 1 ? groups[0]! : `${groups.slice(0, -1).join(', ')} and ${groups[groups.length - 1]}`;
}

/** Ping-pong: the group with all the forward weight serves today and stays stable; the other becomes the canary. */
export function resolveServing(forward: Action, pair: readonly [string, string], where: string): AlbRoles | string {
  const total = totalWeight(forward);
  const [a, b] = pair;
  if (total > 0 && weightOf(forward, a) === total) return { stable: a, canary: b };
  if (total > 0 && weightOf(forward, b) === total) return { stable: b, canary: a };
  return (
    `${where} forwards to ${describeForward(forward)}; with targetGroupArns exactly one of ${shortGroup(a)} and ${shortGroup(b)} must carry all ` +
    `the forward weight (the one serving today) — a rollout may be in progress or was left half-shifted; finish it or roll it back first`
  );
}

/** The forward action must send everything to the stable group, nothing to the canary, and have room for it. */
export function forwardProblems(forward: Action, roles: AlbRoles, where: string): string[] {
  const total = totalWeight(forward);
  const stable = weightOf(forward, roles.stable);
  const canary = weightOf(forward, roles.canary);
  if (stable === undefined) return [`${where} forwards to ${describeForward(forward)}, not to the stable group ${shortGroup(roles.stable)}`];
  if (canary !== undefined && canary > 0) {
    return [
      `the canary group ${shortGroup(roles.canary)} already receives weight ${canary} of ${total} (${formatPercent((canary * 100) / total)}) on ${where}: ` +
        `another rollout is in progress or was left half-shifted; finish it or roll it back first`,
    ];
  }
  const problems: string[] = [];
  if (stable === 0 || stable !== total) {
    problems.push(`${where} forwards to ${describeForward(forward)}; the stable group ${shortGroup(roles.stable)} must carry all the forward weight before a rollout starts`);
  }
  const groupsAfter = groupsOf(forward).length + (canary === undefined ? 1 : 0);
  if (groupsAfter > MAX_GROUPS_PER_ACTION) {
    problems.push(`${where}: the forward action would hold ${groupsAfter} target groups with the canary added; ALB allows at most ${MAX_GROUPS_PER_ACTION} per action`);
  }
  return problems;
}

export function stickinessWarning(forward: Action, where: string): string | undefined {
  const config = forward.ForwardConfig?.TargetGroupStickinessConfig;
  if (config?.Enabled !== true) return undefined;
  return (
    `target group stickiness is enabled on ${where} (DurationSeconds ${String(config.DurationSeconds)}): clients keep the target group they ` +
    `were given until that expires, so weight changes move only new sessions and a rollback does not move existing ones back`
  );
}

/** Both groups exist and belong to this load balancer (a target group serves one load balancer only). */
export function groupProblems(roles: AlbRoles, found: readonly TargetGroup[], loadBalancerArn: string | undefined): string[] {
  const problems: string[] = [];
  for (const [role, arn] of [['stable', roles.stable], ['canary', roles.canary]] as const) {
    const group = found.find((g) => g.TargetGroupArn === arn);
    if (!group) {
      problems.push(`the ${role} target group ${arn} does not exist (TargetGroupNotFound)`);
      continue;
    }
    const elsewhere = (group.LoadBalancerArns ?? []).filter((lb) => lb !== loadBalancerArn);
    if (loadBalancerArn && elsewhere.length > 0) {
      problems.push(`the ${role} target group ${shortGroup(arn)} belongs to load balancer ${elsewhere.join(', ')}, not to ${loadBalancerArn}; a target group can serve only one load balancer`);
    }
  }
  return problems;
}

export interface HealthFinding {
  readonly errors: string[];
  readonly warnings: string[];
  readonly summary: string;
}

/** The canary needs at least one healthy target before it gets any traffic. */
export function canaryHealth(canary: string, targets: readonly TargetHealthDescription[], inAction: boolean): HealthFinding {
  const name = shortGroup(canary);
  const summary = summarize(targets);
  if (targets.length === 0) return { errors: [`the canary group ${name} has no registered targets`], warnings: [], summary };
  if (targets.some((t) => t.TargetHealth?.State === 'healthy')) return { errors: [], warnings: [], summary };
  if (targets.every((t) => t.TargetHealth?.Reason === 'Target.HealthCheckDisabled')) {
    return { errors: [], warnings: [`health checks are disabled on the canary group ${name}: deployctl cannot tell whether its targets are healthy`], summary };
  }
  if (!inAction && targets.every((t) => t.TargetHealth?.Reason === 'Target.NotInUse')) {
    const hint =
      `its targets are unused (Target.NotInUse): no listener or rule forwards to it yet, so ALB has not health-checked them. ` +
      `Add it to the forward action at weight 0 first (health checks start then) and run again once they are healthy`;
    return { errors: [`the canary group ${name} has no healthy target: ${hint}`], warnings: [], summary };
  }
  return { errors: [`the canary group ${name} has no healthy target: ${summary}`], warnings: [], summary };
}

/** `2 unhealthy (Target.ResponseCodeMismatch), 1 initial (Elb.InitialHealthChecking)` */
function summarize(targets: readonly TargetHealthDescription[]): string {
  if (targets.length === 0) return 'no targets';
  const counts = new Map<string, number>();
  for (const t of targets) {
    const key = `${t.TargetHealth?.State ?? 'unknown'}${t.TargetHealth?.Reason ? ` (${t.TargetHealth.Reason})` : ''}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts.entries()].map(([key, n]) => `${n} ${key}`).join(', ');
}
