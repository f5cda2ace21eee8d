import { SimServiceError } from '../../protocol/index.js';
import { updateService } from './services.js';
import { serviceKey, type EcsContext } from './state.js';

/**
 * The out-of-band writer (a `writer` fault): someone else updates a service, e.g.
 * `writer:ecs@90s:cluster=prod,service=web,taskDefinition=web:1` or `...,desiredCount=2`.
 * A new task definition starts a deployment exactly as UpdateService does.
 */
export function drift(ctx: EcsContext, params: Readonly<Record<string, unknown>>): string {
  const cluster = String(params.cluster ?? 'default');
  const name = String(params.service ?? '');
  const service = ctx.state.services[serviceKey(cluster, name)];
  if (!service || service.status !== 'ACTIVE') return `ecs: no ACTIVE service ${cluster}/${name} to change`;
  const changes: Record<string, unknown> = {};
  if (params.desiredCount !== undefined) changes.desiredCount = Number(params.desiredCount);
  if (params.taskDefinition !== undefined) changes.taskDefinition = String(params.taskDefinition);
  try {
    updateService(ctx, { cluster, service: name, ...changes });
  } catch (error) {
    if (error instanceof SimServiceError) return `ecs: someone tried to update service ${cluster}/${name} but ECS refused: ${error.message}`;
    throw error;
  }
  const said = Object.entries(changes).map(([k, v]) => `${k} ${String(v)}`);
  return `ecs: someone updated service ${cluster}/${name}${said.length > 0 ? `: ${said.join(', ')}` : ' (nothing changed)'}`;
}
