import type { Action, Certificate, Listener, Tag } from '@aws-sdk/client-elastic-load-balancing-v2';
import { copy, fail } from '../common.js';
import { normalizeActions } from './actions.js';
import { requireListener, requireLoadBalancer, validationError } from './errors.js';
import { freshId, listenerArn, ruleArn } from './naming.js';
import { pageOf } from './pages.js';
import { keys, listenersOf, type Elbv2Context, type ListenerRecord, type LoadBalancerRecord } from './state.js';
import { setTags } from './tags.js';
import { refreshGroupUsage } from './usage.js';

/**
 * Listeners of an ALB (HTTP/HTTPS). ModifyListener replaces only the members it is given, and lists whole
 * ("To add an item to a list, remove an item from a list, or update an item in a list, you must provide the
 * entire list", API reference); there is no ETag, so the last writer wins. One listener per port
 * (DuplicateListener); creating the same listener again returns it (CreateListener is idempotent). Each
 * listener has a default rule (Priority `default`) whose actions are the listener's DefaultActions.
 */
const MAX_LISTENERS = 50;
const DEFAULT_SSL_POLICY = 'ELBSecurityPolicy-TLS13-1-2-2021-06';

export interface ListenerSpec {
  readonly port: unknown;
  readonly protocol: unknown;
  readonly defaultActions: unknown;
  readonly certificates?: readonly Certificate[];
  readonly sslPolicy?: string;
  readonly alpnPolicy?: readonly string[];
  readonly tags?: readonly Tag[];
}

export function createListener(ctx: Elbv2Context, input: Record<string, unknown>): { Listeners: Listener[] } {
  const lb = requireLoadBalancer(ctx.state, input.LoadBalancerArn);
  const spec: ListenerSpec = {
    port: input.Port,
    protocol: input.Protocol,
    defaultActions: input.DefaultActions,
    certificates: input.Certificates as Certificate[] | undefined,
    sslPolicy: input.SslPolicy as string | undefined,
    alpnPolicy: input.AlpnPolicy as string[] | undefined,
    tags: input.Tags as Tag[] | undefined,
  };
  const existing = listenersOf(ctx.state, lb.arn).find((l) => l.port === spec.port);
  if (existing) {
    const sameActions = JSON.stringify(normalizeActions(ctx.state, lb.arn, spec.defaultActions)) === JSON.stringify(existing.defaultActions);
    if (existing.protocol !== spec.protocol || !sameActions) duplicateListener(lb);
    return { Listeners: [describeListener(existing)] };
  }
  return { Listeners: [describeListener(addListener(ctx, lb, spec, { listener: freshId(ctx), defaultRule: freshId(ctx) }))] };
}

/** Creates the listener and its default rule (seeding passes stable ids). */
export function addListener(ctx: Elbv2Context, lb: LoadBalancerRecord, spec: ListenerSpec, ids: { listener: string; defaultRule: string }): ListenerRecord {
  if (typeof spec.port !== 'number') validationError('A listener port must be specified');
  const protocol = checkProtocol(spec.protocol, spec.certificates);
  if (listenersOf(ctx.state, lb.arn).length >= MAX_LISTENERS) fail('TooManyListeners', `You've reached the limit on the number of listeners per load balancer (${MAX_LISTENERS})`);
  const arn = listenerArn(lb, ids.listener);
  const listener: ListenerRecord = {
    arn,
    id: ids.listener,
    loadBalancerArn: lb.arn,
    port: spec.port,
    protocol,
    defaultActions: normalizeActions(ctx.state, lb.arn, spec.defaultActions),
    defaultRuleArn: '',
  };
  listener.defaultRuleArn = ruleArn(listener, ids.defaultRule);
  if (protocol === 'HTTPS') Object.assign(listener, { certificates: copy(spec.certificates), sslPolicy: spec.sslPolicy ?? DEFAULT_SSL_POLICY });
  if (spec.alpnPolicy) listener.alpnPolicy = [...spec.alpnPolicy];
  ctx.state.listeners[arn] = listener;
  ctx.state.rules[listener.defaultRuleArn] = { arn: listener.defaultRuleArn, id: ids.defaultRule, listenerArn: arn, priority: 'default', conditions: [], actions: [] };
  if (spec.tags?.length) setTags(ctx.state, arn, spec.tags);
  refreshGroupUsage(ctx);
  touchListener(ctx, listener);
  return listener;
}

export function describeListeners(ctx: Elbv2Context, input: Record<string, unknown>): { Listeners: Listener[]; NextMarker?: string } {
  const arns = input.ListenerArns as string[] | undefined;
  const lbArn = input.LoadBalancerArn as string | undefined;
  if (arns?.length && lbArn !== undefined) validationError('Listener ARNs and a load balancer ARN cannot be specified at the same time');
  if (!arns?.length && lbArn === undefined) validationError('You must specify either listener ARNs or a load balancer ARN');
  const listeners = arns?.length ? arns.map((arn) => requireListener(ctx.state, arn)) : listenersOf(ctx.state, requireLoadBalancer(ctx.state, lbArn).arn);
  const { page, NextMarker } = pageOf(listeners, input.Marker, input.PageSize);
  return { Listeners: page.map(describeListener), ...(NextMarker ? { NextMarker } : {}) };
}

export function modifyListener(ctx: Elbv2Context, input: Record<string, unknown>): { Listeners: Listener[] } {
  const listener = requireListener(ctx.state, input.ListenerArn);
  const lb = requireLoadBalancer(ctx.state, listener.loadBalancerArn);
  const port = (input.Port as number | undefined) ?? listener.port;
  if (listenersOf(ctx.state, lb.arn).some((l) => l.port === port && l.arn !== listener.arn)) duplicateListener(lb);
  const certificates = (input.Certificates as Certificate[] | undefined) ?? listener.certificates;
  const protocol = checkProtocol(input.Protocol ?? listener.protocol, certificates);
  const defaultActions = input.DefaultActions === undefined ? listener.defaultActions : normalizeActions(ctx.state, lb.arn, input.DefaultActions);
  Object.assign(listener, { port, protocol, defaultActions });
  if (input.Certificates !== undefined) listener.certificates = copy(certificates);
  if (input.SslPolicy !== undefined) listener.sslPolicy = input.SslPolicy as string;
  if (protocol === 'HTTPS') listener.sslPolicy ??= DEFAULT_SSL_POLICY;
  if (input.AlpnPolicy !== undefined) listener.alpnPolicy = [...(input.AlpnPolicy as string[])];
  refreshGroupUsage(ctx);
  touchListener(ctx, listener);
  return { Listeners: [describeListener(listener)] };
}

export function deleteListener(ctx: Elbv2Context, input: Record<string, unknown>): Record<string, never> {
  const listener = requireListener(ctx.state, input.ListenerArn);
  for (const rule of Object.values(ctx.state.rules).filter((r) => r.listenerArn === listener.arn)) {
    delete ctx.state.rules[rule.arn];
    delete ctx.state.tags[rule.arn];
    ctx.touch(keys.rule(rule.arn));
  }
  delete ctx.state.listeners[listener.arn];
  delete ctx.state.tags[listener.arn];
  refreshGroupUsage(ctx);
  touchListener(ctx, listener);
  return {};
}

export function describeListener(listener: ListenerRecord): Listener {
  const output: Listener = {
    ListenerArn: listener.arn,
    LoadBalancerArn: listener.loadBalancerArn,
    Port: listener.port,
    Protocol: listener.protocol as Listener['Protocol'],
    DefaultActions: copy(listener.defaultActions) as Action[],
  };
  if (listener.certificates) output.Certificates = copy(listener.certificates);
  if (listener.sslPolicy) output.SslPolicy = listener.sslPolicy;
  if (listener.alpnPolicy) output.AlpnPolicy = [...listener.alpnPolicy];
  return output;
}

/** Traffic entering at the listener, its default rule, or the load balancer's DNS name may have changed. */
export function touchListener(ctx: Elbv2Context, listener: ListenerRecord): void {
  ctx.touch(keys.listener(listener.arn));
  ctx.touch(keys.rule(listener.defaultRuleArn));
  ctx.touch(keys.loadBalancer(listener.loadBalancerArn));
}

function checkProtocol(protocol: unknown, certificates: readonly Certificate[] | undefined): string {
  if (protocol === undefined) validationError('A listener protocol must be specified');
  if (protocol !== 'HTTP' && protocol !== 'HTTPS') fail('UnsupportedProtocol', `Protocol '${String(protocol)}' is not supported for load balancers of type 'application'`);
  if (protocol === 'HTTPS' && !certificates?.length) validationError('A certificate must be specified for HTTPS listeners');
  return protocol;
}

function duplicateListener(lb: LoadBalancerRecord): never {
  return fail('DuplicateListener', `A listener already exists on this port for this load balancer '${lb.arn}'`);
}
