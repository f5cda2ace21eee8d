import type { Tag } from '@aws-sdk/client-ecs';
import { copy, date, paginate } from '../common.js';
import { clientError, invalidParameter } from './errors.js';
import { taskDefinitionArn } from './ids.js';
import { findTaskDefinition, parseTaskDefinition } from './resolve.js';
import type { ContainerDefinitionRecord, EcsContext, EcsState, TaskDefinitionRecord } from './state.js';

/**
 * RegisterTaskDefinition, DescribeTaskDefinition, DeregisterTaskDefinition, ListTaskDefinitions.
 * Semantics beyond the model: revisions count up per family from 1; every container needs a name and an image
 * ("Container.image should not be null or empty.", ClientException, as AWS returns it); deregistering marks a
 * revision INACTIVE (it stays describable, services using it keep running, but it cannot be deployed);
 * listing sorts by family, then revision, ASC by default (API reference, ListTaskDefinitions `sort`).
 */

const FAMILY = /^[A-Za-z0-9_-]{1,255}$/;

export function registerTaskDefinition(ctx: EcsContext, input: Record<string, unknown>): unknown {
  const family = String(input.family);
  // UNVERIFIED wording; the rule itself is the API reference's ("Up to 255 letters, numbers, hyphens, and underscores").
  if (!FAMILY.test(family)) clientError('Family contains invalid characters. Up to 255 letters (uppercase and lowercase), numbers, underscores, and hyphens are allowed.');
  const containers = checkContainers(input.containerDefinitions);
  const { family: _f, containerDefinitions: _c, tags, ...options } = input;
  const record = addRevision(ctx, family, containers, options, (tags as Tag[] | undefined) ?? []);
  return { taskDefinition: taskDefinitionView(record), tags: copy(record.tags) };
}

export function addRevision(ctx: EcsContext, family: string, containers: ContainerDefinitionRecord[], options: Record<string, unknown>, tags: Tag[] = []): TaskDefinitionRecord {
  const revisions = (ctx.state.taskDefinitions[family] ??= []);
  const revision = revisions.length + 1;
  const record: TaskDefinitionRecord = { family, revision, arn: taskDefinitionArn(ctx, family, revision), status: 'ACTIVE', registeredAt: ctx.now, containerDefinitions: copy(containers), options: copy(options), tags: copy(tags) };
  revisions.push(record);
  return record;
}

function checkContainers(input: unknown): ContainerDefinitionRecord[] {
  const containers = (Array.isArray(input) ? input : []) as ContainerDefinitionRecord[];
  if (containers.length === 0) clientError('Container list cannot be empty.'); // UNVERIFIED wording
  const names = new Set<string>();
  for (const container of containers) {
    if (!container.name) clientError('Container.name should not be null or empty.');
    if (!container.image) clientError('Container.image should not be null or empty.');
    if (names.has(container.name!)) clientError(`Duplicate container name found: ${container.name!}`); // UNVERIFIED wording
    names.add(container.name!);
  }
  return containers;
}

export function describeTaskDefinition(ctx: EcsContext, input: Record<string, unknown>): unknown {
  const record = findTaskDefinition(ctx.state, String(input.taskDefinition)) ?? clientError('Unable to describe task definition.');
  const include = (input.include as string[] | undefined) ?? [];
  return { taskDefinition: taskDefinitionView(record), ...(include.includes('TAGS') ? { tags: copy(record.tags) } : {}) };
}

export function deregisterTaskDefinition(ctx: EcsContext, input: Record<string, unknown>): unknown {
  const identifier = String(input.taskDefinition);
  if (parseTaskDefinition(identifier).revision === undefined) clientError('Revision is missing.'); // UNVERIFIED wording
  const record = findTaskDefinition(ctx.state, identifier) ?? clientError('The specified task definition does not exist.');
  if (record.status === 'ACTIVE') {
    record.status = 'INACTIVE';
    record.deregisteredAt = ctx.now;
  }
  return { taskDefinition: taskDefinitionView(record) };
}

export function listTaskDefinitions(ctx: EcsContext, input: Record<string, unknown>): unknown {
  const status = (input.status as string | undefined) ?? 'ACTIVE';
  const prefix = input.familyPrefix as string | undefined;
  const maxResults = input.maxResults as number | undefined;
  if (maxResults !== undefined && (maxResults < 1 || maxResults > 100)) invalidParameter('maxResults must be between 1 and 100.'); // UNVERIFIED wording
  const sorted = allRevisions(ctx.state)
    .filter((r) => r.status === status && (prefix === undefined || r.family === prefix))
    .sort((a, b) => (a.family === b.family ? a.revision - b.revision : a.family < b.family ? -1 : 1));
  if (input.sort === 'DESC') sorted.reverse();
  const { page, next } = paginate(sorted.map((r) => r.arn), input.nextToken, maxResults, 100);
  return { taskDefinitionArns: page, ...(next ? { nextToken: next } : {}) };
}

function allRevisions(state: EcsState): TaskDefinitionRecord[] {
  return Object.values(state.taskDefinitions).flat();
}

export function taskDefinitionView(record: TaskDefinitionRecord): Record<string, unknown> {
  const networkMode = (record.options.networkMode as string | undefined) ?? 'bridge';
  return {
    ...copy(record.options),
    taskDefinitionArn: record.arn,
    containerDefinitions: copy(record.containerDefinitions),
    family: record.family,
    revision: record.revision,
    status: record.status,
    networkMode,
    volumes: copy(record.options.volumes ?? []),
    placementConstraints: copy(record.options.placementConstraints ?? []),
    requiresAttributes: [],
    compatibilities: networkMode === 'awsvpc' ? ['EC2', 'FARGATE'] : ['EC2'],
    registeredAt: date(record.registeredAt),
    ...(record.deregisteredAt !== undefined ? { deregisteredAt: date(record.deregisteredAt) } : {}),
  };
}

/** The container a service's tasks are addressed by: its first one, as ECS reports the service's image. */
export function firstContainer(record: TaskDefinitionRecord): ContainerDefinitionRecord {
  return record.containerDefinitions[0] ?? {};
}
