import {
  ActiveInstanceRefreshNotFoundFault,
  AutoScalingClient,
  CancelInstanceRefreshCommand,
  DescribeAutoScalingGroupsCommand,
  DescribeInstanceRefreshesCommand,
  DescribeScalingActivitiesCommand,
  InstanceRefreshInProgressFault,
  IrreversibleInstanceRefreshFault,
  RollbackInstanceRefreshCommand,
  StartInstanceRefreshCommand,
  UpdateAutoScalingGroupCommand,
  type Activity,
  type AutoScalingGroup,
  type Instance,
  type InstanceRefresh,
} from '@aws-sdk/client-auto-scaling';
import { mockClient } from 'aws-sdk-client-mock';
import { parseSpec, planFromSpec } from '../../../src/config/resolve.js';
import type { ParsedDeploySpec } from '../../../src/config/schema.js';
import { checkpointsOf } from '../../../src/engine/capacity.js';
import type { DeployEvent } from '../../../src/engine/events.js';
import { createAsgProvider, type AsgTargetSpec } from '../../../src/providers/asg/index.js';
import type { CapacityContext, Json, ProviderContext } from '../../../src/providers/types.js';
import type { Plan } from '../../../src/strategies/types.js';
import type { VirtualClock } from '../../../src/time/clock.js';

export const REGION = 'eu-west-1';
export const LT = 'lt-0a1b2c3d4e5f60718';
export const LT_GREEN = 'lt-0f0e0d0c0b0a09080';
export const TG_BLUE = 'arn:aws:elasticloadbalancing:eu-west-1:111122223333:targetgroup/web-blue/73e2d6bc24d8a067';
export const TG_GREEN = 'arn:aws:elasticloadbalancing:eu-west-1:111122223333:targetgroup/web-green/a1b2c3d4e5f60718';
export const LISTENER = 'arn:aws:elasticloadbalancing:eu-west-1:111122223333:listener/app/web/50dc6c495c0c9188/f2f7dc8efc522ab2';

export interface GroupOptions {
  readonly version?: string;
  readonly template?: string;
  readonly min?: number;
  readonly max?: number;
  readonly desired?: number;
  /** [id, version, lifecycle?, health?] */
  readonly instances?: readonly (readonly [string, string, string?, string?])[];
  readonly targetGroups?: readonly string[];
  readonly healthCheckType?: string;
}

export function group(name: string, options: GroupOptions = {}): AutoScalingGroup {
  const template = options.template ?? LT;
  const instances = options.instances ?? [['i-1', '6'], ['i-2', '6'], ['i-3', '6'], ['i-4', '6']];
  return {
    AutoScalingGroupName: name,
    AutoScalingGroupARN: `arn:aws:autoscaling:${REGION}:111122223333:autoScalingGroup:6d2c8a4e-1111-2222-3333-444455556666:autoScalingGroupName/${name}`,
    LaunchTemplate: { LaunchTemplateId: template, LaunchTemplateName: template === LT ? 'web-lt' : 'web-green-lt', ...(options.version === undefined ? { Version: '6' } : options.version === '' ? {} : { Version: options.version }) },
    MinSize: options.min ?? 2,
    MaxSize: options.max ?? 8,
    DesiredCapacity: options.desired ?? instances.length,
    DefaultCooldown: 300,
    AvailabilityZones: ['eu-west-1a'],
    HealthCheckType: options.healthCheckType ?? 'ELB',
    CreatedTime: new Date(0),
    TargetGroupARNs: [...(options.targetGroups ?? [TG_BLUE])],
    Instances: instances.map(([id, version, lifecycle, health]) => instance(id, version, template, lifecycle, health)),
  };
}

export function instance(id: string, version: string, template = LT, lifecycle = 'InService', health = 'Healthy'): Instance {
  return { InstanceId: id, AvailabilityZone: 'eu-west-1a', ProtectedFromScaleIn: false, LifecycleState: lifecycle as Instance['LifecycleState'], HealthStatus: health, LaunchTemplate: { LaunchTemplateId: template, LaunchTemplateName: 'web-lt', Version: version } };
}

const ACTIVE = ['Pending', 'InProgress', 'Baking', 'Cancelling', 'RollbackInProgress'];

/**
 * A stateful Auto Scaling behind aws-sdk-client-mock: refreshes are recorded newest first; their effects apply at
 * once (a started refresh stays Pending until a test moves it; rollback and cancel finish at once).
 */
export class FakeAsg {
  readonly client = new AutoScalingClient({ region: REGION, credentials: { accessKeyId: 'AKID', secretAccessKey: 'secret' } });
  readonly mock = mockClient(this.client);
  readonly groups: Record<string, AutoScalingGroup> = {};
  refreshes: InstanceRefresh[] = [];
  activities: Activity[] = [];
  /** Errors thrown by the next call of an operation; with `applied`, after the call took effect. */
  readonly failNext = new Map<string, { error: Error; applied?: boolean }>();
  /** Called after a refresh is started (a test finishes it, for example). */
  onStart: ((refresh: InstanceRefresh) => void) | undefined;
  /** Called after a group is updated (a test brings its instances to the new size, for example). */
  onUpdate: ((name: string) => void) | undefined;
  private count = 0;

  constructor(readonly clock: VirtualClock, groups: readonly AutoScalingGroup[]) {
    for (const g of groups) this.groups[g.AutoScalingGroupName!] = g;
    this.mock.on(DescribeAutoScalingGroupsCommand).callsFake((input) => this.guard('DescribeAutoScalingGroups', () => ({ AutoScalingGroups: (input.AutoScalingGroupNames ?? []).flatMap((n: string) => (this.groups[n] ? [structuredClone(this.groups[n])] : [])) })));
    this.mock.on(DescribeInstanceRefreshesCommand).callsFake((input) => this.guard('DescribeInstanceRefreshes', () => this.describe(input)));
    this.mock.on(StartInstanceRefreshCommand).callsFake((input) => this.guard('StartInstanceRefresh', () => this.start(input)));
    this.mock.on(RollbackInstanceRefreshCommand).callsFake((input) => this.guard('RollbackInstanceRefresh', () => this.rollback(input.AutoScalingGroupName)));
    this.mock.on(CancelInstanceRefreshCommand).callsFake((input) => this.guard('CancelInstanceRefresh', () => this.cancel(input.AutoScalingGroupName)));
    this.mock.on(UpdateAutoScalingGroupCommand).callsFake((input) => this.guard('UpdateAutoScalingGroup', () => this.update(input)));
    this.mock.on(DescribeScalingActivitiesCommand).callsFake(() => this.guard('DescribeScalingActivities', () => ({ Activities: structuredClone(this.activities) })));
  }

  private guard<T>(operation: string, run: () => T): T {
    const failure = this.failNext.get(operation);
    if (!failure) return run();
    this.failNext.delete(operation);
    if (failure.applied) run();
    throw failure.error;
  }

  /** Operation names sent, in order. */
  sent(): string[] {
    return this.mock.calls().map((c) => (c.args[0] as { constructor: { name: string } }).constructor.name.replace(/Command$/, ''));
  }

  inputs(operation: string): unknown[] {
    return this.mock.calls().filter((c) => (c.args[0] as { constructor: { name: string } }).constructor.name === `${operation}Command`).map((c) => (c.args[0] as { input: unknown }).input);
  }

  writes(): string[] {
    return this.sent().filter((op) => !op.startsWith('Describe'));
  }

  active(name: string): InstanceRefresh | undefined {
    return this.refreshes.find((r) => r.AutoScalingGroupName === name && ACTIVE.includes(r.Status ?? ''));
  }

  private describe(input: { AutoScalingGroupName?: string; InstanceRefreshIds?: string[]; MaxRecords?: number }) {
    const ids = input.InstanceRefreshIds;
    const found = this.refreshes.filter((r) => r.AutoScalingGroupName === input.AutoScalingGroupName && (!ids || ids.includes(r.InstanceRefreshId!)));
    return { InstanceRefreshes: structuredClone(found.slice(0, input.MaxRecords ?? 50)) };
  }

  addRefresh(refresh: Partial<InstanceRefresh> & { AutoScalingGroupName: string }): InstanceRefresh {
    const full: InstanceRefresh = { InstanceRefreshId: `r-${++this.count}`, Status: 'Pending', StartTime: new Date(this.clock.now()), PercentageComplete: 0, ...refresh };
    this.refreshes.unshift(full);
    return full;
  }

  private start(input: { AutoScalingGroupName?: string; DesiredConfiguration?: InstanceRefresh['DesiredConfiguration']; Preferences?: InstanceRefresh['Preferences'] }) {
    const name = input.AutoScalingGroupName!;
    if (this.active(name)) throw new InstanceRefreshInProgressFault({ message: 'An Instance Refresh is already in progress and blocks the execution of this Instance Refresh.', $metadata: {} });
    const refresh = this.addRefresh({ AutoScalingGroupName: name, ...(input.DesiredConfiguration ? { DesiredConfiguration: structuredClone(input.DesiredConfiguration) } : {}), ...(input.Preferences ? { Preferences: structuredClone(input.Preferences) } : {}) });
    this.onStart?.(refresh);
    return { InstanceRefreshId: refresh.InstanceRefreshId };
  }

  /** Moves a refresh on: Successful puts every instance (and the group) on its desired version. */
  finish(id: string, status: InstanceRefresh['Status'], percent = 100): void {
    const refresh = this.refreshes.find((r) => r.InstanceRefreshId === id)!;
    refresh.Status = status;
    refresh.PercentageComplete = percent;
    if (status === 'Successful') this.putOn(refresh.AutoScalingGroupName!, refresh.DesiredConfiguration!.LaunchTemplate!.Version!, true);
  }

  putOn(name: string, version: string, template: boolean): void {
    const g = this.groups[name]!;
    g.Instances = (g.Instances ?? []).map((i) => ({ ...i, LaunchTemplate: { ...i.LaunchTemplate, Version: version } }));
    if (template) g.LaunchTemplate = { ...g.LaunchTemplate, Version: version };
  }

  private rollback(name: string | undefined) {
    const refresh = this.active(name!);
    if (!refresh) throw new ActiveInstanceRefreshNotFoundFault({ message: `No in progress or pending Instance Refresh found for Auto Scaling group ${name}`, $metadata: {} });
    const versions = [this.groups[name!]!.LaunchTemplate?.Version, refresh.DesiredConfiguration?.LaunchTemplate?.Version];
    if (versions.some((v) => !/^\d+$/.test(v ?? ''))) throw new IrreversibleInstanceRefreshFault({ message: 'The request failed because the desired configuration uses $Latest or $Default.', $metadata: {} });
    refresh.Status = 'RollbackSuccessful';
    this.putOn(name!, this.groups[name!]!.LaunchTemplate!.Version!, false);
    return { InstanceRefreshId: refresh.InstanceRefreshId };
  }

  private cancel(name: string | undefined) {
    const refresh = this.active(name!);
    if (!refresh) throw new ActiveInstanceRefreshNotFoundFault({ message: `No in progress or pending Instance Refresh found for Auto Scaling group ${name}`, $metadata: {} });
    refresh.Status = 'Cancelled';
    return { InstanceRefreshId: refresh.InstanceRefreshId };
  }

  private update(input: { AutoScalingGroupName?: string; LaunchTemplate?: AutoScalingGroup['LaunchTemplate']; MinSize?: number; MaxSize?: number; DesiredCapacity?: number }) {
    const g = this.groups[input.AutoScalingGroupName!]!;
    const t = input.LaunchTemplate;
    if (t && (t.LaunchTemplateId === undefined) === (t.LaunchTemplateName === undefined)) {
      throw Object.assign(new Error('Valid requests must contain either launchTemplateId or LaunchTemplateName'), { name: 'ValidationError' });
    }
    if (input.LaunchTemplate) g.LaunchTemplate = { ...input.LaunchTemplate, LaunchTemplateName: g.LaunchTemplate?.LaunchTemplateName };
    if (input.MinSize !== undefined) g.MinSize = input.MinSize;
    if (input.MaxSize !== undefined) g.MaxSize = input.MaxSize;
    if (input.DesiredCapacity !== undefined) g.DesiredCapacity = input.DesiredCapacity;
    this.onUpdate?.(input.AutoScalingGroupName!);
    return {};
  }

  /** Instances follow the desired capacity at once, on the group's version. */
  scaleToDesired(name: string): void {
    const g = this.groups[name]!;
    const template = g.LaunchTemplate!;
    g.Instances = Array.from({ length: g.DesiredCapacity ?? 0 }, (_, n) => instance(`${name}-i-${n + 1}`, template.Version ?? '1', template.LaunchTemplateId));
  }
}

export interface Built {
  readonly spec: ParsedDeploySpec;
  readonly plan: Plan;
  readonly target: AsgTargetSpec;
}

/** A spec parsed and planned the way the CLI does; the Auto Scaling target is the last target. */
export function build(options: Record<string, unknown>): Built {
  const spec = parseSpec(options);
  const plan = planFromSpec(spec);
  const target = spec.targets.find((t) => t.type === 'asg') as AsgTargetSpec;
  return { spec, plan, target };
}

export const ASG_TARGET = { type: 'asg', autoScalingGroupName: 'web', launchTemplateVersion: 7 } as const;

export function contexts(clock: VirtualClock, plan: Plan) {
  const events: DeployEvent[] = [];
  const base: ProviderContext = { deploymentId: 'd-asg', signal: new AbortController().signal, clock, emit: (e) => events.push(e) };
  const capacity = (snapshot: Json): CapacityContext => ({ ...base, snapshot, checkpoints: checkpointsOf(plan), ...(plan.batch ? { batch: plan.batch } : {}) });
  return { base, capacity, events };
}

export function providerFor(fake: FakeAsg, built: Built) {
  return createAsgProvider(built.target, { client: fake.client, plan: built.plan, spec: built.spec, timings: { pollMs: 1000, rollbackTimeoutMs: 600_000, readyTimeoutMs: 600_000, listingGraceMs: 30_000 } });
}
