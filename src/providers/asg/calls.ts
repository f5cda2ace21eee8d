import { modeOf, type AsgTargetSpec } from './target.js';

/** Every read the provider makes (preflight, capture, adoption, progress, rollback waits). */
export const asgReadCalls = ['autoscaling:DescribeAutoScalingGroups', 'autoscaling:DescribeInstanceRefreshes', 'autoscaling:DescribeScalingActivities'] as const;

/** Every write, over both modes. */
export const asgWriteCalls = [
  'autoscaling:StartInstanceRefresh',
  'autoscaling:RollbackInstanceRefresh',
  'autoscaling:CancelInstanceRefresh',
  'autoscaling:UpdateAutoScalingGroup',
] as const;

export interface AsgCallsFor {
  readonly read: readonly string[];
  readonly write: readonly string[];
}

/**
 * The calls one target needs. Instance refresh: Start once, Describe to follow it; Rollback, or Cancel and a
 * second Start, on the way back, and UpdateAutoScalingGroup only to put a $Latest/$Default template back.
 * Blue-green: UpdateAutoScalingGroup on both groups; activities tell a new version failing its health checks.
 */
export function asgCallsFor(target: AsgTargetSpec): AsgCallsFor {
  if (modeOf(target) === 'twoGroups') {
    return { read: ['autoscaling:DescribeAutoScalingGroups', 'autoscaling:DescribeInstanceRefreshes', 'autoscaling:DescribeScalingActivities'], write: ['autoscaling:UpdateAutoScalingGroup'] };
  }
  return { read: ['autoscaling:DescribeAutoScalingGroups', 'autoscaling:DescribeInstanceRefreshes'], write: [...asgWriteCalls] };
}

export interface AsgResources {
  /** Written: the groups (the Auto Scaling write actions take the group ARN as resource). */
  readonly groups: readonly string[];
  /** IAM resource patterns for them (the group ARN's id part is not known from the spec). */
  readonly groupArnPatterns: readonly string[];
  /** Describe* take no resource-level permissions, so a policy grants them on "*". */
  readonly describeNeedsWildcard: true;
}

export function asgResources(target: AsgTargetSpec): AsgResources {
  const groups = [target.autoScalingGroupName, ...(target.newGroupName ? [target.newGroupName] : [])];
  return { groups, groupArnPatterns: groups.map((g) => `arn:aws:autoscaling:*:*:autoScalingGroup:*:autoScalingGroupName/${g}`), describeNeedsWildcard: true };
}
