import type { Plan } from '../../src/strategies/types.js';

/** The canary the provider tests run: setWeight at each percent with a bake of `bakeSeconds` between them. */
export function canaryPlan(bakeSeconds: number, weights: readonly number[] = [1, 5, 25, 100]): Plan {
  return {
    strategy: 'canary',
    steps: weights.flatMap((weight, i) => (i === 0 ? [{ type: 'setWeight' as const, weight }] : [{ type: 'bake' as const, seconds: bakeSeconds }, { type: 'setWeight' as const, weight }])),
  };
}
