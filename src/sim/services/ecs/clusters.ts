import type { Tag } from '@aws-sdk/client-ecs';
import { copy } from '../common.js';
import { clusterArn } from './ids.js';
import { clusterName } from './resolve.js';
import type { ClusterRecord, EcsContext, EcsState } from './state.js';

/**
 * CreateCluster and DescribeClusters. CreateCluster of an existing cluster returns it unchanged (AWS treats the
 * call as idempotent for an ACTIVE cluster); the default name is `default`. DescribeClusters reports unknown
 * clusters in `failures[]` with reason MISSING, like DescribeServices.
 */

export function createCluster(ctx: EcsContext, input: Record<string, unknown>): unknown {
  const name = typeof input.clusterName === 'string' && input.clusterName !== '' ? input.clusterName : 'default';
  const existing = ctx.state.clusters[name];
  if (existing) return { cluster: clusterView(ctx.state, existing, ['TAGS', 'SETTINGS']) };
  const cluster = newCluster(ctx, name, {
    tags: (input.tags as Tag[] | undefined) ?? [],
    settings: (input.settings as ClusterRecord['settings'] | undefined) ?? [],
    capacityProviders: (input.capacityProviders as string[] | undefined) ?? [],
  });
  return { cluster: clusterView(ctx.state, cluster, ['TAGS', 'SETTINGS']) };
}

export function newCluster(ctx: EcsContext, name: string, extra: Partial<Pick<ClusterRecord, 'tags' | 'settings' | 'capacityProviders'>> = {}): ClusterRecord {
  const cluster: ClusterRecord = { name, arn: clusterArn(ctx, name), status: 'ACTIVE', createdAt: ctx.now, tags: copy(extra.tags ?? []), settings: copy(extra.settings ?? []), capacityProviders: copy(extra.capacityProviders ?? []) };
  ctx.state.clusters[name] = cluster;
  return cluster;
}

export function describeClusters(ctx: EcsContext, input: Record<string, unknown>): unknown {
  const wanted = Array.isArray(input.clusters) && input.clusters.length > 0 ? (input.clusters as string[]) : ['default'];
  const include = (input.include as string[] | undefined) ?? [];
  const clusters: unknown[] = [];
  const failures: unknown[] = [];
  for (const identifier of wanted) {
    const cluster = ctx.state.clusters[clusterName(identifier)];
    if (cluster) clusters.push(clusterView(ctx.state, cluster, include));
    else failures.push({ arn: identifier.startsWith('arn:') ? identifier : clusterArn(ctx, identifier), reason: 'MISSING' });
  }
  return { clusters, failures };
}

function clusterView(state: EcsState, cluster: ClusterRecord, include: readonly string[]): Record<string, unknown> {
  const tasks = Object.values(state.tasks).filter((t) => t.cluster === cluster.name && t.lastStatus !== 'STOPPED');
  const services = Object.values(state.services).filter((s) => s.cluster === cluster.name && s.status === 'ACTIVE');
  return {
    clusterArn: cluster.arn,
    clusterName: cluster.name,
    status: cluster.status,
    registeredContainerInstancesCount: 0,
    runningTasksCount: tasks.filter((t) => t.lastStatus === 'RUNNING').length,
    pendingTasksCount: tasks.filter((t) => t.lastStatus === 'PROVISIONING' || t.lastStatus === 'PENDING').length,
    activeServicesCount: services.length,
    statistics: [],
    capacityProviders: copy(cluster.capacityProviders),
    defaultCapacityProviderStrategy: [],
    ...(include.includes('TAGS') ? { tags: copy(cluster.tags) } : {}),
    ...(include.includes('SETTINGS') ? { settings: copy(cluster.settings) } : {}),
  };
}
