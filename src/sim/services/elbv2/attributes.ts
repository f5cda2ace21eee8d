import type { TargetGroupAttribute } from '@aws-sdk/client-elastic-load-balancing-v2';
import { requireTargetGroup, validationError } from './errors.js';
import { keys, type Elbv2Context } from './state.js';

/**
 * DescribeTargetGroupAttributes / ModifyTargetGroupAttributes for ALB target groups: every attribute with
 * its default, and the ranges of the API reference's TargetGroupAttribute (deregistration delay 0..3600 s,
 * cookie durations 1..604800 s, slow start 0 or 30..900 s). The deregistration delay decides how long
 * deregistered targets stay `draining`. Unknown keys and bad values are ValidationError (message wording
 * UNVERIFIED).
 */
type Check = (value: string) => boolean;

const integerIn = (min: number, max: number): Check => (v) => /^\d+$/.test(v) && Number(v) >= min && Number(v) <= max;
const oneOf = (...values: string[]): Check => (v) => values.includes(v);
const percentage: Check = (v) => v === 'off' || integerIn(1, 100)(v);

const ATTRIBUTE_CHECKS: Readonly<Record<string, Check>> = {
  'deregistration_delay.timeout_seconds': integerIn(0, 3600),
  'stickiness.enabled': oneOf('true', 'false'),
  'stickiness.type': oneOf('lb_cookie', 'app_cookie'),
  'stickiness.lb_cookie.duration_seconds': integerIn(1, 604_800),
  'stickiness.app_cookie.cookie_name': () => true,
  'stickiness.app_cookie.duration_seconds': integerIn(1, 604_800),
  'slow_start.duration_seconds': (v) => v === '0' || integerIn(30, 900)(v),
  'load_balancing.algorithm.type': oneOf('round_robin', 'least_outstanding_requests', 'weighted_random'),
  'load_balancing.algorithm.anomaly_mitigation': oneOf('on', 'off'),
  'load_balancing.cross_zone.enabled': oneOf('true', 'false', 'use_load_balancer_configuration'),
  'target_group_health.dns_failover.minimum_healthy_targets.count': (v) => v === 'off' || integerIn(1, 10_000)(v),
  'target_group_health.dns_failover.minimum_healthy_targets.percentage': percentage,
  'target_group_health.unhealthy_state_routing.minimum_healthy_targets.count': integerIn(1, 10_000),
  'target_group_health.unhealthy_state_routing.minimum_healthy_targets.percentage': percentage,
  'lambda.multi_value_headers.enabled': oneOf('true', 'false'),
};

export function describeTargetGroupAttributes(ctx: Elbv2Context, input: Record<string, unknown>): { Attributes: TargetGroupAttribute[] } {
  const group = requireTargetGroup(ctx.state, input.TargetGroupArn);
  return { Attributes: Object.entries(group.attributes).map(([Key, Value]) => ({ Key, Value })) };
}

export function modifyTargetGroupAttributes(ctx: Elbv2Context, input: Record<string, unknown>): { Attributes: TargetGroupAttribute[] } {
  const group = requireTargetGroup(ctx.state, input.TargetGroupArn);
  const changes = (input.Attributes as TargetGroupAttribute[]) ?? [];
  for (const { Key, Value } of changes) {
    const check = Key === undefined ? undefined : ATTRIBUTE_CHECKS[Key];
    if (!check) validationError(`Target group attribute key '${String(Key)}' is not recognized`);
    if (!check(Value ?? '')) validationError(`'${String(Value)}' is not a valid value for target group attribute '${Key}'`);
  }
  for (const { Key, Value } of changes) group.attributes[Key!] = Value ?? '';
  ctx.touch(keys.targetGroup(group.arn));
  return { Attributes: changes.map(({ Key, Value }) => ({ Key, Value: Value ?? '' })) };
}
