/**
 * The simulated EC2 Auto Scaling service's state: plain JSON (epoch milliseconds, no Maps), so a world can be
 * saved to a file and continued by another process.
 */

/** One numbered version of an EC2 launch template (EC2 is not simulated; templates come from world files). */
export interface LaunchTemplateVersionRecord {
  readonly number: number;
  readonly imageId: string;
  readonly instanceType: string;
}

export interface LaunchTemplateRecord {
  readonly id: string;
  readonly name: string;
  readonly versions: LaunchTemplateVersionRecord[];
  defaultVersion: number;
}

/** A launch template as a group or a refresh names it: the version as given (`$Latest`, `$Default`, `3` or none). */
export interface TemplateRef {
  readonly id: string;
  readonly name: string;
  readonly version?: string;
}

/** A template resolved to the numbered version an instance was launched from. */
export interface ResolvedTemplate {
  readonly id: string;
  readonly name: string;
  readonly version: string;
  readonly imageId: string;
  readonly instanceType: string;
}

export type InstanceLifecycle = 'Pending' | 'InService' | 'Terminating';
export type InstanceHealth = 'Healthy' | 'Unhealthy';

export interface InstanceRecord {
  readonly id: string;
  readonly group: string;
  readonly availabilityZone: string;
  lifecycle: InstanceLifecycle;
  health: InstanceHealth;
  readonly template: ResolvedTemplate;
  /** App version label (world.versions key) of the instance's image. */
  readonly version: string;
  readonly launchedAt: number;
  /** When it enters (or entered) InService. */
  readonly inServiceAt: number;
  /** While Terminating: when it is gone. */
  goneAt?: number;
  /** The next time Auto Scaling checks its health; undefined when no further check is due. */
  nextHealthCheckAt?: number;
  /** elbv2 target groups it is registered with. */
  registeredIn: string[];
  readonly protectedFromScaleIn: boolean;
  launchActivity?: string;
  terminateActivity?: string;
}

export interface TrafficSourceRecord {
  readonly identifier: string;
  readonly type: string;
}

export interface TagRecord {
  readonly key: string;
  readonly value: string;
  readonly propagateAtLaunch: boolean;
}

export interface GroupRecord {
  readonly name: string;
  readonly arn: string;
  readonly createdAt: number;
  template: TemplateRef;
  minSize: number;
  maxSize: number;
  desiredCapacity: number;
  defaultCooldown: number;
  availabilityZones: string[];
  vpcZoneIdentifier?: string;
  healthCheckType: string;
  healthCheckGracePeriod: number;
  defaultInstanceWarmup?: number;
  trafficSources: TrafficSourceRecord[];
  tags: TagRecord[];
  newInstancesProtectedFromScaleIn: boolean;
  /** Set by DeleteAutoScalingGroup with ForceDelete while its instances terminate. */
  deleting: boolean;
}

export type RefreshStatus =
  | 'Pending'
  | 'InProgress'
  | 'Baking'
  | 'Successful'
  | 'Failed'
  | 'Cancelling'
  | 'Cancelled'
  | 'RollbackInProgress'
  | 'RollbackFailed'
  | 'RollbackSuccessful';

/** Statuses during which a refresh blocks another one (InstanceRefreshInProgress). */
export const ACTIVE_REFRESH_STATUSES: readonly RefreshStatus[] = ['Pending', 'InProgress', 'Baking', 'Cancelling', 'RollbackInProgress'];

/** The preferences a refresh runs with, defaults applied. */
export interface RefreshSettings {
  readonly minHealthy: number;
  /** Only when given: its presence switches to launch-before-terminate capacity accounting. */
  readonly maxHealthy?: number;
  readonly warmupSeconds: number;
  readonly checkpoints: readonly number[];
  readonly checkpointDelaySeconds: number;
  readonly bakeSeconds: number;
  readonly skipMatching: boolean;
  readonly autoRollback: boolean;
  readonly alarms: readonly string[];
}

export interface RollbackRecord {
  readonly reason: string;
  readonly startTime: number;
  readonly percentageCompleteOnRollback: number;
  readonly instancesToUpdateOnRollback: number;
  /** Instances the refresh launched that the rollback replaces (minus those already gone), and how many there were. */
  toReplace: string[];
  readonly total: number;
  /** Instances the rollback keeps (never replaced by the refresh): they do not count as its progress. */
  readonly kept: number;
}

export interface RefreshRecord {
  readonly id: string;
  readonly group: string;
  status: RefreshStatus;
  statusReason?: string;
  readonly startTime: number;
  endTime?: number;
  readonly strategy: string;
  /** Preferences as DescribeInstanceRefreshes echoes them. */
  readonly preferences: Record<string, unknown>;
  readonly desiredConfiguration?: { readonly LaunchTemplate: Record<string, string> };
  readonly settings: RefreshSettings;
  /** The configuration replacements launch with, and the group's configuration before the refresh. */
  readonly target: TemplateRef;
  readonly original: TemplateRef;
  /** Instances the refresh must replace (snapshot at start), minus those already terminated. */
  toReplace: string[];
  readonly total: number;
  /** Instances already on the desired configuration at the start (SkipMatching): they do not count as progress. */
  readonly skipped: number;
  /** Index of the next checkpoint to reach. */
  nextCheckpoint: number;
  /** End of the current wait: Pending, a checkpoint delay, the bake time, or a cancellation. */
  waitUntil?: number;
  nextAlarmCheckAt?: number;
  /** CancelInstanceRefresh's WaitForTransitioningInstances. */
  waitForTransitioning: boolean;
  percentageComplete: number;
  instancesToUpdate: number;
  rollback?: RollbackRecord;
}

export interface ActivityRecord {
  readonly id: string;
  readonly group: string;
  readonly groupArn: string;
  readonly description: string;
  readonly cause: string;
  readonly startTime: number;
  endTime?: number;
  statusCode: 'InProgress' | 'Successful' | 'Failed' | 'Cancelled';
  statusMessage?: string;
  progress: number;
  readonly details: string;
  groupDeleted: boolean;
}

export interface AutoScalingState {
  launchTemplates: Record<string, LaunchTemplateRecord>;
  groups: Record<string, GroupRecord>;
  instances: Record<string, InstanceRecord>;
  /** Newest last. */
  refreshes: RefreshRecord[];
  /** Newest last. */
  activities: ActivityRecord[];
}

export function initialAutoScalingState(): AutoScalingState {
  return { launchTemplates: {}, groups: {}, instances: {}, refreshes: [], activities: [] };
}
