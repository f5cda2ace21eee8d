import type { DeploymentConfiguration, LoadBalancer, Service } from '@aws-sdk/client-ecs';
import type { Action } from '@aws-sdk/client-elastic-load-balancing-v2';
import { DeployError } from '../../errors.js';
import type { AlbRoles } from '../alb/target.js';
import type { Json } from '../types.js';
import { primaryOf } from './live.js';
import { plainCopy } from '../../util/plainJson.js';

/** One service exactly as DescribeServices returned it at capture (the members deployctl may change). */
export interface CapturedService {
  readonly name: string;
  readonly arn: string;
  readonly taskDefinition: string;
  readonly desiredCount: number;
  readonly deploymentConfiguration: DeploymentConfiguration;
  /** Never written; kept to notice (and report) someone else's change. */
  readonly loadBalancers: LoadBalancer[];
  /** The PRIMARY deployment at capture: another id later means a deployment has started since. */
  readonly primaryDeploymentId: string;
}

interface SnapshotBase {
  readonly provider: 'ecs';
  readonly version: 1;
  readonly cluster: string;
  readonly region?: string;
  /** The new task definition, resolved to its ARN at capture (so `web` or `web:42` cannot move meanwhile). */
  readonly targetTaskDefinition: string;
}

/** Rolling / big-bang: the one service, and the exact deployment configuration the rollout sends. */
export interface RollingSnapshot extends SnapshotBase {
  readonly mode: 'rolling';
  readonly service: CapturedService;
  readonly send: DeploymentConfiguration;
}

/** The production listener rule ECS shifts in a native deployment, as it was at capture. */
export interface ProductionRule {
  readonly arn: string;
  readonly resource: 'listener' | 'rule';
  /** The group with the weight at capture (blue) and the one ECS shifts to (green). */
  readonly blue: string;
  readonly green: string;
  readonly actions: Action[];
}

export interface NativeSnapshot extends SnapshotBase {
  readonly mode: 'native';
  readonly service: CapturedService;
  readonly send: DeploymentConfiguration;
  readonly production: ProductionRule[];
}

/** Traffic split at the ALB: the live (stable) service and the one that brings up the new version. */
export interface SplitSnapshot extends SnapshotBase {
  readonly mode: 'split';
  readonly stable: CapturedService;
  readonly canary: CapturedService;
  readonly roles: AlbRoles;
  readonly listener: { readonly resource: 'listener' | 'rule'; readonly arn: string };
}

export type EcsSnapshot = RollingSnapshot | NativeSnapshot | SplitSnapshot;

export function captureService(service: Service): CapturedService {
  return plainCopy({
    name: service.serviceName ?? '',
    arn: service.serviceArn ?? '',
    taskDefinition: service.taskDefinition ?? '',
    desiredCount: service.desiredCount ?? 0,
    deploymentConfiguration: service.deploymentConfiguration ?? {},
    loadBalancers: service.loadBalancers ?? [],
    primaryDeploymentId: primaryOf(service)?.id ?? '',
  });
}

export function snapshotJson(snapshot: EcsSnapshot): Json {
  return plainCopy(snapshot) as unknown as Json;
}

/** Refuses anything that is not one of our snapshots: a write without the original would be a guess. */
export function parseSnapshot(json: Json, label: string): EcsSnapshot {
  const value = json as Partial<EcsSnapshot> | null;
  const base = value !== null && typeof value === 'object' && value.provider === 'ecs' && value.version === 1 && typeof value.targetTaskDefinition === 'string';
  const valid =
    base &&
    ((value.mode === 'rolling' && isCaptured(value.service) && typeof value.send === 'object') ||
      (value.mode === 'native' && isCaptured(value.service) && Array.isArray(value.production)) ||
      (value.mode === 'split' && isCaptured(value.stable) && isCaptured(value.canary) && typeof value.roles?.canary === 'string'));
  if (!valid) throw new DeployError('INTERNAL', `${label}: the captured configuration is missing or not an ECS snapshot; refusing to write without it`);
  return value as EcsSnapshot;
}

function isCaptured(value: unknown): value is CapturedService {
  const s = value as Partial<CapturedService> | undefined;
  return typeof s?.name === 'string' && typeof s.taskDefinition === 'string' && typeof s.desiredCount === 'number' && typeof s.deploymentConfiguration === 'object';
}

/** The services a snapshot covers, for messages and manual commands. */
export function servicesOf(snapshot: EcsSnapshot): CapturedService[] {
  return snapshot.mode === 'split' ? [snapshot.stable, snapshot.canary] : [snapshot.service];
}
