import { resolveTargetRef, type AlbTargetSpec } from './target.js';

/** Every read the provider makes (preflight, capture, read-before-write, read-back). */
export const albReadCalls = [
  'elasticloadbalancing:DescribeListeners',
  'elasticloadbalancing:DescribeRules',
  'elasticloadbalancing:DescribeTargetGroups',
  'elasticloadbalancing:DescribeTargetHealth',
] as const;

/** Every write: one of the two, by target (a listener's default action or a rule's actions). */
export const albWriteCalls = ['elasticloadbalancing:ModifyListener', 'elasticloadbalancing:ModifyRule'] as const;

export interface AlbCallsFor {
  readonly read: readonly string[];
  readonly write: readonly string[];
}

/** The calls one target needs: DescribeListeners or DescribeRules, ModifyListener or ModifyRule. */
export function albCallsFor(target: AlbTargetSpec): AlbCallsFor {
  const ref = resolveTargetRef(target);
  const listener = ref.resource === 'listener';
  return {
    read: [listener ? 'elasticloadbalancing:DescribeListeners' : 'elasticloadbalancing:DescribeRules', 'elasticloadbalancing:DescribeTargetGroups', 'elasticloadbalancing:DescribeTargetHealth'],
    write: [listener ? 'elasticloadbalancing:ModifyListener' : 'elasticloadbalancing:ModifyRule'],
  };
}

export interface AlbResources {
  /** Written: the listener or the rule. ModifyListener/ModifyRule take resource-level permissions on it. */
  readonly written: readonly string[];
  /** Read: the listener or rule and the target groups. */
  readonly read: readonly string[];
  /**
   * The ELBv2 Describe* actions take no resource-level permissions (Service Authorization Reference: no resource
   * type), so an IAM policy must grant them on "*"; `read` is for `deployctl plan` to show what is looked at.
   */
  readonly describeNeedsWildcard: true;
}

export function albResourceArns(target: AlbTargetSpec): AlbResources {
  const ref = resolveTargetRef(target);
  const groups = ref.groups.type === 'roles' ? [ref.groups.roles.stable, ref.groups.roles.canary] : [...ref.groups.pair];
  return { written: [ref.arn], read: [ref.arn, ...groups], describeNeedsWildcard: true };
}
