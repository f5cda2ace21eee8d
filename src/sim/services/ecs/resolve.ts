import { clientError, clusterNotFound, serviceNotFound, taskDefinitionNotFound } from './errors.js';
import { clusterOfServiceArn, nameOf } from './ids.js';
import { serviceKey, type ClusterRecord, type EcsState, type ServiceRecord, type TaskDefinitionRecord } from './state.js';

/**
 * Looking resources up by what callers pass: a name or an ARN, the `default` cluster when none is given
 * (API reference: "If you do not specify a cluster, the default cluster is assumed"), and a task definition as
 * `family`, `family:revision` or a full ARN (a bare family means its latest ACTIVE revision).
 */

export const DEFAULT_CLUSTER = 'default';

export function clusterName(input: unknown): string {
  return typeof input === 'string' && input !== '' ? nameOf(input) : DEFAULT_CLUSTER;
}

export function requireCluster(state: EcsState, input: unknown): ClusterRecord {
  return state.clusters[clusterName(input)] ?? clusterNotFound();
}

/** The service a `cluster` + `service` pair names (the cluster may also come from a service ARN). */
export function findService(state: EcsState, clusterInput: unknown, serviceInput: string): ServiceRecord | undefined {
  const fromArn = clusterOfServiceArn(serviceInput);
  const cluster = clusterInput === undefined && fromArn ? fromArn : clusterName(clusterInput);
  return state.services[serviceKey(cluster, nameOf(serviceInput))];
}

export function requireService(state: EcsState, clusterInput: unknown, serviceInput: unknown): ServiceRecord {
  const fromArn = typeof serviceInput === 'string' ? clusterOfServiceArn(serviceInput) : undefined;
  requireCluster(state, clusterInput === undefined && fromArn ? fromArn : clusterInput);
  return findService(state, clusterInput, String(serviceInput)) ?? serviceNotFound();
}

interface TaskDefinitionRef {
  readonly family: string;
  readonly revision?: number;
}

export function parseTaskDefinition(input: string): TaskDefinitionRef {
  const text = input.startsWith('arn:') ? input.slice(input.indexOf('task-definition/') + 'task-definition/'.length) : input;
  const colon = text.lastIndexOf(':');
  if (colon < 0) return { family: text };
  const revision = Number(text.slice(colon + 1));
  if (!Number.isInteger(revision) || revision < 1) clientError(`Invalid revision number. Number: ${text.slice(colon + 1)}`);
  return { family: text.slice(0, colon), revision };
}

/** The task definition an identifier names, or undefined (a bare family: the latest ACTIVE revision). */
export function findTaskDefinition(state: EcsState, input: string): TaskDefinitionRecord | undefined {
  const ref = parseTaskDefinition(input);
  const revisions = state.taskDefinitions[ref.family] ?? [];
  if (ref.revision !== undefined) return revisions[ref.revision - 1];
  return [...revisions].reverse().find((r) => r.status === 'ACTIVE');
}

/** For CreateService/UpdateService: an unknown one is "TaskDefinition not found.", an INACTIVE one is refused. */
export function requireDeployableTaskDefinition(state: EcsState, input: unknown): TaskDefinitionRecord {
  const found = typeof input === 'string' ? findTaskDefinition(state, input) : undefined;
  if (!found) return taskDefinitionNotFound();
  if (found.status !== 'ACTIVE') clientError('TaskDefinition is inactive');
  return found;
}

export function taskDefinitionByArn(state: EcsState, arn: string): TaskDefinitionRecord | undefined {
  return findTaskDefinition(state, arn);
}
