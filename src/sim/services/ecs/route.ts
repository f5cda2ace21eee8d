import type { Flow, MetricSeries } from '../../types.js';
import { isServing, serviceTasks } from './taskLifecycle.js';
import { serviceKey, trafficKey, type EcsContext } from './state.js';

/**
 * Traffic for a service without a load balancer (service discovery style): requests arriving at
 * `<cluster>/<service>` spread evenly over its healthy RUNNING tasks, so each version gets the share of its
 * tasks. They count into Sim/ECSService {ClusterName, ServiceName}: RequestCount, 5XXError, Latency (ms).
 * With no healthy task every request fails. Services behind a load balancer get their traffic through ELB.
 */

export const ECS_NAMESPACE = 'Sim/ECSService';

export function route(ctx: EcsContext, resource: string, rps: number, depend: (key: string) => void): Flow[] {
  const slash = resource.indexOf('/');
  const cluster = resource.slice(0, slash);
  const name = resource.slice(slash + 1);
  depend(trafficKey(cluster, name));
  const service = ctx.state.services[serviceKey(cluster, name)];
  if (slash < 0 || !service || rps <= 0) return [];
  const series: MetricSeries[] = [{ namespace: ECS_NAMESPACE, dimensions: { ClusterName: cluster, ServiceName: name }, requests: 'RequestCount', errors: ['5XXError'], latency: { name: 'Latency', unit: 'Milliseconds' } }];
  const serving = serviceTasks(ctx, service).filter(isServing);
  if (serving.length === 0) return [{ rps, version: 'unavailable', errorRate: 1, latencyMs: 0, series }];
  const perVersion = new Map<string, number>();
  for (const task of serving) perVersion.set(task.version, (perVersion.get(task.version) ?? 0) + 1);
  return [...perVersion.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([version, count]) => {
    const behaviour = ctx.world.version(version);
    return { rps: (rps * count) / serving.length, version, errorRate: behaviour.errorRate, latencyMs: behaviour.latencyMs, series };
  });
}
