import type { CommonStrategyOptions, Step } from './types.js';

/**
 * Wraps the traffic steps of a strategy with what every strategy shares, in one place so that all strategies
 * order them the same way:
 *   deployCapacity 100 (when the target has capacity and traffic) -> hook preTraffic -> traffic steps
 *   -> approval before 100 -> setWeight 100 (implied) -> hook postTraffic -> final bake -> retireOld.
 * For a capacity-only target (an ECS service or Auto Scaling group without a traffic split) the weights become
 * capacity checkpoints instead of traffic weights.
 */
export function assembleTrafficPlan(trafficSteps: readonly Step[], options: CommonStrategyOptions & { readonly traffic?: boolean }): Step[] {
  const traffic = options.traffic ?? true;
  const capacity = options.capacity ?? false;
  const body = ensureFinalWeight(trafficSteps.map((s) => (traffic ? s : weightAsCapacity(s))), traffic);
  const steps: Step[] = [];
  if (capacity && traffic) steps.push({ type: 'deployCapacity', percent: 100 });
  if (options.preTrafficHook) steps.push({ type: 'hook', name: 'preTraffic' });
  steps.push(...insertApprovalBeforeFinal(body, options.approval ?? false));
  if (options.postTrafficHook) steps.push({ type: 'hook', name: 'postTraffic' });
  if (options.finalBakeSeconds && options.finalBakeSeconds > 0) steps.push({ type: 'bake', seconds: options.finalBakeSeconds });
  if (capacity && traffic) steps.push({ type: 'retireOld' });
  return steps;
}

function weightAsCapacity(step: Step): Step {
  return step.type === 'setWeight' ? { type: 'deployCapacity', percent: step.weight } : step;
}

/** 100 is implied as the final step. */
function ensureFinalWeight(steps: Step[], traffic: boolean): Step[] {
  const last = [...steps].reverse().find((s) => s.type === 'setWeight' || s.type === 'deployCapacity');
  const lastValue = last === undefined ? undefined : last.type === 'setWeight' ? last.weight : last.type === 'deployCapacity' ? last.percent : undefined;
  if (lastValue === 100) return steps;
  return [...steps, traffic ? { type: 'setWeight', weight: 100 } : { type: 'deployCapacity', percent: 100 }];
}

function insertApprovalBeforeFinal(steps: Step[], approval: boolean): Step[] {
  if (!approval) return steps;
  const finalIndex = steps.findLastIndex((s) => s.type === 'setWeight' || s.type === 'deployCapacity');
  return [...steps.slice(0, finalIndex), { type: 'approval' }, ...steps.slice(finalIndex)];
}
