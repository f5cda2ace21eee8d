import type { Action, ForwardActionConfig, TargetGroupStickinessConfig, TargetGroupTuple } from '@aws-sdk/client-elastic-load-balancing-v2';
import { copy, fail } from '../common.js';
import { targetGroupNotFound, validationError } from './errors.js';
import type { Elbv2State } from './state.js';
import { forwardedGroups, groupAssociations } from './usage.js';

/**
 * Validation and normalization of listener default actions and rule actions, with the semantics the model
 * cannot express (facts §2.1, §7.2; API reference Action / ForwardActionConfig / TargetGroupTuple):
 * - forward names its groups with TargetGroupArn and/or ForwardConfig; with both, ForwardConfig holds exactly
 *   that one group;
 * - at most 5 target groups per forward action (ALB quota, not adjustable), each named once;
 * - weights 0..999 ("The weight for each target group must be between 0 and 999, inclusive", the service's
 *   ValidationError quoted in aws/aws-cdk#24805); an omitted weight is 1; all-zero weights are accepted
 *   (UNVERIFIED; the traffic model then answers 503 from the load balancer);
 * - stickiness DurationSeconds 1..604800 and required when enabled ("Target group stickiness duration must be
 *   between 1 and 604800 seconds", ValidationError in app-sre/qontract-reconcile#2089, pulumi/pulumi-aws#1824);
 * - every named group exists (TargetGroupNotFound) and belongs to no other load balancer
 *   (TargetGroupAssociationLimit, message as in kubernetes-sigs/aws-load-balancer-controller#4540);
 * - one routing action (forward, redirect or fixed-response), last in Order; Order required with several actions.
 * Actions come back as DescribeListeners/DescribeRules show them: a forward always carries ForwardConfig, and
 * TargetGroupArn when it has a single group.
 */
const MAX_GROUPS_PER_ACTION = 5;
const MAX_WEIGHT = 999;
const MAX_STICKINESS_SECONDS = 604_800;
const ROUTING_TYPES = new Set(['forward', 'redirect', 'fixed-response']);

export function normalizeActions(state: Elbv2State, loadBalancerArn: string, input: unknown): Action[] {
  const actions = Array.isArray(input) ? (input as Action[]) : [];
  if (actions.length === 0) validationError('At least one action must be specified');
  checkOrdering(actions);
  const normalized = actions.map((action) => (action.Type === 'forward' ? normalizeForward(action) : copy(action)));
  checkGroups(state, loadBalancerArn, forwardedGroups(normalized));
  return normalized;
}

function checkOrdering(actions: readonly Action[]): void {
  if (actions.length > 1 && actions.some((a) => a.Order === undefined)) validationError('An Order must be specified for each action when there are multiple actions');
  const orders = actions.map((a) => a.Order ?? 1);
  if (new Set(orders).size !== orders.length) validationError('Each action must have a different Order');
  const routing = actions.filter((a) => ROUTING_TYPES.has(String(a.Type)));
  if (routing.length !== 1) validationError('Exactly one of forward, redirect or fixed-response must be specified as an action');
  const last = actions.reduce((a, b) => ((b.Order ?? 1) > (a.Order ?? 1) ? b : a));
  if (last !== routing[0]) validationError(`The ${String(routing[0]?.Type)} action must be the last action (highest Order)`);
}

function normalizeForward(action: Action): Action {
  const tuples = groupTuples(action);
  if (tuples.length > MAX_GROUPS_PER_ACTION) validationError(`You cannot specify more than ${MAX_GROUPS_PER_ACTION} target groups in a forward action`);
  const seen = new Set<string>();
  for (const tuple of tuples) {
    if (seen.has(tuple.TargetGroupArn!)) validationError(`Target group '${tuple.TargetGroupArn!}' is specified more than once in the forward action`);
    seen.add(tuple.TargetGroupArn!);
    if (!Number.isInteger(tuple.Weight) || tuple.Weight! < 0 || tuple.Weight! > MAX_WEIGHT) validationError('The weight for each target group must be between 0 and 999, inclusive');
  }
  const forwardConfig: ForwardActionConfig = { TargetGroups: tuples, TargetGroupStickinessConfig: stickiness(action.ForwardConfig?.TargetGroupStickinessConfig) };
  const normalized: Action = { Type: 'forward' };
  if (tuples.length === 1) normalized.TargetGroupArn = tuples[0]!.TargetGroupArn;
  normalized.ForwardConfig = forwardConfig;
  if (action.Order !== undefined) normalized.Order = action.Order;
  return normalized;
}

/** The forward's groups with weights, from TargetGroupArn and/or ForwardConfig. */
function groupTuples(action: Action): TargetGroupTuple[] {
  const listed = action.ForwardConfig?.TargetGroups ?? [];
  if (listed.some((t) => !t.TargetGroupArn)) validationError('A target group ARN must be specified for each target group in ForwardConfig');
  if (action.TargetGroupArn && listed.length > 0 && (listed.length !== 1 || listed[0]!.TargetGroupArn !== action.TargetGroupArn)) {
    validationError('If you specify both ForwardConfig and TargetGroupArn, you can specify only one target group using ForwardConfig and it must be the same target group specified in TargetGroupArn');
  }
  if (listed.length > 0) return listed.map((t) => ({ TargetGroupArn: t.TargetGroupArn, Weight: t.Weight ?? 1 }));
  if (action.TargetGroupArn) return [{ TargetGroupArn: action.TargetGroupArn, Weight: 1 }];
  return validationError('A forward action must specify TargetGroupArn or ForwardConfig with at least one target group');
}

function stickiness(config: TargetGroupStickinessConfig | undefined): TargetGroupStickinessConfig {
  const duration = config?.DurationSeconds;
  const outOfRange = duration !== undefined && (duration < 1 || duration > MAX_STICKINESS_SECONDS);
  if (outOfRange || (config?.Enabled === true && duration === undefined)) validationError('Target group stickiness duration must be between 1 and 604800 seconds');
  return config?.Enabled === true ? { Enabled: true, DurationSeconds: duration } : { Enabled: false };
}

function checkGroups(state: Elbv2State, loadBalancerArn: string, groupArns: readonly string[]): void {
  const missing = groupArns.filter((arn) => !state.targetGroups[arn]);
  if (missing.length > 0) targetGroupNotFound(missing);
  const associations = groupAssociations(state);
  const elsewhere = groupArns.filter((arn) => [...(associations.get(arn) ?? [])].some((lb) => lb !== loadBalancerArn));
  if (elsewhere.length > 0) {
    fail('TargetGroupAssociationLimit', `The following target groups cannot be associated with more than one load balancer: ${elsewhere.join(', ')}`);
  }
}
