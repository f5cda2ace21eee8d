import { modeOf, type AsgTargetSpec } from './target.js';

/** Every read the provider makes (preflight, capture, adoption, progress, rollback waits; target health in blue-green). */
export const asgReadCalls = ['autoscaling:DescribeAutoScalingGroups', 'autoscaling:DescribeInstanceRefreshes', 'autoscaling:DescribeScalingActivities', 'elasticloadbalancing:DescribeTargetHealth'] as const;

/** Every write, over both modes. */
export const asgWriteCalls = [
  'autoscaling:StartInstanceRefresh',
  'autoscaling:RollbackInstanceRefresh',
  'autoscaling:CancelInstanceRefresh',
  'autoscaling:UpdateAutoScalingGroup',
] as const;

/**
 * Checked by AWS whenever a request names a launch template (StartInstanceRefresh with a DesiredConfiguration,
 * UpdateAutoScalingGroup with a LaunchTemplate): the caller must be allowed to launch from it (AWS guide "Control
 * Amazon EC2 launch template usage in Auto Scaling groups"), else "You are not authorized to use launch template".
 */
export const asgLaunchTemplatePermissions = [
  'ec2:RunInstances',
  'iam:PassRole (only when the launch template names an instance profile; scope it to that role, iam:PassedToService ec2.amazonaws.com)',
  'ec2:CreateTags (only when the launch template has tag specifications)',
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
    return { read: [...asgReadCalls], write: ['autoscaling:UpdateAutoScalingGroup'] };
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
