import { CreateServiceCommand, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { describe, expect, it } from 'vitest';
import type { World } from '../../../../src/sim/world.js';
import { ecsWorld, T0 } from './fixture.js';

function minute(world: World, metricName: string, index: number, stat = 'Sum'): number | undefined {
  const start = T0 + index * 60_000;
  const points = world.metrics.query({ namespace: 'Sim/ECSService', metricName, dimensions: { ClusterName: 'prod', ServiceName: 'web' }, period: 60, stat, start, end: start + 60_000 }, world.now());
  return points[0]?.value;
}

/** Lets time pass second by second, so traffic changes land in the metrics when they happen. */
function pass(world: World, clock: { advance(ms: number): void }, ms: number): void {
  for (let t = 0; t < ms; t += 1_000) {
    clock.advance(1_000);
    world.sync();
  }
}

describe('ECS traffic without a load balancer', () => {
  it('spreads requests over healthy RUNNING tasks per version into Sim/ECSService metrics', async () => {
    const { ecs, clock, world } = ecsWorld();
    await ecs.send(new CreateServiceCommand({ cluster: 'prod', serviceName: 'web', taskDefinition: 'web:1', desiredCount: 2 }));
    world.addTraffic({ service: 'ecs', resource: 'prod/web', rps: 10 });
    pass(world, clock, 120_000);
    // Minute 0: no task is healthy yet (healthy at 60 s), so every request fails.
    expect(minute(world, 'RequestCount', 0)).toBeCloseTo(600, -2);
    expect(minute(world, '5XXError', 0)).toBeCloseTo(600, -2);
    // Minute 1: v1 serves (error rate 0.1%, 50 ms).
    expect(minute(world, 'RequestCount', 1)).toBeCloseTo(600, -2);
    expect(minute(world, '5XXError', 1)).toBeLessThan(6);
    expect(minute(world, 'Latency', 1, 'Average')).toBeGreaterThan(40);
    expect(minute(world, 'Latency', 1, 'Average')).toBeLessThan(60);

    await ecs.send(new UpdateServiceCommand({ cluster: 'prod', service: 'web', taskDefinition: 'web:4' }));
    pass(world, clock, 180_000);
    // The new version (50% errors) is healthy from 180 s and replaces v1 at once (old tasks stop within the bound).
    expect(minute(world, '5XXError', 2)).toBeLessThan(6);
    const errors = minute(world, '5XXError', 3)! / minute(world, 'RequestCount', 3)!;
    expect(errors).toBeGreaterThan(0.4);
    expect(errors).toBeLessThan(0.6);
    expect(minute(world, 'Latency', 3, 'Average')).toBeGreaterThan(70);
  });
});
