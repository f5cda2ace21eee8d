import type { Rule, RuleCondition, RulePriorityPair, Tag } from '@aws-sdk/client-elastic-load-balancing-v2';
import { copy, fail } from '../common.js';
import { normalizeActions } from './actions.js';
import { requireListener, requireRule, ruleNotFound, validationError } from './errors.js';
import { touchListener } from './listeners.js';
import { freshId, ruleArn } from './naming.js';
import { pageOf } from './pages.js';
import { actionsOfRule, keys, rulesOfListener, type Elbv2Context, type Elbv2State, type ListenerRecord, type RuleRecord } from './state.js';
import { setTags } from './tags.js';
import { refreshGroupUsage } from './usage.js';

/**
 * Listener rules. Priorities are unique per listener (PriorityInUse) and are strings in outputs, `default` for
 * the default rule, whose conditions cannot be changed and which cannot be deleted or reprioritized
 * (OperationNotPermitted). ModifyRule replaces only what it is given, each list whole; last writer wins.
 * Quota: 100 rules per ALB, default rules excluded (TooManyRules).
 */
const MAX_RULES_PER_LOAD_BALANCER = 100;

export interface RuleSpec {
  readonly priority: number;
  readonly conditions: unknown;
  readonly actions: unknown;
  readonly tags?: readonly Tag[];
}

export function createRule(ctx: Elbv2Context, input: Record<string, unknown>): { Rules: Rule[] } {
  const listener = requireListener(ctx.state, input.ListenerArn);
  const spec: RuleSpec = { priority: input.Priority as number, conditions: input.Conditions, actions: input.Actions, tags: input.Tags as Tag[] | undefined };
  return { Rules: [describeRule(ctx.state, addRule(ctx, listener, spec, freshId(ctx)))] };
}

/** Creates the rule (seeding passes a stable id). */
export function addRule(ctx: Elbv2Context, listener: ListenerRecord, spec: RuleSpec, id: string): RuleRecord {
  if (rulesOfListener(ctx.state, listener.arn).some((r) => r.priority === spec.priority)) priorityInUse(spec.priority);
  const onLoadBalancer = Object.values(ctx.state.rules).filter((r) => r.priority !== 'default' && ctx.state.listeners[r.listenerArn]?.loadBalancerArn === listener.loadBalancerArn);
  if (onLoadBalancer.length >= MAX_RULES_PER_LOAD_BALANCER) fail('TooManyRules', `You've reached the limit on the number of rules per load balancer (${MAX_RULES_PER_LOAD_BALANCER})`);
  const rule: RuleRecord = {
    arn: ruleArn(listener, id),
    id,
    listenerArn: listener.arn,
    priority: spec.priority,
    conditions: normalizeConditions(spec.conditions),
    actions: normalizeActions(ctx.state, listener.loadBalancerArn, spec.actions),
  };
  ctx.state.rules[rule.arn] = rule;
  if (spec.tags?.length) setTags(ctx.state, rule.arn, spec.tags);
  refreshGroupUsage(ctx);
  ctx.touch(keys.rule(rule.arn));
  return rule;
}

export function describeRules(ctx: Elbv2Context, input: Record<string, unknown>): { Rules: Rule[]; NextMarker?: string } {
  const arns = input.RuleArns as string[] | undefined;
  const listenerArn = input.ListenerArn as string | undefined;
  if (arns?.length && listenerArn !== undefined) validationError('Rule ARNs and a listener ARN cannot be specified at the same time');
  if (!arns?.length && listenerArn === undefined) validationError('You must specify either rule ARNs or a listener ARN');
  let rules: RuleRecord[];
  if (arns?.length) {
    const missing = arns.filter((arn) => !ctx.state.rules[arn]);
    if (missing.length > 0) ruleNotFound(missing);
    rules = arns.map((arn) => ctx.state.rules[arn]!);
  } else {
    rules = rulesOfListener(ctx.state, requireListener(ctx.state, listenerArn).arn);
  }
  const { page, NextMarker } = pageOf(rules, input.Marker, input.PageSize);
  return { Rules: page.map((r) => describeRule(ctx.state, r)), ...(NextMarker ? { NextMarker } : {}) };
}

export function modifyRule(ctx: Elbv2Context, input: Record<string, unknown>): { Rules: Rule[] } {
  const rule = requireRule(ctx.state, input.RuleArn);
  const listener = requireListener(ctx.state, rule.listenerArn);
  if (input.Conditions === undefined && input.Actions === undefined) validationError('Either conditions or actions must be specified');
  const isDefault = rule.priority === 'default';
  if (isDefault && Array.isArray(input.Conditions) && input.Conditions.length > 0) fail('OperationNotPermitted', 'The conditions of a default rule cannot be modified');
  const conditions = isDefault || input.Conditions === undefined ? rule.conditions : normalizeConditions(input.Conditions);
  const actions = input.Actions === undefined ? undefined : normalizeActions(ctx.state, listener.loadBalancerArn, input.Actions);
  rule.conditions = conditions;
  if (actions && isDefault) listener.defaultActions = actions;
  else if (actions) rule.actions = actions;
  refreshGroupUsage(ctx);
  ctx.touch(keys.rule(rule.arn));
  if (isDefault) touchListener(ctx, listener);
  return { Rules: [describeRule(ctx.state, rule)] };
}

export function deleteRule(ctx: Elbv2Context, input: Record<string, unknown>): Record<string, never> {
  const rule = requireRule(ctx.state, input.RuleArn);
  if (rule.priority === 'default') fail('OperationNotPermitted', 'A default rule cannot be deleted');
  delete ctx.state.rules[rule.arn];
  delete ctx.state.tags[rule.arn];
  refreshGroupUsage(ctx);
  ctx.touch(keys.rule(rule.arn));
  return {};
}

/** Reprioritizes rules all at once: either every change applies or none does. */
export function setRulePriorities(ctx: Elbv2Context, input: Record<string, unknown>): { Rules: Rule[] } {
  const pairs = input.RulePriorities as RulePriorityPair[];
  const missing = pairs.map((p) => String(p.RuleArn)).filter((arn) => !ctx.state.rules[arn]);
  if (missing.length > 0) ruleNotFound(missing);
  const changes = pairs.map((p) => ({ rule: ctx.state.rules[String(p.RuleArn)]!, priority: p.Priority }));
  for (const { rule, priority } of changes) {
    if (rule.priority === 'default') fail('OperationNotPermitted', 'The priority of a default rule cannot be changed');
    if (priority === undefined) validationError(`A priority must be specified for rule '${rule.arn}'`);
  }
  const seen = new Set<string>();
  for (const { rule, priority } of changes) {
    const key = `${rule.listenerArn}|${priority}`;
    if (seen.has(key)) validationError(`Priority '${priority}' was provided multiple times`);
    seen.add(key);
    const moving = new Set(changes.map((c) => c.rule.arn));
    if (rulesOfListener(ctx.state, rule.listenerArn).some((r) => r.priority === priority && !moving.has(r.arn))) priorityInUse(priority!);
  }
  for (const { rule, priority } of changes) {
    rule.priority = priority!;
    ctx.touch(keys.rule(rule.arn));
  }
  return { Rules: changes.map(({ rule }) => describeRule(ctx.state, rule)) };
}

export function describeRule(state: Elbv2State, rule: RuleRecord): Rule {
  return {
    RuleArn: rule.arn,
    Priority: String(rule.priority),
    Conditions: copy(rule.conditions),
    Actions: copy(actionsOfRule(state, rule)),
    IsDefault: rule.priority === 'default',
  };
}

/** Conditions as AWS returns them: path-pattern and host-header carry both `Values` and their `*Config`. */
function normalizeConditions(input: unknown): RuleCondition[] {
  const conditions = Array.isArray(input) ? (input as RuleCondition[]) : [];
  if (conditions.length === 0) validationError('A rule must have at least one condition');
  return conditions.map((condition) => {
    if (!condition.Field) validationError('A condition must specify a Field');
    const configMember = condition.Field === 'path-pattern' ? 'PathPatternConfig' : condition.Field === 'host-header' ? 'HostHeaderConfig' : undefined;
    if (!configMember) return copy(condition);
    const values = condition[configMember]?.Values ?? condition.Values;
    if (!values?.length) validationError(`A ${condition.Field} condition must specify at least one value`);
    return { Field: condition.Field, Values: [...values], [configMember]: { Values: [...values] } };
  });
}

function priorityInUse(priority: number): never {
  return fail('PriorityInUse', `Priority '${priority}' is currently in use`);
}
