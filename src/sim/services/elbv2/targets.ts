import type { TargetDescription, TargetHealth, TargetHealthDescription } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { SimTarget, TargetRegistry } from '../contracts.js';
import type { World } from '../../world.js';
import { fail } from '../common.js';
import { requireTargetGroup } from './errors.js';
import { deregisterTarget, NOT_REGISTERED, registerTarget, reportedHealth } from './health.js';
import type { Elbv2Context, Elbv2State, TargetGroupRecord, TargetRecord } from './state.js';

/**
 * RegisterTargets / DeregisterTargets / DescribeTargetHealth, and the TargetRegistry other services use
 * (Auto Scaling and ECS register instances and tasks with their app version).
 *
 * A target registered through the API has no version of its own: it takes the version the same target id has
 * in another group (an instance an Auto Scaling group registered), else the version of its id as an artifact
 * (world.versionOfArtifact). DescribeTargetHealth names unregistered targets `unused / Target.NotRegistered`
 * instead of dropping them (facts §2.1: moto#2324, cloudemu#756; getmoto/moto#7692). A target's Port defaults
 * to the group's in every call.
 */
const MAX_TARGETS_PER_GROUP = 1000;

export function registerTargets(ctx: Elbv2Context, input: Record<string, unknown>): Record<string, never> {
  const group = requireTargetGroup(ctx.state, input.TargetGroupArn);
  const targets = input.Targets as TargetDescription[];
  const fresh = targets.filter((t) => !group.targets.some((r) => r.id === t.Id && r.port === (t.Port ?? group.port) && r.state !== 'draining'));
  if (group.targets.filter((t) => t.state !== 'draining').length + fresh.length > MAX_TARGETS_PER_GROUP) {
    fail('TooManyTargets', `You've reached the limit on the number of targets (${MAX_TARGETS_PER_GROUP})`);
  }
  for (const t of targets) {
    registerTarget(ctx, group, { id: String(t.Id), port: t.Port, version: versionOfTarget(ctx, String(t.Id)), availabilityZone: t.AvailabilityZone });
  }
  return {};
}

export function deregisterTargets(ctx: Elbv2Context, input: Record<string, unknown>): Record<string, never> {
  const group = requireTargetGroup(ctx.state, input.TargetGroupArn);
  // A target without Port means the group's port; one that matches nothing is ignored with a 200
  // (chaostoolkit-incubator/chaostoolkit-aws#60, aws/aws-sdk-js#1964).
  for (const t of input.Targets as TargetDescription[]) {
    const port = t.Port ?? group.port;
    if (group.targets.some((r) => r.id === t.Id && r.port === port)) deregisterTarget(ctx, group, String(t.Id), port);
  }
  return {};
}

export function describeTargetHealth(ctx: Elbv2Context, input: Record<string, unknown>): { TargetHealthDescriptions: TargetHealthDescription[] } {
  const group = requireTargetGroup(ctx.state, input.TargetGroupArn);
  const asked = input.Targets as TargetDescription[] | undefined;
  if (!asked?.length) return { TargetHealthDescriptions: group.targets.map((t) => healthDescription(ctx, group, t)) };
  const descriptions = asked.flatMap((wanted): TargetHealthDescription[] => {
    const port = wanted.Port ?? group.port;
    const matching = group.targets.filter((t) => t.id === wanted.Id && t.port === port);
    if (matching.length > 0) return matching.map((t) => healthDescription(ctx, group, t));
    return [{ Target: { Id: wanted.Id, ...(port !== undefined ? { Port: port } : {}) }, TargetHealth: { ...NOT_REGISTERED } as TargetHealth }];
  });
  return { TargetHealthDescriptions: descriptions };
}

function healthDescription(ctx: Elbv2Context, group: TargetGroupRecord, target: TargetRecord): TargetHealthDescription {
  const Target: TargetDescription = { Id: target.id };
  if (target.port !== undefined) Target.Port = target.port;
  if (target.availabilityZone) Target.AvailabilityZone = target.availabilityZone;
  const healthPort = group.healthCheck.port === 'traffic-port' ? target.port : group.healthCheck.port;
  return { Target, ...(healthPort !== undefined ? { HealthCheckPort: String(healthPort) } : {}), TargetHealth: { ...reportedHealth(ctx, group, target) } as TargetHealth };
}

function versionOfTarget(ctx: Elbv2Context, id: string): string {
  for (const group of Object.values(ctx.state.targetGroups)) {
    const known = group.targets.find((t) => t.id === id);
    if (known) return known.version;
  }
  return ctx.world.versionOfArtifact(id);
}

/**
 * The registry other services call from their own handlers and time-driven events. It acts at the world's
 * current event time (world.state.now, which `sync` sets to each event's time), not at the clock's.
 * Unknown target groups are ignored by register/deregister (callers check `exists`).
 */
export function targetRegistryOf(service: { name: 'elbv2' }): TargetRegistry {
  const contextOf = (world: World): Elbv2Context => ({ ...world.context<Elbv2State>(service.name), now: world.state.now });
  return {
    register(world, targetGroupArn, targets: readonly SimTarget[]) {
      const ctx = contextOf(world);
      const group = ctx.state.targetGroups[targetGroupArn];
      if (!group) return;
      for (const t of targets) registerTarget(ctx, group, { id: t.id, port: t.port, version: t.version, availabilityZone: t.availabilityZone, started: t.started, healthy: t.healthy });
    },
    deregister(world, targetGroupArn, ids) {
      const ctx = contextOf(world);
      const group = ctx.state.targetGroups[targetGroupArn];
      if (!group) return;
      for (const id of ids) deregisterTarget(ctx, group, id);
    },
    health(world, targetGroupArn, id) {
      const ctx = contextOf(world);
      const group = ctx.state.targetGroups[targetGroupArn];
      const target = group?.targets.find((t) => t.id === id);
      return group && target ? reportedHealth(ctx, group, target).State : undefined;
    },
    exists(world, targetGroupArn) {
      return contextOf(world).state.targetGroups[targetGroupArn] !== undefined;
    },
  };
}
