import type { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { findForward, totalWeight, weightOf } from '../alb/actions.js';
import { describeForward, resolveServing } from '../alb/checks.js';
import { AlbApi, type LiveTarget, type Where } from '../alb/live.js';
import { resolveTargetRef, shortGroup, type AlbRoles, type AlbTargetSpec } from '../alb/target.js';

/**
 * Read-only use of ELBv2 (the ALB provider owns every write): which target group serves today (ping-pong), whether
 * traffic has left the old side before it is scaled down, healthy targets of the new side, and the weights ECS
 * moves in a native deployment.
 */
export class ElbReader {
  private api: AlbApi | undefined;

  constructor(
    private readonly client: () => Promise<ElasticLoadBalancingV2Client>,
    private readonly label: string,
  ) {}

  private async alb(): Promise<AlbApi> {
    this.api ??= new AlbApi(await this.client(), this.label);
    return this.api;
  }

  async read(where: Where, signal: AbortSignal): Promise<LiveTarget> {
    return (await this.alb()).read(where, signal);
  }

  /** Targets of the group in state `healthy`. */
  async healthyTargets(groupArn: string, signal: AbortSignal): Promise<number> {
    const targets = await (await this.alb()).targetHealth(groupArn, signal);
    return targets.filter((t) => t.TargetHealth?.State === 'healthy').length;
  }
}

/** The listener or rule an ALB target shifts. */
export function whereOfAlb(alb: AlbTargetSpec): Where {
  const ref = resolveTargetRef(alb);
  return { resource: ref.resource, arn: ref.arn };
}

/** `…:listener-rule/…` is a rule; anything else (an NLB listener) a listener. */
export function whereOfArn(arn: string): Where {
  return { resource: arn.includes(':listener-rule/') ? 'rule' : 'listener', arn };
}

/** The roles of the spec, or (ping-pong) the group carrying all the forward weight today; a string says why not. */
export function servingRoles(alb: AlbTargetSpec, live: LiveTarget): AlbRoles | string {
  const ref = resolveTargetRef(alb);
  if (ref.groups.type === 'roles') return ref.groups.roles;
  const forward = findForward(live.actions);
  if (!forward.ok) return `${ref.resource} ${ref.arn} ${forward.problem}`;
  return resolveServing(forward.action, ref.groups.pair, `${ref.resource} ${ref.arn}`);
}

/** Percent of the forward weight on `group`, undefined when there is no forward action or no weight at all. */
export function shareOf(live: LiveTarget, group: string): number | undefined {
  const forward = findForward(live.actions);
  if (!forward.ok) return undefined;
  const total = totalWeight(forward.action);
  return total > 0 ? ((weightOf(forward.action, group) ?? 0) * 100) / total : undefined;
}

export function describeLive(live: LiveTarget): string {
  const forward = findForward(live.actions);
  return forward.ok ? `forwards to ${describeForward(forward.action)}` : forward.problem;
}

export { shortGroup };
