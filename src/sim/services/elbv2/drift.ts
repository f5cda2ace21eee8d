import type { Action } from '@aws-sdk/client-elastic-load-balancing-v2';
import { touchListener } from './listeners.js';
import { keys, type Elbv2Context, type ListenerRecord, type RuleRecord } from './state.js';

/**
 * The out-of-band writer (someone else changing the listener mid-rollout; ELB has no ETag, so nobody is told).
 * Params: `weight` (percent of traffic to the last target group of the forward action; the others share the
 * rest in their current proportions) and/or `stickiness` (true/false), on `ruleArn`, `listenerArn`, or by
 * default the first listener whose default action forwards to two or more groups.
 */
const DEFAULT_STICKINESS_SECONDS = 3600;

interface DriftTarget {
  readonly label: string;
  readonly actions: Action[];
  readonly store: (actions: Action[]) => void;
}

export function drift(ctx: Elbv2Context, params: Readonly<Record<string, unknown>>): string {
  const target = driftTarget(ctx, params);
  if (!target) return 'the out-of-band writer found no listener or rule forwarding to several target groups; nothing changed';
  const actions = structuredClone(target.actions);
  const forward = actions.find((a) => a.Type === 'forward' && a.ForwardConfig?.TargetGroups?.length);
  if (!forward?.ForwardConfig?.TargetGroups) return `the out-of-band writer found no forward action on ${target.label}; nothing changed`;
  const changes: string[] = [];
  if (params.weight !== undefined) changes.push(setWeights(ctx, forward, Number(params.weight)));
  if (params.stickiness !== undefined) changes.push(setStickiness(forward, params.stickiness === true || params.stickiness === 'true'));
  target.store(actions);
  return `an out-of-band writer changed ${target.label}: ${changes.join('; ') || 'nothing'}`;
}

function driftTarget(ctx: Elbv2Context, params: Readonly<Record<string, unknown>>): DriftTarget | undefined {
  const { state } = ctx;
  if (typeof params.ruleArn === 'string') {
    const rule = state.rules[params.ruleArn];
    return rule && ruleTarget(ctx, rule);
  }
  const listener =
    typeof params.listenerArn === 'string'
      ? state.listeners[params.listenerArn]
      : Object.values(state.listeners).find((l) => l.defaultActions.some((a) => a.Type === 'forward' && (a.ForwardConfig?.TargetGroups?.length ?? 0) >= 2));
  return listener && listenerTarget(ctx, listener);
}

function listenerTarget(ctx: Elbv2Context, listener: ListenerRecord): DriftTarget {
  return {
    label: `listener ${listener.arn}`,
    actions: listener.defaultActions,
    store: (actions) => {
      listener.defaultActions = actions;
      touchListener(ctx, listener);
    },
  };
}

function ruleTarget(ctx: Elbv2Context, rule: RuleRecord): DriftTarget | undefined {
  const listener = ctx.state.listeners[rule.listenerArn];
  if (!listener) return undefined;
  if (rule.priority === 'default') return listenerTarget(ctx, listener);
  return {
    label: `rule ${rule.arn}`,
    actions: rule.actions,
    store: (actions) => {
      rule.actions = actions;
      ctx.touch(keys.rule(rule.arn));
    },
  };
}

function setWeights(ctx: Elbv2Context, forward: Action, percent: number): string {
  const tuples = forward.ForwardConfig!.TargetGroups!;
  const last = Math.max(0, Math.min(100, Math.round(percent)));
  const others = tuples.slice(0, -1);
  const otherTotal = others.reduce((sum, t) => sum + (t.Weight ?? 1), 0);
  let left = 100 - last;
  others.forEach((tuple, i) => {
    const share = i === others.length - 1 ? left : Math.round(((100 - last) * (otherTotal > 0 ? (tuple.Weight ?? 1) : 1)) / (otherTotal > 0 ? otherTotal : others.length));
    tuple.Weight = share;
    left -= share;
  });
  tuples[tuples.length - 1]!.Weight = last;
  return `weights ${tuples.map((t) => `${nameOf(ctx, t.TargetGroupArn)}=${t.Weight}`).join(', ')}`;
}

function setStickiness(forward: Action, enabled: boolean): string {
  const current = forward.ForwardConfig!.TargetGroupStickinessConfig;
  forward.ForwardConfig!.TargetGroupStickinessConfig = enabled ? { Enabled: true, DurationSeconds: current?.DurationSeconds ?? DEFAULT_STICKINESS_SECONDS } : { Enabled: false };
  return `stickiness ${enabled ? 'enabled' : 'disabled'}`;
}

function nameOf(ctx: Elbv2Context, arn: string | undefined): string {
  return (arn && ctx.state.targetGroups[arn]?.name) ?? String(arn);
}
