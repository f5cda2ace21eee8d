import type { Service, TaskDefinition } from '@aws-sdk/client-ecs';
import type { Plan } from '../../strategies/types.js';
import { describeDeployments, isSteady, primaryOf } from './live.js';
import { shortGroup } from './elb.js';
import { shortTaskDefinition } from './target.js';

/**
 * Pure preflight findings over what ECS returned. Each message names the service, what was found and what is
 * needed.
 */

export function serviceName(service: Service): string {
  const cluster = service.clusterArn?.split('/').pop() ?? '?';
  return `${cluster}/${service.serviceName ?? '?'}`;
}

/** deployctl drives REPLICA services of the ECS deployment controller, one deployment at a time. */
export function serviceProblems(service: Service): string[] {
  const name = `service ${serviceName(service)}`;
  const problems: string[] = [];
  if (service.status !== 'ACTIVE') problems.push(`${name} is ${String(service.status)}, not ACTIVE`);
  const controller = service.deploymentController?.type ?? 'ECS';
  if (controller !== 'ECS') problems.push(`${name} uses the ${controller} deployment controller; deployctl drives services of the ECS deployment controller only`);
  if (service.schedulingStrategy === 'DAEMON') problems.push(`${name} uses the DAEMON scheduling strategy; deployctl drives REPLICA services (a daemon has no desired count to split or surge)`);
  return problems;
}

/** A deployment still running (or stalled) must finish first: capturing mid-deployment would restore a half state. */
export function steadyProblems(service: Service): string[] {
  const deployments = service.deployments ?? [];
  const primary = primaryOf(service);
  if (deployments.length > 1 || (primary?.rolloutState !== undefined && primary.rolloutState !== 'COMPLETED')) {
    return [`service ${serviceName(service)} has a deployment in progress or stalled: ${describeDeployments(service)}; wait for it to finish or roll it back first`];
  }
  return [];
}

/** Not an error: tasks are being replaced or scaled; worth saying before a rollout starts. */
export function steadyWarnings(service: Service): string[] {
  if (steadyProblems(service).length > 0 || isSteady(service)) return [];
  return [`service ${serviceName(service)} runs ${service.runningCount ?? 0} of ${service.desiredCount ?? 0} desired tasks right now`];
}

/** The new task definition exists, is ACTIVE, and has the containers and ports the load balancers name. */
export function taskDefinitionProblems(given: string, definition: TaskDefinition | undefined, services: readonly Service[]): string[] {
  if (!definition) return [`task definition ${given} does not exist (DescribeTaskDefinition found nothing)`];
  const name = shortTaskDefinition(definition.taskDefinitionArn ?? given);
  if (definition.status !== undefined && definition.status !== 'ACTIVE') return [`task definition ${name} is ${definition.status}; only ACTIVE task definitions can be deployed`];
  const problems: string[] = [];
  for (const service of services) {
    for (const lb of service.loadBalancers ?? []) {
      const container = definition.containerDefinitions?.find((c) => c.name === lb.containerName);
      const where = `service ${serviceName(service)} sends ${lb.targetGroupArn ? shortGroup(lb.targetGroupArn) : 'its load balancer'} to container ${String(lb.containerName)} port ${String(lb.containerPort)}`;
      if (!container) problems.push(`${where}, but task definition ${name} has no container named ${String(lb.containerName)} (it has ${(definition.containerDefinitions ?? []).map((c) => c.name).join(', ') || 'none'})`);
      else if (lb.containerPort !== undefined && !(container.portMappings ?? []).some((p) => p.containerPort === lb.containerPort)) {
        problems.push(`${where}, but in task definition ${name} that container maps ports ${(container.portMappings ?? []).map((p) => p.containerPort).join(', ') || 'none'}`);
      }
    }
  }
  return problems;
}

export function circuitBreakerWarning(service: Service): string[] {
  if (service.deploymentConfiguration?.deploymentCircuitBreaker?.enable) return [];
  return [
    `the deployment circuit breaker is off on service ${serviceName(service)}: ECS keeps replacing tasks that fail to start; deployctl reports the ` +
      `deployment failed when it stops making progress, or when a gate fires`,
  ];
}

/** Target groups a service registers its tasks in. */
export function groupsOf(service: Service): string[] {
  return (service.loadBalancers ?? []).flatMap((lb) => (lb.targetGroupArn ? [lb.targetGroupArn] : []));
}

export function attachedTo(service: Service, group: string): boolean {
  return groupsOf(service).includes(group);
}

export function describeGroups(service: Service): string {
  const groups = groupsOf(service);
  return groups.length === 0 ? 'no target group' : groups.map(shortGroup).join(' and ');
}

/** In split mode traffic may move only once the new side is up: a setWeight before deployCapacity 100 is refused. */
export function splitPlanProblems(plan: Plan, where: string): string[] {
  const firstWeight = plan.steps.findIndex((s) => s.type === 'setWeight');
  const full = plan.steps.findIndex((s) => s.type === 'deployCapacity' && s.percent === 100);
  if (full < 0) return [`${where}: the plan never brings the new service to 100% (deployCapacity 100) before traffic moves to it`];
  if (firstWeight >= 0 && firstWeight < full) return [`${where}: the plan shifts traffic (step ${firstWeight + 1}) before the new service is fully up (deployCapacity 100 at step ${full + 1})`];
  return [];
}
