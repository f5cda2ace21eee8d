import type { DeploymentConfiguration, LoadBalancer, NetworkConfiguration, Tag } from '@aws-sdk/client-ecs';
import { targetRegistry } from '../contracts.js';
import { copy } from '../common.js';
import { mergeConfiguration, validateConfiguration } from './config.js';
import { startDeployment } from './deployments.js';
import { invalidParameter, serviceNotActive, serviceNotFound, taskDefinitionNotFound } from './errors.js';
import { serviceView } from './views.js';
import { clusterArn, serviceArn } from './ids.js';
import { requireCluster, requireDeployableTaskDefinition, requireService, taskDefinitionByArn } from './resolve.js';
import { serviceKey, type EcsContext, type ServiceRecord, type TaskDefinitionRecord } from './state.js';

/**
 * CreateService, UpdateService, DeleteService (API reference; facts §2.3):
 * - a service name is unique per cluster while ACTIVE or DRAINING ("Creation of service was not idempotent.",
 *   unless the same clientToken repeats the call); an INACTIVE one can be created again;
 * - UpdateService starts a new deployment when the task definition (resolved to an ARN), the load balancers or
 *   the network configuration change, or with forceNewDeployment; desiredCount and deploymentConfiguration alone
 *   do not; members of deploymentConfiguration that are given replace the stored ones, the others stay;
 * - a DRAINING or INACTIVE service cannot be updated (ServiceNotActiveException);
 * - DeleteService refuses a service scaled above 0 unless forced; the service drains, then becomes INACTIVE.
 * Only the ECS deployment controller and the REPLICA scheduling strategy are simulated.
 */

export function createService(ctx: EcsContext, input: Record<string, unknown>): unknown {
  const cluster = requireCluster(ctx.state, input.cluster);
  const name = String(input.serviceName);
  const existing = ctx.state.services[serviceKey(cluster.name, name)];
  if (existing && existing.status !== 'INACTIVE') {
    if (input.clientToken !== undefined && existing.clientToken === input.clientToken) return { service: serviceView(ctx, existing) };
    invalidParameter('Creation of service was not idempotent.');
  }
  const controller = String((input.deploymentController as { type?: string } | undefined)?.type ?? 'ECS');
  const config = mergeConfiguration(undefined, input.deploymentConfiguration as DeploymentConfiguration | undefined);
  const loadBalancers = copy((input.loadBalancers as LoadBalancer[] | undefined) ?? []);
  validateConfiguration(config, controller, loadBalancers);
  checkSupported(controller, input.schedulingStrategy);
  if (input.taskDefinition === undefined) invalidParameter('Task Definition can not be blank.'); // UNVERIFIED wording
  const definition = requireDeployableTaskDefinition(ctx.state, input.taskDefinition);
  if (typeof input.desiredCount !== 'number') invalidParameter('desiredCount is required for a service with the REPLICA scheduling strategy.'); // UNVERIFIED wording
  checkLoadBalancers(ctx, loadBalancers, definition);
  const service = newServiceRecord(ctx, cluster.name, name, input, { config, loadBalancers, definition });
  ctx.state.services[serviceKey(cluster.name, name)] = service;
  startDeployment(ctx, service, definition.arn);
  return { service: serviceView(ctx, service) };
}

function checkSupported(controller: string, scheduling: unknown): void {
  if (controller !== 'ECS') invalidParameter(`The simulated ECS supports the ECS deployment controller only, not ${controller}.`);
  if (scheduling !== undefined && scheduling !== 'REPLICA') invalidParameter('The simulated ECS supports the REPLICA scheduling strategy only.');
}

interface NewServiceParts {
  readonly config: DeploymentConfiguration;
  readonly loadBalancers: LoadBalancer[];
  readonly definition: TaskDefinitionRecord;
}

export function newServiceRecord(ctx: EcsContext, cluster: string, name: string, input: Record<string, unknown>, parts: NewServiceParts): ServiceRecord {
  const service: ServiceRecord = {
    name,
    cluster,
    arn: serviceArn(ctx, cluster, name),
    clusterArn: clusterArn(ctx, cluster),
    status: 'ACTIVE',
    desiredCount: Number(input.desiredCount ?? 0),
    taskDefinitionArn: parts.definition.arn,
    launchType: String(input.launchType ?? 'EC2'),
    loadBalancers: parts.loadBalancers,
    deploymentConfiguration: parts.config,
    deploymentControllerType: 'ECS',
    schedulingStrategy: 'REPLICA',
    propagateTags: String(input.propagateTags ?? 'NONE'),
    enableECSManagedTags: input.enableECSManagedTags === true,
    enableExecuteCommand: input.enableExecuteCommand === true,
    tags: copy((input.tags as Tag[] | undefined) ?? []),
    createdAt: ctx.now,
    deployments: [],
    events: [],
    serviceDeploymentArns: [],
    steady: false,
  };
  optionalMembers(service, input);
  return service;
}

function optionalMembers(service: ServiceRecord, input: Record<string, unknown>): void {
  if (input.platformVersion !== undefined) service.platformVersion = String(input.platformVersion);
  else if (service.launchType === 'FARGATE') service.platformVersion = 'LATEST';
  if (input.networkConfiguration !== undefined) service.networkConfiguration = copy(input.networkConfiguration as NetworkConfiguration);
  if (input.healthCheckGracePeriodSeconds !== undefined) service.healthCheckGracePeriodSeconds = Number(input.healthCheckGracePeriodSeconds);
  if (input.availabilityZoneRebalancing !== undefined) service.availabilityZoneRebalancing = String(input.availabilityZoneRebalancing);
  if (input.role !== undefined) service.role = String(input.role);
  if (input.clientToken !== undefined) service.clientToken = String(input.clientToken);
}

/** Target groups must name a container and port of the task definition, and exist when ELBv2 is simulated. */
export function checkLoadBalancers(ctx: EcsContext, loadBalancers: readonly LoadBalancer[], definition: TaskDefinitionRecord): void {
  const registry = targetRegistry(ctx.world);
  for (const lb of loadBalancers) {
    if (!lb.targetGroupArn) invalidParameter('The simulated ECS supports target groups (Application and Network Load Balancers) only; targetGroupArn is required.');
    if (!lb.containerName || lb.containerPort === undefined) invalidParameter('containerName and containerPort are required for each load balancer.'); // UNVERIFIED wording
    if (!definition.containerDefinitions.some((c) => c.name === lb.containerName)) invalidParameter(`The container ${lb.containerName} does not exist in the task definition.`);
    for (const group of [lb.targetGroupArn, lb.advancedConfiguration?.alternateTargetGroupArn]) {
      if (group && registry && !registry.exists(ctx.world, group)) invalidParameter(`The target group with targetGroupArn ${group} does not exist.`); // UNVERIFIED wording
    }
  }
}

export function updateService(ctx: EcsContext, input: Record<string, unknown>): unknown {
  const service = requireService(ctx.state, input.cluster, input.service);
  if (service.status !== 'ACTIVE') serviceNotActive();
  const definition = input.taskDefinition !== undefined ? requireDeployableTaskDefinition(ctx.state, input.taskDefinition) : undefined;
  const config = mergeConfiguration(service.deploymentConfiguration, input.deploymentConfiguration as DeploymentConfiguration | undefined);
  const loadBalancers = input.loadBalancers !== undefined ? copy(input.loadBalancers as LoadBalancer[]) : service.loadBalancers;
  validateConfiguration(config, service.deploymentControllerType, loadBalancers);
  const deployed = definition ?? taskDefinitionByArn(ctx.state, service.taskDefinitionArn) ?? taskDefinitionNotFound();
  if (input.loadBalancers !== undefined) checkLoadBalancers(ctx, loadBalancers, deployed);
  const redeploy = needsNewDeployment(service, input, definition, loadBalancers);
  applyUpdate(ctx, service, input, config, loadBalancers);
  if (redeploy) startDeployment(ctx, service, definition?.arn ?? service.taskDefinitionArn);
  return { service: serviceView(ctx, service) };
}

function needsNewDeployment(service: ServiceRecord, input: Record<string, unknown>, definition: TaskDefinitionRecord | undefined, loadBalancers: readonly LoadBalancer[]): boolean {
  const changed = (a: unknown, b: unknown): boolean => JSON.stringify(a ?? null) !== JSON.stringify(b ?? null);
  return (
    input.forceNewDeployment === true ||
    (definition !== undefined && definition.arn !== service.taskDefinitionArn) ||
    changed(loadBalancers, service.loadBalancers) ||
    (input.networkConfiguration !== undefined && changed(input.networkConfiguration, service.networkConfiguration)) ||
    (input.platformVersion !== undefined && input.platformVersion !== service.platformVersion)
  );
}

function applyUpdate(ctx: EcsContext, service: ServiceRecord, input: Record<string, unknown>, config: DeploymentConfiguration, loadBalancers: LoadBalancer[]): void {
  if (typeof input.desiredCount === 'number' && input.desiredCount !== service.desiredCount) {
    service.desiredCount = input.desiredCount;
    service.steady = false;
  }
  service.deploymentConfiguration = config;
  service.loadBalancers = loadBalancers;
  if (input.networkConfiguration !== undefined) service.networkConfiguration = copy(input.networkConfiguration as NetworkConfiguration);
  if (input.platformVersion !== undefined) service.platformVersion = String(input.platformVersion);
  if (input.healthCheckGracePeriodSeconds !== undefined) service.healthCheckGracePeriodSeconds = Number(input.healthCheckGracePeriodSeconds);
  if (input.enableExecuteCommand !== undefined) service.enableExecuteCommand = input.enableExecuteCommand === true;
  if (input.enableECSManagedTags !== undefined) service.enableECSManagedTags = input.enableECSManagedTags === true;
  if (input.propagateTags !== undefined) service.propagateTags = String(input.propagateTags);
  if (input.availabilityZoneRebalancing !== undefined) service.availabilityZoneRebalancing = String(input.availabilityZoneRebalancing);
  service.tickAt = ctx.now;
}

export function deleteService(ctx: EcsContext, input: Record<string, unknown>): unknown {
  const service = requireService(ctx.state, input.cluster, input.service);
  if (service.status === 'INACTIVE') serviceNotFound();
  if (service.status === 'ACTIVE') {
    if (service.desiredCount > 0 && input.force !== true) invalidParameter('The service cannot be stopped while it is scaled above 0.');
    service.status = 'DRAINING';
    service.desiredCount = 0;
    service.tickAt = ctx.now;
  }
  return { service: serviceView(ctx, service) };
}
