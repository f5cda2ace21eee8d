import { arn, stableId } from '../common.js';
import type { EcsContext } from './state.js';

/**
 * ECS identifiers in AWS's long ARN formats (ECS developer guide, "Amazon Resource Names (ARNs) and IDs"):
 * cluster/<name>, service/<cluster>/<service>, task-definition/<family>:<revision>, task/<cluster>/<32 hex>,
 * service-deployment/<cluster>/<service>/<id>, service-revision/<cluster>/<service>/<19 digits>.
 * Fresh ids come from the world's seeded randomness; seeded resources use stable ids derived from their names.
 */

export function clusterArn(ctx: EcsContext, name: string): string {
  return arn(ctx, 'ecs', `cluster/${name}`);
}

export function serviceArn(ctx: EcsContext, cluster: string, service: string): string {
  return arn(ctx, 'ecs', `service/${cluster}/${service}`);
}

export function taskDefinitionArn(ctx: EcsContext, family: string, revision: number): string {
  return arn(ctx, 'ecs', `task-definition/${family}:${revision}`);
}

export function taskArn(ctx: EcsContext, cluster: string, id: string): string {
  return arn(ctx, 'ecs', `task/${cluster}/${id}`);
}

export function serviceDeploymentArn(ctx: EcsContext, cluster: string, service: string, id: string): string {
  return arn(ctx, 'ecs', `service-deployment/${cluster}/${service}/${id}`);
}

export function serviceRevisionArn(ctx: EcsContext, cluster: string, service: string, id: string): string {
  return arn(ctx, 'ecs', `service-revision/${cluster}/${service}/${id}`);
}

/** `count` lowercase hex digits from the world's randomness. */
export function randomHex(ctx: EcsContext, count: number): string {
  let text = '';
  while (text.length < count) text += Math.floor(ctx.random() * 0x1_0000_0000).toString(16).padStart(8, '0');
  return text.slice(0, count);
}

/** A 19-digit decimal id like AWS deployment and revision ids (no leading zero). */
export function randomDigits(ctx: EcsContext, count = 19): string {
  let text = String(1 + Math.floor(ctx.random() * 9));
  while (text.length < count) text += Math.floor(ctx.random() * 1e9).toString().padStart(9, '0');
  return text.slice(0, count);
}

const URL_SAFE = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** A service deployment id like `NCWGC2ZR-taawPAYrIaU5` (API reference example). */
export function randomToken(ctx: EcsContext, count = 20): string {
  let text = '';
  for (let i = 0; i < count; i++) text += URL_SAFE[Math.floor(ctx.random() * URL_SAFE.length)];
  return text;
}

/** Stable 19 digits from a name (seeded deployments and revisions keep their ids run after run). */
export function stableDigits(kind: string, name: string, count = 19): string {
  const value = BigInt(`0x${stableId(kind, name, 16)}`);
  return (String(1 + Number(value % 9n)) + (value % 10n ** 18n).toString().padStart(18, '0')).slice(0, count);
}

export function stableToken(kind: string, name: string, count = 20): string {
  const hex = stableId(kind, name, count * 2);
  let text = '';
  for (let i = 0; i < count; i++) text += URL_SAFE[parseInt(hex.slice(i * 2, i * 2 + 2), 16) % URL_SAFE.length];
  return text;
}

/** The last path segment of an ARN or a plain name: `arn:...:cluster/prod` and `prod` both give `prod`. */
export function nameOf(identifier: string): string {
  if (!identifier.startsWith('arn:')) return identifier;
  const resource = identifier.split(':').slice(5).join(':');
  return resource.slice(resource.lastIndexOf('/') + 1);
}

/** The cluster a service ARN names (`service/<cluster>/<service>`), if it is a long-format service ARN. */
export function clusterOfServiceArn(identifier: string): string | undefined {
  const match = /:service\/([^/]+)\/[^/]+$/.exec(identifier);
  return match?.[1];
}

/** A private IPv4 address for a task's ENI (awsvpc), not used by another task of the world. */
export function taskAddress(ctx: EcsContext): string {
  const used = new Set(Object.values(ctx.state.tasks).filter((t) => t.lastStatus !== 'STOPPED').map((t) => t.ip));
  for (;;) {
    const ip = `10.0.${Math.floor(ctx.random() * 250)}.${4 + Math.floor(ctx.random() * 250)}`;
    if (!used.has(ip)) return ip;
  }
}
