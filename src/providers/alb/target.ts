import type { z } from 'zod';
import type { AlbTarget } from '../../config/schema.js';
import { InputError } from '../../errors.js';

export type AlbTargetSpec = z.output<typeof AlbTarget>;

/** Which target groups play which part: given by the user, or found at preflight (ping-pong). */
export type AlbRoles = { readonly stable: string; readonly canary: string };

/** The spec, checked: one listener or rule, and either both roles or the two ping-pong groups. */
export interface AlbTargetRef {
  readonly resource: 'listener' | 'rule';
  readonly arn: string;
  readonly groups: { readonly type: 'roles'; readonly roles: AlbRoles } | { readonly type: 'pingPong'; readonly pair: readonly [string, string] };
}

/** Throws InputError (nothing mutated) when the spec names the listener/rule or the groups ambiguously. */
export function resolveTargetRef(spec: AlbTargetSpec): AlbTargetRef {
  if (Boolean(spec.listenerArn) === Boolean(spec.ruleArn)) {
    throw new InputError('alb target', { listenerArn: spec.listenerArn, ruleArn: spec.ruleArn }, 'give exactly one of listenerArn (the default action) or ruleArn (a rule)');
  }
  const resource = spec.listenerArn ? 'listener' : 'rule';
  const arn = (spec.listenerArn ?? spec.ruleArn)!;
  return { resource, arn, groups: resolveGroups(spec) };
}

function resolveGroups(spec: AlbTargetSpec): AlbTargetRef['groups'] {
  const explicit = spec.stableTargetGroupArn !== undefined || spec.canaryTargetGroupArn !== undefined;
  if (spec.targetGroupArns && explicit) {
    throw new InputError('alb target', spec, 'give either targetGroupArns (ping-pong) or stableTargetGroupArn and canaryTargetGroupArn, not both');
  }
  if (spec.targetGroupArns) {
    const [a, b] = spec.targetGroupArns;
    if (a === b) throw new InputError('alb target.targetGroupArns', spec.targetGroupArns, 'name two different target groups');
    return { type: 'pingPong', pair: [a, b] };
  }
  const { stableTargetGroupArn: stable, canaryTargetGroupArn: canary } = spec;
  if (!stable || !canary) {
    throw new InputError('alb target', spec, 'give stableTargetGroupArn and canaryTargetGroupArn, or targetGroupArns: [a, b] to alternate between two groups');
  }
  if (stable === canary) throw new InputError('alb target.canaryTargetGroupArn', canary, 'use a target group other than the stable one');
  return { type: 'roles', roles: { stable, canary } };
}

/** `arn:…:targetgroup/web-blue/73e2d6bc24d8a067` → `targetgroup/web-blue` (the id adds nothing for a reader). */
export function shortGroup(arn: string): string {
  const match = /:(targetgroup\/[^/]+)\//.exec(arn);
  return match ? match[1]! : arn;
}

/** `…:listener/app/web/50dc…/f2f7…` → `app/web/…/f2f7…`; rules likewise end with their own id. */
export function shortResource(arn: string): string {
  const match = /:(?:listener|listener-rule)\/(app|net|gwy)\/([^/]+)\/[^/]+\/(.+)$/.exec(arn);
  if (!match) return arn;
  const ids = match[3]!.split('/');
  return `${match[1]}/${match[2]}/…/${ids[ids.length - 1]}`;
}

/** The load balancer a listener or rule belongs to, read from its ARN (AWS documents this layout). */
export function loadBalancerArnOf(arn: string): string | undefined {
  const match = /^(arn:[^:]+:elasticloadbalancing:[^:]*:[^:]*:)(?:listener|listener-rule)\/((?:app|net|gwy)\/[^/]+\/[^/]+)\//.exec(arn);
  return match ? `${match[1]}loadbalancer/${match[2]}` : undefined;
}

/** The Region in an ARN, for the manual commands (so they work whatever the shell's default Region is). */
export function regionOf(arn: string): string | undefined {
  const region = arn.split(':')[3];
  return region ? region : undefined;
}

export function labelFor(ref: AlbTargetRef): string {
  const where = `alb ${ref.resource} ${shortResource(ref.arn)}`;
  if (ref.groups.type === 'roles') return `${where} (stable ${shortGroup(ref.groups.roles.stable)}, canary ${shortGroup(ref.groups.roles.canary)})`;
  const [a, b] = ref.groups.pair;
  return `${where} (ping-pong ${shortGroup(a)} ⇄ ${shortGroup(b)})`;
}

export function describeRoles(roles: AlbRoles): string {
  return `stable ${shortGroup(roles.stable)}, canary ${shortGroup(roles.canary)}`;
}
