/**
 * The simulated EC2 Auto Scaling service: groups of instances launched from launch templates, registered into
 * ELB target groups, health-checked and replaced, and instance refresh with checkpoints, bake time, alarms and
 * rollback. Reached by real SDK clients over awsQuery through the wire layer.
 */
import type { SimService } from '../../types.js';
import { describeScalingActivities } from './activities.js';
import { advance, nextEventAt } from './advance.js';
import { reconcileCapacity } from './capacity.js';
import type { Ctx } from './errors.js';
import { createAutoScalingGroup, deleteAutoScalingGroup, setDesiredCapacity, updateAutoScalingGroup } from './groups.js';
import { cancelInstanceRefresh, describeInstanceRefreshes, rollbackInstanceRefresh } from './refresh/control.js';
import { startInstanceRefresh } from './refresh/start.js';
import { routeGroup } from './route.js';
import { seedAutoScaling } from './seed.js';
import { initialAutoScalingState, type AutoScalingState } from './state.js';
import { attachLoadBalancerTargetGroups, attachTrafficSources, describeLoadBalancerTargetGroups, describeTrafficSources } from './trafficSources.js';
import { describeAutoScalingGroups, describeAutoScalingInstances } from './views.js';

export type { AutoScalingState } from './state.js';
export { GROUP_NAMESPACE } from './route.js';

export const autoscalingService: SimService<AutoScalingState> = {
  name: 'autoscaling',
  initialState: initialAutoScalingState,
  operations: {
    CreateAutoScalingGroup: createAutoScalingGroup,
    DescribeAutoScalingGroups: describeAutoScalingGroups,
    UpdateAutoScalingGroup: updateAutoScalingGroup,
    SetDesiredCapacity: setDesiredCapacity,
    DeleteAutoScalingGroup: deleteAutoScalingGroup,
    DescribeAutoScalingInstances: describeAutoScalingInstances,
    AttachTrafficSources: attachTrafficSources,
    DescribeTrafficSources: describeTrafficSources,
    AttachLoadBalancerTargetGroups: attachLoadBalancerTargetGroups,
    DescribeLoadBalancerTargetGroups: describeLoadBalancerTargetGroups,
    StartInstanceRefresh: startInstanceRefresh,
    DescribeInstanceRefreshes: describeInstanceRefreshes,
    CancelInstanceRefresh: cancelInstanceRefresh,
    RollbackInstanceRefresh: rollbackInstanceRefresh,
    DescribeScalingActivities: describeScalingActivities,
  },
  nextEventAt,
  advance,
  route: routeGroup,
  drift: driftGroup,
  seed: seedAutoScaling,
};

/**
 * An out-of-band writer changes a group: `{ group, desiredCapacity?, launchTemplateVersion? }` (someone runs
 * set-desired-capacity or points the group at another launch template version behind the orchestrator's back).
 */
function driftGroup(clockCtx: Ctx, params: Readonly<Record<string, unknown>>): string {
  // Scheduled faults get a context at the clock's time; the writer acts at its own event time (world.state.now).
  const ctx: Ctx = { ...clockCtx, now: clockCtx.world.state.now };
  const name = String(params.group ?? '');
  const group = ctx.state.groups[name];
  if (!group) return `no Auto Scaling group ${JSON.stringify(name)} to change; nothing happened`;
  const changes: string[] = [];
  if (typeof params.desiredCapacity === 'number') {
    group.desiredCapacity = Math.min(group.maxSize, Math.max(group.minSize, Math.round(params.desiredCapacity)));
    changes.push(`desired capacity to ${group.desiredCapacity}`);
  }
  if (params.launchTemplateVersion !== undefined) {
    group.template = { id: group.template.id, name: group.template.name, version: String(params.launchTemplateVersion) };
    changes.push(`launch template version to ${group.template.version}`);
  }
  reconcileCapacity(ctx, group);
  return changes.length > 0 ? `someone else set Auto Scaling group ${name}'s ${changes.join(' and ')}` : `nothing to change on Auto Scaling group ${name}`;
}
