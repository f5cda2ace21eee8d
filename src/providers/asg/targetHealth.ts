import type { Activity, AutoScalingGroup } from '@aws-sdk/client-auto-scaling';
import { DescribeTargetHealthCommand, type ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { isAbortError } from '../../time/clock.js';
import { AsgCallError } from './api.js';
import { liveInstances } from './fleet.js';
import { targetGroupsOf } from './snapshot.js';

/** The engine's ELBv2 client, when it gives one (like the ECS provider's); built by the client factory, never here. */
export type ElbClientSource = () => Promise<ElasticLoadBalancingV2Client>;

function short(arn: string): string {
  const at = arn.indexOf('targetgroup/');
  return at >= 0 ? arn.slice(at) : arn;
}

/**
 * Instances of the group that the load balancer does not call healthy yet in every target group the group is
 * attached to (`i-1 initial (Elb.InitialHealthChecking) in targetgroup/web-green`). Auto Scaling reports an
 * instance Healthy during its grace period whatever the load balancer says, so traffic must wait for this.
 */
export async function notYetHealthyTargets(elb: ElbClientSource, group: AutoScalingGroup, label: string, signal: AbortSignal): Promise<string[]> {
  const client = await elb();
  const ids = liveInstances(group).map((i) => i.InstanceId ?? '');
  const waiting: string[] = [];
  for (const arn of targetGroupsOf(group)) {
    let health;
    try {
      health = await client.send(new DescribeTargetHealthCommand({ TargetGroupArn: arn }), { abortSignal: signal });
    } catch (error) {
      if (isAbortError(error)) throw error;
      throw new AsgCallError('DescribeTargetHealth', error instanceof Error ? error.name : '', label, error);
    }
    const states = new Map((health.TargetHealthDescriptions ?? []).map((d) => [d.Target?.Id ?? '', d.TargetHealth]));
    for (const id of ids) {
      const state = states.get(id);
      if (state?.State !== 'healthy') waiting.push(`${id} ${state ? `${state.State}${state.Reason ? ` (${state.Reason})` : ''}` : 'not registered'} in ${short(arn)}`);
    }
  }
  return waiting;
}

/**
 * Without an ELBv2 client: instances still inside their health check grace period (counted from the end of the
 * activity that launched them), when Auto Scaling would not yet have replaced an unhealthy one.
 */
export function inGracePeriod(group: AutoScalingGroup, activities: readonly Activity[], now: number): string[] {
  const grace = (group.HealthCheckGracePeriod ?? 0) * 1000;
  return liveInstances(group).flatMap((i) => {
    const launch = activities.find((a) => a.Description === `Launching a new EC2 instance: ${i.InstanceId}`);
    const since = launch?.EndTime?.getTime();
    return since !== undefined && since + grace > now ? [`${i.InstanceId} in its health check grace period for ${Math.ceil((since + grace - now) / 1000)}s more`] : [];
  });
}
