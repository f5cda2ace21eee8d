import type { DeploymentConfiguration, LoadBalancer, NetworkConfiguration, Tag } from '@aws-sdk/client-ecs';
import type { ServiceContext } from '../../types.js';

/**
 * The simulated ECS: plain JSON (epoch milliseconds, no Dates or Maps) so a world can be saved and reloaded.
 * Clusters, task definitions, services with their deployments, tasks, and the service deployments API records.
 */
export interface EcsState {
  clusters: Record<string, ClusterRecord>;
  /** family -> revisions, index = revision - 1. */
  taskDefinitions: Record<string, TaskDefinitionRecord[]>;
  /** `${cluster}/${service}` -> service. */
  services: Record<string, ServiceRecord>;
  /** task id (32 hex) -> task. */
  tasks: Record<string, TaskRecord>;
  /** service deployment ARN -> record. */
  serviceDeployments: Record<string, ServiceDeploymentRecord>;
  /** service revision ARN -> what it runs. */
  revisions: Record<string, RevisionRecord>;
  settings: EcsSettings;
}

export interface EcsSettings {
  /** How long a deployment with alarms bakes after reaching steady state. AWS derives it from the alarms (UNVERIFIED). */
  alarmBakeSeconds: number;
}

export type EcsContext = ServiceContext<EcsState>;

export interface ClusterRecord {
  name: string;
  arn: string;
  status: 'ACTIVE';
  createdAt: number;
  tags: Tag[];
  settings: { name?: string; value?: string }[];
  capacityProviders: string[];
}

export interface ContainerDefinitionRecord {
  name?: string;
  image?: string;
  essential?: boolean;
  portMappings?: { containerPort?: number; hostPort?: number; protocol?: string; name?: string }[];
  [member: string]: unknown;
}

export interface TaskDefinitionRecord {
  family: string;
  revision: number;
  arn: string;
  status: 'ACTIVE' | 'INACTIVE';
  registeredAt: number;
  deregisteredAt?: number;
  containerDefinitions: ContainerDefinitionRecord[];
  /** Every other member of RegisterTaskDefinition (cpu, memory, networkMode, requiresCompatibilities...). */
  options: Record<string, unknown>;
  tags: Tag[];
}

export type ServiceStatus = 'ACTIVE' | 'DRAINING' | 'INACTIVE';
export type RolloutState = 'IN_PROGRESS' | 'COMPLETED' | 'FAILED';

export interface ServiceRecord {
  name: string;
  cluster: string;
  arn: string;
  clusterArn: string;
  status: ServiceStatus;
  desiredCount: number;
  taskDefinitionArn: string;
  launchType: string;
  platformVersion?: string;
  loadBalancers: LoadBalancer[];
  networkConfiguration?: NetworkConfiguration;
  healthCheckGracePeriodSeconds?: number;
  /** Always complete: defaults filled in (maximumPercent 200, minimumHealthyPercent 100, circuit breaker off). */
  deploymentConfiguration: DeploymentConfiguration;
  deploymentControllerType: 'ECS' | 'CODE_DEPLOY' | 'EXTERNAL';
  schedulingStrategy: 'REPLICA' | 'DAEMON';
  propagateTags: string;
  enableECSManagedTags: boolean;
  enableExecuteCommand: boolean;
  availabilityZoneRebalancing?: string;
  role?: string;
  clientToken?: string;
  tags: Tag[];
  createdAt: number;
  /** PRIMARY first, then ACTIVE ones, newest first. */
  deployments: DeploymentRecord[];
  /** Newest first, at most MAX_EVENTS. */
  events: ServiceEventRecord[];
  /** The most recent COMPLETED deployment: what a rollback goes back to. Cleared while a rollback runs. */
  lastCompleted?: CompletedDeployment;
  /** Service deployment ARNs, newest first. */
  serviceDeploymentArns: string[];
  /** When the scheduler looks at the service next (undefined: steady, nothing to do). */
  tickAt?: number;
  /** Whether "has reached a steady state." has been reported since the service last changed. */
  steady: boolean;
  /** A StopServiceDeployment ROLLBACK waiting for the scheduler's next pass. */
  stopRequested?: { arn: string; at: number };
  /** Which target group of each load balancer the next native blue/green deployment registers into. */
  native?: NativeShiftState;
}

export interface CompletedDeployment {
  deploymentId: string;
  taskDefinitionArn: string;
  revisionArn: string;
}

export interface DeploymentRecord {
  id: string;
  status: 'PRIMARY' | 'ACTIVE';
  taskDefinitionArn: string;
  revisionArn: string;
  serviceDeploymentArn: string;
  createdAt: number;
  updatedAt: number;
  rolloutState: RolloutState;
  rolloutStateReason: string;
  /** Consecutive (or, with resetOnHealthyTask=false, cumulative) tasks that failed to start or failed health checks. */
  failedTasks: number;
  /** Alarms that were already in ALARM when the deployment started: ignored until they leave ALARM. */
  ignoredAlarms: string[];
  /** End of the alarm bake after the deployment reached steady state. */
  bakeUntil?: number;
  /** Native strategies: which target group each load balancer's tasks of this deployment register into. */
  targetGroups?: string[];
  /** Native strategies: whether this deployment shifts traffic from the running one, or is done with that. */
  native?: 'shifting' | 'done';
}

export interface ServiceEventRecord {
  id: string;
  createdAt: number;
  message: string;
}

export type TaskStatus = 'PROVISIONING' | 'PENDING' | 'RUNNING' | 'DEACTIVATING' | 'STOPPING' | 'STOPPED';
export type TaskHealth = 'UNKNOWN' | 'HEALTHY' | 'UNHEALTHY';

export interface TaskRecord {
  id: string;
  arn: string;
  cluster: string;
  service: string;
  deploymentId: string;
  taskDefinitionArn: string;
  containerName: string;
  image: string;
  /** App version label (world.versions key) of the first container's image. */
  version: string;
  lastStatus: TaskStatus;
  desiredStatus: 'RUNNING' | 'STOPPED';
  health: TaskHealth;
  launchType: string;
  createdAt: number;
  pendingAt?: number;
  runningAt?: number;
  healthyAt?: number;
  stoppingAt?: number;
  stoppedAt?: number;
  stopCode?: string;
  stoppedReason?: string;
  ip: string;
  port: number;
  availabilityZone: string;
  /** Target groups the task is registered in (deregistered, and waited for, when it stops). */
  targetGroups: string[];
  /** The next lifecycle change due by time (start, health verdict without a load balancer, stop). */
  nextAt?: number;
}

export type ServiceDeploymentStatus =
  | 'PENDING'
  | 'SUCCESSFUL'
  | 'STOPPED'
  | 'STOP_REQUESTED'
  | 'IN_PROGRESS'
  | 'ROLLBACK_REQUESTED'
  | 'ROLLBACK_IN_PROGRESS'
  | 'ROLLBACK_SUCCESSFUL'
  | 'ROLLBACK_FAILED';

export type MonitorStatus = 'TRIGGERED' | 'MONITORING' | 'MONITORING_COMPLETE' | 'DISABLED';

export interface ServiceDeploymentRecord {
  arn: string;
  cluster: string;
  service: string;
  serviceArn: string;
  clusterArn: string;
  createdAt: number;
  startedAt: number;
  updatedAt: number;
  finishedAt?: number;
  stoppedAt?: number;
  sourceRevisionArns: string[];
  targetRevisionArn: string;
  status: ServiceDeploymentStatus;
  statusReason?: string;
  lifecycleStage?: string;
  deploymentConfiguration: DeploymentConfiguration;
  rollback?: { reason: string; startedAt: number; serviceRevisionArn: string };
  circuitBreaker: { status: MonitorStatus; failureCount: number; threshold: number };
  alarms: { status: MonitorStatus; alarmNames: string[]; triggeredAlarmNames: string[] };
  /** ECS deployment ids (Deployment.id) that belong to it: the deployment and its rollback. */
  deploymentIds: string[];
}

export interface RevisionRecord {
  arn: string;
  taskDefinitionArn: string;
  createdAt: number;
}

/** ECS-native blue/green, linear and canary: which target groups serve production, and the shift in progress. */
export interface NativeShiftState {
  /** Per load balancer (in `loadBalancers` order): the target group serving production (blue). */
  blue: string[];
  /** The deployment being shifted to (green). */
  deploymentId?: string;
  /** Percent of production traffic on the green target groups. */
  greenPercent: number;
  /** Lifecycle stage of the shift (ServiceDeployment.lifecycleStage). */
  stage?: 'SCALE_UP' | 'PRODUCTION_TRAFFIC_SHIFT' | 'BAKE_TIME' | 'CLEAN_UP';
  /** When the next traffic step or the end of the bake is due. */
  nextAt?: number;
}

export const MAX_EVENTS = 100;

export function serviceKey(cluster: string, service: string): string {
  return `${cluster}/${service}`;
}

/** Resource key the traffic model depends on for a service without a load balancer. */
export function trafficKey(cluster: string, service: string): string {
  return `ecs:${cluster}/${service}`;
}

export function initialEcsState(): EcsState {
  return { clusters: {}, taskDefinitions: {}, services: {}, tasks: {}, serviceDeployments: {}, revisions: {}, settings: { alarmBakeSeconds: 300 } };
}
