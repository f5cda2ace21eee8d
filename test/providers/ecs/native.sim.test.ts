import { describe, expect, it } from 'vitest';
import type { DeployEvent } from '../../../src/engine/events.js';
import type { Json } from '../../../src/providers/types.js';
import type { WorldSeed } from '../../../src/sim/seed.js';
import { blueGreen, canary, linear } from '../../../src/strategies/index.js';
import type { Plan } from '../../../src/strategies/types.js';
import { alarmAtStep, FakeGate } from '../../fakes/fakeGate.js';
import { harness } from '../../fakes/harness.js';
import { BREAKER, ecsProvider, ecsSimWorld, splitSeed, type EcsSim } from './simWorld.js';

/**
 * Layer 2, ECS-native strategies: the simulated ECS runs BLUE_GREEN / LINEAR / CANARY itself (green scaled up in
 * the target group that does not serve, the production listener rule shifted by ECS, bake, clean-up) and
 * StopServiceDeployment ROLLBACK. deployctl only reads the rule; every weight change here is ECS's.
 */

function nativeSeed(): WorldSeed {
  const base = splitSeed();
  const ecs = base.ecs as { taskDefinitions: unknown };
  const service = {
    name: 'web',
    taskDefinition: 'web:1',
    desiredCount: 3,
    deploymentConfiguration: BREAKER,
    loadBalancers: [
      {
        targetGroupArn: '${tg:web-blue.arn}',
        containerName: 'web',
        containerPort: 8080,
        advancedConfiguration: { alternateTargetGroupArn: '${tg:web-green.arn}', productionListenerRule: '${rule:web:80:default.arn}', roleArn: 'arn:aws:iam::123456789012:role/ecs-infrastructure' },
      },
    ],
  };
  return { ...base, ecs: { ...ecs, clusters: [{ name: 'prod', services: [service] }] } };
}

const CAPACITY_ONLY = { traffic: false, capacity: true } as const;
const CANARY = canary({ steps: '10,100', bakeSeconds: 300, ...CAPACITY_ONLY });

function setup(plan: Plan) {
  const sim = ecsSimWorld(nativeSeed());
  return { sim, ecs: ecsProvider(sim, { native: true }, plan) };
}

/** The production listener's weights by group name, as ECS has written them. */
async function weights(sim: EcsSim): Promise<Record<string, number>> {
  const groups = (await sim.listenerActions())[0]!.ForwardConfig!.TargetGroups!;
  const name = (arn: string) => (arn === sim.tg('web-blue') ? 'blue' : 'green');
  return Object.fromEntries(groups.map((t) => [name(t.TargetGroupArn!), t.Weight!]));
}

/** Weights sampled at a few moments of simulated time. */
function sampleWeights(sim: EcsSim, atSeconds: readonly number[]): Record<number, Record<string, number>> {
  const seen: Record<number, Record<string, number>> = {};
  for (const second of atSeconds) sim.clock.setTimeout(() => void weights(sim).then((w) => (seen[second] = w)), second * 1000);
  return seen;
}

const progress = (events: readonly DeployEvent[]) => [...new Set(events.flatMap((e) => (e.type === 'capacity.progress' ? [e.percent] : [])))];
const capturedOf = (snapshots: unknown, key: string) => (snapshots as Record<string, Json>)[key] as { service: { taskDefinition: string; deploymentConfiguration: Record<string, unknown> }; production: { actions: unknown }[] };

describe('ECS native strategies in the simulated world', () => {
  it('CANARY: ECS shifts 10%, both bake 5 minutes, ECS shifts the rest and finishes before the rollout does', async () => {
    const { sim, ecs } = setup(CANARY);
    const seen = sampleWeights(sim, [150]);
    const h = harness({ capacity: [ecs], clock: sim.clock });
    const result = await h.run(CANARY);
    expect(result.outcome).toBe('succeeded');
    expect(progress(h.events)).toEqual([0, 10, 99, 100]);
    expect(seen[150]).toEqual({ blue: 900, green: 100 }); // ECS writes tenths of a percent
    expect(await weights(sim)).toEqual({ blue: 0, green: 100 });
    // The rollout ended only once ECS had finished: no deployment left in progress.
    expect(Object.values(sim.ecsState().serviceDeployments).filter((d) => d.service === 'web').map((d) => d.status)).toEqual(['SUCCESSFUL', 'SUCCESSFUL']);
    const live = await sim.service();
    expect(live.taskDefinition).toBe(sim.taskDefinition(2));
    expect(live.deployments).toEqual([expect.objectContaining({ rolloutState: 'COMPLETED', runningCount: 3 })]);
    const captured = capturedOf(result.context.snapshots, ecs.lockKey).service.deploymentConfiguration;
    expect(live.deploymentConfiguration).toMatchObject(captured);
  });

  it('LINEAR 25% every minute: the engine follows ECS’s steps', async () => {
    const plan = linear({ stepPercent: 25, intervalSeconds: 60, ...CAPACITY_ONLY });
    const { sim, ecs } = setup(plan);
    const h = harness({ capacity: [ecs], clock: sim.clock });
    expect((await h.run(plan)).outcome).toBe('succeeded');
    expect(progress(h.events)).toEqual([0, 25, 50, 75, 99, 100]);
  });

  it('a gate during the canary bake: StopServiceDeployment ROLLBACK, ECS moves the traffic back, the rule is as captured', async () => {
    const { sim, ecs } = setup(CANARY);
    const h = harness({ capacity: [ecs], gates: [new FakeGate(alarmAtStep(1))], clock: sim.clock });
    const result = await h.run(CANARY);
    expect(result.outcome).toBe('rolledBack');
    const captured = capturedOf(result.context.snapshots, ecs.lockKey);
    expect(await sim.listenerActions()).toEqual(captured.production[0]!.actions);
    const live = await sim.service();
    expect(live.taskDefinition).toBe(captured.service.taskDefinition);
    expect(live.deployments).toEqual([expect.objectContaining({ rolloutState: 'COMPLETED', taskDefinition: captured.service.taskDefinition, runningCount: 3 })]);
    expect(live.deploymentConfiguration).toMatchObject(captured.service.deploymentConfiguration);
    expect(sim.world.mutatingCalls('ecs').map((c) => c.operation)).toEqual(['UpdateService', 'StopServiceDeployment', 'UpdateService']);
    expect(h.events.filter((e) => e.type === 'warning').map((e) => (e as { message: string }).message)).toEqual([
      `${ecs.label}: service web keeps deploymentConfiguration bakeTimeInMinutes, canaryConfiguration, which it did not have at capture (UpdateService cannot remove a member; it has no effect under strategy ROLLING)`,
    ]);
  });

  it('a gate after ECS finished (during deployctl’s own final bake): a blue/green deployment of the captured revision moves everything back', async () => {
    const plan = blueGreen({ bakeSeconds: 120, ...CAPACITY_ONLY });
    const { sim, ecs } = setup(plan);
    const h = harness({ capacity: [ecs], gates: [new FakeGate(alarmAtStep(1))], clock: sim.clock });
    const result = await h.run(plan);
    expect(result.outcome).toBe('rolledBack');
    const captured = capturedOf(result.context.snapshots, ecs.lockKey);
    expect(await weights(sim)).toEqual({ blue: 100, green: 0 });
    expect((await sim.service()).taskDefinition).toBe(captured.service.taskDefinition);
    expect(sim.world.mutatingCalls('ecs').map((c) => c.operation)).toEqual(['UpdateService', 'UpdateService', 'UpdateService', 'UpdateService']);
  });
});
