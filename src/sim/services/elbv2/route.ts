import type { Action } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { Flow, MetricSeries } from '../../types.js';
import { reportedHealth } from './health.js';
import { actionsOfRule, keys, listenersOf, loadBalancerDimension, targetGroupDimension, type Elbv2Context, type LoadBalancerRecord, type TargetGroupRecord } from './state.js';

/**
 * The traffic model. Requests enter at a listener ARN (its default action), a rule ARN (its actions) or a load
 * balancer's DNS name (its lowest-port listener's default action, which is where Route 53 alias records send
 * them). A forward action splits them across its target groups by weight; within a group, across the healthy
 * targets, one flow per version. A group with registered targets but none healthy fails open to all of them
 * (ELB user guide, target group health checks); a version that fails health checks then fails every request.
 * A group without targets, or a forward whose weights are all 0, is answered by the load balancer with 503s
 * (HTTPCode_ELB_5XX_Count; not counted in RequestCount, which only counts requests routed to a target).
 * Every flow counts into AWS/ApplicationELB with the dimension sets {LoadBalancer} and {TargetGroup, LoadBalancer}.
 */
const NAMESPACE = 'AWS/ApplicationELB';
const ELB_LATENCY_MS = 1;
type Depend = (key: string) => void;

export function route(ctx: Elbv2Context, resource: string, rps: number, depend: Depend): Flow[] {
  const entry = entryOf(ctx, resource, depend);
  if (!entry || rps <= 0) return [];
  const routing = routingAction(entry.actions);
  if (!routing) return [];
  if (routing.Type === 'fixed-response') return [elbAnswer(entry.lb, rps, /^5/.test(routing.FixedResponseConfig?.StatusCode ?? '') ? '5xx' : 'ok')];
  if (routing.Type !== 'forward') return [elbAnswer(entry.lb, rps, 'ok')];
  const tuples = routing.ForwardConfig?.TargetGroups ?? [];
  const total = tuples.reduce((sum, t) => sum + (t.Weight ?? 1), 0);
  if (total <= 0) return [elbAnswer(entry.lb, rps, '503')];
  return tuples.flatMap((tuple) => {
    const group = tuple.TargetGroupArn ? ctx.state.targetGroups[tuple.TargetGroupArn] : undefined;
    if (tuple.TargetGroupArn) depend(keys.targetGroup(tuple.TargetGroupArn));
    const share = (rps * (tuple.Weight ?? 1)) / total;
    if (share <= 0) return [];
    return group ? groupFlows(ctx, entry.lb, group, share) : [elbAnswer(entry.lb, share, '503')];
  });
}

interface Entry {
  readonly lb: LoadBalancerRecord;
  readonly actions: readonly Action[];
}

function entryOf(ctx: Elbv2Context, resource: string, depend: Depend): Entry | undefined {
  const { state } = ctx;
  const listener = state.listeners[resource];
  if (listener) {
    depend(keys.listener(listener.arn));
    const lb = state.loadBalancers[listener.loadBalancerArn];
    return lb && { lb, actions: listener.defaultActions };
  }
  const rule = state.rules[resource];
  if (rule) {
    depend(keys.rule(rule.arn));
    const lb = state.loadBalancers[state.listeners[rule.listenerArn]?.loadBalancerArn ?? ''];
    return lb && { lb, actions: actionsOfRule(state, rule) };
  }
  const host = resource.toLowerCase().replace(/\.$/, '').replace(/^dualstack\./, '');
  const lb = Object.values(state.loadBalancers).find((l) => l.dnsName === host);
  if (!lb) return undefined;
  depend(keys.loadBalancer(lb.arn));
  const first = listenersOf(state, lb.arn)[0];
  if (first) depend(keys.listener(first.arn));
  return { lb, actions: first?.defaultActions ?? [] };
}

/** The action that decides where requests go: the last routing action by Order. */
function routingAction(actions: readonly Action[]): Action | undefined {
  return [...actions]
    .filter((a) => a.Type === 'forward' || a.Type === 'redirect' || a.Type === 'fixed-response')
    .sort((a, b) => (a.Order ?? 1) - (b.Order ?? 1))
    .at(-1);
}

function groupFlows(ctx: Elbv2Context, lb: LoadBalancerRecord, group: TargetGroupRecord, rps: number): Flow[] {
  const serving = group.targets.filter((t) => t.state !== 'draining');
  if (serving.length === 0) return [elbAnswer(lb, rps, '503')];
  const healthy = serving.filter((t) => ['healthy', 'unavailable'].includes(reportedHealth(ctx, group, t).State));
  // No healthy target: the group fails open to every registered target.
  const chosen = healthy.length > 0 ? healthy : serving;
  const perVersion = new Map<string, number>();
  for (const target of chosen) perVersion.set(target.version, (perVersion.get(target.version) ?? 0) + 1);
  const series = targetSeries(lb, group);
  return [...perVersion].map(([label, count]) => {
    const version = ctx.world.version(label);
    return { rps: (rps * count) / chosen.length, version: label, errorRate: version.healthy ? version.errorRate : 1, latencyMs: version.latencyMs, series };
  });
}

function targetSeries(lb: LoadBalancerRecord, group: TargetGroupRecord): MetricSeries[] {
  const measured = { requests: 'RequestCount', errors: ['HTTPCode_Target_5XX_Count'], latency: { name: 'TargetResponseTime', unit: 'Seconds' as const } };
  const LoadBalancer = loadBalancerDimension(lb);
  return [
    { namespace: NAMESPACE, dimensions: { LoadBalancer }, ...measured },
    { namespace: NAMESPACE, dimensions: { TargetGroup: targetGroupDimension(group), LoadBalancer }, ...measured },
  ];
}

/** Requests the load balancer answers itself: 503 without targets, fixed responses, redirects. */
function elbAnswer(lb: LoadBalancerRecord, rps: number, status: '503' | '5xx' | 'ok'): Flow {
  const errors = status === '503' ? ['HTTPCode_ELB_5XX_Count', 'HTTPCode_ELB_503_Count'] : ['HTTPCode_ELB_5XX_Count'];
  const series: MetricSeries = { namespace: NAMESPACE, dimensions: { LoadBalancer: loadBalancerDimension(lb) }, errors };
  return { rps, version: 'elb', errorRate: status === 'ok' ? 0 : 1, latencyMs: ELB_LATENCY_MS, series: [series] };
}
