import type { Service } from '@aws-sdk/client-ecs';
import { messageOf } from '../../errors.js';
import { resolveTargetRef, type AlbRoles } from '../alb/target.js';
import type { Json } from '../types.js';
import { matches } from './api.js';
import { attachedTo, describeGroups, serviceName, serviceProblems, splitPlanProblems, steadyProblems, taskDefinitionProblems } from './checks.js';
import { servingRoles, shortGroup, whereOfAlb } from './elb.js';
import type { PreflightParts, PreflightResult } from './preflight.js';
import { shortTaskDefinition } from './target.js';

interface Sides {
  readonly stable: Service;
  readonly canary: Service;
}

/**
 * Split mode: both services ACTIVE and steady, each attached to its target group of the ALB target (with
 * targetGroupArns, the live one is whichever the listener sends all traffic to, so consecutive deployments
 * alternate), and the service that brings up the new version idle or already on the new task definition.
 */
export async function preflightSplit(parts: PreflightParts, signal: AbortSignal): Promise<PreflightResult> {
  const { api, ref, plan } = parts;
  const where = `ecs services ${ref.clusterName}/${ref.serviceName} and ${ref.clusterName}/${ref.canaryServiceName ?? '?'}`;
  const errors = [...ref.specProblems, ...splitPlanProblems(plan, where)];
  if (!ref.alb || !ref.canaryService) return { report: { errors, warnings: [] } };
  const { services, missing } = await api.describeServices([ref.service, ref.canaryService], signal);
  errors.push(...missing.map((name) => `service ${name} not found in cluster ${ref.cluster} (DescribeServices: MISSING)`));
  const roles = await liveRoles(parts, signal);
  if (typeof roles === 'string') errors.push(roles);
  const first = services.find((s) => matches(s, ref.service));
  const second = services.find((s) => matches(s, ref.canaryService!));
  if (!first || !second || typeof roles === 'string') return { report: { errors, warnings: [] } };
  const sides = assignSides(first, second, roles, resolveTargetRef(ref.alb).groups.type === 'pingPong');
  if (typeof sides === 'string') return { report: { errors: [...errors, sides], warnings: [] } };
  const definition = await api.taskDefinition(ref.taskDefinition, signal);
  const targetArn = definition?.taskDefinitionArn ?? ref.taskDefinition;
  errors.push(...[sides.stable, sides.canary].flatMap((s) => [...serviceProblems(s), ...steadyProblems(s)]));
  errors.push(...taskDefinitionProblems(ref.taskDefinition, definition, [sides.canary]), ...sideProblems(sides, targetArn));
  const warnings = sides.stable.taskDefinition === targetArn ? [`the live service ${serviceName(sides.stable)} already runs ${shortTaskDefinition(targetArn)}`] : [];
  const facts = factsOf(sides, roles, targetArn);
  if (errors.length > 0) return { report: { errors, warnings, facts } };
  const found = { stable: sides.stable.serviceName!, canary: sides.canary.serviceName!, roles };
  return { report: { errors, warnings, facts }, found: { targetArn, split: found } };
}

async function liveRoles(parts: PreflightParts, signal: AbortSignal): Promise<AlbRoles | string> {
  const alb = parts.ref.alb!;
  const where = whereOfAlb(alb);
  try {
    return servingRoles(alb, await parts.elb.read(where, signal));
  } catch (error) {
    return `could not read ${where.resource} ${where.arn} to find the live target group: ${messageOf(error)}`;
  }
}

/** Which service serves today: the one attached to the stable group; the other must be attached to the canary group. */
function assignSides(first: Service, second: Service, roles: AlbRoles, pingPong: boolean): Sides | string {
  const found = `${serviceName(first)} is attached to ${describeGroups(first)}, ${serviceName(second)} to ${describeGroups(second)}`;
  const [stable, canary] = pingPong && attachedTo(second, roles.stable) ? [second, first] : [first, second];
  if (!attachedTo(stable, roles.stable)) {
    const which = pingPong ? 'neither service is attached to' : `service ${serviceName(stable)} is not attached to`;
    return `${which} the stable target group ${shortGroup(roles.stable)} (the one serving today): ${found}`;
  }
  if (!attachedTo(canary, roles.canary)) return `service ${serviceName(canary)} must be attached to the canary target group ${shortGroup(roles.canary)}: ${found}`;
  return { stable, canary };
}

function sideProblems(sides: Sides, targetArn: string): string[] {
  const problems: string[] = [];
  const { stable, canary } = sides;
  if ((stable.desiredCount ?? 0) === 0) problems.push(`the live service ${serviceName(stable)} has desiredCount 0: nothing serves today to size the new side from or to fall back on`);
  if ((canary.desiredCount ?? 0) > 0 && canary.taskDefinition !== targetArn) {
    problems.push(
      `the service for the new version ${serviceName(canary)} runs ${shortTaskDefinition(canary.taskDefinition ?? '?')} with desiredCount ${canary.desiredCount}: ` +
        `it must be idle (desiredCount 0) or already run ${shortTaskDefinition(targetArn)}; scale it to 0 first`,
    );
  }
  return problems;
}

function factsOf(sides: Sides, roles: AlbRoles, targetArn: string): Record<string, Json> {
  return {
    mode: 'split',
    liveService: `${serviceName(sides.stable)} (${shortTaskDefinition(sides.stable.taskDefinition ?? '?')}, ${sides.stable.desiredCount ?? 0} tasks) behind ${shortGroup(roles.stable)}`,
    newService: `${serviceName(sides.canary)} (${shortTaskDefinition(sides.canary.taskDefinition ?? '?')}, ${sides.canary.desiredCount ?? 0} tasks) behind ${shortGroup(roles.canary)}`,
    taskDefinition: shortTaskDefinition(targetArn),
    newServiceDesiredCount: sides.stable.desiredCount ?? 0,
  };
}

