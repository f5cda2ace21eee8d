import { describe, expect, it } from 'vitest';
import { alarmAtStep, FakeGate } from '../../fakes/fakeGate.js';
import { weightsSet } from '../../fakes/harness.js';
import { CANARY, MINUTE, route53Sim, T0 } from './simSetup.js';

/** Layer 2: the provider against the simulated Route 53, through the real SDK and the engine, with faults. */

const weightOf = (records: readonly { SetIdentifier?: string; Weight?: number }[], id: string) => records.find((r) => r.SetIdentifier === id)?.Weight;

describe('Route 53 provider in the simulated world', () => {
  it('a 4-step canary waits for INSYNC at every step and ends with all traffic on the canary, both records kept', async () => {
    const sim = route53Sim();
    const before = await sim.zone();
    const start = sim.world.state.calls.length;
    const result = await sim.h.run(CANARY);
    const calls = sim.calls(start);
    expect(result.outcome).toBe('succeeded');
    expect(weightsSet(sim.h.events)).toEqual([1, 5, 25, 100]);
    // Each shift returns only once Route 53 says INSYNC (60 s here), so no weight is reported before that.
    const setAt = sim.h.events.flatMap((e) => (e.type === 'weight.set' ? [(e.at - T0) / 1000] : []));
    expect(setAt).toEqual([60, 240, 420, 600]);
    const after = await sim.zone();
    expect([weightOf(after, 'blue'), weightOf(after, 'green')]).toEqual([0, 100]);
    // Everything else in the zone is as it was.
    expect(after.filter((r) => r.Name !== 'api.example.com.')).toEqual(before.filter((r) => r.Name !== 'api.example.com.'));
    // Per step: read, one batch, GetChange every 5 s until INSYNC (12), read back.
    expect(calls).toEqual({ GetHostedZone: 1, ListResourceRecordSets: 2 + 4 * 2 + 1, ChangeResourceRecordSets: 4, GetChange: 4 * 12 });
    // Once INSYNC and the 60 s TTL have passed, resolvers send nothing to blue.
    await sim.clock.run(sim.clock.sleep(3 * MINUTE));
    expect(sim.requestsIn('blue', 12)).toBe(0);
    expect(sim.requestsIn('green', 12)).toBeGreaterThan(5000);
  });

  it('a gate alarm at 25% rolls back: every record of the zone is as captured, field by field, and traffic returns', async () => {
    const sim = route53Sim({ gates: [new FakeGate(alarmAtStep(4))] });
    const before = await sim.zone();
    const result = await sim.h.run(CANARY);
    expect(result.outcome).toBe('rolledBack');
    // The alarm fires while the 25% change propagates: the rollback does not wait for its INSYNC, so 25% is
    // written (and restored) but never reported as set.
    expect(weightsSet(sim.h.events)).toEqual([1, 5]);
    expect(sim.world.state.calls.filter((c) => c.operation === 'ChangeResourceRecordSets' && c.outcome === 'ok')).toHaveLength(4);
    expect(await sim.zone()).toEqual(before);
    expect(sim.h.events.filter((e) => e.type === 'warning')).toEqual([]);
    const restoredAt = sim.h.events.find((e) => e.type === 'target.restored')!.at;
    await sim.clock.run(sim.clock.sleep(3 * MINUTE));
    const minute = Math.ceil((restoredAt - T0) / MINUTE) + 1;
    expect(sim.requestsIn('green', minute)).toBe(0);
    expect(sim.requestsIn('blue', minute)).toBeGreaterThan(5000);
  });

  it('a restore polls GetChange from 1 s after its write, backing off to 5 s, so the rollback is reported soon after INSYNC', async () => {
    // Route 53 propagates in 2 s here. The alarm fires in the bake after 5% (step 3).
    const sim = route53Sim({ gates: [new FakeGate(alarmAtStep(3))], propagationSeconds: 2 });
    const result = await sim.h.run(CANARY);
    expect(result.outcome).toBe('rolledBack');
    const restoreAt = sim.world.state.calls.filter((c) => c.operation === 'ChangeResourceRecordSets' && c.outcome === 'ok').at(-1)!.at;
    const polls = sim.world.state.calls.filter((c) => c.operation === 'GetChange' && c.at > restoreAt).map((c) => c.at - restoreAt);
    expect(polls).toEqual([1000, 3000]); // PENDING at 1 s, INSYNC at 3 s
    const restoredAt = sim.h.events.find((e) => e.type === 'target.restored')!.at;
    expect(restoredAt - restoreAt).toBeLessThan(3500);
    // Forward shifts keep the plain 5 s interval (one GetChange per shift at 2 s propagation).
    const firstShiftAt = sim.world.state.calls.find((c) => c.operation === 'ChangeResourceRecordSets')!.at;
    expect(sim.world.state.calls.filter((c) => c.operation === 'GetChange' && c.at > firstShiftAt && c.at < firstShiftAt + 10_000).map((c) => c.at - firstShiftAt)).toEqual([5000]);
  });

  it('an out-of-band writer is drift: no batch is written over it, and rollback restores the captured records', async () => {
    const sim = route53Sim({ faults: ['writer:route53@300s:name=api.example.com,type=CNAME,setIdentifier=green,weight=50'] });
    const before = await sim.zone();
    const result = await sim.h.run(CANARY);
    expect(result.outcome).toBe('rolledBack');
    expect(result.failure?.message).toContain("found stable 'blue' 95, canary 'green' 50");
    const ours = sim.world.state.calls.filter((c) => c.operation === 'ChangeResourceRecordSets' && c.outcome === 'ok');
    expect(ours).toHaveLength(3); // 1%, 5%, restore
    expect(await sim.zone()).toEqual(before);
    expect(sim.h.events).toContainEqual(expect.objectContaining({ type: 'warning', message: expect.stringContaining('replaces a change made by someone else') }));
  });

  it('a timeout after Route 53 applied the batch: the SDK retry is refused, the provider finds its own weights and waits out propagation', async () => {
    const sim = route53Sim({ faults: ['timeout-after-apply:route53:ChangeResourceRecordSets=x1'] });
    const result = await sim.h.run(CANARY);
    expect(result.outcome).toBe('succeeded');
    const outcomes = sim.world.state.calls.filter((c) => c.operation === 'ChangeResourceRecordSets').map((c) => c.outcome);
    expect(outcomes.slice(0, 2)).toEqual(['transport:timeout', 'InvalidChangeBatch']);
    expect(sim.h.events).toContainEqual(expect.objectContaining({ type: 'warning', message: expect.stringContaining('its id was lost with the response') }));
    expect(weightOf(await sim.zone(), 'green')).toBe(100);
  });

  it('a lost batch is seen on read-back and written again', async () => {
    const sim = route53Sim({ faults: ['lost-write:route53:ChangeResourceRecordSets=x1'] });
    const result = await sim.h.run(CANARY);
    expect(result.outcome).toBe('succeeded');
    expect(sim.calls().ChangeResourceRecordSets).toBe(5);
    expect(weightOf(await sim.zone(), 'green')).toBe(100);
  });

  it('throttling, stale reads and PriorRequestNotComplete are ridden out', async () => {
    const sim = route53Sim({ faults: ['throttle:route53:GetHostedZone=x2', 'throttle:route53:ChangeResourceRecordSets=x2', 'throttle:route53:GetChange=x2', 'stale-read:route53=5s', 'prior-request-not-complete:route53'], propagationSeconds: 1 });
    const result = await sim.h.run(CANARY);
    expect(result.failure).toBeNull();
    expect(result.outcome).toBe('succeeded');
    expect(weightOf(await sim.zone(), 'green')).toBe(100);
  });

  it('rollback gets through a throttling storm and a timeout after Route 53 applied the restore batch', async () => {
    // The alarm fires at 450 s, during the bake at 25% (set at 420 s); the faults start at 440 s, so only the restore meets them.
    const gate = new FakeGate(() => (sim.clock.now() >= T0 + 450_000 ? { type: 'alarm', names: ['errors'], reason: 'errors in ALARM' } : { type: 'ok' }));
    const sim = route53Sim({ gates: [gate] });
    // 5 throttles: more than the forward budget of 3 attempts, within the rollback's 10.
    sim.world.addFault({ type: 'throttle', service: 'route53', operation: 'ChangeResourceRecordSets', count: 5, from: 440 });
    sim.world.addFault({ type: 'timeoutAfterApply', service: 'route53', operation: 'ChangeResourceRecordSets', count: 1, from: 440 });
    const before = await sim.zone();
    const result = await sim.h.run(CANARY);
    expect(result.outcome).toBe('rolledBack');
    expect(await sim.zone()).toEqual(before);
    const restoreAttempts = sim.world.state.calls.filter((c) => c.operation === 'ChangeResourceRecordSets' && c.at >= T0 + 440_000).map((c) => c.outcome);
    expect(restoreAttempts).toEqual(['Throttling', 'Throttling', 'Throttling', 'Throttling', 'Throttling', 'transport:timeout', 'InvalidChangeBatch']);
    expect(sim.h.events).toContainEqual(expect.objectContaining({ type: 'warning', message: expect.stringContaining('its id was lost with the response') }));
  });

  it('weighted alias records on a wildcard name: alias targets pass through, restore is exact', async () => {
    const alias = (id: string, weight: number, dnsName: string) => ({ name: '*.example.com', type: 'A', setIdentifier: id, weight, aliasTarget: { dnsName, hostedZoneId: 'Z35SXDOTRQ7X7K', evaluateTargetHealth: true } });
    const records = [alias('blue', 3, 'blue-1.eu-west-1.elb.amazonaws.com'), alias('green', 0, 'green-2.eu-west-1.elb.amazonaws.com')];
    const sim = route53Sim({ records, target: { recordName: '*.example.com', recordType: 'A' }, gates: [new FakeGate(alarmAtStep(6))] });
    const before = await sim.zone();
    const result = await sim.h.run(CANARY);
    expect(result.outcome).toBe('rolledBack');
    // The alarm fires while the 100% change propagates: the rollback does not wait for it to be INSYNC.
    expect(weightsSet(sim.h.events)).toEqual([1, 5, 25]);
    expect(await sim.zone()).toEqual(before);
    expect(weightOf(before, 'blue')).toBe(3);
  });

  it('preflight warns that a bake shorter than the TTL judges traffic that has not moved', async () => {
    const plan = { strategy: 'canary' as const, steps: [{ type: 'setWeight' as const, weight: 10 }, { type: 'bake' as const, seconds: 30 }, { type: 'setWeight' as const, weight: 100 }] };
    const sim = route53Sim({ plan });
    await sim.h.run(plan);
    const preflight = sim.h.events.find((e) => e.type === 'preflight.finished');
    expect(preflight).toMatchObject({ errors: [], warnings: [expect.stringContaining('step 2 (bake 30s) is shorter than the TTL of api.example.com. CNAME in zone example.com.')] });
  });

  it('preflight refuses a canary that already has weight, with Route 53 left untouched', async () => {
    const sim = route53Sim({
      records: [
        { name: 'api.example.com', type: 'CNAME', ttl: 60, setIdentifier: 'blue', weight: 90, values: ['blue.example.com'] },
        { name: 'api.example.com', type: 'CNAME', ttl: 60, setIdentifier: 'green', weight: 10, values: ['green.example.com'] },
      ],
    });
    const result = await sim.h.run(CANARY);
    expect(result.outcome).toBe('rejected');
    expect(result.failure?.message).toContain("the canary set 'green' (CNAME, weight 10)");
    expect(sim.world.mutatingCalls('route53')).toEqual([]);
  });
});
