import { InputError } from '../errors.js';
import type { DeploySpec } from '../config/schema.js';
import type { Locate } from '../config/resolve.js';

/** Parsed commander options (strings, booleans and lists). */
export type Flags = Readonly<Record<string, unknown>>;

/** Schema field -> the CLI flag a user typed, so every error names the flag. */
const FLAG_OF: Readonly<Record<string, string>> = {
  listenerArn: '--listener-arn',
  ruleArn: '--rule-arn',
  stableTargetGroupArn: '--stable-tg',
  canaryTargetGroupArn: '--canary-tg',
  targetGroupArns: '--target-groups',
  functionName: '--function',
  alias: '--alias',
  toVersion: '--to-version',
  publish: '--publish',
  hostedZoneId: '--hosted-zone-id',
  recordName: '--record-name',
  recordType: '--record-type',
  stableSetIdentifier: '--stable-set',
  canarySetIdentifier: '--canary-set',
  cluster: '--cluster',
  service: '--service',
  taskDefinition: '--task-definition',
  native: '--ecs-native',
  canaryService: '--canary-service',
  autoScalingGroupName: '--asg',
  launchTemplateVersion: '--launch-template-version',
  newGroupName: '--new-asg',
  minHealthyPercentage: '--min-healthy',
  maxHealthyPercentage: '--max-healthy',
  instanceWarmup: '--instance-warmup',
  skipMatching: '--skip-matching',
  steps: '--steps',
  bake: '--bake',
  stepPercent: '--step-percent',
  interval: '--interval',
  batch: '--batch',
  pause: '--pause',
  approval: '--approval',
  finalBake: '--final-bake',
  preset: '--preset',
  alarms: '--alarm',
  alarmPrefix: '--alarm-prefix',
  poll: '--poll',
  onInsufficientData: '--on-insufficient-data',
  gateErrorLimit: '--gate-error-limit',
  ignoreFiringAlarms: '--ignore-firing-alarms',
  hooks: '--hook',
  region: '--region',
  profile: '--profile',
  endpointUrl: '--endpoint-url',
  roleArn: '--role-arn',
  name: '--name',
};

/** The flag for a schema path: the innermost field name that is a flag. */
export const locateFlag: Locate = (path) => {
  for (let i = path.length - 1; i >= 0; i--) {
    const flag = FLAG_OF[String(path[i])];
    if (flag) return flag;
  }
  if (path[0] === 'targets') return 'target flags (for example --listener-arn, --function, --hosted-zone-id, --cluster or --asg)';
  return path.length > 0 ? path.map(String).join('.') : 'flags';
};

const STRATEGY_OF: Readonly<Record<string, DeploySpec['strategy']>> = { canary: 'canary', linear: 'linear', 'blue-green': 'blueGreen', rolling: 'rolling', 'big-bang': 'bigBang' };

/** CLI flags of a rollout command -> the same DeploySpec a deploy.yaml holds. */
export function specFromFlags(command: string, flags: Flags): DeploySpec {
  const strategy = STRATEGY_OF[command];
  if (!strategy) throw new InputError('command', command, `use one of ${Object.keys(STRATEGY_OF).join(', ')}`);
  const spec: Record<string, unknown> = { strategy, targets: targetsFromFlags(flags) };
  copy(flags, spec, ['steps', 'bake', 'batch', 'pause', 'approval', 'finalBake', 'preset', 'name']);
  if (flags.stepPercent !== undefined) spec.stepPercent = numberFlag('--step-percent', flags.stepPercent);
  if (flags.interval !== undefined) spec.interval = flags.interval;
  if (flags.batch !== undefined && /^\d+$/.test(String(flags.batch))) spec.batch = Number(flags.batch);
  const gates = gatesFromFlags(flags);
  if (Object.keys(gates).length > 0) spec.gates = gates;
  const hooks = hooksFromFlags(flags.hook as string[] | undefined);
  if (Object.keys(hooks).length > 0) spec.hooks = hooks;
  const aws = awsFromFlags(flags);
  if (Object.keys(aws).length > 0) spec.aws = aws;
  return spec as unknown as DeploySpec;
}

export function awsFromFlags(flags: Flags): Record<string, string> {
  const aws: Record<string, string> = {};
  for (const key of ['region', 'profile', 'endpointUrl', 'roleArn']) if (typeof flags[key] === 'string') aws[key] = flags[key];
  return aws;
}

function targetsFromFlags(flags: Flags): Record<string, unknown>[] {
  const targets: Record<string, unknown>[] = [];
  const has = (...keys: string[]) => keys.some((k) => flags[k] !== undefined);
  if (has('cluster', 'service', 'taskDefinition', 'ecsNative', 'canaryService')) {
    targets.push(pick(flags, { type: 'ecs' }, { cluster: 'cluster', service: 'service', taskDefinition: 'taskDefinition', native: 'ecsNative', canaryService: 'canaryService' }));
  }
  if (has('asg', 'launchTemplateVersion', 'newAsg')) {
    const asg = pick(flags, { type: 'asg' }, { autoScalingGroupName: 'asg', launchTemplateVersion: 'launchTemplateVersion', newGroupName: 'newAsg', instanceWarmup: 'instanceWarmup', skipMatching: 'skipMatching' });
    if (flags.minHealthy !== undefined) asg.minHealthyPercentage = numberFlag('--min-healthy', flags.minHealthy);
    if (flags.maxHealthy !== undefined) asg.maxHealthyPercentage = numberFlag('--max-healthy', flags.maxHealthy);
    targets.push(asg);
  }
  if (has('listenerArn', 'ruleArn', 'stableTg', 'canaryTg', 'targetGroups')) {
    const alb = pick(flags, { type: 'alb' }, { listenerArn: 'listenerArn', ruleArn: 'ruleArn', stableTargetGroupArn: 'stableTg', canaryTargetGroupArn: 'canaryTg' });
    if (typeof flags.targetGroups === 'string') alb.targetGroupArns = flags.targetGroups.split(',').map((s) => s.trim());
    targets.push(alb);
  }
  if (has('function', 'alias', 'toVersion', 'publish')) {
    targets.push(pick(flags, { type: 'lambda' }, { functionName: 'function', alias: 'alias', toVersion: 'toVersion', publish: 'publish' }));
  }
  if (has('hostedZoneId', 'recordName', 'recordType', 'stableSet', 'canarySet')) {
    targets.push(pick(flags, { type: 'route53' }, { hostedZoneId: 'hostedZoneId', recordName: 'recordName', recordType: 'recordType', stableSetIdentifier: 'stableSet', canarySetIdentifier: 'canarySet' }));
  }
  return targets;
}

function gatesFromFlags(flags: Flags): Record<string, unknown> {
  const gates: Record<string, unknown> = {};
  const alarms = flags.alarm as string[] | undefined;
  if (alarms && alarms.length > 0) gates.alarms = alarms;
  copy(flags, gates, ['alarmPrefix', 'poll', 'onInsufficientData', 'ignoreFiringAlarms']);
  if (flags.gateErrorLimit !== undefined) gates.gateErrorLimit = numberFlag('--gate-error-limit', flags.gateErrorLimit);
  return gates;
}

/** `--hook name=cmd:./smoke.sh arg`, `name=http:https://...`, `name=lambda:fn` -> spec hooks. */
export function hooksFromFlags(values: readonly string[] = []): Record<string, unknown> {
  const hooks: Record<string, unknown> = {};
  for (const value of values) {
    const match = /^([A-Za-z0-9_.-]+)=(cmd|sh|http|lambda):(.+)$/.exec(value);
    if (!match) throw new InputError('--hook', value, 'use name=cmd:<program> [args], name=sh:<shell command>, name=http:<url> or name=lambda:<function>, e.g. preTraffic=cmd:./smoke.sh');
    const [, name = '', kind, target = ''] = match;
    hooks[name] = kind === 'cmd' ? { command: splitArgs(target) } : kind === 'sh' ? { command: [target], shell: true } : kind === 'http' ? { http: target } : { lambda: target };
  }
  return hooks;
}

/** Splits `./smoke.sh --url "a b"` into argv, honouring single and double quotes (no shell is involved). */
export function splitArgs(text: string): string[] {
  const args: string[] = [];
  for (const match of text.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)) args.push(match[1] ?? match[2] ?? match[3] ?? '');
  return args;
}

function numberFlag(flag: string, value: unknown): number {
  const number = Number(value);
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(number)) return number;
  throw new InputError(flag, value, 'use a number');
}

function pick(flags: Flags, base: Record<string, unknown>, fields: Record<string, string>): Record<string, unknown> {
  const out = { ...base };
  for (const [field, flag] of Object.entries(fields)) if (flags[flag] !== undefined) out[field] = flags[flag];
  return out;
}

function copy(from: Flags, to: Record<string, unknown>, keys: readonly string[]): void {
  for (const key of keys) if (from[key] !== undefined) to[key] = from[key];
}
