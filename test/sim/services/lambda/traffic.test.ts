import { createHash } from 'node:crypto';
import { CreateAliasCommand, GetAliasCommand, UpdateAliasCommand, UpdateFunctionCodeCommand } from '@aws-sdk/client-lambda';
import { describe, expect, it } from 'vitest';
import type { Flow } from '../../../../src/sim/types.js';
import type { World } from '../../../../src/sim/world.js';
import { lambdaService } from '../../../../src/sim/services/lambda/index.js';
import { T0 } from '../../simFixture.js';
import { CHECKOUT, expectAwsError, lambdaWorld, zip } from './fixture.js';

const VERSIONS = { 'app-v1': { errorRate: 0.01, latencyMs: 50 }, 'app-v2': { errorRate: 0.2, latencyMs: 120 }, broken: { healthy: false } };

function metric(world: World, metricName: string, dimensions: Record<string, string>, stat = 'Sum'): number[] {
  const now = world.clock.now();
  return world.metrics.query({ namespace: 'AWS/Lambda', metricName, dimensions, period: 60, stat, start: T0, end: now }, now).map((p) => Math.round(p.value * 1000) / 1000);
}

const routeOf = (world: World, resource: string): Flow[] => world.route('lambda', resource, 10, () => undefined);

describe('Lambda traffic model', () => {
  it('splits alias traffic by weight and counts it with Lambda dimension sets', async () => {
    const { world, clock, client } = lambdaWorld(CHECKOUT, { versions: VERSIONS, traffic: [{ service: 'lambda', resource: '${alias:checkout:live.resource}', rps: 10 }] });
    clock.advance(120_000);
    await client.send(new UpdateAliasCommand({ FunctionName: 'checkout', Name: 'live', RoutingConfig: { AdditionalVersionWeights: { '2': 0.25 } } }));
    clock.advance(120_000);

    const alias = { FunctionName: 'checkout', Resource: 'checkout:live' };
    const v1 = metric(world, 'Invocations', { ...alias, ExecutedVersion: '1' });
    const v2 = metric(world, 'Invocations', { ...alias, ExecutedVersion: '2' });
    expect(v1).toHaveLength(4);
    expect(v1[0]).toBeGreaterThan(540);
    expect(v1[3]).toBeGreaterThan(400);
    expect(v1[3]).toBeLessThan(500);
    expect(v2).toHaveLength(2);
    for (const count of v2) expect(count).toBeGreaterThan(110);
    for (const count of v2) expect(count).toBeLessThan(190);
    for (const total of metric(world, 'Invocations', alias)) expect(total).toBeGreaterThan(540);
    expect(metric(world, 'Invocations', { FunctionName: 'checkout' })).toHaveLength(4);
    for (const rate of metric(world, 'Errors', { ...alias, ExecutedVersion: '2' }, 'Average')) expect(rate).toBeGreaterThan(0.1);
    for (const ms of metric(world, 'Duration', { ...alias, ExecutedVersion: '2' }, 'Average')) expect(ms).toBeGreaterThan(100);
    for (const ms of metric(world, 'Duration', { ...alias, ExecutedVersion: '1' }, 'Average')) expect(ms).toBeLessThan(60);
  });

  it('counts unqualified calls under FunctionName only, and version calls without ExecutedVersion', () => {
    const { world } = lambdaWorld(CHECKOUT, { versions: VERSIONS });

    const [latest] = routeOf(world, 'checkout');
    const [version] = routeOf(world, 'checkout:1');

    expect(latest!.series.map((s) => s.dimensions)).toEqual([{ FunctionName: 'checkout' }]);
    expect(latest!.version).toBe('app-v2');
    expect(version!.series.map((s) => s.dimensions)).toEqual([{ FunctionName: 'checkout' }, { FunctionName: 'checkout', Resource: 'checkout:1' }]);
    expect(version).toMatchObject({ rps: 10, version: 'app-v1', errorRate: 0.01, latencyMs: 50 });
    expect(routeOf(world, 'checkout:9')).toEqual([]);
    expect(routeOf(world, 'nope:live')).toEqual([]);
  });

  it('sends nothing to a version with weight 0 and everything with weight 1', async () => {
    const { world, client } = lambdaWorld(CHECKOUT, { versions: VERSIONS });

    await client.send(new UpdateAliasCommand({ FunctionName: 'checkout', Name: 'live', RoutingConfig: { AdditionalVersionWeights: { '2': 0 } } }));
    expect(routeOf(world, 'checkout:live').map((f) => [f.version, f.rps])).toEqual([['app-v1', 10]]);
    await client.send(new UpdateAliasCommand({ FunctionName: 'checkout', Name: 'live', RoutingConfig: { AdditionalVersionWeights: { '2': 1 } } }));
    expect(routeOf(world, 'checkout:live').map((f) => [f.version, f.rps])).toEqual([['app-v2', 10]]);
  });

  it('follows new code in $LATEST (by CodeSha256 in artifacts) and fails every call of an unhealthy version', async () => {
    const sha = createHash('sha256').update('broken build').digest('base64');
    const { world, client } = lambdaWorld(CHECKOUT, { versions: VERSIONS, artifacts: { [sha]: 'broken' } });
    await client.send(new CreateAliasCommand({ FunctionName: 'checkout', Name: 'dev', FunctionVersion: '$LATEST' }));

    await client.send(new UpdateFunctionCodeCommand({ FunctionName: 'checkout', ZipFile: zip('broken build') }));

    expect(routeOf(world, 'checkout:dev')).toMatchObject([{ version: 'broken', errorRate: 1 }]);
  });

  it('starts counting traffic to an alias once it is created', async () => {
    const { world, clock, client } = lambdaWorld(CHECKOUT, { versions: VERSIONS, traffic: [{ service: 'lambda', resource: 'checkout:beta', rps: 5 }] });
    clock.advance(60_000);

    await client.send(new CreateAliasCommand({ FunctionName: 'checkout', Name: 'beta', FunctionVersion: '2' }));
    clock.advance(120_000);

    const counts = metric(world, 'Invocations', { FunctionName: 'checkout', Resource: 'checkout:beta', ExecutedVersion: '2' });
    expect(counts).toHaveLength(2);
    expect(counts[0]).toBeGreaterThan(250);
  });
});

describe('Lambda out-of-band writer (drift)', () => {
  it('shifts alias weight at the scheduled time, with a new RevisionId that stale guards notice', async () => {
    const { world, clock, client } = lambdaWorld(CHECKOUT, {
      versions: VERSIONS,
      traffic: [{ service: 'lambda', resource: 'checkout:live', rps: 10 }],
      faults: ['writer:lambda@60s:function=checkout,alias=live,weight=0.5'],
    });
    const before = await client.send(new GetAliasCommand({ FunctionName: 'checkout', Name: 'live' }));
    // Look at the world when the writer fires: the core records flows changed by time-driven events at the time
    // of the next look, not at the event time (reported to the core's owner).
    clock.advance(60_000);

    const after = await client.send(new GetAliasCommand({ FunctionName: 'checkout', Name: 'live' }));
    clock.advance(120_000);

    expect(after.RoutingConfig?.AdditionalVersionWeights).toEqual({ '2': 0.5 });
    expect(after.RevisionId).not.toBe(before.RevisionId);
    await expectAwsError(client.send(new UpdateAliasCommand({ FunctionName: 'checkout', Name: 'live', RoutingConfig: { AdditionalVersionWeights: {} }, RevisionId: before.RevisionId })), 'PreconditionFailedException', 412);
    const v2 = metric(world, 'Invocations', { FunctionName: 'checkout', Resource: 'checkout:live', ExecutedVersion: '2' });
    expect(v2).toHaveLength(2);
    expect(v2[0]).toBeGreaterThan(250);
  });

  it('moves the primary version, clears routing with weight 0, and reports what it did', () => {
    const { world } = lambdaWorld(CHECKOUT);
    const drift = (params: Record<string, unknown>) => lambdaService.drift!(world.context('lambda'), params);

    expect(drift({ function: 'checkout', alias: 'live', weight: 0.2 })).toBe('an out-of-band writer set alias checkout:live to version 1 with 20% to version 2');
    expect(drift({ function: 'checkout', alias: 'live', version: 2 })).toBe('an out-of-band writer set alias checkout:live to version 2 with no weighted routing');
    expect(drift({ function: 'checkout', alias: 'live', version: '1', weight: 0.3, additional: 2 })).toMatch(/version 1 with 30% to version 2$/);
    expect(drift({ function: 'checkout', alias: 'live', weight: 0 })).toMatch(/no weighted routing$/);
    expect(drift({ function: 'checkout', alias: 'gone', weight: 0.1 })).toBe('an out-of-band writer found no alias checkout:gone; nothing changed');
    expect(drift({ function: 'checkout', alias: 'live', version: 7 })).toMatch(/^an out-of-band writer could not change alias checkout:live/);
  });
});
