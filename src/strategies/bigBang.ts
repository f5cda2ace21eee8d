import { assembleTrafficPlan } from './assemble.js';
import type { CommonStrategyOptions, Plan } from './types.js';

export interface BigBangOptions extends CommonStrategyOptions {
  /** Soak after everything moved, still gated, in seconds. */
  readonly bakeSeconds?: number;
}

/** Big-bang: everything at once (all traffic, or all capacity replaced together), still gated and able to roll back. */
export function bigBang(options: BigBangOptions): Plan {
  const finalBakeSeconds = options.bakeSeconds ?? options.finalBakeSeconds ?? 0;
  const plan = assembleTrafficPlan([{ type: 'setWeight', weight: 100 }], { ...options, finalBakeSeconds });
  const capacityOnly = options.traffic === false;
  return capacityOnly ? { strategy: 'bigBang', steps: plan, batch: { percent: 100 } } : { strategy: 'bigBang', steps: plan };
}
