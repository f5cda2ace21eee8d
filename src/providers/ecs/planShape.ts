import { describeStep } from '../../strategies/describe.js';
import type { Plan, Step } from '../../strategies/types.js';
import { formatDuration } from '../../util/duration.js';
import type { NativeMembers } from './config.js';

/** The plan as ECS sees it: the capacity percents, what runs between them, and what runs after the last one. */
interface CapacityShape {
  readonly percents: number[];
  /** gaps[i]: the steps between percents[i] and percents[i + 1]. */
  readonly gaps: Step[][];
  readonly after: Step[];
}

function shapeOf(plan: Plan): CapacityShape {
  const percents: number[] = [];
  const gaps: Step[][] = [];
  let current: Step[] = [];
  for (const step of plan.steps) {
    if (step.type !== 'deployCapacity') {
      if (percents.length > 0) current.push(step);
      continue;
    }
    if (percents.length > 0) gaps.push(current);
    percents.push(step.percent);
    current = [];
  }
  return { percents, gaps, after: current };
}

/**
 * An ECS rolling deployment replaces every task in one go: it cannot stop at a checkpoint, so a plan that waits
 * (bake, pause, approval, hook, analysis) between two capacity steps cannot be honoured and is refused.
 */
export function rollingPlanProblems(plan: Plan, where: string): string[] {
  const shape = shapeOf(plan);
  const index = shape.gaps.findIndex((gap) => gap.length > 0);
  if (index < 0) return [];
  const waits = shape.gaps[index]!.map(describeStep).join(', ');
  return [
    `${where}: the plan waits between capacity steps (${waits} after ${shape.percents[index]}%), but an ECS rolling deployment cannot stop at a ` +
      `checkpoint — ECS replaces every task in one go. Deploy in a single batch (rolling without pause between batches, or big-bang), ` +
      `split traffic at the ALB (an alb target and a canaryService) to bake at each step, or let ECS shift traffic itself (native: true)`,
  ];
}

export interface NativeTranslation {
  readonly members?: NativeMembers;
  readonly problems: string[];
  readonly warnings: string[];
}

const MAX_BAKE_MINUTES = 1440;

/**
 * Translates the plan into ECS BLUE_GREEN / LINEAR / CANARY settings where ECS can express it (facts §2.3):
 * CANARY is one canary step and a bake, LINEAR equal steps of at least 3% (multiples of 0.1) with one bake
 * between steps, BLUE_GREEN all at once; bakes are whole minutes up to 1440, and the bake after the last step
 * becomes bakeTimeInMinutes. Anything else is a problem naming what cannot be expressed.
 */
export function nativePlan(plan: Plan, where: string): NativeTranslation {
  const shape = shapeOf(plan);
  const problems: string[] = [];
  const warnings: string[] = [];
  if (plan.steps.some((s) => s.type === 'setWeight')) problems.push(`${where}: with native: true ECS moves the traffic itself; the plan must not have setWeight steps`);
  if (plan.steps.some((s) => s.type === 'retireOld')) problems.push(`${where}: with native: true ECS retires the old tasks itself; the plan must not have a retireOld step`);
  shape.gaps.forEach((gap, i) => problems.push(...gapProblems(gap, `${where}: between ${shape.percents[i]}% and ${shape.percents[i + 1]}%`)));
  for (const step of shape.after) {
    if (step.type === 'approval' || step.type === 'pause') warnings.push(`${where}: ECS ends its bake after bakeTimeInMinutes whatever deployctl waits for (${describeStep(step)}); a rollback after that is a new deployment of the old version`);
  }
  const finalBake = minutesOf(bakeSeconds(shape.after), `${where}: the bake after 100%`, problems);
  if (finalBake > 0) {
    warnings.push(
      `${where}: ECS bakes ${formatDuration(finalBake * 60)} with both revisions up (bakeTimeInMinutes) and finishes before deployctl's own final bake starts, ` +
        `so the final bake takes twice as long; a gate during ECS's part rolls back instantly, during deployctl's part by a new deployment of the old revision`,
    );
  }
  const strategy = strategyMembers(plan, shape, where, problems);
  if (problems.length > 0 || !strategy) return { problems, warnings };
  return { members: { ...strategy, bakeTimeInMinutes: finalBake }, problems, warnings };
}

function strategyMembers(plan: Plan, shape: CapacityShape, where: string, problems: string[]): NativeMembers | undefined {
  const { percents } = shape;
  switch (plan.strategy) {
    case 'canary': {
      if (percents.length !== 2 || percents[1] !== 100) {
        problems.push(
          percents.length < 2
            ? `${where}: the canary plan has no step below 100%; ECS CANARY needs one canary step (use blueGreen for all at once)`
            : `${where}: ECS CANARY shifts one canary step and then the rest, so steps ${percents.join(', ')} cannot be expressed; use one canary step (for example --steps 5,100) or split traffic at the ALB (an alb target and a canaryService) for more steps`,
        );
        return undefined;
      }
      const canaryPercent = percents[0]!;
      if (!tenths(canaryPercent, 0.1, 100)) problems.push(`${where}: ECS canaryPercent must be a multiple of 0.1 from 0.1 to 100; ${canaryPercent} cannot be expressed`);
      const minutes = minutesOf(bakeSeconds(shape.gaps[0] ?? []), `${where}: the canary bake`, problems);
      return { strategy: 'CANARY', canaryConfiguration: { canaryPercent, canaryBakeTimeInMinutes: minutes } };
    }
    case 'linear':
      return linearMembers(shape, where, problems);
    case 'blueGreen':
      if (percents.length !== 1 || percents[0] !== 100) {
        problems.push(`${where}: ECS BLUE_GREEN shifts all traffic at once; the plan has capacity steps ${percents.join(', ')}`);
        return undefined;
      }
      return { strategy: 'BLUE_GREEN' };
    default:
      problems.push(`${where}: native: true runs ECS BLUE_GREEN, LINEAR or CANARY deployments; a ${plan.strategy} plan is an ordinary ECS rolling deployment — drop native: true`);
      return undefined;
  }
}

function linearMembers(shape: CapacityShape, where: string, problems: string[]): NativeMembers | undefined {
  const { percents } = shape;
  const stepPercent = percents[0]!;
  const expected = percents.map((_, i) => (i === percents.length - 1 ? 100 : Math.round(stepPercent * (i + 1) * 1000) / 1000));
  if (percents.length < 2 || percents.some((p, i) => Math.abs(p - expected[i]!) > 1e-6)) {
    problems.push(`${where}: ECS LINEAR shifts equal steps; ${percents.join(', ')} are not multiples of ${stepPercent} ending at 100`);
    return undefined;
  }
  if (!tenths(stepPercent, 3, 100)) {
    problems.push(`${where}: ECS LINEAR steps are multiples of 0.1 from 3% to 100%; a ${stepPercent}% step cannot be expressed (use --step-percent 3 or more, or split traffic at the ALB)`);
  }
  const bakes = shape.gaps.map((gap) => bakeSeconds(gap));
  if (new Set(bakes).size > 1) {
    problems.push(`${where}: ECS LINEAR waits the same time after every step; the plan waits ${bakes.map(formatDuration).join(', ')}`);
    return undefined;
  }
  const minutes = minutesOf(bakes[0] ?? 0, `${where}: the bake between linear steps`, problems);
  return { strategy: 'LINEAR', linearConfiguration: { stepPercent, stepBakeTimeInMinutes: minutes } };
}

/** Between two steps ECS only waits its bake: an approval or pause would not hold it back. */
function gapProblems(gap: readonly Step[], where: string): string[] {
  return gap
    .filter((s) => s.type === 'approval' || s.type === 'pause')
    .map((s) => `${where}: ECS moves on when its bake ends and cannot wait for ${describeStep(s)}; remove it or split traffic at the ALB (an alb target and a canaryService)`);
}

function bakeSeconds(steps: readonly Step[]): number {
  return steps.reduce((sum, s) => sum + (s.type === 'bake' ? s.seconds : 0), 0);
}

function minutesOf(seconds: number, what: string, problems: string[]): number {
  const minutes = seconds / 60;
  if (!Number.isInteger(minutes)) problems.push(`${what} is ${formatDuration(seconds)}, but ECS bake times are whole minutes; use ${formatDuration(Math.floor(minutes) * 60)} or ${formatDuration(Math.ceil(minutes) * 60)}`);
  else if (minutes > MAX_BAKE_MINUTES) problems.push(`${what} is ${formatDuration(seconds)}, but ECS bakes at most ${MAX_BAKE_MINUTES} minutes (24h)`);
  return Math.min(MAX_BAKE_MINUTES, Math.round(minutes));
}

function tenths(value: number, low: number, high: number): boolean {
  return Math.abs(value * 10 - Math.round(value * 10)) < 1e-6 && value >= low - 1e-9 && value <= high + 1e-9;
}
