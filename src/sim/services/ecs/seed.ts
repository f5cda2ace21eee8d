/**
 * The `ecs:` section of a world file (documented in docs/worlds.md, "## ecs"):
 *
 *   ecs:
 *     alarmBakeSeconds: 300            # optional: bake of deployments with alarms (AWS derives it from the alarms)
 *     taskDefinitions:
 *       - family: web
 *         revisions:                   # revision 1, 2, ... in order
 *           - image: registry/web:1.0  # the version is world.artifacts[image] (or the image itself)
 *             containerName: web       # optional, default: the family
 *             containerPort: 8080      # optional, default 80
 *     clusters:
 *       - name: prod
 *         services:
 *           - name: web
 *             taskDefinition: web:1
 *             desiredCount: 4
 *             launchType: FARGATE                         # optional, default FARGATE
 *             healthCheckGracePeriodSeconds: 30           # optional
 *             loadBalancers:                              # optional, as the API
 *               - { targetGroupArn: '${tg:web-blue.arn}', containerName: web, containerPort: 8080 }
 *             deploymentConfiguration: { ... }            # optional, as the API
 *
 * Seeded services start steady: their tasks RUNNING and healthy (registered in their target groups), one
 * COMPLETED PRIMARY deployment. Ids derive from names, so ARNs are the same on every run. References:
 * `cluster:<name>` {arn, name}, `service:<cluster>:<name>` {arn, name}, `taskdef:<family>:<rev>` {arn}.
 */
import type { DeploymentConfiguration, LoadBalancer } from '@aws-sdk/client-ecs';
import { InputError } from '../../../errors.js';
import { SimServiceError } from '../../protocol/index.js';
import type { SeedRefs } from '../../types.js';
import { stableId } from '../common.js';
import { newCluster } from './clusters.js';
import { mergeConfiguration, validateConfiguration } from './config.js';
import { startDeployment } from './deployments.js';
import { addEvent, messages } from './events.js';
import { stableDigits, stableToken } from './ids.js';
import { findTaskDefinition } from './resolve.js';
import { completeDeployment } from './scheduler.js';
import { checkLoadBalancers, newServiceRecord } from './services.js';
import { addRevision } from './taskDefinitions.js';
import { launchTask, newBatch, registerTask, deploymentTargetGroups } from './taskLifecycle.js';
import { serviceKey, type EcsContext, type ServiceRecord } from './state.js';

interface RevisionSeed {
  readonly image: string;
  readonly containerName?: string;
  readonly containerPort?: number;
}

interface ServiceSeed {
  readonly name: string;
  readonly taskDefinition: string;
  readonly desiredCount: number;
  readonly launchType?: string;
  readonly healthCheckGracePeriodSeconds?: number;
  readonly loadBalancers?: LoadBalancer[];
  readonly deploymentConfiguration?: DeploymentConfiguration;
}

interface EcsSeed {
  readonly alarmBakeSeconds?: number;
  readonly taskDefinitions?: readonly { readonly family: string; readonly revisions: readonly RevisionSeed[] }[];
  readonly clusters?: readonly { readonly name: string; readonly services?: readonly ServiceSeed[] }[];
}

const WHERE = 'world: ecs';

export function seed(ctx: EcsContext, spec: unknown, refs: SeedRefs): void {
  const section = (spec ?? {}) as EcsSeed;
  if (section.alarmBakeSeconds !== undefined) ctx.state.settings.alarmBakeSeconds = Number(section.alarmBakeSeconds);
  for (const family of section.taskDefinitions ?? []) {
    if (!family.family || !Array.isArray(family.revisions)) throw new InputError(`${WHERE}: taskDefinitions`, family, 'each task definition needs a family and a list of revisions');
    for (const revision of family.revisions) {
      if (!revision.image) throw new InputError(`${WHERE}: taskDefinitions.${family.family}`, revision, 'each revision needs an image');
      const container = { name: revision.containerName ?? family.family, image: revision.image, essential: true, portMappings: [{ containerPort: revision.containerPort ?? 80, protocol: 'tcp' }] };
      const record = addRevision(ctx, family.family, [container], { networkMode: 'awsvpc', requiresCompatibilities: ['FARGATE'], cpu: '256', memory: '512' });
      refs.set(`taskdef:${family.family}:${record.revision}`, { arn: record.arn });
    }
  }
  for (const cluster of section.clusters ?? []) {
    if (!cluster.name) throw new InputError(`${WHERE}: clusters`, cluster, 'each cluster needs a name');
    const record = ctx.state.clusters[cluster.name] ?? newCluster(ctx, cluster.name);
    refs.set(`cluster:${cluster.name}`, { arn: record.arn, name: record.name });
    for (const service of cluster.services ?? []) {
      const created = seedService(ctx, cluster.name, service);
      refs.set(`service:${cluster.name}:${service.name}`, { arn: created.arn, name: created.name });
    }
  }
}

function seedService(ctx: EcsContext, cluster: string, spec: ServiceSeed): ServiceRecord {
  const where = `${WHERE}: clusters.${cluster}.services.${spec.name}`;
  const definition = findTaskDefinition(ctx.state, String(spec.taskDefinition));
  if (!definition) throw new InputError(where, spec.taskDefinition, 'taskDefinition must name a seeded task definition as family:revision');
  if (!Number.isInteger(spec.desiredCount) || spec.desiredCount < 0) throw new InputError(where, spec.desiredCount, 'desiredCount must be a whole number, 0 or more');
  const config = mergeConfiguration(undefined, spec.deploymentConfiguration);
  const loadBalancers = spec.loadBalancers ?? [];
  try {
    validateConfiguration(config, 'ECS', loadBalancers);
    checkLoadBalancers(ctx, loadBalancers, definition);
  } catch (error) {
    if (error instanceof SimServiceError) throw new InputError(where, spec, error.message);
    throw error;
  }
  const input = { desiredCount: spec.desiredCount, launchType: spec.launchType ?? 'FARGATE', healthCheckGracePeriodSeconds: spec.healthCheckGracePeriodSeconds };
  const service = newServiceRecord(ctx, cluster, spec.name, input, { config, loadBalancers, definition });
  ctx.state.services[serviceKey(cluster, spec.name)] = service;
  const name = `${cluster}/${spec.name}`;
  const deployment = startDeployment(ctx, service, definition.arn, { deploymentId: `ecs-svc/${stableDigits('ecs-deployment', name)}`, revisionId: stableDigits('ecs-revision', name), serviceDeploymentId: stableToken('ecs-service-deployment', name) });
  const batch = newBatch();
  for (let i = 0; i < spec.desiredCount; i++) {
    const task = launchTask(ctx, service, deployment, batch, stableId('ecs-task', `${name}/${i}`, 32));
    Object.assign(task, { lastStatus: 'RUNNING', health: 'HEALTHY', pendingAt: ctx.now, runningAt: ctx.now, healthyAt: ctx.now });
    delete task.nextAt;
    registerTask(ctx, task, deploymentTargetGroups(service, deployment), batch, { healthy: true });
  }
  completeDeployment(ctx, service);
  service.events = [];
  addEvent(ctx, service, messages.steady());
  service.steady = true;
  delete service.tickAt;
  return service;
}
