import { InputError } from '../errors.js';
import { parseStepTokens, STEP_TOKEN_HELP } from './stepTokens.js';
import { assembleTrafficPlan } from './assemble.js';
import type { CommonStrategyOptions, Plan, Step } from './types.js';

export interface CanaryOptions extends CommonStrategyOptions {
  /** `1,5,25,100` (CLI form, with optional named steps) or the same as a list. 100 is implied as the last weight. */
  readonly steps: string | readonly (number | Step)[];
  /** Bake after each weight below 100, in seconds. */
  readonly bakeSeconds?: number;
  /** Per-weight bakes (spec files): bake after the i-th weight; falls back to bakeSeconds. */
  readonly stepBakeSeconds?: readonly (number | undefined)[];
}

/** Canary: shift traffic through increasing weights with a bake after each, ending at 100. */
export function canary(options: CanaryOptions): Plan {
  const userSteps = typeof options.steps === 'string' ? parseStepTokens(options.steps).steps : options.steps.map(toStep);
  const weights = userSteps.flatMap((s) => (s.type === 'setWeight' ? [s.weight] : []));
  checkWeights(weights, '--steps');
  return { strategy: 'canary', steps: assembleTrafficPlan(withBakes(userSteps, options), options) };
}

function toStep(entry: number | Step): Step {
  return typeof entry === 'number' ? { type: 'setWeight', weight: entry } : entry;
}

/** Inserts the default bake after each weight below 100, unless the user placed an explicit bake or pause there. */
function withBakes(steps: readonly Step[], options: CanaryOptions): Step[] {
  const result: Step[] = [];
  let weightIndex = 0;
  steps.forEach((step, i) => {
    result.push(step);
    if (step.type !== 'setWeight') return;
    const bake = options.stepBakeSeconds?.[weightIndex] ?? options.bakeSeconds ?? 0;
    weightIndex += 1;
    const next = steps[i + 1];
    const explicitWait = next?.type === 'bake' || next?.type === 'pause';
    if (step.weight < 100 && bake > 0 && !explicitWait) result.push({ type: 'bake', seconds: bake });
  });
  return result;
}

/** Weights must be numbers in (0, 100], strictly increasing. */
export function checkWeights(weights: readonly number[], flag: string): void {
  weights.forEach((weight, i) => {
    if (!Number.isFinite(weight) || weight <= 0 || weight > 100) {
      throw new InputError(flag, weight, `each weight must be a number greater than 0 and at most 100; ${STEP_TOKEN_HELP}`);
    }
    const previous = weights[i - 1];
    if (previous !== undefined && weight <= previous) {
      throw new InputError(flag, weights.join(','), `weights must be strictly increasing, but ${weight} follows ${previous}`);
    }
  });
  const last = weights[weights.length - 1];
  if (last !== undefined && weights.some((w, i) => w === 100 && i < weights.length - 1)) {
    throw new InputError(flag, weights.join(','), '100 can only be the last weight');
  }
}
