import type { Action } from '@aws-sdk/client-elastic-load-balancing-v2';
import { startHealthChecks } from './health.js';
import { actionsOfRule, keys, type Elbv2Context, type Elbv2State } from './state.js';

/**
 * Which load balancer each target group belongs to, derived from the listeners' and rules' forward actions
 * (AWS computes TargetGroup.LoadBalancerArns the same way), and the `inUse` flag that decides whether a
 * group's targets are health checked or reported `unused`.
 */

/** Target group ARNs a list of actions forwards to (weight 0 still counts: the group stays associated). */
export function forwardedGroups(actions: readonly Action[]): string[] {
  const arns = new Set<string>();
  for (const action of actions) {
    if (action.Type !== 'forward') continue;
    if (action.TargetGroupArn) arns.add(action.TargetGroupArn);
    for (const tuple of action.ForwardConfig?.TargetGroups ?? []) if (tuple.TargetGroupArn) arns.add(tuple.TargetGroupArn);
  }
  return [...arns];
}

/** Target group ARN -> ARNs of the load balancers whose listeners or rules forward to it. */
export function groupAssociations(state: Elbv2State): Map<string, Set<string>> {
  const byGroup = new Map<string, Set<string>>();
  const add = (groupArn: string, lbArn: string): void => {
    const set = byGroup.get(groupArn) ?? new Set<string>();
    set.add(lbArn);
    byGroup.set(groupArn, set);
  };
  for (const rule of Object.values(state.rules)) {
    const listener = state.listeners[rule.listenerArn];
    if (!listener) continue;
    for (const groupArn of forwardedGroups(actionsOfRule(state, rule))) add(groupArn, listener.loadBalancerArn);
  }
  return byGroup;
}

export function loadBalancersOfGroup(state: Elbv2State, groupArn: string): string[] {
  return [...(groupAssociations(state).get(groupArn) ?? [])];
}

/**
 * Brings every group's `inUse` flag in step with the listeners and rules after a change: a group that starts
 * receiving traffic restarts its targets' health checks; one that stops reports them `unused`.
 */
export function refreshGroupUsage(ctx: Elbv2Context): void {
  const associations = groupAssociations(ctx.state);
  for (const group of Object.values(ctx.state.targetGroups)) {
    const inUse = associations.has(group.arn);
    if (inUse === group.inUse) continue;
    group.inUse = inUse;
    for (const target of group.targets) {
      if (target.state === 'draining') continue;
      if (inUse) startHealthChecks(ctx, group, target);
      else delete target.nextAt;
    }
    ctx.touch(keys.targetGroup(group.arn));
  }
}
