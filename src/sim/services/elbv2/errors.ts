import { fail } from '../common.js';
import type { Elbv2State, ListenerRecord, LoadBalancerRecord, RuleRecord, TargetGroupRecord } from './state.js';

/**
 * ELBv2's errors for semantic violations. Codes and HTTP statuses come from the model (elbv2.json);
 * `ValidationError` is the awsQuery common error AWS returns for parameter checks the model cannot express
 * (seen on the wire in e.g. pulumi/pulumi-aws#1824 and crossplane-contrib/provider-upjet-aws#1771).
 */
export function validationError(message: string): never {
  return fail('ValidationError', message, { httpStatus: 400, type: 'Sender' });
}

export function loadBalancerNotFound(names: readonly string[]): never {
  return fail('LoadBalancerNotFound', `Load balancers '[${names.join(', ')}]' not found`);
}

export function targetGroupNotFound(arns: readonly string[]): never {
  return fail('TargetGroupNotFound', `Target groups '[${arns.join(', ')}]' not found`);
}

export function listenerNotFound(arn: string): never {
  return fail('ListenerNotFound', `Listener '${arn}' not found`);
}

export function ruleNotFound(arns: readonly string[]): never {
  return fail('RuleNotFound', `One or more rules not found: '[${arns.join(', ')}]'`);
}

export function requireLoadBalancer(state: Elbv2State, arn: unknown): LoadBalancerRecord {
  const lb = typeof arn === 'string' ? state.loadBalancers[arn] : undefined;
  return lb ?? loadBalancerNotFound([String(arn)]);
}

export function requireTargetGroup(state: Elbv2State, arn: unknown): TargetGroupRecord {
  const group = typeof arn === 'string' ? state.targetGroups[arn] : undefined;
  return group ?? targetGroupNotFound([String(arn)]);
}

export function requireListener(state: Elbv2State, arn: unknown): ListenerRecord {
  const listener = typeof arn === 'string' ? state.listeners[arn] : undefined;
  return listener ?? listenerNotFound(String(arn));
}

export function requireRule(state: Elbv2State, arn: unknown): RuleRecord {
  const rule = typeof arn === 'string' ? state.rules[arn] : undefined;
  return rule ?? ruleNotFound([String(arn)]);
}
