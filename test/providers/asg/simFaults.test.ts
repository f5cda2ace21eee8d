import { describe, expect, it } from 'vitest';
import { checkpointsOf } from '../../../src/engine/capacity.js';
import type { DeployEvent } from '../../../src/engine/events.js';
import type { CapacityContext, Json, ProviderContext } from '../../../src/providers/types.js';
import { parseFault } from '../../../src/sim/faults.js';
import { FakeGate, alarmAtStep } from '../../fakes/fakeGate.js';
import { asgProvider, asgWorld, deployment, rollout, type AsgWorld, type Deployment } from './simWorld.js';

/** Layer 2: crashes, out-of-band writers and API faults against the simulated Auto Scaling. */

const TARGET = { type: 'asg', autoScalingGroupName: 'web', launchTemplateVersion: 2 } as const;
const canary = () => deployment({ strategy: 'canary', steps: '25,50,100', bake: '2m', targets: [TARGET] });

function contexts(w: AsgWorld, d: Deployment, signal = new AbortController().signal) {
  const events: DeployEvent[] = [];
  const base: ProviderContext = { deploymentId: 'd-sim', signal, clock: w.clock, emit: (e) => events.push(e) };
  const capacity = (snapshot: Json): CapacityContext => ({ ...base, snapshot, checkpoints: checkpointsOf(d.plan) });
  return { base, capacity, events };
}

describe('crash and resume', () => {
  it('a second process that lost the handle adopts the refresh the first one started, and follows it to the end', async () => {
    const w = asgWorld();
    const d = canary();
    const ctx = contexts(w, d);
    const first = asgProvider(w, d);
    const snapshot = await first.capture(ctx.base);
    const started = await first.start(25, undefined, ctx.capacity(snapshot));
    w.clock.advance(30_000);
    const second = asgProvider(w, d);
    const adopted = await second.start(25, undefined, ctx.capacity(snapshot));
    expect(adopted).toEqual({ ...(started as object), startedAt: expect.any(Number) });
    expect(w.calls().StartInstanceRefresh).toBe(1);
    expect(await w.refreshes()).toHaveLength(1);
  });

  it('a rollback cut off mid-way (the process died) is finished by the next process without a second RollbackInstanceRefresh', async () => {
    const w = asgWorld();
    const d = canary();
    const provider = asgProvider(w, d);
    const snapshot = await provider.capture(contexts(w, d).base);
    const handle = await provider.start(25, undefined, contexts(w, d).capacity(snapshot));
    await w.clock.run(w.clock.sleep(90_000));
    const dying = new AbortController();
    const cut = contexts(w, d, dying.signal);
    w.clock.setTimeout(() => dying.abort(), 15_000);
    await expect(w.clock.run(provider.rollback(snapshot, handle, cut.capacity(snapshot)))).rejects.toThrow(/aborted/);
    expect(w.calls().RollbackInstanceRefresh).toBe(1);
    const next = asgProvider(w, d);
    await w.clock.run(next.rollback(snapshot, handle, contexts(w, d).capacity(snapshot)));
    expect(w.calls().RollbackInstanceRefresh).toBe(1);
    expect(w.versions()).toEqual(['v1', 'v1', 'v1', 'v1']);
  });
});

describe('out-of-band writers', () => {
  it('someone points the group at another launch template version between capture and start: DRIFT, nothing started', async () => {
    const w = asgWorld();
    w.world.addFault(parseFault('writer:autoscaling@30s:group=web,launchTemplateVersion=4'));
    const d = canary();
    const ctx = contexts(w, d);
    const provider = asgProvider(w, d);
    const snapshot = await provider.capture(ctx.base);
    await w.clock.run(w.clock.sleep(60_000));
    await expect(provider.start(25, undefined, ctx.capacity(snapshot))).rejects.toMatchObject({ code: 'DRIFT', message: expect.stringContaining("web's launch template was changed by someone else since the capture, from web-lt v1 to web-lt v4") });
    expect(w.calls()).not.toHaveProperty('StartInstanceRefresh');
  });

  it('someone scales the group out during the canary: the rollback brings every instance back to v1 and leaves the size, saying so', async () => {
    const w = asgWorld();
    w.world.addFault(parseFault('writer:autoscaling@90s:group=web,desiredCapacity=6'));
    const d = canary();
    const { result, events } = await rollout(w, d, { capacity: [asgProvider(w, d)], gates: [new FakeGate(alarmAtStep(3))] });
    expect(result.outcome).toBe('rolledBack');
    expect(w.versions()).toEqual(['v1', 'v1', 'v1', 'v1', 'v1', 'v1']);
    const warnings = events.flatMap((e) => (e.type === 'warning' ? [e.message] : []));
    expect(warnings).toEqual(['asg web (launch template v2): instances are back on the captured version; sizes changed during the deployment (scaling or someone else) and were left as found: desired 4 → 6']);
  });
});

describe('API faults', () => {
  it('StartInstanceRefresh times out after AWS applied it: the SDK retries, AWS says one is in progress, the provider adopts it', async () => {
    const w = asgWorld();
    w.world.addFault(parseFault('timeout-after-apply:autoscaling:StartInstanceRefresh=x1'));
    const d = canary();
    const { result } = await rollout(w, d, { capacity: [asgProvider(w, d)], gates: [new FakeGate()] });
    expect(result.outcome).toBe('succeeded');
    expect(w.world.state.calls.filter((c) => c.operation === 'StartInstanceRefresh').map((c) => c.outcome)).toEqual(['transport:timeout', 'InstanceRefreshInProgress']);
    expect(await w.refreshes()).toHaveLength(1);
    expect(w.versions()).toEqual(['v2', 'v2', 'v2', 'v2']);
  });

  it('reads lag 30s behind the start: the refresh counts as pending until it is listed, then is followed normally', async () => {
    const w = asgWorld();
    w.world.addFault(parseFault('stale-read:autoscaling=30s'));
    const d = canary();
    const { result, events } = await rollout(w, d, { capacity: [asgProvider(w, d)], gates: [new FakeGate()] });
    expect(result.outcome).toBe('succeeded');
    expect(events.some((e) => e.type === 'capacity.progress' && /accepted, not listed yet/.test(e.detail ?? ''))).toBe(true);
    expect(w.versions()).toEqual(['v2', 'v2', 'v2', 'v2']);
  });

  it('a start AWS acknowledged but lost: reported failed once it stays unlisted, and the rollback finds the group untouched', async () => {
    const w = asgWorld();
    w.world.addFault(parseFault('lost-write:autoscaling:StartInstanceRefresh=x1'));
    const d = canary();
    const { result } = await rollout(w, d, { capacity: [asgProvider(w, d)], gates: [new FakeGate()] });
    expect(result.outcome).toBe('rolledBack');
    expect(result.failure!.message).toMatch(/instance refresh .* is no longer listed for web/);
    expect(w.versions()).toEqual(['v1', 'v1', 'v1', 'v1']);
    expect(Object.keys(w.calls()).filter((op) => !op.startsWith('Describe'))).toEqual(['StartInstanceRefresh']);
  });

  it('throttling storm during the rollback (60% of Auto Scaling calls): the rollback still ends with every instance on v1', async () => {
    const w = asgWorld();
    const d = canary();
    const { result } = await rollout(w, d, { capacity: [asgProvider(w, d)], gates: [new FakeGate(alarmAtStep(3))] }, (e) => {
      if (e.type === 'rollback.started') w.world.addFault(parseFault('throttle:autoscaling=0.6'));
    });
    expect(result.outcome).toBe('rolledBack');
    expect(w.versions()).toEqual(['v1', 'v1', 'v1', 'v1']);
    expect(w.world.state.calls.filter((c) => c.service === 'autoscaling' && c.outcome === 'Throttling').length).toBeGreaterThan(0);
  });
});
