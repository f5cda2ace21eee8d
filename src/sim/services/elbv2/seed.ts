/**
 * The `elbv2:` section of a world file (names in, stable ids out):
 *
 *   elbv2:
 *     loadBalancers:
 *       - name: web                          # ALB name; ARN, DNS name and dimension are derived from it
 *         scheme: internet-facing            # optional; or internal
 *         targetGroups:
 *           - name: web-blue                 # names are account-wide
 *             port: 80                       # optional, default 80
 *             protocol: HTTP                 # optional, HTTP (default) or HTTPS
 *             healthCheck: { intervalSeconds: 10, healthyThreshold: 3, unhealthyThreshold: 2 }   # optional
 *             deregistrationDelaySeconds: 30 # optional, default 300
 *             targets: { count: 3, version: v1 }           # or a list: [{ id: i-0abc, version: v1, port: 8080 }]
 *         listeners:
 *           - port: 80
 *             protocol: HTTP                 # optional, HTTP (default) or HTTPS (gets a placeholder certificate)
 *             forward: { web-blue: 100, web-green: 0 }     # target group name -> weight
 *             stickiness: { enabled: true, durationSeconds: 300 }   # optional
 *             rules:                         # optional
 *               - priority: 10
 *                 pathPattern: /api/*        # string or list; and/or hostHeader
 *                 forward: { web-blue: 1 }
 *
 * Seeded targets are healthy from the start when a listener or rule forwards to their group; a group nothing
 * forwards to reports its targets `unused`, and they go through `initial` once a listener starts forwarding to it.
 * References: lb:<name> {arn, dimension, dnsName, name}, tg:<name> {arn, dimension, name},
 * listener:<lb>:<port> {arn}, rule:<lb>:<port>:<priority> {arn} (also rule:<lb>:<port>:default).
 */
import type { Action, RuleCondition } from '@aws-sdk/client-elastic-load-balancing-v2';
import { InputError } from '../../../errors.js';
import { SimServiceError } from '../../protocol/index.js';
import type { SeedRefs } from '../../types.js';
import { stableId } from '../common.js';
import { addListener } from './listeners.js';
import { addLoadBalancer } from './loadBalancers.js';
import { addRule } from './rules.js';
import { loadBalancerDimension, targetGroupDimension, type Elbv2Context, type LoadBalancerRecord, type TargetGroupRecord } from './state.js';
import { addTargetGroup } from './targetGroups.js';
import { parseSection, type ListenerSeed, type TargetGroupSeed } from './seedSpec.js';

export function seedElbv2(ctx: Elbv2Context, spec: unknown, refs: SeedRefs): void {
  const section = parseSection(spec);
  section.loadBalancers.forEach((lbSpec, i) => {
    const where = `elbv2.loadBalancers[${i}]`;
    const lb = inSeed(where, lbSpec.name, () => addLoadBalancer(ctx, { name: lbSpec.name, scheme: lbSpec.scheme, subnets: seededSubnets(lbSpec.name) }, stableId('loadbalancer', lbSpec.name)));
    refs.set(`lb:${lb.name}`, { arn: lb.arn, dimension: loadBalancerDimension(lb), dnsName: lb.dnsName, name: lb.name });
    const groups = lbSpec.targetGroups.map((g, j) => seedTargetGroup(ctx, g, `${where}.targetGroups[${j}]`, refs));
    lbSpec.listeners.forEach((l, j) => seedListener(ctx, lb, l, `${where}.listeners[${j}]`, refs));
    lbSpec.targetGroups.forEach((g, j) => seedTargets(ctx, groups[j]!, g));
  });
}

function seedTargetGroup(ctx: Elbv2Context, spec: TargetGroupSeed, where: string, refs: SeedRefs): TargetGroupRecord {
  const healthCheck = {
    ...(spec.healthCheck?.intervalSeconds !== undefined ? { intervalSeconds: spec.healthCheck.intervalSeconds, timeoutSeconds: Math.min(6, spec.healthCheck.intervalSeconds - 1) } : {}),
    ...(spec.healthCheck?.healthyThreshold !== undefined ? { healthyThreshold: spec.healthCheck.healthyThreshold } : {}),
    ...(spec.healthCheck?.unhealthyThreshold !== undefined ? { unhealthyThreshold: spec.healthCheck.unhealthyThreshold } : {}),
  };
  const group = inSeed(where, spec.name, () => addTargetGroup(ctx, { name: spec.name, port: spec.port ?? 80, protocol: spec.protocol ?? 'HTTP', healthCheck }, stableId('targetgroup', spec.name)));
  if (spec.deregistrationDelaySeconds !== undefined) group.attributes['deregistration_delay.timeout_seconds'] = String(spec.deregistrationDelaySeconds);
  refs.set(`tg:${group.name}`, { arn: group.arn, dimension: targetGroupDimension(group), name: group.name });
  return group;
}

/** Seeded targets skip the initial checks: they have been serving since before the world began. */
function seedTargets(ctx: Elbv2Context, group: TargetGroupRecord, spec: TargetGroupSeed): void {
  const seeded = spec.targets;
  const targets: readonly { id: string; version: string; port?: number }[] =
    'count' in seeded ? Array.from({ length: seeded.count }, (_, i) => ({ id: `i-${stableId('instance', `${group.name}/${i}`, 17)}`, version: seeded.version })) : seeded;
  for (const t of targets) {
    group.targets.push({ id: t.id, port: t.port ?? group.port, version: t.version, state: group.inUse ? 'healthy' : 'initial', checkStart: ctx.now });
  }
}

function seedListener(ctx: Elbv2Context, lb: LoadBalancerRecord, spec: ListenerSeed, where: string, refs: SeedRefs): void {
  const protocol = spec.protocol ?? 'HTTP';
  const certificates = protocol === 'HTTPS' ? [{ CertificateArn: `arn:aws:acm:${ctx.world.state.region}:${ctx.world.state.accountId}:certificate/${stableId('certificate', lb.name, 32)}` }] : undefined;
  const defaultActions = [forwardAction(ctx, spec.forward, spec.stickiness, where)];
  const ids = { listener: stableId('listener', `${lb.name}:${spec.port}`), defaultRule: stableId('rule', `${lb.name}:${spec.port}:default`) };
  const listener = inSeed(where, spec.port, () => addListener(ctx, lb, { port: spec.port, protocol, defaultActions, certificates }, ids));
  refs.set(`listener:${lb.name}:${spec.port}`, { arn: listener.arn });
  refs.set(`rule:${lb.name}:${spec.port}:default`, { arn: listener.defaultRuleArn });
  (spec.rules ?? []).forEach((r, i) => {
    const ruleWhere = `${where}.rules[${i}]`;
    const conditions: RuleCondition[] = [];
    if (r.pathPattern) conditions.push({ Field: 'path-pattern', PathPatternConfig: { Values: [r.pathPattern].flat() } });
    if (r.hostHeader) conditions.push({ Field: 'host-header', HostHeaderConfig: { Values: [r.hostHeader].flat() } });
    const actions = [forwardAction(ctx, r.forward, undefined, ruleWhere)];
    const rule = inSeed(ruleWhere, r.priority, () => addRule(ctx, listener, { priority: r.priority, conditions, actions }, stableId('rule', `${lb.name}:${spec.port}:${r.priority}`)));
    refs.set(`rule:${lb.name}:${spec.port}:${r.priority}`, { arn: rule.arn });
  });
}

function forwardAction(ctx: Elbv2Context, forward: Readonly<Record<string, number>>, stickiness: ListenerSeed['stickiness'], where: string): Action {
  const TargetGroups = Object.entries(forward).map(([name, weight]) => {
    const group = Object.values(ctx.state.targetGroups).find((g) => g.name === name);
    if (!group) throw new InputError(`${where}.forward`, name, `name a target group of this world (${Object.values(ctx.state.targetGroups).map((g) => g.name).join(', ') || 'none yet'})`);
    return { TargetGroupArn: group.arn, Weight: weight };
  });
  const TargetGroupStickinessConfig = stickiness?.enabled ? { Enabled: true, DurationSeconds: stickiness.durationSeconds } : { Enabled: false };
  return { Type: 'forward', ForwardConfig: { TargetGroups, TargetGroupStickinessConfig } };
}

/** Two stable subnets in two Availability Zones (an ALB needs them; the world has no EC2). */
function seededSubnets(name: string): string[] {
  return [0, 1].map((i) => `subnet-${stableId('subnet', `${name}/${i}`, 17)}`);
}

/** Runs a creation, reporting AWS's objection as a problem of the world file. */
function inSeed<T>(where: string, value: unknown, create: () => T): T {
  try {
    return create();
  } catch (error) {
    if (error instanceof SimServiceError) throw new InputError(where, value, `the simulated ELBv2 refused it: ${error.code}: ${error.message}`);
    throw error;
  }
}
