import type { AutoScalingGroup, InstanceRefresh } from '@aws-sdk/client-auto-scaling';
import type { ParsedDeploySpec } from '../../config/schema.js';
import type { Plan } from '../../strategies/types.js';
import type { Json, PreflightReport } from '../types.js';
import { isActive, type AsgApi } from './api.js';
import { collapsedCheckpoints } from './checkpoints.js';
import { fleetOf, liveInstances, versionCounts } from './fleet.js';
import { describeRefresh } from './refresh.js';
import { designRefresh } from './request.js';
import { restoreVersionOf, targetGroupsOf, templateOf } from './snapshot.js';
import { albTargetsOf, isPinned, modeOf, movesTraffic, showVersion, versionOf, type AsgTargetSpec } from './target.js';
import { toJson } from '../../util/plainJson.js';

export interface PreflightInput {
  readonly target: AsgTargetSpec;
  readonly plan: Plan;
  readonly spec: ParsedDeploySpec;
  /** Blue-green: whether the provider was given an ELBv2 client to read target health. */
  readonly readsTargetHealth?: boolean;
}

interface Findings {
  readonly errors: string[];
  readonly warnings: string[];
  readonly facts: Record<string, Json>;
}

/** Read-only: DescribeAutoScalingGroups (both groups in one call) and DescribeInstanceRefreshes per group. */
export async function preflightAsg(api: AsgApi, input: PreflightInput, signal: AbortSignal): Promise<PreflightReport> {
  const { target } = input;
  const names = [target.autoScalingGroupName, ...(target.newGroupName ? [target.newGroupName] : [])];
  const groups = await api.groups(names, signal);
  const findings: Findings = { errors: [], warnings: [], facts: {} };
  const group = groups.get(target.autoScalingGroupName);
  if (!group) return { errors: [`Auto Scaling group ${target.autoScalingGroupName} not found`], warnings: [] };
  checkGroup(group, await api.refreshes(group.AutoScalingGroupName!, signal), findings);
  if (modeOf(target) === 'refresh') checkRefresh(group, input, findings);
  else await checkTwoGroups(api, group, groups.get(target.newGroupName!), input, findings, signal);
  return { errors: findings.errors, warnings: findings.warnings, facts: findings.facts };
}

/** What every mode needs of the group that serves today. */
function checkGroup(group: AutoScalingGroup, refreshes: readonly InstanceRefresh[], findings: Findings): void {
  const name = group.AutoScalingGroupName!;
  const template = templateOf(group);
  findings.facts[name] = groupFacts(group);
  if (!template) {
    const uses = group.LaunchConfigurationName ? `launch configuration ${group.LaunchConfigurationName}` : group.MixedInstancesPolicy ? 'a mixed instances policy' : 'no launch template';
    findings.errors.push(`Auto Scaling group ${name} uses ${uses}: deployctl rolls out launch template versions, so the group needs a launch template`);
    return;
  }
  if (group.Status) findings.errors.push(`Auto Scaling group ${name} is being deleted (${group.Status})`);
  const active = refreshes.find(isActive);
  if (active) findings.errors.push(`an instance refresh ${describeRefresh(active)} is already active on ${name}; deployctl never overwrites or cancels it: wait for it to end, or cancel it yourself`);
  const restore = restoreVersionOf(group);
  if ('problem' in restore) findings.errors.push(restore.problem);
  const waiting = fleetOf(group, { templateId: template.LaunchTemplateId, version: null }).problems;
  if (waiting.length > 0) findings.warnings.push(`${name} has instances not in service and healthy (${waiting.slice(0, 5).join(', ')}): a rollback waits until every instance is`);
  if (!isPinned(template.Version)) {
    findings.warnings.push(`${name} follows ${showVersion(template.Version)}: every instance it launches (scaling, replacements, a rollback's old side) runs whatever that version is then; pin a version number for exact rollbacks`);
  }
}

function groupFacts(group: AutoScalingGroup): Json {
  const t = group.LaunchTemplate;
  return {
    launchTemplate: t?.LaunchTemplateId ? `${t.LaunchTemplateName ?? t.LaunchTemplateId} ${showVersion(t.Version)}` : null,
    minSize: group.MinSize ?? null,
    maxSize: group.MaxSize ?? null,
    desiredCapacity: group.DesiredCapacity ?? null,
    instances: versionCounts(group),
    healthCheckType: group.HealthCheckType ?? null,
    targetGroups: targetGroupsOf(group),
  };
}

function checkRefresh(group: AutoScalingGroup, input: PreflightInput, findings: Findings): void {
  if (movesTraffic(input.plan)) {
    findings.errors.push(
      `the plan moves traffic on an ALB target, but the Auto Scaling target has no newGroupName: an instance refresh replaces ${group.AutoScalingGroupName}'s instances in place, ` +
        'so no second group stands behind the canary target group; add newGroupName (blue-green with two groups), or use rolling/canary without the ALB target',
    );
  }
  const template = templateOf(group);
  if (!template) return;
  findings.warnings.push(...refreshWarnings(group, template.LaunchTemplateId, input.target));
  const design = designRefresh({ ...input, group });
  findings.errors.push(...design.errors);
  findings.warnings.push(...design.warnings);
  const collapsed = collapsedCheckpoints(design.checkpoints.checkpoints, liveInstances(group).length);
  if (collapsed) findings.warnings.push(collapsed);
  findings.facts.startInstanceRefresh = toJson(design.request);
  findings.facts.nativeRollback = design.autoRollback ? 'AutoRollback on (numbered versions)' : 'off: deployctl rolls back';
}

function refreshWarnings(group: AutoScalingGroup, templateId: string, target: AsgTargetSpec): string[] {
  const name = group.AutoScalingGroupName!;
  const version = versionOf(target);
  const warnings: string[] = [];
  const live = liveInstances(group).length;
  if (isPinned(version) && live > 0 && fleetOf(group, { templateId, version }).offVersion.length === 0) {
    warnings.push(`every instance of ${name} already runs ${showVersion(version)}: ${target.skipMatching ? 'the refresh has nothing to replace' : 'the refresh replaces them all (skipMatching: true would skip them)'}`);
  }
  if (targetGroupsOf(group).length > 0 && !(group.HealthCheckType ?? 'EC2').split(',').includes('ELB')) {
    warnings.push(`${name} sits behind target groups but uses ${group.HealthCheckType ?? 'EC2'} health checks: the refresh counts a replacement healthy without the load balancer's view; use ELB health checks`);
  }
  return warnings;
}

async function checkTwoGroups(api: AsgApi, old: AutoScalingGroup, fresh: AutoScalingGroup | undefined, input: PreflightInput, findings: Findings, signal: AbortSignal): Promise<void> {
  const { target, plan, spec } = input;
  const name = target.newGroupName!;
  if (name === target.autoScalingGroupName) return void findings.errors.push(`newGroupName ${name} is the group that serves today; blue-green needs a second group`);
  if (albTargetsOf(spec).length === 0 || !movesTraffic(plan)) {
    findings.errors.push(`newGroupName ${name} makes this a blue-green with two groups, which needs an ALB target (and a strategy that moves traffic) to send traffic to ${name}`);
  }
  const partial = plan.steps.flatMap((s) => (s.type === 'deployCapacity' && s.percent !== 100 ? [s.percent] : []));
  if (partial.length > 0) findings.errors.push(`blue-green brings the whole new group up at once; deployCapacity ${partial.join(', ')} cannot be taken in steps with two groups`);
  const ignored = (['minHealthyPercentage', 'maxHealthyPercentage', 'instanceWarmup', 'skipMatching'] as const).filter((k) => target[k] !== undefined);
  if (ignored.length > 0) findings.warnings.push(`${ignored.join(', ')} apply to instance refresh; blue-green with two groups runs none, so they are ignored`);
  if (!fresh) return void findings.errors.push(`Auto Scaling group ${name} (newGroupName) not found`);
  findings.facts[name] = groupFacts(fresh);
  const template = templateOf(fresh);
  if (!template) return void findings.errors.push(`Auto Scaling group ${name} has no launch template: deployctl sets its launch template version`);
  const active = (await api.refreshes(name, signal)).find(isActive);
  if (active) findings.errors.push(`an instance refresh ${describeRefresh(active)} is active on ${name}; wait for it to end`);
  const stray = fleetOf(fresh, { templateId: template.LaunchTemplateId, version: isPinned(versionOf(target)) ? versionOf(target) : null }).offVersion;
  if (stray.length > 0) findings.errors.push(`${name} runs ${stray.length} instances not on the new version (${Object.entries(versionCounts(fresh)).map(([v, n]) => `${v} ×${n}`).join(', ')}): blue-green brings the new version up in an empty group; scale ${name} to 0 first`);
  if (!(fresh.HealthCheckType ?? 'EC2').split(',').includes('ELB')) {
    findings.warnings.push(`${name} uses ${fresh.HealthCheckType ?? 'EC2'} health checks: its instances count as healthy before the load balancer says so; use ELB health checks so traffic waits for healthy targets`);
  }
  findings.errors.push(...attachmentProblems(old, fresh, spec));
  if (!input.readsTargetHealth) {
    findings.warnings.push(`the load balancer's target health is not read (the provider has no ELBv2 client): ${name}'s instances count as ready once their health check grace period (${fresh.HealthCheckGracePeriod ?? 0}s) has passed`);
  }
}

/** The old group must sit behind the stable target group and the new one behind the canary, or traffic goes nowhere. */
export function attachmentProblems(old: AutoScalingGroup, fresh: AutoScalingGroup, spec: ParsedDeploySpec): string[] {
  const oldGroups = targetGroupsOf(old);
  const newGroups = targetGroupsOf(fresh);
  const problems: string[] = [];
  for (const alb of albTargetsOf(spec)) {
    const pair = alb.targetGroupArns ?? [alb.stableTargetGroupArn, alb.canaryTargetGroupArn];
    const [stable, canary] = alb.targetGroupArns ? (oldGroups.includes(pair[0]!) ? pair : [pair[1], pair[0]]) : pair;
    if (canary && !newGroups.includes(canary)) problems.push(`${fresh.AutoScalingGroupName} is not attached to the canary target group ${short(canary)} (it is attached to ${newGroups.map(short).join(', ') || 'none'}): traffic moved there would reach none of its instances`);
    if (stable && !oldGroups.includes(stable)) problems.push(`${old.AutoScalingGroupName} is not attached to the stable target group ${short(stable)} (it is attached to ${oldGroups.map(short).join(', ') || 'none'})`);
  }
  return problems;
}

function short(arn: string): string {
  const at = arn.indexOf('targetgroup/');
  return at >= 0 ? arn.slice(at) : arn;
}
