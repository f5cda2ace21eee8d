import { paginate } from '../common.js';
import { clusterNotFound, invalidParameter, serviceNotFound } from './errors.js';
import { nameOf, serviceArn, taskArn } from './ids.js';
import { clusterName, findService, requireCluster, requireService } from './resolve.js';
import type { EcsContext, ServiceDeploymentRecord, TaskRecord } from './state.js';
import { serviceDeploymentBrief, serviceDeploymentView, serviceView, taskView } from './views.js';

/**
 * The read operations: DescribeServices (at most 10 names; a missing service is not an error but a
 * `failures[]` entry with reason MISSING, which the ServicesStable waiter relies on — facts §2.3), ListTasks,
 * DescribeTasks (unknown tasks are MISSING failures), ListServiceDeployments (newest first, 20 per page by
 * default, 1..100) and DescribeServiceDeployments.
 */

const MAX_DESCRIBE_SERVICES = 10;
const MAX_DESCRIBE_TASKS = 100;

export function describeServices(ctx: EcsContext, input: Record<string, unknown>): unknown {
  const names = (input.services as string[] | undefined) ?? [];
  // "service names can have at most 10 items" is what AWS answers with 11 (seen from `aws ecs wait services-stable`).
  if (names.length > MAX_DESCRIBE_SERVICES) invalidParameter('service names can have at most 10 items.');
  const cluster = requireCluster(ctx.state, input.cluster);
  const include = (input.include as string[] | undefined) ?? [];
  const services: unknown[] = [];
  const failures: unknown[] = [];
  for (const name of names) {
    const service = findService(ctx.state, input.cluster, name);
    if (service) services.push(serviceView(ctx, service, include));
    else failures.push({ arn: name.startsWith('arn:') ? name : serviceArn(ctx, cluster.name, name), reason: 'MISSING' });
  }
  return { services, failures };
}

export function listTasks(ctx: EcsContext, input: Record<string, unknown>): unknown {
  const cluster = requireCluster(ctx.state, input.cluster);
  const maxResults = checkMaxResults(input.maxResults);
  const service = input.serviceName !== undefined ? requireService(ctx.state, input.cluster, input.serviceName) : undefined;
  const desired = (input.desiredStatus as string | undefined) ?? 'RUNNING';
  const family = input.family as string | undefined;
  const tasks = Object.values(ctx.state.tasks).filter(
    (t) =>
      t.cluster === cluster.name &&
      (!service || t.service === service.name) &&
      (desired === 'STOPPED' ? t.desiredStatus === 'STOPPED' : t.desiredStatus === 'RUNNING') &&
      (family === undefined || t.taskDefinitionArn.includes(`:task-definition/${family}:`)) &&
      (input.startedBy === undefined || t.deploymentId === input.startedBy) &&
      (input.launchType === undefined || t.launchType === input.launchType) &&
      input.containerInstance === undefined,
  );
  const { page, next } = paginate(tasks.sort(byCreation).map((t) => t.arn), input.nextToken, maxResults, 100);
  return { taskArns: page, ...(next ? { nextToken: next } : {}) };
}

function byCreation(a: TaskRecord, b: TaskRecord): number {
  return a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1);
}

function checkMaxResults(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (n < 1 || n > 100) invalidParameter('maxResults must be between 1 and 100.'); // UNVERIFIED wording
  return n;
}

export function describeTasks(ctx: EcsContext, input: Record<string, unknown>): unknown {
  const cluster = requireCluster(ctx.state, input.cluster);
  const ids = (input.tasks as string[] | undefined) ?? [];
  if (ids.length > MAX_DESCRIBE_TASKS) invalidParameter('tasks can have at most 100 items.');
  const include = (input.include as string[] | undefined) ?? [];
  const tasks: unknown[] = [];
  const failures: unknown[] = [];
  for (const identifier of ids) {
    const task = ctx.state.tasks[nameOf(identifier)];
    if (task && task.cluster === cluster.name) tasks.push(taskView(ctx, task, include));
    else failures.push({ arn: identifier.startsWith('arn:') ? identifier : taskArn(ctx, cluster.name, identifier), reason: 'MISSING' });
  }
  return { tasks, failures };
}

export function listServiceDeployments(ctx: EcsContext, input: Record<string, unknown>): unknown {
  if (!ctx.state.clusters[clusterName(input.cluster)]) clusterNotFound();
  const service = findService(ctx.state, input.cluster, String(input.service)) ?? serviceNotFound();
  const maxResults = checkMaxResults(input.maxResults) ?? 20;
  const statuses = input.status as string[] | undefined;
  const window = (input.createdAt as { before?: Date; after?: Date } | undefined) ?? {};
  const records = service.serviceDeploymentArns
    .map((arn) => ctx.state.serviceDeployments[arn])
    .filter((r): r is ServiceDeploymentRecord => r !== undefined)
    .filter((r) => (!statuses || statuses.includes(r.status)) && (!window.before || r.createdAt < window.before.getTime()) && (!window.after || r.createdAt > window.after.getTime()));
  const { page, next } = paginate(records, input.nextToken, maxResults, 100);
  return { serviceDeployments: page.map(serviceDeploymentBrief), ...(next ? { nextToken: next } : {}) };
}

export function describeServiceDeployments(ctx: EcsContext, input: Record<string, unknown>): unknown {
  const arns = (input.serviceDeploymentArns as string[] | undefined) ?? [];
  if (arns.length > 20) invalidParameter('serviceDeploymentArns can have at most 20 items.'); // UNVERIFIED limit and wording
  const serviceDeployments: unknown[] = [];
  const failures: unknown[] = [];
  for (const arn of arns) {
    const record = ctx.state.serviceDeployments[arn];
    if (record) serviceDeployments.push(serviceDeploymentView(ctx, record));
    else failures.push({ arn, reason: 'MISSING' });
  }
  return { serviceDeployments, failures };
}
