import type { AutoScalingGroup, RefreshPreferences } from '@aws-sdk/client-auto-scaling';
import { DeployError } from '../../errors.js';
import type { Json } from '../types.js';
import type { Checkpoint } from './checkpoints.js';
import { liveInstances } from './fleet.js';
import type { RefreshRequest } from './request.js';
import { isPinned, type AsgMode } from './target.js';
import { toJson } from '../../util/plainJson.js';

/** A launch template as the group names it; no Version means $Default (AWS omits it then). */
export interface TemplateSpec {
  readonly LaunchTemplateId: string;
  readonly LaunchTemplateName?: string;
  readonly Version?: string;
}

export interface InstanceCapture {
  readonly id: string;
  readonly templateId?: string;
  readonly version?: string;
  readonly lifecycle?: string;
  readonly health?: string;
}

/** What the rollback puts back on one group, field by field. */
export interface GroupCapture {
  readonly name: string;
  readonly arn: string;
  readonly launchTemplate: TemplateSpec;
  readonly minSize: number;
  readonly maxSize: number;
  readonly desiredCapacity: number;
  readonly targetGroupArns: readonly string[];
  readonly healthCheckType: string;
  readonly instances: readonly InstanceCapture[];
}

export interface AsgSnapshot {
  readonly provider: 'asg';
  readonly version: 1;
  readonly mode: AsgMode;
  /** Clock time of the capture: later refreshes and activities are this deployment's. */
  readonly capturedAt: number;
  readonly group: GroupCapture;
  /** Blue-green: the second group as it was (usually empty). */
  readonly newGroup?: GroupCapture;
  /**
   * The numbered version the group's instances ran: its pinned version, or the one version every instance ran
   * when the group follows $Latest/$Default (which may already name the new version). Null: no instance ran.
   */
  readonly restoreVersion: string | null;
  /** Refreshes listed at capture: a refresh not among them was started after it. */
  readonly knownRefreshIds: readonly string[];
  /** refresh mode: the exact StartInstanceRefresh request, so a resumed process sends (and recognises) the same. */
  readonly request?: RefreshRequest;
  readonly rollbackPreferences?: RefreshPreferences;
  readonly checkpoints: readonly Checkpoint[];
  readonly planPercents: readonly number[];
}

export function templateOf(group: AutoScalingGroup): TemplateSpec | undefined {
  const t = group.LaunchTemplate;
  if (!t?.LaunchTemplateId) return undefined;
  return { LaunchTemplateId: t.LaunchTemplateId, ...(t.LaunchTemplateName !== undefined ? { LaunchTemplateName: t.LaunchTemplateName } : {}), ...(t.Version !== undefined ? { Version: t.Version } : {}) };
}

/**
 * The captured launch template as a request names it: the id and the version as captured (none = $Default).
 * Auto Scaling refuses a LaunchTemplate that names both the id and the name.
 */
export function writableTemplate(spec: TemplateSpec): { LaunchTemplateId: string; Version?: string } {
  return { LaunchTemplateId: spec.LaunchTemplateId, ...(spec.Version !== undefined ? { Version: spec.Version } : {}) };
}

/** Target groups the group is attached to, by either API (TargetGroupARNs and elbv2 traffic sources). */
export function targetGroupsOf(group: AutoScalingGroup): string[] {
  const sources = (group.TrafficSources ?? []).filter((s) => (s.Type ?? 'elbv2') === 'elbv2').map((s) => s.Identifier ?? '');
  return [...new Set([...(group.TargetGroupARNs ?? []), ...sources].filter(Boolean))];
}

export function captureGroup(group: AutoScalingGroup): GroupCapture {
  const template = templateOf(group);
  if (!template) throw new DeployError('PREFLIGHT_FAILED', `Auto Scaling group ${group.AutoScalingGroupName} has no launch template`);
  return {
    name: group.AutoScalingGroupName ?? '',
    arn: group.AutoScalingGroupARN ?? '',
    launchTemplate: template,
    minSize: group.MinSize ?? 0,
    maxSize: group.MaxSize ?? 0,
    desiredCapacity: group.DesiredCapacity ?? 0,
    targetGroupArns: targetGroupsOf(group),
    healthCheckType: group.HealthCheckType ?? 'EC2',
    instances: (group.Instances ?? []).map((i) => ({
      id: i.InstanceId ?? '',
      ...(i.LaunchTemplate?.LaunchTemplateId ? { templateId: i.LaunchTemplate.LaunchTemplateId } : {}),
      ...(i.LaunchTemplate?.Version !== undefined ? { version: i.LaunchTemplate.Version } : {}),
      ...(i.LifecycleState ? { lifecycle: i.LifecycleState } : {}),
      ...(i.HealthStatus ? { health: i.HealthStatus } : {}),
    })),
  };
}

/** The version to roll instances back to, or a reason why none can be told. */
export function restoreVersionOf(group: AutoScalingGroup): { version: string | null } | { problem: string } {
  const pinned = group.LaunchTemplate?.Version;
  if (isPinned(pinned)) return { version: pinned };
  const versions = [...new Set(liveInstances(group).map((i) => i.LaunchTemplate?.Version ?? '$Default'))];
  if (versions.length === 0) return { version: null };
  if (versions.length === 1 && isPinned(versions[0])) return { version: versions[0] };
  return {
    problem: `${group.AutoScalingGroupName} follows ${pinned ?? '$Default'} and its instances run ${versions.join(', ')}: deployctl cannot tell which version a rollback must return to; finish or undo that change first, or pin the group to a version number`,
  };
}

export function snapshotJson(snapshot: AsgSnapshot): Json {
  return toJson(snapshot);
}

/** The captured configuration back from the deployment record; anything else is refused, never guessed. */
export function parseSnapshot(json: Json, label: string): AsgSnapshot {
  const s = json as unknown as Partial<AsgSnapshot> | null;
  const groupOk = (g: Partial<GroupCapture> | undefined): boolean => typeof g?.name === 'string' && typeof g.launchTemplate?.LaunchTemplateId === 'string' && typeof g.desiredCapacity === 'number';
  const ok = s !== null && typeof s === 'object' && s.provider === 'asg' && s.version === 1 && groupOk(s.group) && (s.mode === 'refresh' ? !!s.request : groupOk(s.newGroup));
  if (!ok) throw new DeployError('INTERNAL', `${label}: no usable captured configuration (expected an asg snapshot, version 1)`);
  return s as AsgSnapshot;
}
