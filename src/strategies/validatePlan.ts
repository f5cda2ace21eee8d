import { formatDuration } from '../util/duration.js';
import type { Plan, Step } from './types.js';

export interface PlanCheck {
  readonly errors: readonly string[];
  readonly warnings: readonly string[];
}

export interface PlanContext {
  /** Gate poll interval in seconds: a bake shorter than it may pass without a single gate reading. */
  readonly pollSeconds?: number;
  /** Longest alarm window (Period x EvaluationPeriods) in seconds, when known. */
  readonly alarmWindowSeconds?: number;
  /** Hooks and analyses the options define, to check that the plan's references exist. */
  readonly hookNames?: readonly string[];
  readonly analysisNames?: readonly string[];
}

/**
 * Checks a plan as a whole (also plans written by hand in a spec file): weights increase and end at 100,
 * references resolve, and waits are long enough for the gates to see anything.
 */
export function validatePlan(plan: Plan, context: PlanContext = {}): PlanCheck {
  const errors: string[] = [];
  const warnings: string[] = [];
  checkMonotonic(plan.steps, 'setWeight', errors);
  checkMonotonic(plan.steps, 'deployCapacity', errors);
  const moves = plan.steps.filter((s) => s.type === 'setWeight' || s.type === 'deployCapacity');
  if (moves.length === 0) errors.push('the plan never moves traffic or capacity: add a setWeight or deployCapacity step');
  const lastWeight = lastOf(plan.steps, 'setWeight');
  if (lastWeight !== undefined && lastWeight !== 100) errors.push(`the last setWeight is ${lastWeight}; a plan must end at 100`);
  plan.steps.forEach((step, i) => checkStep(step, i, context, errors, warnings));
  return { errors, warnings };
}

function checkStep(step: Step, index: number, context: PlanContext, errors: string[], warnings: string[]): void {
  const at = `step ${index + 1} (${step.type})`;
  switch (step.type) {
    case 'setWeight':
      if (!(step.weight > 0 && step.weight <= 100)) errors.push(`${at}: weight ${step.weight} must be greater than 0 and at most 100`);
      break;
    case 'deployCapacity':
      if (!(step.percent > 0 && step.percent <= 100)) errors.push(`${at}: percent ${step.percent} must be greater than 0 and at most 100`);
      break;
    case 'bake':
    case 'pause':
      if (!(step.seconds >= 0)) errors.push(`${at}: ${step.seconds} seconds is not a duration`);
      else if (context.pollSeconds && step.type === 'bake' && step.seconds > 0 && step.seconds < context.pollSeconds) {
        warnings.push(`${at}: bake ${formatDuration(step.seconds)} is shorter than the gate poll interval ${formatDuration(context.pollSeconds)}`);
      } else if (context.alarmWindowSeconds && step.type === 'bake' && step.seconds < context.alarmWindowSeconds) {
        warnings.push(`${at}: bake ${formatDuration(step.seconds)} is shorter than the alarm window ${formatDuration(context.alarmWindowSeconds)}; an alarm may not be able to fire before the next step`);
      }
      break;
    case 'hook':
      if (context.hookNames && !context.hookNames.includes(step.name)) errors.push(`${at}: no hook named ${JSON.stringify(step.name)} is defined`);
      break;
    case 'analysis':
      if (context.analysisNames && !context.analysisNames.includes(step.name)) errors.push(`${at}: no analysis named ${JSON.stringify(step.name)} is defined`);
      break;
    case 'approval':
    case 'retireOld':
      break;
    default: {
      const unknown: never = step;
      errors.push(`${at}: unknown step ${JSON.stringify(unknown)}`);
    }
  }
}

function checkMonotonic(steps: readonly Step[], type: 'setWeight' | 'deployCapacity', errors: string[]): void {
  let previous: number | undefined;
  for (const step of steps) {
    const value = step.type === 'setWeight' && type === 'setWeight' ? step.weight : step.type === 'deployCapacity' && type === 'deployCapacity' ? step.percent : undefined;
    if (value === undefined) continue;
    if (previous !== undefined && value <= previous) errors.push(`${type} ${value} follows ${previous}; values must strictly increase`);
    previous = value;
  }
}

function lastOf(steps: readonly Step[], type: 'setWeight'): number | undefined {
  const found = steps.filter((s): s is Extract<Step, { type: 'setWeight' }> => s.type === type).at(-1);
  return found?.weight;
}
