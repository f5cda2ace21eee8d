import { describe, expect, it } from 'vitest';
import { defineFaultMatrix } from './matrix.js';
import { CAPACITY_STRATEGIES, runScenario } from './scenario.js';
import { ASG } from './targets.js';

/**
 * The fault matrix for the capacity targets: an ECS service alone (rolling, blue-green, big-bang; it refuses plans
 * that wait between capacity steps), an ECS service split at the ALB (the new task definition on a second service
 * behind the canary target group; canary, linear, blue-green, big-bang, the old side retired at the end) and an Auto
 * Scaling group (instance refresh: rolling, canary and linear with checkpoints, blue-green, big-bang) × every fault
 * of faults.ts.
 */
defineFaultMatrix('fault matrix (capacity)', ['ecs', 'ecs-alb', 'asg']);

describe('asg × big-bang, outages counted strictly', () => {
  it('requests always find a serving instance (new instances launch before old ones go: MinHealthy 100, MaxHealthy 200)', async () => {
    const run = await runScenario({ target: ASG, strategy: CAPACITY_STRATEGIES.asg.find((s) => s.name === 'big-bang')! });
    expect(run.result.outcome).toBe('succeeded');
    expect(run.monitor.violations).toEqual([]);
  });
});
