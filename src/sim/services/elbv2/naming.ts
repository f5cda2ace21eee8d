import { arn, stableId } from '../common.js';
import { validationError } from './errors.js';
import type { Elbv2Context, ListenerRecord, LoadBalancerRecord } from './state.js';

/**
 * ARNs, ids and DNS names in AWS's exact formats:
 *   arn:aws:elasticloadbalancing:<region>:<acct>:loadbalancer/app/<name>/<16 hex>
 *   ...:targetgroup/<name>/<16 hex>
 *   ...:listener/app/<lbname>/<lbid>/<16 hex>
 *   ...:listener-rule/app/<lbname>/<lbid>/<listenerid>/<16 hex>
 *   DNSName <name>-<digits>.<region>.elb.amazonaws.com (internal-<name>-... for internal schemes)
 */
const SERVICE = 'elasticloadbalancing';

/** A fresh 16-hex id for a resource created through the API. */
export function freshId(ctx: Elbv2Context): string {
  return ctx.id('', 16);
}

export function loadBalancerArn(ctx: Elbv2Context, name: string, id: string): string {
  return arn(ctx, SERVICE, `loadbalancer/app/${name}/${id}`);
}

export function targetGroupArn(ctx: Elbv2Context, name: string, id: string): string {
  return arn(ctx, SERVICE, `targetgroup/${name}/${id}`);
}

export function listenerArn(lb: LoadBalancerRecord, id: string): string {
  return `${lb.arn.replace(':loadbalancer/', ':listener/')}/${id}`;
}

export function ruleArn(listener: ListenerRecord, id: string): string {
  return `${listener.arn.replace(':listener/', ':listener-rule/')}/${id}`;
}

export function dnsName(ctx: Elbv2Context, name: string, id: string, scheme: string): string {
  const digits = String(Number.parseInt(stableId('dns', `${name}/${id}`, 8), 16));
  return `${scheme === 'internal' ? 'internal-' : ''}${name}-${digits}.${ctx.world.state.region}.elb.amazonaws.com`;
}

/** The account's one simulated VPC (there is no EC2 in the world). */
export function defaultVpcId(ctx: Elbv2Context): string {
  return `vpc-${stableId('vpc', ctx.world.state.accountId, 17)}`;
}

export type ResourceKind = 'loadbalancer' | 'targetgroup' | 'listener' | 'listener-rule';

export function kindOfArn(resourceArn: string): ResourceKind | undefined {
  const match = /^arn:[^:]+:elasticloadbalancing:[^:]*:[^:]*:(loadbalancer|targetgroup|listener|listener-rule)\//.exec(resourceArn);
  return match?.[1] as ResourceKind | undefined;
}

/**
 * Load balancer and target group names: at most 32 characters, alphanumerics and hyphens, not starting or
 * ending with a hyphen; a load balancer name must not start with `internal-` (API reference, CreateLoadBalancer
 * and CreateTargetGroup `Name`).
 */
export function checkResourceName(kind: 'load balancer' | 'target group', name: string): void {
  if (name.length < 1 || name.length > 32) validationError(`The ${kind} name '${name}' must be between 1 and 32 characters long`);
  if (!/^[A-Za-z0-9-]+$/.test(name)) validationError(`The ${kind} name '${name}' can contain only alphanumeric characters and hyphens`);
  if (name.startsWith('-') || name.endsWith('-')) validationError(`The ${kind} name '${name}' cannot begin or end with a hyphen`);
  if (kind === 'load balancer' && name.startsWith('internal-')) validationError(`The load balancer name '${name}' cannot begin with 'internal-'`);
}
