import { InputError, InputErrors } from '../errors.js';

/** The Action's inputs, named like the CLI flags (kebab case), read once. */
export const ACTION_INPUTS = [
  'command', 'deployment-id', 'spec', 'strategy', 'steps', 'bake', 'step-percent', 'interval', 'batch', 'pause', 'preset', 'approval', 'final-bake',
  'listener-arn', 'rule-arn', 'stable-tg', 'canary-tg', 'target-groups',
  'function', 'alias', 'to-version', 'publish',
  'hosted-zone-id', 'record-name', 'record-type', 'stable-set', 'canary-set',
  'cluster', 'service', 'task-definition', 'ecs-native', 'canary-service',
  'asg', 'launch-template-version', 'new-asg', 'min-healthy', 'max-healthy', 'instance-warmup', 'skip-matching',
  'alarms', 'alarm-prefix', 'poll', 'on-insufficient-data', 'gate-error-limit', 'ignore-firing-alarms', 'hooks',
  'state-table', 'state-dir', 'no-wait', 'full', 'reason',
  'region', 'profile', 'endpoint-url', 'role-arn', 'sim', 'sim-time', 'faults', 'id', 'name',
] as const;
export type ActionInput = (typeof ACTION_INPUTS)[number];

/** Reads INPUT_<NAME> the way GitHub sets it (upper case, spaces as underscores, hyphens kept). */
export function readInputs(env: NodeJS.ProcessEnv = process.env): Partial<Record<ActionInput, string>> {
  const inputs: Partial<Record<ActionInput, string>> = {};
  for (const name of ACTION_INPUTS) {
    const value = env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`]?.trim();
    if (value) inputs[name] = value;
  }
  return inputs;
}

const BOOLEAN = new Set<ActionInput>(['approval', 'publish', 'ecs-native', 'skip-matching', 'ignore-firing-alarms', 'no-wait', 'full', 'sim-time']);
const LIST = new Set<ActionInput>(['alarms', 'hooks', 'faults']);

/** Inputs -> the same flag object the CLI builds (camelCase keys), so both share one mapping onto the spec. */
export function flagsFromInputs(inputs: Partial<Record<ActionInput, string>>): Record<string, unknown> {
  const flags: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(inputs) as [ActionInput, string][]) {
    const key = name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
    if (BOOLEAN.has(name)) flags[key] = booleanInput(name, value);
    else if (LIST.has(name)) flags[key === 'alarms' ? 'alarm' : key === 'hooks' ? 'hook' : 'fault'] = value.split(/[\n,]/).map((s) => s.trim()).filter(Boolean);
    else flags[key] = value;
  }
  if (flags.noWait === true) flags.wait = false;
  return flags;
}

function booleanInput(name: string, value: string): boolean {
  if (/^(true|yes|1)$/i.test(value)) return true;
  if (/^(false|no|0)$/i.test(value)) return false;
  throw new InputError(`input ${name}`, value, 'use true or false');
}

/** Errors name the Action's inputs (`input steps`), not the CLI flags the mapping shares (`--steps`). */
export function inputNamed(error: unknown): unknown {
  const rename = (e: InputError): InputError => (e.where.startsWith('--') ? new InputError(`input ${e.where.slice(2)}`, e.value, e.allowed) : e);
  if (error instanceof InputErrors) return new InputErrors(error.problems.map(rename));
  if (error instanceof InputError) return rename(error);
  return error;
}
