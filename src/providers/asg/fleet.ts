import type { AutoScalingGroup, Instance } from '@aws-sdk/client-auto-scaling';
import { showVersion } from './target.js';

/** The launch template (and numbered version) instances should run; version null = any version of it. */
export interface Wanted {
  readonly templateId: string;
  readonly version: string | null;
}

/** How a group's instances stand against a wanted version. */
export interface Fleet {
  /** InService, Healthy, on the wanted template and version. */
  readonly ready: number;
  readonly desired: number;
  /** Instances counting toward capacity that are on another template or version. */
  readonly offVersion: readonly string[];
  /** Every instance that is not ready, said in a few words (`i-1 Pending`, `i-2 on v7`). */
  readonly problems: readonly string[];
}

/** Terminating (and its lifecycle-hook states) and Terminated instances are leaving: they no longer count. */
export function isLeaving(instance: Instance): boolean {
  return (instance.LifecycleState ?? '').startsWith('Terminat');
}

export function liveInstances(group: AutoScalingGroup): Instance[] {
  return (group.Instances ?? []).filter((i) => !isLeaving(i));
}

function onWanted(instance: Instance, wanted: Wanted): boolean {
  const template = instance.LaunchTemplate;
  if (template?.LaunchTemplateId !== wanted.templateId) return false;
  return wanted.version === null || template.Version === wanted.version;
}

function describe(instance: Instance, wanted: Wanted): string | undefined {
  const id = instance.InstanceId ?? '?';
  if (!onWanted(instance, wanted)) {
    const template = instance.LaunchTemplate;
    if (!template?.LaunchTemplateId) return `${id} has no launch template`;
    const other = template.LaunchTemplateId !== wanted.templateId ? `launch template ${template.LaunchTemplateName ?? template.LaunchTemplateId} ` : '';
    return `${id} on ${other}${showVersion(template.Version)}`;
  }
  if (instance.LifecycleState !== 'InService') return `${id} ${instance.LifecycleState ?? 'in no lifecycle state'}`;
  if (instance.HealthStatus !== 'Healthy') return `${id} ${instance.HealthStatus ?? 'of unknown health'}`;
  return undefined;
}

export function fleetOf(group: AutoScalingGroup, wanted: Wanted): Fleet {
  const live = liveInstances(group);
  const problems = live.map((i) => describe(i, wanted)).filter((p): p is string => p !== undefined);
  return {
    ready: live.length - problems.length,
    desired: group.DesiredCapacity ?? 0,
    offVersion: live.filter((i) => !onWanted(i, wanted)).map((i) => i.InstanceId ?? '?'),
    problems,
  };
}

/** Every instance ready and as many as desired. */
export function isSettled(fleet: Fleet): boolean {
  return fleet.problems.length === 0 && fleet.ready === fleet.desired;
}

/** `3 of 4 instances ready on v6; not yet: i-1 Pending` */
export function summary(fleet: Fleet, wanted: Wanted): string {
  const head = `${fleet.ready} of ${fleet.desired} instances ready on ${wanted.version === null ? 'the launch template' : showVersion(wanted.version)}`;
  return fleet.problems.length > 0 ? `${head}; not yet: ${fleet.problems.slice(0, 5).join(', ')}${fleet.problems.length > 5 ? ` and ${fleet.problems.length - 5} more` : ''}` : head;
}

/** Versions the live instances run, with counts: `v6 ×3, v7 ×1`. */
export function versionCounts(group: AutoScalingGroup): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const instance of liveInstances(group)) {
    const key = showVersion(instance.LaunchTemplate?.Version);
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}
