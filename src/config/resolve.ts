import type { z } from 'zod';
import { describeValue, InputError, InputErrors } from '../errors.js';
import type { RolloutSettings } from '../machines/context.js';
import { buildPlan, validatePlan, type Plan, type Step, type StrategyOptions } from '../strategies/index.js';
import { parseDuration } from '../util/duration.js';
import { DeploySpec, type ParsedDeploySpec, type StepSpec, type TargetSpec } from './schema.js';

/** Turns a schema path into the place a user can find: a CLI flag, or file:line:column in a spec. */
export type Locate = (path: readonly PropertyKey[]) => string;

export const locateByPath: Locate = (path) => (path.length === 0 ? 'spec' : path.map(String).join('.'));

/** Validates options against the schema; every problem names where it is, the value, and what is allowed. */
export function parseSpec(input: unknown, locate: Locate = locateByPath): ParsedDeploySpec {
  const result = DeploySpec.safeParse(input);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    // An unknown field is pointed at itself, not at the object holding it.
    const path = issue.code === 'unrecognized_keys' && issue.keys.length === 1 ? [...issue.path, issue.keys[0]!] : issue.path;
    return new InputError(locate(path), valueAt(input, path), allowedFor(issue));
  });
  throw problems.length === 1 ? problems[0]! : new InputErrors(problems);
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const key of path) value = value && typeof value === 'object' ? (value as Record<PropertyKey, unknown>)[key] : undefined;
  return value;
}

function allowedFor(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_value':
      return `use one of ${issue.values.map((v) => describeValue(v)).join(', ')}`;
    case 'unrecognized_keys':
      return `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.join(', ')}`;
    case 'invalid_union':
      return issue.message === 'Invalid input' ? 'the value does not match any allowed form' : issue.message;
    default:
      return issue.message.replace(/^Invalid input: /, '');
  }
}

/** Whether the targets split traffic (ALB, Lambda, Route 53) and/or bring up capacity (ECS, Auto Scaling). */
export function targetRoles(targets: readonly TargetSpec[]): { traffic: boolean; capacity: boolean } {
  const traffic = targets.some((t) => t.type === 'alb' || t.type === 'lambda' || t.type === 'route53');
  const capacity = targets.some((t) => t.type === 'ecs' || t.type === 'asg');
  return { traffic, capacity };
}

/** The plan a spec asks for, checked as a whole. */
export function planFromSpec(spec: ParsedDeploySpec, locate: Locate = locateByPath): Plan {
  const roles = targetRoles(spec.targets);
  const hooks = Object.keys(spec.hooks ?? {});
  const seconds = (value: string | number | undefined, key: string) => (value === undefined ? undefined : parseDuration(value, locate([key])));
  const options: StrategyOptions = {
    strategy: spec.strategy,
    ...(spec.preset ? { preset: spec.preset } : {}),
    ...(spec.steps !== undefined ? { steps: typeof spec.steps === 'string' ? spec.steps : spec.steps.map((s, i) => toStep(s, locate(['steps', i]))) } : {}),
    ...optional('bakeSeconds', seconds(spec.bake, 'bake')),
    ...optional('stepPercent', spec.stepPercent),
    ...optional('intervalSeconds', seconds(spec.interval, 'interval')),
    ...optional('batch', spec.batch),
    ...optional('pauseSeconds', seconds(spec.pause, 'pause')),
    ...optional('approval', spec.approval),
    ...optional('finalBakeSeconds', seconds(spec.finalBake, 'finalBake')),
    traffic: roles.traffic,
    capacity: roles.capacity,
    preTrafficHook: hooks.includes('preTraffic'),
    postTrafficHook: hooks.includes('postTraffic'),
  };
  if (spec.preset && spec.steps !== undefined) {
    throw new InputError(locate(['steps']), spec.steps, `a preset (${spec.preset}) decides the steps; drop one of the two`);
  }
  const plan = relocate(() => buildPlan(options), locate);
  if (!roles.capacity && plan.steps.some((step) => step.type === 'deployCapacity')) {
    // Without an ECS service or Auto Scaling group these steps would do nothing and the rollout would "succeed".
    const where = spec.strategy === 'rolling' ? locate(['strategy']) : locate(['steps']);
    const value = spec.strategy === 'rolling' ? 'rolling' : spec.steps;
    throw new InputError(where, value, 'deployCapacity steps (rolling) bring up capacity of an ECS service or Auto Scaling group, and the targets have none; use canary, linear, blue-green or big-bang to shift traffic');
  }
  const check = validatePlan(plan, { hookNames: hooks, analysisNames: Object.keys(spec.analyses ?? {}), pollSeconds: seconds(spec.gates?.poll, 'poll') ?? 10 });
  if (check.errors.length > 0) throw new InputErrors(check.errors.map((e) => new InputError(locate(['steps']), spec.steps ?? spec.strategy, e)));
  return plan;
}

/** Strategy errors name CLI flags (--steps); in a spec the same field is named by its place. */
function relocate<T>(build: () => T, locate: Locate): T {
  try {
    return build();
  } catch (error) {
    if (error instanceof InputError && error.where.startsWith('--')) {
      const key = error.where.replace(/^--/, '').replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
      const where = locate([key]);
      if (where !== error.where) throw new InputError(where, error.value, error.allowed);
    }
    throw error;
  }
}

function toStep(entry: number | StepSpec, where: string): Step {
  if (typeof entry === 'number') return { type: 'setWeight', weight: entry };
  if ('setWeight' in entry) return { type: 'setWeight', weight: entry.setWeight };
  if ('deployCapacity' in entry) return { type: 'deployCapacity', percent: entry.deployCapacity };
  if ('bake' in entry) return { type: 'bake', seconds: parseDuration(entry.bake, where) };
  if ('pause' in entry) {
    const duration = typeof entry.pause === 'object' ? entry.pause.duration : entry.pause;
    return duration === undefined ? { type: 'approval' } : { type: 'pause', seconds: parseDuration(duration, where) };
  }
  if ('approval' in entry) return { type: 'approval' };
  if ('hook' in entry) return { type: 'hook', name: entry.hook };
  if ('analysis' in entry) return { type: 'analysis', name: entry.analysis };
  return { type: 'retireOld' };
}

function optional<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}

/** Gate settings of the rollout machine from the spec. */
export function settingsFromSpec(spec: ParsedDeploySpec, locate: Locate = locateByPath): Partial<RolloutSettings> {
  const gates = spec.gates ?? {};
  return {
    ...(gates.poll !== undefined ? { pollSeconds: Math.max(1, parseDuration(gates.poll, locate(['gates', 'poll']))) } : {}),
    ...(gates.gateErrorLimit !== undefined ? { gateErrorLimit: gates.gateErrorLimit } : {}),
    ...(gates.onInsufficientData ? { onInconclusive: gates.onInsufficientData } : {}),
  };
}
