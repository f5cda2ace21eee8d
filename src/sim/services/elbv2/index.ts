import type { SimService } from '../../types.js';
import type { TargetRegistry } from '../contracts.js';
import { describeTargetGroupAttributes, modifyTargetGroupAttributes } from './attributes.js';
import { drift } from './drift.js';
import { applyHealthEvents, nextHealthEvent } from './health.js';
import { createListener, deleteListener, describeListeners, modifyListener } from './listeners.js';
import { createLoadBalancer, describeLoadBalancers } from './loadBalancers.js';
import { route } from './route.js';
import { createRule, deleteRule, describeRules, modifyRule, setRulePriorities } from './rules.js';
import { seedElbv2 } from './seed.js';
import { initialElbv2State, type Elbv2State } from './state.js';
import { addTags, describeTags } from './tags.js';
import { createTargetGroup, deleteTargetGroup, describeTargetGroups, modifyTargetGroup } from './targetGroups.js';
import { deregisterTargets, describeTargetHealth, registerTargets, targetRegistryOf } from './targets.js';

/**
 * The simulated Elastic Load Balancing v2 (Application Load Balancers): load balancers, target groups with
 * targets whose health changes over time, listeners and rules with weighted forward actions, tags; the traffic
 * model that turns requests at a listener, rule or DNS name into per-version flows and AWS/ApplicationELB
 * metrics; the out-of-band writer; and the target registry Auto Scaling and ECS register into.
 */
export const elbv2Service: SimService<Elbv2State> & { readonly targets: TargetRegistry } = {
  name: 'elbv2',
  initialState: initialElbv2State,
  operations: {
    CreateLoadBalancer: createLoadBalancer,
    DescribeLoadBalancers: describeLoadBalancers,
    CreateTargetGroup: createTargetGroup,
    DescribeTargetGroups: describeTargetGroups,
    ModifyTargetGroup: modifyTargetGroup,
    DescribeTargetGroupAttributes: describeTargetGroupAttributes,
    ModifyTargetGroupAttributes: modifyTargetGroupAttributes,
    DeleteTargetGroup: deleteTargetGroup,
    RegisterTargets: registerTargets,
    DeregisterTargets: deregisterTargets,
    DescribeTargetHealth: describeTargetHealth,
    CreateListener: createListener,
    DescribeListeners: describeListeners,
    ModifyListener: modifyListener,
    DeleteListener: deleteListener,
    CreateRule: createRule,
    DescribeRules: describeRules,
    ModifyRule: modifyRule,
    DeleteRule: deleteRule,
    SetRulePriorities: setRulePriorities,
    AddTags: addTags,
    DescribeTags: describeTags,
  },
  nextEventAt: (ctx) => nextHealthEvent(ctx.state),
  advance: applyHealthEvents,
  route,
  drift,
  seed: seedElbv2,
  targets: targetRegistryOf({ name: 'elbv2' }),
};

export type { Elbv2State };
