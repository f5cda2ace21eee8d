import { assembleTrafficPlan } from './assemble.js';
import type { CommonStrategyOptions, Plan } from './types.js';

export interface BlueGreenOptions extends CommonStrategyOptions {
  /** Soak after the switch to 100% before the old side is retired, in seconds. */
  readonly bakeSeconds?: number;
}

/**
 * Blue-green: bring up the new side, optional pre-traffic hook and approval, switch 100% at once, bake, retire old.
 * The bake after the switch is the window in which a rollback is a pure traffic switch back to a warm old side.
 */
export function blueGreen(options: BlueGreenOptions): Plan {
  const finalBakeSeconds = options.bakeSeconds ?? options.finalBakeSeconds ?? 0;
  return { strategy: 'blueGreen', steps: assembleTrafficPlan([{ type: 'setWeight', weight: 100 }], { ...options, finalBakeSeconds }) };
}
