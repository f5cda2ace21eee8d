import type { Plan, Step } from '../../strategies/types.js';
import { formatDuration } from '../../util/duration.js';

/** Longest CheckpointDelay and BakeTime Auto Scaling accepts, seconds (facts §2.2). */
export const MAX_WAIT_SECONDS = 172_800;

/** A deployCapacity step of the plan and the CheckpointPercentages entry that stands for it (whole percents). */
export interface Checkpoint {
  readonly percent: number;
  readonly aws: number;
}

/** How the plan's capacity steps map onto one instance refresh. */
export interface CheckpointPlan {
  /** Empty when the refresh need not pause (no waits between capacity steps). */
  readonly checkpoints: readonly Checkpoint[];
  /** CheckpointDelay: the one wait AWS keeps at every checkpoint. */
  readonly delaySeconds: number;
  /** BakeTime: the bakes after the last capacity step, so the refresh stays active (and reversible) meanwhile. */
  readonly bakeSeconds: number;
  readonly errors: readonly string[];
  readonly warnings: readonly string[];
}

interface Placed {
  readonly step: Step;
  readonly index: number;
}

interface Interval {
  readonly from: number;
  readonly to: number;
  readonly between: readonly Placed[];
}

const at = (p: Placed): string => `step ${p.index + 1} (${p.step.type}${'name' in p.step ? ` ${p.step.name}` : ''})`;

/** The steps between each two consecutive deployCapacity steps, and those after the last one. */
function split(plan: Plan): { intervals: Interval[]; percents: number[]; trailing: Placed[] } {
  const intervals: Interval[] = [];
  const percents: number[] = [];
  let open: { from: number; between: Placed[] } | undefined;
  plan.steps.forEach((step, index) => {
    if (step.type !== 'deployCapacity') return open?.between.push({ step, index });
    if (open) intervals.push({ from: open.from, to: step.percent, between: open.between });
    percents.push(step.percent);
    open = { from: step.percent, between: [] };
  });
  return { intervals, percents, trailing: open?.between ?? [] };
}

function waitOf(interval: Interval): number {
  return interval.between.reduce((sum, p) => sum + (p.step.type === 'bake' || p.step.type === 'pause' ? p.step.seconds : 0), 0);
}

/**
 * Canary and rolling-with-pauses plans pause at checkpoints: each deployCapacity step below 100 becomes a
 * checkpoint and the bake after it the CheckpointDelay. AWS has one delay for all checkpoints and no call that
 * continues a refresh early, so bakes that differ and approvals between capacity steps are refused.
 */
export function checkpointPlan(plan: Plan): CheckpointPlan {
  const { intervals, percents, trailing } = split(plan);
  const errors: string[] = [];
  const warnings: string[] = [];
  const last = percents[percents.length - 1];
  if (last === undefined) errors.push('the plan has no deployCapacity step, so the instance refresh would never start');
  else if (last !== 100) errors.push(`the last deployCapacity is ${last}%: an instance refresh replaces every instance, so the plan must end at deployCapacity 100`);
  intervals.forEach((interval) => checkInterval(interval, errors, warnings));
  const waits = intervals.map(waitOf);
  const distinct = [...new Set(waits)];
  if (distinct.length > 1) {
    const listed = intervals.map((iv, i) => `${formatDuration(waits[i]!)} after ${iv.from}%`).join(', ');
    errors.push(`the plan waits ${listed}, but an instance refresh has one CheckpointDelay for all its checkpoints: bake the same time after each capacity step`);
  }
  const delaySeconds = distinct.length === 1 ? distinct[0]! : 0;
  if (delaySeconds > MAX_WAIT_SECONDS) errors.push(`the bake between capacity steps (${formatDuration(delaySeconds)}) is longer than the longest CheckpointDelay, ${formatDuration(MAX_WAIT_SECONDS)}`);
  const checkpoints = delaySeconds > 0 ? toCheckpoints(percents, errors) : [];
  return { checkpoints, delaySeconds: checkpoints.length > 0 ? delaySeconds : 0, bakeSeconds: trailingBake(trailing, warnings), errors, warnings };
}

function checkInterval(interval: Interval, errors: string[], warnings: string[]): void {
  const span = `between deployCapacity ${interval.from} and deployCapacity ${interval.to}`;
  for (const placed of interval.between) {
    if (placed.step.type === 'approval') {
      errors.push(
        `${at(placed)} sits ${span}: an instance refresh cannot hold at a checkpoint (there is no call that continues it; it moves on by itself after CheckpointDelay). ` +
          'For a manual gate use blue-green with two groups behind weighted target groups (newGroupName and an ALB target)',
      );
    } else if (placed.step.type === 'pause') {
      warnings.push(`${at(placed)} ${span}: promote cannot end it early, because the refresh continues only when CheckpointDelay has passed`);
    } else if (placed.step.type === 'hook' || placed.step.type === 'analysis') {
      warnings.push(`${at(placed)} ${span}: the refresh does not wait for it; it continues after CheckpointDelay whatever the result (a failure still rolls back)`);
    }
  }
}

function toCheckpoints(percents: readonly number[], errors: string[]): Checkpoint[] {
  const checkpoints = percents.map((percent) => ({ percent, aws: Math.ceil(percent) }));
  checkpoints.forEach((c, i) => {
    const previous = checkpoints[i - 1];
    if (previous && previous.aws === c.aws) errors.push(`deployCapacity ${previous.percent} and ${c.percent} both become checkpoint ${c.aws}%: Auto Scaling takes whole percents, ascending and unique`);
  });
  return checkpoints;
}

function trailingBake(trailing: readonly Placed[], warnings: string[]): number {
  const seconds = trailing.reduce((sum, p) => sum + (p.step.type === 'bake' ? p.step.seconds : 0), 0);
  if (seconds <= MAX_WAIT_SECONDS) return Math.round(seconds);
  warnings.push(`the final bake (${formatDuration(seconds)}) is longer than the longest BakeTime (${formatDuration(MAX_WAIT_SECONDS)}): the refresh ends before it, so a rollback during its last part starts a new refresh instead of RollbackInstanceRefresh`);
  return 0;
}

/**
 * Checkpoints the first replacements jump past together: with n instances each one is 100/n percent, and AWS
 * waits only once when one batch passes several checkpoints, so the later one gets no bake of its own.
 */
export function collapsedCheckpoints(checkpoints: readonly Checkpoint[], instances: number): string | undefined {
  if (instances <= 0) return undefined;
  const needed = (c: Checkpoint): number => Math.ceil((instances * c.aws) / 100);
  const pairs = checkpoints.slice(1).flatMap((c, i) => (needed(c) === needed(checkpoints[i]!) ? [`${checkpoints[i]!.aws}% and ${c.aws}%`] : []));
  if (pairs.length === 0) return undefined;
  return `with ${instances} instances each replacement is ${Math.round(10_000 / instances) / 100}% of the group, so checkpoints ${pairs.join(', ')} are reached by the same replacement and Auto Scaling waits only once there: the later step gets no bake of its own`;
}

/**
 * The plan percent a refresh has reached: the highest capacity step whose checkpoint its PercentageComplete
 * has passed (so a step at 33.3% maps to 34% and back). Without checkpoints the raw percentage is reported too.
 */
export function reachedPercent(percentageComplete: number, checkpoints: readonly Checkpoint[], planPercents: readonly number[], pausing: boolean): number {
  const steps = pausing ? checkpoints : planPercents.map((percent) => ({ percent, aws: Math.ceil(percent) }));
  const reached = steps.filter((c) => c.aws <= percentageComplete).reduce((max, c) => Math.max(max, c.percent), 0);
  return pausing ? reached : Math.max(reached, percentageComplete);
}
