import { copy, date } from '../common.js';
import { serviceTasks } from './taskLifecycle.js';
import type { DeploymentRecord, EcsContext, ServiceDeploymentRecord, ServiceRecord, TaskRecord } from './state.js';

/**
 * Outputs shaped like the SDK's: Service, Deployment, ServiceDeployment, Task (copies, never state).
 * runningCount counts RUNNING tasks ECS wants running, pendingCount PROVISIONING and PENDING ones; an ACTIVE
 * deployment's desiredCount is the number of its tasks still to be replaced.
 */

interface Counts {
  running: number;
  pending: number;
  live: number;
}

function counts(tasks: readonly TaskRecord[]): Counts {
  const live = tasks.filter((t) => t.desiredStatus === 'RUNNING');
  return { running: live.filter((t) => t.lastStatus === 'RUNNING').length, pending: live.filter((t) => t.lastStatus === 'PROVISIONING' || t.lastStatus === 'PENDING').length, live: live.length };
}

export function serviceView(ctx: EcsContext, service: ServiceRecord, include: readonly string[] = []): Record<string, unknown> {
  const tasks = serviceTasks(ctx, service);
  const total = counts(tasks);
  return {
    serviceArn: service.arn,
    serviceName: service.name,
    clusterArn: service.clusterArn,
    loadBalancers: copy(service.loadBalancers),
    serviceRegistries: [],
    status: service.status,
    desiredCount: service.desiredCount,
    runningCount: total.running,
    pendingCount: total.pending,
    launchType: service.launchType,
    ...(service.platformVersion !== undefined ? { platformVersion: service.platformVersion } : {}),
    taskDefinition: service.taskDefinitionArn,
    deploymentConfiguration: copy(service.deploymentConfiguration),
    deployments: service.deployments.map((d) => deploymentView(service, d, tasks)),
    ...(service.role !== undefined ? { roleArn: service.role } : {}),
    events: service.events.map((e) => ({ id: e.id, createdAt: date(e.createdAt), message: e.message })),
    createdAt: date(service.createdAt),
    ...(service.serviceDeploymentArns[0] ? { currentServiceDeployment: service.serviceDeploymentArns[0] } : {}),
    currentServiceRevisions: service.deployments.map((d) => revisionSummary(d.revisionArn, service, tasks)),
    placementConstraints: [],
    placementStrategy: [],
    ...(service.networkConfiguration ? { networkConfiguration: copy(service.networkConfiguration) } : {}),
    ...(service.healthCheckGracePeriodSeconds !== undefined ? { healthCheckGracePeriodSeconds: service.healthCheckGracePeriodSeconds } : {}),
    schedulingStrategy: service.schedulingStrategy,
    deploymentController: { type: service.deploymentControllerType },
    enableECSManagedTags: service.enableECSManagedTags,
    propagateTags: service.propagateTags,
    enableExecuteCommand: service.enableExecuteCommand,
    ...(service.availabilityZoneRebalancing ? { availabilityZoneRebalancing: service.availabilityZoneRebalancing } : {}),
    ...(include.includes('TAGS') ? { tags: copy(service.tags) } : {}),
  };
}

function deploymentView(service: ServiceRecord, deployment: DeploymentRecord, tasks: readonly TaskRecord[]): Record<string, unknown> {
  const own = counts(tasks.filter((t) => t.deploymentId === deployment.id));
  return {
    id: deployment.id,
    status: deployment.status,
    taskDefinition: deployment.taskDefinitionArn,
    desiredCount: deployment.status === 'PRIMARY' ? service.desiredCount : own.live,
    pendingCount: own.pending,
    runningCount: own.running,
    failedTasks: deployment.failedTasks,
    createdAt: date(deployment.createdAt),
    updatedAt: date(deployment.updatedAt),
    launchType: service.launchType,
    ...(service.platformVersion !== undefined ? { platformVersion: service.platformVersion } : {}),
    ...(service.networkConfiguration ? { networkConfiguration: copy(service.networkConfiguration) } : {}),
    rolloutState: deployment.rolloutState,
    rolloutStateReason: deployment.rolloutStateReason,
  };
}

/** Task counts of a service revision: the tasks of every deployment of the service running it. */
export function revisionSummary(arn: string, service: ServiceRecord, tasks: readonly TaskRecord[]): Record<string, unknown> {
  const deployments = service.deployments.filter((d) => d.revisionArn === arn);
  const own = counts(tasks.filter((t) => deployments.some((d) => d.id === t.deploymentId)));
  const requested = deployments.some((d) => d.status === 'PRIMARY' && d.rolloutState !== 'FAILED') ? service.desiredCount : own.live;
  return { arn, requestedTaskCount: requested, runningTaskCount: own.running, pendingTaskCount: own.pending };
}

export function serviceDeploymentView(ctx: EcsContext, record: ServiceDeploymentRecord): Record<string, unknown> {
  const service = ctx.state.services[`${record.cluster}/${record.service}`];
  const tasks = service ? serviceTasks(ctx, service) : [];
  const summary = (arn: string): Record<string, unknown> => (service ? revisionSummary(arn, service, tasks) : { arn, requestedTaskCount: 0, runningTaskCount: 0, pendingTaskCount: 0 });
  return {
    serviceDeploymentArn: record.arn,
    serviceArn: record.serviceArn,
    clusterArn: record.clusterArn,
    createdAt: date(record.createdAt),
    startedAt: date(record.startedAt),
    updatedAt: date(record.updatedAt),
    ...(record.finishedAt !== undefined ? { finishedAt: date(record.finishedAt) } : {}),
    ...(record.stoppedAt !== undefined ? { stoppedAt: date(record.stoppedAt) } : {}),
    sourceServiceRevisions: record.sourceRevisionArns.map((arn) => withWeight(summary(arn), record, service, false)),
    targetServiceRevision: withWeight(summary(record.targetRevisionArn), record, service, true),
    status: record.status,
    ...(record.statusReason !== undefined ? { statusReason: record.statusReason } : {}),
    ...(record.lifecycleStage !== undefined ? { lifecycleStage: record.lifecycleStage } : {}),
    deploymentConfiguration: copy(record.deploymentConfiguration),
    ...(record.rollback ? { rollback: { reason: record.rollback.reason, startedAt: date(record.rollback.startedAt), serviceRevisionArn: record.rollback.serviceRevisionArn } } : {}),
    deploymentCircuitBreaker: copy(record.circuitBreaker),
    alarms: copy(record.alarms),
  };
}

/** Native strategies: the production traffic share of each revision (tracked while the shift runs). */
function withWeight(summary: Record<string, unknown>, record: ServiceDeploymentRecord, service: ServiceRecord | undefined, target: boolean): Record<string, unknown> {
  if (record.lifecycleStage === undefined) return summary;
  const shifting = service?.native?.deploymentId !== undefined && service.deployments[0]?.serviceDeploymentArn === record.arn;
  const green = shifting ? service!.native!.greenPercent : record.status === 'SUCCESSFUL' ? 100 : 0;
  return { ...summary, requestedProductionTrafficWeight: target ? green : 100 - green };
}

export function serviceDeploymentBrief(record: ServiceDeploymentRecord): Record<string, unknown> {
  return {
    serviceDeploymentArn: record.arn,
    serviceArn: record.serviceArn,
    clusterArn: record.clusterArn,
    startedAt: date(record.startedAt),
    createdAt: date(record.createdAt),
    ...(record.finishedAt !== undefined ? { finishedAt: date(record.finishedAt) } : {}),
    targetServiceRevisionArn: record.targetRevisionArn,
    status: record.status,
    ...(record.statusReason !== undefined ? { statusReason: record.statusReason } : {}),
  };
}

export function taskView(ctx: EcsContext, task: TaskRecord, include: readonly string[] = []): Record<string, unknown> {
  const at = (ms: number | undefined, reached: boolean): Date | undefined => (ms !== undefined && reached ? date(ms) : undefined);
  const started = task.lastStatus !== 'PROVISIONING' && task.lastStatus !== 'PENDING' && task.runningAt !== undefined && task.runningAt <= (task.stoppingAt ?? Infinity);
  const attachmentId = `${task.id.slice(0, 8)}-${task.id.slice(8, 12)}-${task.id.slice(12, 16)}-${task.id.slice(16, 20)}-${task.id.slice(20)}`;
  const view: Record<string, unknown> = {
    attachments: [{ id: attachmentId, type: 'ElasticNetworkInterface', status: task.lastStatus === 'STOPPED' ? 'DELETED' : 'ATTACHED', details: [{ name: 'privateIPv4Address', value: task.ip }] }],
    attributes: [],
    availabilityZone: task.availabilityZone,
    clusterArn: ctx.state.clusters[task.cluster]?.arn,
    connectivity: task.lastStatus === 'PROVISIONING' ? 'DISCONNECTED' : 'CONNECTED',
    containers: [containerView(task, attachmentId)],
    createdAt: date(task.createdAt),
    desiredStatus: task.desiredStatus,
    group: `service:${task.service}`,
    healthStatus: task.health,
    lastStatus: task.lastStatus,
    launchType: task.launchType,
    pullStartedAt: at(task.pendingAt, task.lastStatus !== 'PROVISIONING'),
    pullStoppedAt: at(task.runningAt, started),
    startedAt: at(task.runningAt, started),
    startedBy: task.deploymentId,
    stopCode: task.stopCode,
    stoppedReason: task.stoppedReason,
    stoppingAt: at(task.stoppingAt, true),
    stoppedAt: at(task.stoppedAt, true),
    executionStoppedAt: at(task.stoppedAt, true),
    taskArn: task.arn,
    taskDefinitionArn: task.taskDefinitionArn,
    version: versionNumber(task),
    ...(include.includes('TAGS') ? { tags: [] } : {}),
  };
  return Object.fromEntries(Object.entries(view).filter(([, v]) => v !== undefined));
}

function containerView(task: TaskRecord, attachmentId: string): Record<string, unknown> {
  return {
    containerArn: task.arn.replace(':task/', ':container/') + `/${attachmentId}`,
    taskArn: task.arn,
    name: task.containerName,
    image: task.image,
    lastStatus: task.lastStatus === 'DEACTIVATING' ? 'RUNNING' : task.lastStatus,
    networkInterfaces: [{ attachmentId, privateIpv4Address: task.ip }],
    networkBindings: [{ bindIP: task.ip, containerPort: task.port, hostPort: task.port, protocol: 'tcp' }],
    healthStatus: task.health,
    ...(task.lastStatus === 'STOPPED' ? { exitCode: task.stopCode === 'ServiceSchedulerInitiated' ? 143 : 0 } : {}),
  };
}

/** ECS increments a task's version on every state change. */
function versionNumber(task: TaskRecord): number {
  const steps = ['PROVISIONING', 'PENDING', 'RUNNING', 'DEACTIVATING', 'STOPPING', 'STOPPED'];
  return steps.indexOf(task.lastStatus) + 1 + (task.health === 'UNKNOWN' ? 0 : 1);
}
