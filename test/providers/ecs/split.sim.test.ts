import { describe, expect, it } from 'vitest';
import type { DeployEvent } from '../../../src/engine/events.js';
import type { Elbv2State } from '../../../src/sim/services/elbv2/state.js';
import type { Json } from '../../../src/providers/types.js';
import type { Plan } from '../../../src/strategies/types.js';
import { alarmAtStep, FakeGate } from '../../fakes/fakeGate.js';
import { harness, weightsSet } from '../../fakes/harness.js';
import { albProvider, ecsProvider, ecsSimWorld, specOf, splitSeed, type EcsSim } from './simWorld.js';

/**
 * Layer 2: the traffic split at the ALB, with the real ALB provider and the ECS provider against the simulated
 * ELBv2 and ECS, driven by the engine.
 */

const BLUE_GREEN: Plan = { strategy: 'blueGreen', steps: [{ type: 'deployCapacity', percent: 100 }, { type: 'setWeight', weight: 100 }, { type: 'bake', seconds: 120 }, { type: 'retireOld' }] };
const CANARY: Plan = {
  strategy: 'canary',
  steps: [
    { type: 'deployCapacity', percent: 100 },
    { type: 'setWeight', weight: 10 },
    { type: 'bake', seconds: 60 },
    { type: 'setWeight', weight: 50 },
    { type: 'bake', seconds: 60 },
    { type: 'setWeight', weight: 100 },
    { type: 'bake', seconds: 60 },
    { type: 'retireOld' },
  ],
};

function setup(plan: Plan, options: { taskDefinition?: string; pingPong?: boolean; sim?: EcsSim } = {}) {
  const sim = options.sim ?? ecsSimWorld(splitSeed());
  const alb = albProvider(sim, plan, options.pingPong ?? false);
  const target = { canaryService: 'web-green', taskDefinition: options.taskDefinition ?? 'web:2' };
  const spec = specOf([{ type: 'ecs', cluster: 'prod', service: 'web', ...target }, alb.target], plan.strategy);
  const ecs = ecsProvider(sim, target, plan, spec);
  return { sim, alb: alb.provider, ecs };
}

/** Both services and the listener compared field by field with what was captured. */
async function expectAsCaptured(sim: EcsSim, snapshots: Record<string, Json>, ecsKey: string, albKey: string): Promise<void> {
  const captured = snapshots[ecsKey] as { stable: { name: string; taskDefinition: string; desiredCount: number; deploymentConfiguration: unknown }; canary: typeof captured.stable };
  for (const side of [captured.stable, captured.canary]) {
    const live = await sim.service(side.name);
    expect({ name: side.name, taskDefinition: live.taskDefinition, desiredCount: live.desiredCount, runningCount: live.runningCount, deploymentConfiguration: live.deploymentConfiguration, deployments: live.deployments?.length }).toEqual({
      name: side.name,
      taskDefinition: side.taskDefinition,
      desiredCount: side.desiredCount,
      runningCount: side.desiredCount,
      deploymentConfiguration: side.deploymentConfiguration,
      deployments: 1,
    });
  }
  expect(await sim.listenerActions()).toEqual((snapshots[albKey] as { actions: unknown }).actions);
}

/**
 * Samples every 5 s of simulated time: whether the listener ever gave weight to a target group without a healthy
 * target (the safety invariant: never route to an empty side).
 */
function watchEmptySides(sim: EcsSim): string[] {
  const violations: string[] = [];
  const tick = (): void => {
    sim.world.sync();
    const elb = sim.world.stateOf<Elbv2State>('elbv2');
    const listener = Object.values(elb.listeners)[0]!;
    for (const t of listener.defaultActions[0]?.ForwardConfig?.TargetGroups ?? []) {
      const group = elb.targetGroups[t.TargetGroupArn!]!;
      if ((t.Weight ?? 0) > 0 && !group.targets.some((x) => x.state === 'healthy')) violations.push(`${(sim.clock.now() - Date.UTC(2026, 0, 1)) / 1000}s: ${group.name} weight ${t.Weight} with no healthy target`);
    }
    sim.clock.setTimeout(tick, 5_000);
  };
  tick();
  return violations;
}

const restoredOrder = (events: readonly DeployEvent[]) => events.flatMap((e) => (e.type === 'target.restored' ? [e.target] : []));

describe('ECS split at the ALB in the simulated world', () => {
  it('blue-green: the new service comes up healthy before any traffic moves, then the old one is retired', async () => {
    const { sim, alb, ecs } = setup(BLUE_GREEN);
    const violations = watchEmptySides(sim);
    const h = harness({ traffic: [alb], capacity: [ecs], clock: sim.clock });
    const result = await h.run(BLUE_GREEN);
    expect(result.outcome).toBe('succeeded');
    expect(weightsSet(h.events)).toEqual([100]);
    const [blue, green] = [await sim.service('web'), await sim.service('web-green')];
    expect({ desired: blue.desiredCount, td: blue.taskDefinition }).toEqual({ desired: 0, td: sim.taskDefinition(1) });
    expect({ desired: green.desiredCount, running: green.runningCount, td: green.taskDefinition }).toEqual({ desired: 3, running: 3, td: sim.taskDefinition(2) });
    const forward = (await sim.listenerActions())[0]!.ForwardConfig!.TargetGroups!;
    expect(forward.map((t) => t.Weight)).toEqual([0, 100]);
    expect(violations).toEqual([]);
  });

  it('canary: a gate at 50% rolls back — weights to the captured actions, the new service back to 0 on its captured revision', async () => {
    const { sim, alb, ecs } = setup(CANARY);
    const violations = watchEmptySides(sim);
    const h = harness({ traffic: [alb], capacity: [ecs], gates: [new FakeGate(alarmAtStep(4))], clock: sim.clock });
    const result = await h.run(CANARY);
    expect(result.outcome).toBe('rolledBack');
    expect(weightsSet(h.events)).toEqual([10, 50]);
    const fired = h.events.find((e) => e.type === 'gate.checked' && e.result.type === 'alarm')!.at;
    expect(h.events.find((e) => e.type === 'rollback.started')!.at - fired).toBe(0);
    expect(restoredOrder(h.events)).toEqual([alb.label, ecs.label]);
    await expectAsCaptured(sim, result.context.snapshots as Record<string, Json>, ecs.lockKey, alb.lockKey);
    expect(violations).toEqual([]);
  });

  it('a gate after the old side was retired: restoreOld brings it back healthy, then the weights, then the new side goes', async () => {
    const plan: Plan = { strategy: 'blueGreen', steps: [{ type: 'deployCapacity', percent: 100 }, { type: 'setWeight', weight: 100 }, { type: 'bake', seconds: 60 }, { type: 'retireOld' }, { type: 'bake', seconds: 300 }] };
    const { sim, alb, ecs } = setup(plan);
    const violations = watchEmptySides(sim);
    const h = harness({ traffic: [alb], capacity: [ecs], gates: [new FakeGate(alarmAtStep(4))], clock: sim.clock });
    const result = await h.run(plan);
    expect(result.outcome).toBe('rolledBack');
    expect(restoredOrder(h.events)).toEqual([`${ecs.label} (old side)`, alb.label, ecs.label]);
    await expectAsCaptured(sim, result.context.snapshots as Record<string, Json>, ecs.lockKey, alb.lockKey);
    expect(violations).toEqual([]);
  });

  it('a new version that fails its health checks never gets traffic; the new service goes back to its capture', async () => {
    const { sim, alb, ecs } = setup(CANARY, { taskDefinition: 'web:3' });
    const h = harness({ traffic: [alb], capacity: [ecs], clock: sim.clock });
    const result = await h.run(CANARY);
    expect(result.outcome).toBe('rolledBack');
    expect(result.failure).toMatchObject({ kind: 'capacity', message: expect.stringContaining('ECS failed the deployment of service web-green: ECS deployment circuit breaker') });
    expect(weightsSet(h.events)).toEqual([]);
    expect(sim.world.mutatingCalls('elbv2')).toEqual([]);
    await expectAsCaptured(sim, result.context.snapshots as Record<string, Json>, ecs.lockKey, alb.lockKey);
  });

  it('ping-pong: consecutive deployments alternate between the two services, each finding the live one from the listener', async () => {
    const first = setup(BLUE_GREEN, { pingPong: true });
    expect((await harness({ traffic: [first.alb], capacity: [first.ecs], clock: first.sim.clock }).run(BLUE_GREEN)).outcome).toBe('succeeded');
    const second = setup(BLUE_GREEN, { pingPong: true, taskDefinition: 'web:4', sim: first.sim });
    const h = harness({ traffic: [second.alb], capacity: [second.ecs], clock: first.sim.clock });
    const result = await h.run(BLUE_GREEN);
    expect(result.outcome).toBe('succeeded');
    expect(h.events.find((e) => e.type === 'preflight.finished')).toMatchObject({ facts: { [second.ecs.label]: { liveService: 'prod/web-green (web:2, 3 tasks) behind targetgroup/web-green', newService: 'prod/web (web:1, 0 tasks) behind targetgroup/web-blue' } } });
    const [blue, green] = [await first.sim.service('web'), await first.sim.service('web-green')];
    expect({ web: [blue.taskDefinition, blue.desiredCount], 'web-green': [green.taskDefinition, green.desiredCount] }).toEqual({ web: [first.sim.taskDefinition(4), 3], 'web-green': [first.sim.taskDefinition(2), 0] });
    expect((await first.sim.listenerActions())[0]!.ForwardConfig!.TargetGroups!.map((t) => t.Weight)).toEqual([100, 0]);
  });
});
