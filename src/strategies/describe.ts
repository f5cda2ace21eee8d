import { formatDuration } from '../util/duration.js';
import type { Plan, Step } from './types.js';

export function describeStep(step: Step): string {
  switch (step.type) {
    case 'deployCapacity':
      return `deploy new capacity to ${step.percent}%`;
    case 'setWeight':
      return `shift ${step.weight}% of traffic to the new version`;
    case 'bake':
      return `bake ${formatDuration(step.seconds)} (gates watching)`;
    case 'pause':
      return `pause ${formatDuration(step.seconds)} (promote skips)`;
    case 'approval':
      return 'wait for approval (deployctl promote)';
    case 'hook':
      return `run hook ${step.name}`;
    case 'analysis':
      return `run analysis ${step.name}`;
    case 'retireOld':
      return 'retire the old version';
    default: {
      const unknown: never = step;
      return JSON.stringify(unknown);
    }
  }
}

/** Minimum time the plan takes if nothing waits for a person: the sum of its bakes and pauses. */
export function minimumDurationSeconds(plan: Plan): number {
  return plan.steps.reduce((sum, s) => sum + (s.type === 'bake' || s.type === 'pause' ? s.seconds : 0), 0);
}

export interface StepTimeline {
  readonly index: number;
  readonly step: Step;
  /** Seconds from the start when the step begins, assuming instant API calls and no approvals. */
  readonly startsAt: number;
  /** Traffic share on the new version while this step runs. */
  readonly trafficPercent: number;
  /** Share of the new version's capacity running while this step runs. */
  readonly capacityPercent: number;
  /** True while both the old and the new side run at full size (blue-green doubles capacity). */
  readonly doubleCapacity: boolean;
}

/** The plan as a timeline: when each step starts and what is exposed while it runs. */
export function planTimeline(plan: Plan): StepTimeline[] {
  let at = 0;
  let traffic = 0;
  let capacity = 0;
  let retired = false;
  const hasTrafficSteps = plan.steps.some((s) => s.type === 'setWeight');
  return plan.steps.map((step, index) => {
    if (step.type === 'setWeight') traffic = step.weight;
    if (step.type === 'deployCapacity') capacity = step.percent;
    if (step.type === 'retireOld') retired = true;
    const row: StepTimeline = {
      index,
      step,
      startsAt: at,
      trafficPercent: hasTrafficSteps ? traffic : capacity,
      capacityPercent: capacity,
      doubleCapacity: hasTrafficSteps && capacity === 100 && !retired,
    };
    if (step.type === 'bake' || step.type === 'pause') at += step.seconds;
    return row;
  });
}
