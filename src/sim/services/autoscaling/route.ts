/**
 * Traffic straight to a group (resource `<groupName>`), for groups without target groups: requests spread evenly
 * over the InService, healthy instances and are counted per app version into `Sim/AutoScalingGroup`
 * (RequestCount, 5XXError, Latency in ms). Groups behind target groups are routed by ELB, not here. With no
 * instance to serve, every request fails (like a load balancer's 503).
 */
import type { Flow, MetricSeries, ServiceContext } from '../../types.js';
import { groupKey, instancesOf } from './instances.js';
import type { AutoScalingState } from './state.js';

export const GROUP_NAMESPACE = 'Sim/AutoScalingGroup';

export function routeGroup(ctx: ServiceContext<AutoScalingState>, resource: string, rps: number, depend: (key: string) => void): Flow[] {
  depend(groupKey(resource));
  const series: MetricSeries[] = [
    { namespace: GROUP_NAMESPACE, dimensions: { AutoScalingGroupName: resource }, requests: 'RequestCount', errors: ['5XXError'], latency: { name: 'Latency', unit: 'Milliseconds' } },
  ];
  const serving = instancesOf(ctx, resource).filter((i) => i.lifecycle === 'InService' && i.health === 'Healthy' && ctx.world.version(i.version).healthy);
  if (!ctx.state.groups[resource] || rps <= 0) return [];
  if (serving.length === 0) return [{ rps, version: 'unavailable', errorRate: 1, latencyMs: 0, series }];
  const perVersion = new Map<string, number>();
  for (const instance of serving) perVersion.set(instance.version, (perVersion.get(instance.version) ?? 0) + 1);
  return [...perVersion.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([version, count]) => {
      const app = ctx.world.version(version);
      return { rps: (rps * count) / serving.length, version, errorRate: app.errorRate, latencyMs: app.latencyMs, series };
    });
}
