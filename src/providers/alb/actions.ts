import type { Action, TargetGroupTuple } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { AlbRoles } from './target.js';
import { weightsFor, type WeightPair } from './weights.js';

/**
 * Pure functions over action lists as DescribeListeners/DescribeRules return them. A forward action names its
 * groups with TargetGroupArn and/or ForwardConfig (with both, ForwardConfig holds that one group); a group
 * listed without a Weight has weight 1 (a single-group forward).
 */

const ROUTING_TYPES = new Set(['forward', 'redirect', 'fixed-response']);

export type ForwardLookup =
  | { readonly ok: true; readonly index: number; readonly action: Action }
  | { readonly ok: false; readonly problem: string };

/** Actions in the order ALB performs them (lowest Order first; a lone action may have none). */
export function inOrder(actions: readonly Action[]): Action[] {
  return [...actions].sort((a, b) => (a.Order ?? 0) - (b.Order ?? 0));
}

/** The one forward action, last in Order; anything before it (authenticate-*, jwt-validation) is left alone. */
export function findForward(actions: readonly Action[]): ForwardLookup {
  const forwards = actions.filter((a) => a.Type === 'forward');
  if (forwards.length === 0) {
    const routing = actions.find((a) => ROUTING_TYPES.has(String(a.Type)));
    return { ok: false, problem: `has no forward action (${routing ? `it ends with a ${String(routing.Type)} action` : `its actions are ${actions.map((a) => String(a.Type)).join(', ') || 'empty'}`})` };
  }
  if (forwards.length > 1) return { ok: false, problem: `has ${forwards.length} forward actions; deployctl shifts exactly one` };
  const action = forwards[0]!;
  const ordered = inOrder(actions);
  if (ordered[ordered.length - 1] !== action) return { ok: false, problem: `has a forward action that is not the last action in Order` };
  return { ok: true, index: actions.indexOf(action), action };
}

/** The forward's groups with their weights. */
export function groupsOf(action: Action): TargetGroupTuple[] {
  const listed = action.ForwardConfig?.TargetGroups ?? [];
  if (listed.length > 0) return listed.map((t) => ({ TargetGroupArn: t.TargetGroupArn, Weight: t.Weight ?? 1 }));
  return action.TargetGroupArn ? [{ TargetGroupArn: action.TargetGroupArn, Weight: 1 }] : [];
}

export function weightOf(action: Action, groupArn: string): number | undefined {
  return groupsOf(action).find((t) => t.TargetGroupArn === groupArn)?.Weight;
}

export function totalWeight(action: Action): number {
  return groupsOf(action).reduce((sum, t) => sum + (t.Weight ?? 0), 0);
}

/**
 * The captured list with only the stable and canary weights changed (the canary appended when absent), at
 * `percent`. 0% is the captured list itself. Every other action, group, Order and stickiness setting is kept as
 * captured; the single-group TargetGroupArn shorthand is dropped because ALB refuses it next to two groups.
 */
export function actionsAt(captured: readonly Action[], roles: AlbRoles, percent: number): Action[] {
  if (percent === 0) return structuredClone([...captured]);
  const forward = findForward(captured);
  if (!forward.ok) throw new Error(`the captured actions ${forward.problem}`);
  return captured.map((action, i) => (i === forward.index ? withWeights(action, roles, weightsFor(percent)) : structuredClone(action)));
}

function withWeights(action: Action, roles: AlbRoles, weights: WeightPair): Action {
  const tuples = (action.ForwardConfig?.TargetGroups?.length ? action.ForwardConfig.TargetGroups : groupsOf(action)).map((t) => {
    if (t.TargetGroupArn === roles.stable) return { ...t, Weight: weights.stable };
    if (t.TargetGroupArn === roles.canary) return { ...t, Weight: weights.canary };
    return structuredClone(t);
  });
  if (!tuples.some((t) => t.TargetGroupArn === roles.canary)) tuples.push({ TargetGroupArn: roles.canary, Weight: weights.canary });
  const { TargetGroupArn: _shorthand, ...rest } = structuredClone(action);
  return { ...rest, ForwardConfig: { ...rest.ForwardConfig, TargetGroups: tuples } };
}

/**
 * What goes on the wire. DescribeListeners/DescribeRules never return an OIDC client secret, and ModifyListener
 * and ModifyRule then require UseExistingClientSecret=true to keep the one ALB holds (API reference,
 * AuthenticateOidcActionConfig.ClientSecret); without it the whole-list write fails.
 */
export function writable(actions: readonly Action[]): Action[] {
  return actions.map((action) => {
    const oidc = action.AuthenticateOidcConfig;
    if (!oidc || oidc.ClientSecret !== undefined) return structuredClone(action);
    return { ...structuredClone(action), AuthenticateOidcConfig: { ...structuredClone(oidc), UseExistingClientSecret: true } };
  });
}
