import type { Action, RuleCondition, Tag } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { ServiceContext } from '../../types.js';

/**
 * The simulated ELBv2 (Application Load Balancer) state: plain JSON keyed by ARN, in creation order, with
 * times as epoch milliseconds so a world can be saved and loaded by another process.
 */
export interface Elbv2State {
  loadBalancers: Record<string, LoadBalancerRecord>;
  targetGroups: Record<string, TargetGroupRecord>;
  listeners: Record<string, ListenerRecord>;
  rules: Record<string, RuleRecord>;
  /** Resource ARN -> tags, for every kind of resource. */
  tags: Record<string, Tag[]>;
}

export interface LoadBalancerRecord {
  arn: string;
  name: string;
  /** The 16-hex id at the end of the ARN. */
  id: string;
  dnsName: string;
  createdAt: number;
  scheme: 'internet-facing' | 'internal';
  vpcId: string;
  subnets: string[];
  securityGroups: string[];
  ipAddressType: string;
}

export interface HealthCheckSettings {
  enabled: boolean;
  protocol?: string;
  /** `traffic-port` or a port number as a string, as AWS returns it. */
  port: string;
  path?: string;
  intervalSeconds: number;
  timeoutSeconds: number;
  healthyThreshold: number;
  unhealthyThreshold: number;
  matcher?: { HttpCode?: string; GrpcCode?: string };
}

export type StoredTargetState = 'initial' | 'healthy' | 'unhealthy' | 'draining';

export interface TargetRecord {
  id: string;
  port?: number;
  availabilityZone?: string;
  /** The app version the target runs (world.versions key). */
  version: string;
  state: StoredTargetState;
  /** When health checks of this target (re)started: registration, or the group being attached to a listener. */
  checkStart: number;
  /** When the target changes by itself next (initial -> healthy/unhealthy, draining -> gone). */
  nextAt?: number;
  /** Registered with its process already up: verdicts need no start-up time. */
  started?: boolean;
}

export interface TargetGroupRecord {
  arn: string;
  name: string;
  id: string;
  protocol?: string;
  protocolVersion?: string;
  port?: number;
  vpcId?: string;
  targetType: string;
  ipAddressType?: string;
  healthCheck: HealthCheckSettings;
  attributes: Record<string, string>;
  targets: TargetRecord[];
  /** Whether a listener or rule forwards to the group (its targets are health checked); kept in step by usage.ts. */
  inUse: boolean;
}

export interface ListenerRecord {
  arn: string;
  id: string;
  loadBalancerArn: string;
  port: number;
  protocol: string;
  /** Normalized as DescribeListeners returns them. */
  defaultActions: Action[];
  sslPolicy?: string;
  certificates?: { CertificateArn?: string; IsDefault?: boolean }[];
  alpnPolicy?: string[];
  defaultRuleArn: string;
}

export interface RuleRecord {
  arn: string;
  id: string;
  listenerArn: string;
  /** A number, or `default` for the listener's default rule (whose actions live on the listener). */
  priority: number | 'default';
  conditions: RuleCondition[];
  actions: Action[];
}

export function initialElbv2State(): Elbv2State {
  return { loadBalancers: {}, targetGroups: {}, listeners: {}, rules: {}, tags: {} };
}

export type Elbv2Context = ServiceContext<Elbv2State>;

/** Resource keys this service touches and the traffic model depends on. */
export const keys = {
  loadBalancer: (arn: string): string => `elbv2:loadbalancer:${arn}`,
  listener: (arn: string): string => `elbv2:listener:${arn}`,
  rule: (arn: string): string => `elbv2:rule:${arn}`,
  targetGroup: (arn: string): string => `elbv2:targetgroup:${arn}`,
};

/** CloudWatch dimension values: `app/<name>/<id>` and `targetgroup/<name>/<id>`. */
export function loadBalancerDimension(lb: LoadBalancerRecord): string {
  return `app/${lb.name}/${lb.id}`;
}

export function targetGroupDimension(group: TargetGroupRecord): string {
  return `targetgroup/${group.name}/${group.id}`;
}

/** AWS defaults for an ALB target group's attributes (DescribeTargetGroupAttributes lists them all). */
export const DEFAULT_TARGET_GROUP_ATTRIBUTES: Readonly<Record<string, string>> = {
  'deregistration_delay.timeout_seconds': '300',
  'stickiness.enabled': 'false',
  'stickiness.type': 'lb_cookie',
  'stickiness.lb_cookie.duration_seconds': '86400',
  'stickiness.app_cookie.cookie_name': '',
  'stickiness.app_cookie.duration_seconds': '86400',
  'slow_start.duration_seconds': '0',
  'load_balancing.algorithm.type': 'round_robin',
  'load_balancing.algorithm.anomaly_mitigation': 'off',
  'load_balancing.cross_zone.enabled': 'use_load_balancer_configuration',
  'target_group_health.dns_failover.minimum_healthy_targets.count': '1',
  'target_group_health.dns_failover.minimum_healthy_targets.percentage': 'off',
  'target_group_health.unhealthy_state_routing.minimum_healthy_targets.count': '1',
  'target_group_health.unhealthy_state_routing.minimum_healthy_targets.percentage': 'off',
};

/** Seconds a deregistered target of the group stays `draining`. */
export function deregistrationDelaySeconds(group: TargetGroupRecord): number {
  return Number(group.attributes['deregistration_delay.timeout_seconds'] ?? '300');
}

/** The listener's rules in evaluation order: by priority, the default rule last. */
export function rulesOfListener(state: Elbv2State, listenerArn: string): RuleRecord[] {
  return Object.values(state.rules)
    .filter((r) => r.listenerArn === listenerArn)
    .sort((a, b) => priorityRank(a) - priorityRank(b));
}

function priorityRank(rule: RuleRecord): number {
  return rule.priority === 'default' ? Number.MAX_SAFE_INTEGER : rule.priority;
}

export function listenersOf(state: Elbv2State, loadBalancerArn: string): ListenerRecord[] {
  return Object.values(state.listeners)
    .filter((l) => l.loadBalancerArn === loadBalancerArn)
    .sort((a, b) => a.port - b.port);
}

/** A rule's actions; the default rule's are the listener's default actions. */
export function actionsOfRule(state: Elbv2State, rule: RuleRecord): Action[] {
  return rule.priority === 'default' ? (state.listeners[rule.listenerArn]?.defaultActions ?? []) : rule.actions;
}
