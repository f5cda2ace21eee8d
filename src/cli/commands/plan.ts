import type { ParsedDeploySpec } from '../../config/schema.js';
import { loadSpecFile } from '../../config/loadSpec.js';
import { parseSpec, planFromSpec, settingsFromSpec } from '../../config/resolve.js';
import { buildPlan, minimumDurationSeconds, planTimeline, validatePlan, type Plan } from '../../strategies/index.js';
import { describeStep } from '../../strategies/describe.js';
import { formatDuration, parseDuration } from '../../util/duration.js';
import { locateFlag, specFromFlags, type Flags } from '../toSpec.js';

/**
 * deployctl plan: the step graph with timings and exposure; with targets, also the live state, the preflight
 * findings and the AWS calls the rollout would make. Never mutates anything.
 */
export async function planCommand(strategy: string | undefined, flags: Flags): Promise<number> {
  const { plan, spec } = resolve(strategy, flags);
  const lines = renderPlan(plan, spec);
  if (spec && !flags.offline) {
    const { livePlanSection } = await import('./planLive.js');
    lines.push(...(await livePlanSection(spec, plan, flags)));
  } else if (!spec) {
    lines.push('', 'No targets given: this is the step plan only. Add target flags (for example --function and --alias) to see live state and preflight.');
  }
  process.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}

function resolve(strategy: string | undefined, flags: Flags): { plan: Plan; spec?: ParsedDeploySpec } {
  if (typeof flags.file === 'string') {
    const loaded = loadSpecFile(flags.file);
    const spec = parseSpec(loaded.value, loaded.locate);
    return { plan: planFromSpec(spec, loaded.locate), spec };
  }
  if (!strategy) throw new Error('plan needs a strategy (deployctl plan canary ...) or -f <spec>');
  const raw = specFromFlags(strategy, flags);
  if ((raw.targets as unknown[]).length === 0) return { plan: planWithoutTargets(raw) };
  const spec = parseSpec(raw, locateFlag);
  return { plan: planFromSpec(spec, locateFlag), spec };
}

/** Without targets the plan is shown for a traffic target (weights), from the same flags. */
function planWithoutTargets(raw: ReturnType<typeof specFromFlags>): Plan {
  const seconds = (value: unknown, flag: string) => (value === undefined ? undefined : parseDuration(value as string, flag));
  const plan = buildPlan({
    strategy: raw.strategy,
    ...(raw.preset ? { preset: raw.preset } : {}),
    ...(typeof raw.steps === 'string' ? { steps: raw.steps } : {}),
    ...opt('bakeSeconds', seconds(raw.bake, '--bake')),
    ...opt('stepPercent', raw.stepPercent),
    ...opt('intervalSeconds', seconds(raw.interval, '--interval')),
    ...opt('batch', raw.batch),
    ...opt('pauseSeconds', seconds(raw.pause, '--pause')),
    ...opt('approval', raw.approval),
    ...opt('finalBakeSeconds', seconds(raw.finalBake, '--final-bake')),
  });
  const check = validatePlan(plan);
  if (check.errors.length > 0) throw new Error(check.errors.join('; '));
  return plan;
}

function opt<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}

export function renderPlan(plan: Plan, spec?: ParsedDeploySpec): string[] {
  const rows = planTimeline(plan);
  const traffic = plan.steps.some((s) => s.type === 'setWeight');
  const header = `Plan: ${plan.strategy}${plan.preset ? ` (${plan.preset})` : ''}, ${plan.steps.length} steps, at least ${formatDuration(minimumDurationSeconds(plan))} of bakes and pauses`;
  const lines = [header, '', `   #  ${'step'.padEnd(44)} ${traffic ? 'traffic' : 'capacity'}  extra capacity  starts at`];
  for (const row of rows) {
    const exposure = `${row.trafficPercent}%`.padStart(7);
    const extra = row.doubleCapacity ? '+100% (both sides)' : row.capacityPercent > 0 && traffic ? `+${row.capacityPercent}%` : '-';
    lines.push(`  ${String(row.index + 1).padStart(2)}  ${describeStep(row.step).padEnd(44)} ${exposure}  ${extra.padEnd(14)}  +${formatDuration(row.startsAt)}`);
  }
  if (spec) lines.push('', gatesLine(spec));
  const check = validatePlan(plan, { pollSeconds: spec ? settingsFromSpec(spec).pollSeconds ?? 10 : 10 });
  for (const warning of check.warnings) lines.push(`warning: ${warning}`);
  return lines;
}

function gatesLine(spec: ParsedDeploySpec): string {
  const gates = spec.gates ?? {};
  const poll = gates.poll !== undefined ? formatDuration(parseDuration(gates.poll, '--poll')) : '10s';
  const alarms = [...(gates.alarms ?? []), ...(gates.alarmPrefix ? [`${gates.alarmPrefix}*`] : [])];
  const what = [alarms.length > 0 ? `alarms ${alarms.join(', ')}` : undefined, gates.metrics?.length ? `${gates.metrics.length} metric check(s)` : undefined].filter(Boolean).join('; ');
  return `Gates: ${what || 'none configured (add --alarm so a bad version rolls back by itself)'}; poll ${poll}; insufficient data: ${gates.onInsufficientData ?? 'ignore'}; fail closed after ${gates.gateErrorLimit ?? 4} failed reads`;
}
