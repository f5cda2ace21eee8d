import type { ParsedDeploySpec } from '../../config/schema.js';
import { resolveEcsTarget, type EcsTargetSpec } from './target.js';

/** Every read the provider may make (preflight, capture, status, read-back, rollback waits). */
export const ecsReadCalls = [
  'ecs:DescribeServices',
  'ecs:DescribeTaskDefinition',
  'ecs:DescribeServiceDeployments',
  'elasticloadbalancing:DescribeListeners',
  'elasticloadbalancing:DescribeRules',
  'elasticloadbalancing:DescribeTargetHealth',
] as const;

/** Every write: UpdateService, and StopServiceDeployment (native rollback, cancel). ELB is never written. */
export const ecsWriteCalls = ['ecs:UpdateService', 'ecs:StopServiceDeployment'] as const;

export interface EcsCalls {
  readonly read: readonly string[];
  readonly write: readonly string[];
}

/**
 * The calls one target needs, by mode: rolling reads the service and the task definition; split also reads the
 * ALB listener (which group serves; traffic gone before a scale-down) and the target health of the new side;
 * native also reads the service deployment and the production listener rules ECS shifts.
 */
export function ecsCallsFor(target: EcsTargetSpec, spec?: ParsedDeploySpec): EcsCalls {
  const ref = resolveEcsTarget(target, spec);
  const base = ['ecs:DescribeServices', 'ecs:DescribeTaskDefinition'];
  switch (ref.mode) {
    case 'rolling':
      return { read: base, write: ['ecs:UpdateService', 'ecs:StopServiceDeployment'] };
    case 'split':
      return { read: [...base, ref.alb?.ruleArn ? 'elasticloadbalancing:DescribeRules' : 'elasticloadbalancing:DescribeListeners', 'elasticloadbalancing:DescribeTargetHealth'], write: ['ecs:UpdateService'] };
    case 'native':
      return { read: [...base, 'ecs:DescribeServiceDeployments', 'elasticloadbalancing:DescribeRules', 'elasticloadbalancing:DescribeListeners'], write: ['ecs:UpdateService', 'ecs:StopServiceDeployment'] };
    default: {
      const unknown: never = ref.mode;
      throw new Error(`unknown mode ${String(unknown)}`);
    }
  }
}

export interface EcsResources {
  /** UpdateService / StopServiceDeployment are authorized on the service ARN(s). */
  readonly written: readonly string[];
  /** DescribeServices on the services; DescribeTaskDefinition and the ELB Describe* calls take no resource (`*`). */
  readonly read: readonly string[];
}

/** ARNs of what one target touches; Region and account are `*` unless the cluster was given as an ARN. */
export function ecsResourceArns(target: EcsTargetSpec): EcsResources {
  const clusterArn = target.cluster.startsWith('arn:') ? target.cluster : undefined;
  const [region, account] = clusterArn ? [clusterArn.split(':')[3] || '*', clusterArn.split(':')[4] || '*'] : ['*', '*'];
  const cluster = target.cluster.split('/').pop() ?? target.cluster;
  const services = [target.service, ...(target.canaryService ? [target.canaryService] : [])].map((s) => `arn:aws:ecs:${region}:${account}:service/${cluster}/${s.split('/').pop() ?? s}`);
  return { written: services, read: [...services, `arn:aws:ecs:${region}:${account}:task-definition/${taskFamily(target.taskDefinition)}:*`] };
}

function taskFamily(taskDefinition: string): string {
  const name = taskDefinition.includes(':task-definition/') ? taskDefinition.split(':task-definition/')[1]! : taskDefinition;
  return name.split(':')[0]!;
}
