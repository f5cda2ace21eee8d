import { describe, expect, it } from 'vitest';
import { alarmAtStep, FakeGate } from '../../fakes/fakeGate.js';
import { weightsSet } from '../../fakes/harness.js';
import { CANARY, lambdaSection, lambdaSim, T0 } from './simSetup.js';

/** Layer 2: the provider against the simulated Lambda, through the real SDK and the engine, with faults. */

/** The members restore must bring back, as GetAlias returns them (RevisionId necessarily changes). */
const restorable = (alias: { FunctionVersion?: string; RoutingConfig?: unknown; Description?: string }) => ({ FunctionVersion: alias.FunctionVersion, RoutingConfig: alias.RoutingConfig, Description: alias.Description });

describe('Lambda provider in the simulated world', () => {
  it('a 4-step canary ends with the alias on the new version and no routing', async () => {
    const sim = lambdaSim();
    const before = await sim.alias();
    const result = await sim.h.run(CANARY);
    expect(result.outcome).toBe('succeeded');
    expect(weightsSet(sim.h.events)).toEqual([1, 5, 25, 100]);
    const after = await sim.alias();
    expect(after).toMatchObject({ FunctionVersion: '2', Description: 'production' });
    expect(after.RoutingConfig).toBeUndefined();
    expect(after.RevisionId).not.toBe(before.RevisionId);
    // Preflight 1 GetAlias + capture 1 + per step (read, write, read back) 3, and one read-back before success.
    expect(sim.calls()).toEqual({ GetAlias: 2 + 2 + 4 * 2 + 1, GetFunctionConfiguration: 2, UpdateAlias: 4 });
  });

  it('a gate alarm at 25% rolls back to the captured alias, field by field', async () => {
    const sim = lambdaSim({ gates: [new FakeGate(alarmAtStep(4))] });
    const before = await sim.alias();
    const result = await sim.h.run(CANARY);
    expect(result.outcome).toBe('rolledBack');
    expect(weightsSet(sim.h.events)).toEqual([1, 5, 25]);
    const after = await sim.alias();
    expect(restorable(after)).toEqual(restorable(before));
    expect(after.RoutingConfig).toBeUndefined();
    // 25% is this rollout's own state: nothing foreign was replaced, so nothing to warn about.
    expect(sim.h.events.filter((e) => e.type === 'warning')).toEqual([]);
  });

  it('an out-of-band writer is drift: the rollout stops, never writes over it, and rollback restores the original', async () => {
    const sim = lambdaSim({ faults: ['writer:lambda@90s:function=checkout,alias=live,weight=0.5'] });
    const before = await sim.alias();
    const result = await sim.h.run(CANARY);
    expect(result.outcome).toBe('rolledBack');
    expect(result.failure?.message).toContain('found version 1 with 50% to version 2');
    // 1% and 5% were written; the writer's 50% was never overwritten by a shift, only by the restore.
    const writes = sim.world.state.calls.filter((c) => c.service === 'lambda' && c.operation === 'UpdateAlias' && c.outcome === 'ok');
    expect(writes).toHaveLength(3);
    expect(restorable(await sim.alias())).toEqual(restorable(before));
    expect(sim.h.events).toContainEqual(expect.objectContaining({ type: 'warning', message: expect.stringContaining('replaces a change made by someone else') }));
  });

  it('a lost UpdateAlias is seen on read-back and written again', async () => {
    const sim = lambdaSim({ faults: ['lost-write:lambda:UpdateAlias=x1'] });
    const result = await sim.h.run(CANARY);
    expect(result.outcome).toBe('succeeded');
    expect(sim.calls().UpdateAlias).toBe(5);
    expect(await sim.alias()).toMatchObject({ FunctionVersion: '2' });
  });

  it('a timeout after Lambda applied the write: the SDK retry gets 412, the provider reads and finds its own write', async () => {
    const sim = lambdaSim({ faults: ['timeout-after-apply:lambda:UpdateAlias=x1'] });
    const result = await sim.h.run(CANARY);
    expect(result.outcome).toBe('succeeded');
    const outcomes = sim.world.state.calls.filter((c) => c.operation === 'UpdateAlias').map((c) => c.outcome);
    expect(outcomes.slice(0, 2)).toEqual(['transport:timeout', 'PreconditionFailedException']);
    expect(await sim.alias()).toMatchObject({ FunctionVersion: '2' });
  });

  it('throttling and stale reads are ridden out', async () => {
    const sim = lambdaSim({ faults: ['throttle:lambda=x2', 'stale-read:lambda=2s'] });
    const result = await sim.h.run(CANARY);
    expect(result.outcome).toBe('succeeded');
    expect(await sim.alias()).toMatchObject({ FunctionVersion: '2' });
  });

  it('reads lagging 5 s behind our own writes are waited out, not taken for lost writes (no rewrite, no 412)', async () => {
    const sim = lambdaSim({ faults: ['stale-read:lambda=5s'] });
    const result = await sim.h.run(CANARY);
    expect(result.outcome).toBe('succeeded');
    expect(weightsSet(sim.h.events)).toEqual([1, 5, 25, 100]);
    const writes = sim.world.state.calls.filter((c) => c.operation === 'UpdateAlias').map((c) => c.outcome);
    expect(writes).toEqual(['ok', 'ok', 'ok', 'ok']);
    expect(await sim.alias()).toMatchObject({ FunctionVersion: '2' });
  });

  it('rollback gets through a throttling storm and a timeout after Lambda applied the restore', async () => {
    // The alarm fires at 150 s, during the bake at 25% (set at 120 s); the faults start at 140 s, so only the restore meets them.
    const gate = new FakeGate(() => (sim.clock.now() >= T0 + 150_000 ? { type: 'alarm', names: ['errors'], reason: 'errors in ALARM' } : { type: 'ok' }));
    const sim = lambdaSim({ gates: [gate] });
    // 5 throttles, within the rollback's retry budget.
    sim.world.addFault({ type: 'throttle', service: 'lambda', operation: 'UpdateAlias', count: 5, from: 140 });
    sim.world.addFault({ type: 'timeoutAfterApply', service: 'lambda', operation: 'UpdateAlias', count: 1, from: 140 });
    const before = await sim.alias();
    const result = await sim.h.run(CANARY);
    expect(result.outcome).toBe('rolledBack');
    expect(restorable(await sim.alias())).toEqual(restorable(before));
    const restoreAttempts = sim.world.state.calls.filter((c) => c.operation === 'UpdateAlias' && c.at >= T0 + 140_000).map((c) => c.outcome);
    // The SDK's retry after the timeout carries the RevisionId the applied restore replaced: 412, and the read that
    // follows shows the captured alias.
    expect(restoreAttempts).toEqual(['TooManyRequestsException', 'TooManyRequestsException', 'TooManyRequestsException', 'TooManyRequestsException', 'TooManyRequestsException', 'transport:timeout', 'PreconditionFailedException']);
  });

  it('publish: true publishes $LATEST at capture, waits until it is Active, and shifts to it', async () => {
    const sim = lambdaSim({ target: { type: 'lambda', functionName: 'checkout', alias: 'live', publish: true }, faults: ['timeout-after-apply:lambda:PublishVersion=x1'] });
    const result = await sim.h.run(CANARY);
    expect(result.outcome).toBe('succeeded');
    // The SDK retried the publish after the lost response; Lambda answered with the same version, not a fourth.
    expect(sim.world.state.calls.filter((c) => c.operation === 'PublishVersion').map((c) => c.outcome)).toEqual(['transport:timeout', 'ok']);
    expect(await sim.alias()).toMatchObject({ FunctionVersion: '3' });
    expect(Object.keys((sim.world.stateOf('lambda') as { functions: Record<string, { versions: object }> }).functions.checkout!.versions)).toEqual(['1', '2', '3']);
  });

  it('publish: true with nothing new to publish is refused before any traffic moves', async () => {
    const section = lambdaSection({ latest: 'app-v2', aliases: [{ name: 'live', version: 2 }], versions: [{ version: 1, artifact: 'app-v1' }, { version: 2, artifact: 'app-v2' }] });
    const sim = lambdaSim({ section, target: { type: 'lambda', functionName: 'checkout', alias: 'live', publish: true } });
    const result = await sim.h.run(CANARY);
    expect(result.outcome).not.toBe('succeeded');
    expect(result.failure?.message).toContain('has not changed since version 2 was published');
    expect(sim.calls().UpdateAlias).toBeUndefined();
  });

  it('preflight refuses versions with another execution role, with Lambda left untouched', async () => {
    const section = lambdaSection({ versions: [{ version: 1, artifact: 'app-v1' }, { version: 2, artifact: 'app-v2', role: 'arn:aws:iam::123456789012:role/other' }] });
    const sim = lambdaSim({ section });
    const result = await sim.h.run(CANARY);
    expect(result.outcome).toBe('rejected');
    expect(result.failure?.message).toContain('Lambda refuses weighted alias routing between versions with different execution roles');
    expect(sim.world.mutatingCalls('lambda')).toEqual([]);
  });
});
