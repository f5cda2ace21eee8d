import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { PreflightGate } from '../engine/runtime.js';
import { DeployError, messageOf } from '../errors.js';
import type { Json, PreflightReport } from '../providers/types.js';
import { describeAlarmsByName, describeAlarmsByPrefix, type AlarmStatus } from './describeAlarms.js';
import type { GateCheckContext, GateResult } from './types.js';

export interface AlarmGateOptions {
  /** Alarms watched during the whole rollout (metric or composite). */
  readonly alarms?: readonly string[];
  /** Every alarm whose name starts with this, looked up afresh at each poll. */
  readonly alarmPrefix?: string;
  /** Extra alarms watched only while the rollout is on that step (by step index). */
  readonly stepAlarms?: Readonly<Record<number, readonly string[]>>;
  /**
   * Start even though some alarms are already in ALARM. Those alarms do not stop the rollout while they stay in
   * the ALARM state they were found in; once they change state (recover, or re-fire) they gate like any other.
   */
  readonly ignoreFiringAlarms?: boolean;
  /**
   * What the rollout does with an alarm that cannot tell (gates.onInsufficientData). With 'fail' an alarm without
   * data at preflight is an error: the rollout would otherwise shift traffic and fail at its first check.
   */
  readonly onInsufficientData?: 'ignore' | 'fail' | 'pause';
}

/** Alarms found firing at preflight and ignored (ignoreFiringAlarms): name → when they entered ALARM. */
type IgnoredAlarms = Map<string, number | undefined>;

const UNEVALUABLE = new Set(['EVALUATION_ERROR', 'EVALUATION_FAILURE']);

/**
 * CloudWatch alarm gate: one DescribeAlarms call per 100 names per poll (metric and composite alarms), plus the
 * prefix lookup. Any alarm in ALARM fails the gate; INSUFFICIENT_DATA is inconclusive; an alarm that no longer
 * exists, or any read failure, throws — the machine counts those and fails closed.
 */
export function createAlarmGate(options: AlarmGateOptions, deps: { client: CloudWatchClient }): PreflightGate {
  const always = unique(options.alarms ?? []);
  const everyStepAlarm = unique([...always, ...Object.values(options.stepAlarms ?? {}).flat()]);
  const prefix = options.alarmPrefix;
  const ignored: IgnoredAlarms = new Map();
  const namesFor = (stepIndex: number) => unique([...always, ...(options.stepAlarms?.[stepIndex] ?? [])]);

  return {
    name: 'cloudwatch-alarms',
    async preflight(ctx) {
      if (everyStepAlarm.length === 0 && prefix === undefined) return { errors: [], warnings: [] };
      try {
        const byName = await describeAlarmsByName(deps.client, everyStepAlarm, ctx.signal);
        const byPrefix = prefix === undefined ? undefined : await describeAlarmsByPrefix(deps.client, prefix, ctx.signal);
        return preflightReport({ names: everyStepAlarm, byName, prefix, byPrefix, ignoreFiring: options.ignoreFiringAlarms === true, failUnsure: options.onInsufficientData === 'fail', ignored });
      } catch (error) {
        // Reported with the other preflight problems (for example a missing cloudwatch:DescribeAlarms permission).
        return { errors: [`CloudWatch alarm gate: DescribeAlarms failed: ${messageOf(error)}`], warnings: [] };
      }
    },
    async check(ctx: GateCheckContext): Promise<GateResult> {
      const names = namesFor(ctx.stepIndex);
      if (names.length === 0 && prefix === undefined) return { type: 'ok', detail: 'no alarms configured' };
      const byName = await describeAlarmsByName(deps.client, names, ctx.signal);
      const missing = names.filter((name) => !byName.has(name));
      if (missing.length > 0) {
        throw new DeployError('GATE_FAILED', `CloudWatch alarm${plural(missing)} ${missing.join(', ')} no longer exist${missing.length === 1 ? 's' : ''} (deleted during the rollout?); the gate cannot read ${missing.length === 1 ? 'its' : 'their'} state`);
      }
      // In the configured order, so verdicts read the same way every poll.
      const all = new Map(names.map((name) => [name, byName.get(name)!]));
      if (prefix !== undefined) {
        const byPrefix = await describeAlarmsByPrefix(deps.client, prefix, ctx.signal);
        if (byPrefix.size === 0) throw new DeployError('GATE_FAILED', `alarmPrefix "${prefix}" no longer matches any metric or composite alarm; the gate cannot read them`);
        for (const [name, alarm] of byPrefix) all.set(name, alarm);
      }
      return judge([...all.values()], ignored);
    },
  };
}

/** Any alarm in ALARM wins; then any alarm that cannot tell; else ok. */
function judge(alarms: readonly AlarmStatus[], ignored: IgnoredAlarms): GateResult {
  const stillIgnored = alarms.filter((a) => a.state === 'ALARM' && ignored.has(a.name) && ignored.get(a.name) === a.since);
  const firing = alarms.filter((a) => a.state === 'ALARM' && !stillIgnored.includes(a));
  if (firing.length > 0) {
    return { type: 'alarm', names: firing.map((a) => a.name), reason: firing.map((a) => `${describe(a)} is in ALARM: ${a.reason || 'no reason given'}`).join('; ') };
  }
  const unsure = alarms.filter((a) => a.state === 'INSUFFICIENT_DATA' || (a.evaluationState !== undefined && UNEVALUABLE.has(a.evaluationState)));
  if (unsure.length > 0) return { type: 'inconclusive', reason: unsure.map(describeUnsure).join('; ') };
  const note = stillIgnored.length > 0 ? `; ignoring ${stillIgnored.map((a) => a.name).join(', ')} (in ALARM since before the rollout, ignoreFiringAlarms)` : '';
  return { type: 'ok', detail: `${alarms.length} alarm${plural(alarms)} OK${note}` };
}

interface PreflightInput {
  readonly names: readonly string[];
  readonly byName: ReadonlyMap<string, AlarmStatus>;
  readonly prefix: string | undefined;
  readonly byPrefix: ReadonlyMap<string, AlarmStatus> | undefined;
  readonly ignoreFiring: boolean;
  /** An alarm without data is an error, not a warning (onInsufficientData: fail). */
  readonly failUnsure: boolean;
  readonly ignored: IgnoredAlarms;
}

/** Every named alarm exists, the prefix matches something, and nothing is firing already. */
function preflightReport(input: PreflightInput): PreflightReport {
  const errors: string[] = [];
  const warnings: string[] = [];
  const missing = input.names.filter((name) => !input.byName.has(name));
  if (missing.length > 0) errors.push(`CloudWatch alarm${plural(missing)} not found (looked for metric and composite alarms): ${missing.join(', ')}`);
  if (input.prefix !== undefined && input.byPrefix?.size === 0) errors.push(`alarmPrefix "${input.prefix}" matches no metric or composite alarm`);
  const all = [...input.byName.values(), ...(input.byPrefix?.values() ?? [])].filter((a, i, list) => list.findIndex((b) => b.name === a.name) === i);
  const firing = all.filter((a) => a.state === 'ALARM');
  const firingList = firing.map((a) => `${a.name} (${a.reason || 'no reason given'})`).join('; ');
  if (firing.length > 0 && input.ignoreFiring) {
    for (const alarm of firing) input.ignored.set(alarm.name, alarm.since);
    warnings.push(`already in ALARM, ignored until they change state (ignoreFiringAlarms): ${firingList}`);
  } else if (firing.length > 0) {
    errors.push(`alarm${plural(firing)} already in ALARM before the rollout started: ${firingList}; fix ${firing.length === 1 ? 'it' : 'them'} first, or set ignoreFiringAlarms`);
  }
  const unsure = all.filter((a) => a.state === 'INSUFFICIENT_DATA');
  if (unsure.length > 0 && input.failUnsure) {
    errors.push(`${unsure.map((a) => `${describe(a)} is INSUFFICIENT_DATA (${a.reason || 'no reason given'})`).join('; ')}: with onInsufficientData: fail the first gate check would roll back; give ${unsure.length === 1 ? 'it' : 'them'} data first, or use onInsufficientData: pause or ignore`);
  } else {
    for (const alarm of unsure) warnings.push(`${describe(alarm)} is INSUFFICIENT_DATA (${alarm.reason || 'no reason given'}): it cannot stop a bad rollout until it has data`);
  }
  const facts: Record<string, Json> = { alarms: Object.fromEntries(all.map((a) => [a.name, a.state])) };
  return { errors, warnings, facts };
}

function describe(alarm: AlarmStatus): string {
  return `${alarm.kind} alarm ${alarm.name}`;
}

function describeUnsure(alarm: AlarmStatus): string {
  if (alarm.state === 'INSUFFICIENT_DATA') return `${describe(alarm)} is INSUFFICIENT_DATA: ${alarm.reason || 'no reason given'}`;
  return `${describe(alarm)} cannot evaluate (${alarm.evaluationState}): ${alarm.reason || 'no reason given'}`;
}

function unique(names: readonly string[]): string[] {
  return [...new Set(names)];
}

function plural(list: readonly unknown[]): string {
  return list.length === 1 ? '' : 's';
}
