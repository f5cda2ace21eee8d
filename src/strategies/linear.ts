import { InputError } from '../errors.js';
import { assembleTrafficPlan } from './assemble.js';
import type { CommonStrategyOptions, Plan, Step } from './types.js';

export interface LinearOptions extends CommonStrategyOptions {
  /** Percent added at each step, in (0, 100]. */
  readonly stepPercent: number;
  /** Wait between steps, in seconds. */
  readonly intervalSeconds: number;
}

/** More steps than this is almost certainly a typo (0.1% steps) and would make an unreadable plan. */
export const MAX_LINEAR_STEPS = 200;

/** Linear: equal increments of stepPercent with the same interval between them, ending at 100. */
export function linear(options: LinearOptions): Plan {
  const { stepPercent, intervalSeconds } = options;
  if (!Number.isFinite(stepPercent) || stepPercent <= 0 || stepPercent > 100) {
    throw new InputError('--step-percent', stepPercent, 'use a percent greater than 0 and at most 100, for example 10');
  }
  if (Math.ceil(100 / stepPercent) > MAX_LINEAR_STEPS) {
    throw new InputError('--step-percent', stepPercent, `use at least ${100 / MAX_LINEAR_STEPS} so the rollout has at most ${MAX_LINEAR_STEPS} steps`);
  }
  const steps: Step[] = [];
  for (let i = 1; roundPercent(i * stepPercent) < 100; i++) {
    steps.push({ type: 'setWeight', weight: roundPercent(i * stepPercent) });
    if (intervalSeconds > 0) steps.push({ type: 'bake', seconds: intervalSeconds });
  }
  return { strategy: 'linear', steps: assembleTrafficPlan(steps, options) };
}

/** Avoids 0.1 * 3 = 0.30000000000000004 in printed plans. */
function roundPercent(value: number): number {
  return Math.round(value * 1000) / 1000;
}
