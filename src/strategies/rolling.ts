import { InputError } from '../errors.js';
import { assembleTrafficPlan } from './assemble.js';
import type { CommonStrategyOptions, Plan, Step } from './types.js';

export interface RollingOptions extends CommonStrategyOptions {
  /** `25%` (a share of the service) or `2` (instances/tasks per batch). */
  readonly batch: string | number;
  /** Wait between batches, in seconds; gates watch during it. */
  readonly pauseSeconds?: number;
}

export const BATCH_HELP = 'use a percent from 0.5% to 100% like 25% (of the desired capacity) or a whole count of instances/tasks like 2';

/** Avoids 3 x 33.333 = 99.999 in printed plans, and two 100% steps from rounding. */
function roundPercent(value: number): number {
  return Math.round(value * 1000) / 1000;
}

/** Rolling: replace capacity in batches, for ECS services and Auto Scaling groups. */
export function rolling(options: RollingOptions): Plan {
  const batch = parseBatch(options.batch);
  const pause = options.pauseSeconds ?? 0;
  if ('count' in batch) {
    if (pause > 0) {
      throw new InputError('--batch', options.batch, `a --pause between batches needs --batch as a percent, because checkpoints are percentages; ${BATCH_HELP}`);
    }
    return { strategy: 'rolling', steps: capacitySteps([{ type: 'deployCapacity', percent: 100 }], options), batch };
  }
  const steps: Step[] = [];
  for (let i = 1; roundPercent(i * batch.percent) < 100; i++) {
    steps.push({ type: 'deployCapacity', percent: roundPercent(i * batch.percent) });
    if (pause > 0) steps.push({ type: 'bake', seconds: pause });
  }
  steps.push({ type: 'deployCapacity', percent: 100 });
  return { strategy: 'rolling', steps: capacitySteps(steps, options), batch };
}

/** Rolling moves capacity, not traffic: the capacity steps are the plan's weights. */
function capacitySteps(steps: Step[], options: RollingOptions): Step[] {
  return assembleTrafficPlan(steps, { ...options, traffic: false, capacity: false });
}

export function parseBatch(batch: string | number): { percent: number } | { count: number } {
  const text = String(batch).trim();
  const percent = /^(\d+(?:\.\d+)?)%$/.exec(text);
  if (percent) {
    const value = Number(percent[1]);
    // At most 200 batches: finer batches are a typo, and would make an unreadable plan.
    if (value >= 0.5 && value <= 100) return { percent: value };
  } else if (/^\d+$/.test(text) && Number(text) >= 1) {
    return { count: Number(text) };
  }
  throw new InputError('--batch', batch, BATCH_HELP);
}
