import type { z } from 'zod';
import type { EcsTarget, ParsedDeploySpec } from '../../config/schema.js';
import type { AlbTargetSpec } from '../alb/target.js';

export type EcsTargetSpec = z.output<typeof EcsTarget>;

/**
 * How the new version reaches production:
 * - rolling: one UpdateService, ECS replaces the tasks (rolling, big-bang, and capacity-only canary plans);
 * - split: a second service runs the new version behind the ALB's canary target group, the ALB provider moves
 *   the weights (canary / linear / blue-green with an alb target);
 * - native: ECS BLUE_GREEN / LINEAR / CANARY, ECS itself moves the listener weights.
 */
export type EcsMode = 'rolling' | 'split' | 'native';

/** The target as given, with the names the API and the messages use. */
export interface EcsTargetRef {
  readonly mode: EcsMode;
  /** As given (name or ARN): what the API calls send. */
  readonly cluster: string;
  readonly clusterName: string;
  readonly service: string;
  readonly serviceName: string;
  readonly canaryService?: string;
  readonly canaryServiceName?: string;
  /** family:revision, family, or ARN, as given. */
  readonly taskDefinition: string;
  /** The ALB target of the same spec (split mode: its weights move the traffic). */
  readonly alb?: AlbTargetSpec;
  /** Problems with the spec as a whole, reported by preflight (exit 2, nothing written). */
  readonly specProblems: readonly string[];
}

export function resolveEcsTarget(target: EcsTargetSpec, spec: ParsedDeploySpec | undefined): EcsTargetRef {
  const albs = (spec?.targets ?? []).filter((t): t is AlbTargetSpec => t.type === 'alb');
  const alb = albs[0];
  const mode: EcsMode = target.native ? 'native' : alb ? 'split' : 'rolling';
  const where = `ecs target ${shortService(target.cluster, target.service)}`;
  const problems: string[] = [];
  if (target.native && alb) {
    problems.push(
      `${where}: native: true and an alb target cannot be combined: with native deployments ECS rewrites the production listener rule itself, ` +
        `and two writers on one rule (ELB has no revision token) would overwrite each other; drop the alb target or native: true`,
    );
  }
  if (albs.length > 1) problems.push(`${where}: the spec has ${albs.length} alb targets; an ECS traffic split uses exactly one`);
  if (mode === 'split' && !target.canaryService) {
    problems.push(`${where}: splitting traffic at the ALB needs a second service (canaryService) attached to the canary target group to run the new version`);
  }
  if (target.canaryService && mode !== 'split') {
    problems.push(`${where}: canaryService ${target.canaryService} is used only with an alb target (the traffic split); add the alb target or drop canaryService`);
  }
  if (target.canaryService && nameOf(target.canaryService) === nameOf(target.service)) problems.push(`${where}: canaryService must be another service than ${target.service}`);
  return {
    mode,
    cluster: target.cluster,
    clusterName: nameOf(target.cluster),
    service: target.service,
    serviceName: nameOf(target.service),
    ...(target.canaryService ? { canaryService: target.canaryService, canaryServiceName: nameOf(target.canaryService) } : {}),
    taskDefinition: target.taskDefinition,
    ...(alb ? { alb } : {}),
    specProblems: problems,
  };
}

/** `arn:aws:ecs:…:cluster/prod` → `prod`; `arn:aws:ecs:…:service/prod/web` → `web`; a name stays as it is. */
export function nameOf(nameOrArn: string): string {
  if (!nameOrArn.startsWith('arn:')) return nameOrArn;
  const resource = nameOrArn.split(':').slice(5).join(':');
  return resource.split('/').pop() ?? nameOrArn;
}

/** `arn:aws:ecs:us-east-1:…:task-definition/web:42` → `web:42`. */
export function shortTaskDefinition(taskDefinition: string): string {
  const match = /:task-definition\/(.+)$/.exec(taskDefinition);
  return match ? match[1]! : taskDefinition;
}

export function shortService(cluster: string, service: string): string {
  return `${nameOf(cluster)}/${nameOf(service)}`;
}

/** The Region in an ARN (cluster, service, task definition), for the manual commands. */
export function regionOf(...arns: readonly (string | undefined)[]): string | undefined {
  for (const arn of arns) {
    if (!arn?.startsWith('arn:')) continue;
    const region = arn.split(':')[3];
    if (region) return region;
  }
  return undefined;
}

export function labelFor(ref: EcsTargetRef): string {
  const task = `task definition ${shortTaskDefinition(ref.taskDefinition)}`;
  if (ref.mode === 'split' && ref.canaryServiceName) return `ecs services ${ref.clusterName}/${ref.serviceName} and ${ref.clusterName}/${ref.canaryServiceName} (${task})`;
  return `ecs service ${ref.clusterName}/${ref.serviceName} (${task})`;
}

export function lockKeyFor(ref: EcsTargetRef): string {
  return `ecs:${ref.clusterName}/${ref.serviceName}`;
}
