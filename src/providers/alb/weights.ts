import type { Plan } from '../../strategies/types.js';

/** ALB weights are integers 0..999 per target group (ELBv2 API reference, TargetGroupTuple.Weight). */
export const MAX_WEIGHT = 999;
/** Target groups per forward action, ALB quota (not adjustable). */
export const MAX_GROUPS_PER_ACTION = 5;

const EPSILON = 1e-9;

export interface WeightPair {
  readonly stable: number;
  readonly canary: number;
}

function isWhole(value: number): boolean {
  return Math.abs(value - Math.round(value)) < EPSILON;
}

/** Whole percents or tenths of a percent, between 0 and 100: what 0..999 integer weights can express. */
export function isExpressible(percent: number): boolean {
  return percent >= 0 && percent <= 100 && isWhole(percent * 10);
}

/**
 * Percent → (stable, canary) weights: (100 − p, p) for whole percents, (1000 − 10p, 10p) for tenths.
 * 100% keeps the stable group at weight 0 rather than dropping it, so a rollback only moves weights.
 */
export function weightsFor(percent: number): WeightPair {
  if (!isExpressible(percent)) throw new RangeError(`${percent}% cannot be expressed with ALB weights (whole percents or tenths only)`);
  if (isWhole(percent)) {
    const p = Math.round(percent);
    return { stable: 100 - p, canary: p };
  }
  const tenths = Math.round(percent * 10);
  return { stable: 1000 - tenths, canary: tenths };
}

/** The canary's share of the forward weight, percent; undefined when no weight is left at all. */
export function shareOf(canary: number, total: number): number | undefined {
  return total > 0 ? (canary * 100) / total : undefined;
}

export function samePercent(a: number | undefined, b: number): boolean {
  return a !== undefined && Math.abs(a - b) < 1e-6;
}

/** For messages: `12.5%`, `1%`. */
export function formatPercent(percent: number): string {
  return `${Number(percent.toFixed(4))}%`;
}

/** Preflight: every setWeight of the plan must be expressible, else a message that says what is allowed. */
export function planWeightErrors(plan: Plan): string[] {
  const errors: string[] = [];
  for (const [index, step] of plan.steps.entries()) {
    if (step.type !== 'setWeight' || isExpressible(step.weight)) continue;
    const nearest = Math.max(0.1, Math.round(step.weight * 10) / 10);
    errors.push(
      `step ${index + 1} (setWeight ${step.weight}): ALB weights are integers 0–999, so an ALB target can take ` +
        `whole percents or tenths of a percent (0.1–99.9); use for example ${nearest}`,
    );
  }
  return errors;
}
