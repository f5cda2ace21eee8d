/**
 * PutMetricAlarm, PutCompositeAlarm, DeleteAlarms and SetAlarmState.
 * - "When this operation creates an alarm, the alarm state is immediately set to INSUFFICIENT_DATA. The alarm is
 *   then evaluated... When you update an existing alarm, its state is left unchanged" (PutMetricAlarm API docs).
 *   A new alarm's StateReason is "Unchecked: Initial alarm creation" (seen in DescribeAlarms output).
 * - Composite children must exist: "Could not save the composite alarm as alarms [x] in the alarm rule do not
 *   exist" (ValidationError; seen in CloudFormation and Terraform failures).
 * - DeleteAlarms: "In the event of an error, no alarms are deleted" (API docs); names that do not exist are
 *   ignored (aws-cloudformation/cloudformation-cli#456: CloudWatch does not fail deleting a missing alarm);
 *   an alarm a composite depends on cannot be deleted: "Cannot delete X as there are composite alarm(s)
 *   depending on it." (ValidationError, cloud-custodian#7763, ekristen/aws-nuke#462).
 * - SetAlarmState lasts until the next evaluation; on a composite alarm, until a child changes state or the
 *   composite is updated (SetAlarmState API docs). A missing alarm is ResourceNotFound (modeled, HTTP 404;
 *   message UNVERIFIED).
 */
import type { ServiceContext } from '../../types.js';
import { fail } from '../common.js';
import { metricAlarmConfig } from './alarmConfig.js';
import { nextEvaluationAfter, refreshComposites } from './engine.js';
import { recordConfiguration, updateState } from './history.js';
import { parseRule, ruleChildren, ruleElements, RuleError } from './rule.js';
import { alarmArn, type AlarmRecord, type AlarmStatus, type CloudWatchState, type CompositeAlarmRecord, type MetricAlarmRecord } from './state.js';

type Ctx = ServiceContext<CloudWatchState>;

const MAX_CHILDREN = 100;
const MAX_RULE_ELEMENTS = 500;

function invalid(message: string): never {
  return fail('ValidationError', message, { httpStatus: 400 });
}

function initialStatus(at: number): AlarmStatus {
  return { stateValue: 'INSUFFICIENT_DATA', stateReason: 'Unchecked: Initial alarm creation', stateUpdatedAt: at, stateTransitionedAt: at };
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.map(String) : [];
}

function commonFields(ctx: Ctx, input: Record<string, unknown>, name: string) {
  return {
    name,
    arn: alarmArn(ctx.world.state.region, ctx.world.state.accountId, name),
    ...(input.AlarmDescription !== undefined ? { description: String(input.AlarmDescription) } : {}),
    actionsEnabled: input.ActionsEnabled !== false,
    okActions: strings(input.OKActions),
    alarmActions: strings(input.AlarmActions),
    insufficientDataActions: strings(input.InsufficientDataActions),
    configurationUpdatedAt: ctx.now,
    tags: (input.Tags as { Key: string; Value: string }[] | undefined) ?? [],
  };
}

export function putMetricAlarm(ctx: Ctx, input: Record<string, unknown>): Record<string, never> {
  const name = String(input.AlarmName);
  const existing = ctx.state.alarms[name];
  if (existing?.type === 'CompositeAlarm') invalid(`The alarm ${name} already exists as a composite alarm`);
  const config = metricAlarmConfig(input, ctx.world);
  const alarm: MetricAlarmRecord = {
    type: 'MetricAlarm',
    ...commonFields(ctx, input, name),
    ...config,
    status: existing?.status ?? initialStatus(ctx.now),
    nextEvaluationAt: nextEvaluationAfter(ctx.now, config.period),
  };
  ctx.state.alarms[name] = alarm;
  recordConfiguration(ctx.state, alarm, existing ? 'updated' : 'created', ctx.now);
  return {};
}

function compositeRule(rule: string, self: string, state: CloudWatchState): string[] {
  let children: string[];
  try {
    const node = parseRule(rule);
    children = ruleChildren(node);
    if (ruleElements(node) > MAX_RULE_ELEMENTS) throw new RuleError(`The rule has more than ${MAX_RULE_ELEMENTS} elements`);
    if (children.length > MAX_CHILDREN) throw new RuleError(`The rule refers to ${children.length} alarms; the maximum is ${MAX_CHILDREN}`);
  } catch (error) {
    if (error instanceof RuleError) invalid(`Error in AlarmRule [${error.message}]`);
    throw error;
  }
  const missing = children.filter((child) => child !== self && !state.alarms[child]);
  if (missing.length > 0) invalid(`Could not save the composite alarm as alarms [${missing.join(', ')}] in the alarm rule do not exist`);
  return children;
}

export function putCompositeAlarm(ctx: Ctx, input: Record<string, unknown>): Record<string, never> {
  const name = String(input.AlarmName);
  const existing = ctx.state.alarms[name];
  if (existing?.type === 'MetricAlarm') invalid(`The alarm ${name} already exists as a metric alarm`);
  const rule = String(input.AlarmRule);
  const children = compositeRule(rule, name, ctx.state);
  const alarm: CompositeAlarmRecord = {
    type: 'CompositeAlarm',
    ...commonFields(ctx, input, name),
    rule,
    children,
    ...(input.ActionsSuppressor !== undefined ? { actionsSuppressor: String(input.ActionsSuppressor) } : {}),
    ...(input.ActionsSuppressorWaitPeriod !== undefined ? { actionsSuppressorWaitPeriod: Number(input.ActionsSuppressorWaitPeriod) } : {}),
    ...(input.ActionsSuppressorExtensionPeriod !== undefined ? { actionsSuppressorExtensionPeriod: Number(input.ActionsSuppressorExtensionPeriod) } : {}),
    status: existing?.status ?? initialStatus(ctx.now),
  };
  ctx.state.alarms[name] = alarm;
  recordConfiguration(ctx.state, alarm, existing ? 'updated' : 'created', ctx.now);
  // A composite is evaluated when it is saved and whenever a child changes state.
  refreshComposites(ctx.state, ctx.now, new Set(), new Set([name]));
  return {};
}

/** Composite alarms (other than those in `except`) whose rule refers to `name`. */
export function parentsOf(state: CloudWatchState, name: string, except: ReadonlySet<string> = new Set()): CompositeAlarmRecord[] {
  return Object.values(state.alarms).filter((a): a is CompositeAlarmRecord => a.type === 'CompositeAlarm' && !except.has(a.name) && a.children.includes(name));
}

export function deleteAlarms(ctx: Ctx, input: Record<string, unknown>): Record<string, never> {
  const names = new Set(strings(input.AlarmNames));
  const blocked = [...names].filter((n) => ctx.state.alarms[n] && parentsOf(ctx.state, n, names).length > 0);
  if (blocked.length > 0) {
    invalid(`Cannot delete ${blocked.join(',')} as there are composite alarm(s) depending on ${blocked.length === 1 ? 'it' : 'them'}.`);
  }
  for (const name of names) removeAlarm(ctx.state, name, ctx.now);
  return {};
}

export function removeAlarm(state: CloudWatchState, name: string, at: number): AlarmRecord | undefined {
  const alarm = state.alarms[name];
  if (!alarm) return undefined;
  delete state.alarms[name];
  recordConfiguration(state, alarm, 'deleted', at);
  return alarm;
}

export function setAlarmState(ctx: Ctx, input: Record<string, unknown>): Record<string, never> {
  const name = String(input.AlarmName);
  const alarm = ctx.state.alarms[name];
  if (!alarm) fail('ResourceNotFound', `Alarm ${name} not found`, { httpStatus: 404 });
  const reasonData = input.StateReasonData as string | undefined;
  if (reasonData !== undefined && !isJson(reasonData)) fail('InvalidFormat', 'StateReasonData is not valid JSON', { httpStatus: 400 });
  const value = input.StateValue as AlarmStatus['stateValue'];
  const changed = updateState(ctx.state, alarm, { value, reason: String(input.StateReason), ...(reasonData !== undefined ? { reasonData } : {}), manual: true }, ctx.now);
  if (changed) refreshComposites(ctx.state, ctx.now, new Set([name]));
  return {};
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
