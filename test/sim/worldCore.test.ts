import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/time/clock.js';
import { seedWorld } from '../../src/sim/seed.js';
import type { Flow, SimService } from '../../src/sim/types.js';
import { fail } from '../../src/sim/services/common.js';
import { parseFault } from '../../src/sim/faults.js';

interface ToyState {
  weights: Record<string, number>;
  healthyAt: Record<string, number>;
}

/** A toy service to exercise the world core: a "router" with two versions and a weight, and a timed event. */
const toy: SimService<ToyState> = {
  name: 'lambda',
  initialState: () => ({ weights: {}, healthyAt: {} }),
  operations: {
    GetAlias: (ctx, input) => {
      const weight = ctx.state.weights[String(input.Name)];
      if (weight === undefined) fail('ResourceNotFoundException', 'no such alias', { httpStatus: 404 });
      return { Name: input.Name, FunctionVersion: '1', RoutingConfig: { AdditionalVersionWeights: { '2': weight } }, RevisionId: 'r' };
    },
    UpdateAlias: (ctx, input) => {
      const weight = (input.RoutingConfig as { AdditionalVersionWeights: Record<string, number> }).AdditionalVersionWeights['2'] ?? 0;
      ctx.state.weights[String(input.Name)] = weight;
      ctx.touch(`alias:${String(input.Name)}`);
      return { Name: input.Name, FunctionVersion: '1', RevisionId: 'r2' };
    },
  },
  nextEventAt: (ctx) => Object.values(ctx.state.healthyAt).filter((t) => t > 0).sort((a, b) => a - b)[0],
  advance: (ctx) => {
    for (const [k, t] of Object.entries(ctx.state.healthyAt)) if (t > 0 && t <= ctx.now) ctx.state.healthyAt[k] = 0;
  },
  route: (ctx, resource, rps, depend) => {
    depend(`alias:${resource}`);
    const w = ctx.state.weights[resource] ?? 0;
    const series = (version: string) => [{ namespace: 'AWS/Lambda', dimensions: { FunctionName: 'f', Resource: `f:${resource}`, ExecutedVersion: version }, requests: 'Invocations', errors: ['Errors'] }];
    const flows: Flow[] = [
      { rps: rps * (1 - w), version: 'v1', errorRate: 0, latencyMs: 10, series: series('1') },
      { rps: rps * w, version: 'v2', errorRate: 0.5, latencyMs: 10, series: series('2') },
    ];
    return flows.filter((f) => f.rps > 0);
  },
  seed: (ctx, spec, refs) => {
    for (const alias of (spec as { aliases: string[] }).aliases) {
      ctx.state.weights[alias] = 0;
      refs.set(`alias:${alias}`, { resource: alias });
    }
    ctx.state.healthyAt.x = ctx.now + 30_000;
  },
};

describe('world core', () => {
  it('routes traffic into metrics, follows weight changes, and records calls', async () => {
    const clock = new VirtualClock(Date.UTC(2026, 0, 1));
    const world = seedWorld({ lambda: { aliases: ['live'] }, traffic: [{ service: 'lambda', resource: '${alias:live.resource}', rps: 10 }] }, { clock, services: [toy] });
    clock.advance(120_000);
    await world.dispatch({ service: 'lambda', operation: 'UpdateAlias', input: { Name: 'live', RoutingConfig: { AdditionalVersionWeights: { '2': 0.5 } } } });
    clock.advance(120_000);
    const q = (version: string, metricName: string) =>
      world.metrics.query({ namespace: 'AWS/Lambda', metricName, dimensions: { FunctionName: 'f', Resource: 'f:live', ExecutedVersion: version }, period: 60, stat: 'Sum', start: Date.UTC(2026, 0, 1), end: clock.now() }, clock.now());
    const v2 = q('2', 'Invocations');
    expect(v2.map((p) => p.timestamp - Date.UTC(2026, 0, 1))).toEqual([120_000, 180_000]);
    for (const p of v2) expect(p.value).toBeGreaterThan(240);
    const v1 = q('1', 'Invocations');
    expect(v1).toHaveLength(4);
    expect(v1[0]!.value).toBeGreaterThan(520);
    const errors = q('2', 'Errors');
    for (const p of errors) expect(p.value / 300).toBeGreaterThan(0.35);
    expect(world.mutatingCalls().map((c) => c.operation)).toEqual(['UpdateAlias']);
    expect(world.stateOf<ToyState>('lambda').healthyAt.x).toBe(0);
  });

  it('injects throttling, lost writes and timeouts after apply', async () => {
    const clock = new VirtualClock(Date.UTC(2026, 0, 1));
    const world = seedWorld({ lambda: { aliases: ['live'] }, faults: ['throttle:lambda:GetAlias=x1', 'lost-write:lambda:UpdateAlias=x1'] }, { clock, services: [toy] });
    const get = () => world.dispatch({ service: 'lambda', operation: 'GetAlias', input: { Name: 'live' } });
    const update = (w: number) => world.dispatch({ service: 'lambda', operation: 'UpdateAlias', input: { Name: 'live', RoutingConfig: { AdditionalVersionWeights: { '2': w } } } });
    await expect(get()).rejects.toMatchObject({ code: 'TooManyRequestsException' });
    await update(0.1);
    expect(world.stateOf<ToyState>('lambda').weights.live).toBe(0);
    world.addFault(parseFault('timeout-after-apply:lambda:UpdateAlias=x1'));
    await expect(update(0.2)).rejects.toMatchObject({ name: 'SimTransportError', kind: 'timeout' });
    expect(world.stateOf<ToyState>('lambda').weights.live).toBe(0.2);
    expect(world.state.calls.map((c) => `${c.operation}:${c.outcome}${c.fault ? `:${c.fault}` : ''}`)).toEqual([
      'GetAlias:TooManyRequestsException:throttle',
      'UpdateAlias:ok:lostWrite',
      'UpdateAlias:transport:timeout:timeoutAfterApply',
    ]);
  });

  it('serves reads from before the last write during a stale-read window', async () => {
    const clock = new VirtualClock(Date.UTC(2026, 0, 1));
    const world = seedWorld({ lambda: { aliases: ['live'] }, faults: ['stale-read:lambda=5s'] }, { clock, services: [toy] });
    await world.dispatch({ service: 'lambda', operation: 'UpdateAlias', input: { Name: 'live', RoutingConfig: { AdditionalVersionWeights: { '2': 0.3 } } } });
    const weight = async () => ((await world.dispatch({ service: 'lambda', operation: 'GetAlias', input: { Name: 'live' } })) as { RoutingConfig: { AdditionalVersionWeights: Record<string, number> } }).RoutingConfig.AdditionalVersionWeights['2'];
    expect(await weight()).toBe(0);
    clock.advance(5_000);
    expect(await weight()).toBe(0.3);
  });
});
