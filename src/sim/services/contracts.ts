import type { SimService } from '../types.js';
import type { World } from '../world.js';

/**
 * How services of the simulated world reach each other, without importing each other's modules:
 * Auto Scaling and ECS register instances/tasks into ELB target groups and read their health; Auto Scaling,
 * ECS and the gates read CloudWatch alarm states. A service that is absent from the world reads as "nothing".
 */

export type TargetHealthState = 'initial' | 'healthy' | 'unhealthy' | 'unused' | 'draining' | 'unavailable';

export interface SimTarget {
  /** Instance id, IP address or Lambda ARN. */
  readonly id: string;
  readonly port?: number;
  /** App version label the target runs (world.versions key). */
  readonly version: string;
  readonly availabilityZone?: string;
  /**
   * The process is already up (an ECS task registered once RUNNING): health checks need no start-up time.
   * Without it the version's startSeconds count from registration (an instance registered at launch).
   */
  readonly started?: boolean;
  /** Already passing health checks (seeded worlds start steady). */
  readonly healthy?: boolean;
}

/** Implemented by the ELBv2 service (its `targets` member). */
export interface TargetRegistry {
  register(world: World, targetGroupArn: string, targets: readonly SimTarget[]): void;
  deregister(world: World, targetGroupArn: string, ids: readonly string[]): void;
  /** undefined when the target group or target is unknown. */
  health(world: World, targetGroupArn: string, id: string): TargetHealthState | undefined;
  exists(world: World, targetGroupArn: string): boolean;
}

export type AlarmStateValue = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';

/** Implemented by the CloudWatch service (its `alarms` member). */
export interface AlarmReader {
  /** undefined when no alarm has that name. */
  state(world: World, name: string): AlarmStateValue | undefined;
}

export function targetRegistry(world: World): TargetRegistry | undefined {
  if (!world.hasService('elbv2')) return undefined;
  return (world.service('elbv2') as SimService & { targets?: TargetRegistry }).targets;
}

export function alarmReader(world: World): AlarmReader | undefined {
  if (!world.hasService('cloudwatch')) return undefined;
  return (world.service('cloudwatch') as SimService & { alarms?: AlarmReader }).alarms;
}
