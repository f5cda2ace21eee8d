import { describe, expect, it } from 'vitest';
import type { DeployEvent } from '../../src/engine/events.js';
import type { HookRunner } from '../../src/engine/runtime.js';
import { DeployError } from '../../src/errors.js';
import { buildPlan, type Plan } from '../../src/strategies/index.js';
import { FakeCapacity } from '../fakes/fakeCapacity.js';
import { FakeGate, alarmAtStep } from '../fakes/fakeGate.js';
import { FakeTraffic } from '../fakes/fakeTraffic.js';
import { harness, weightsSet } from '../fakes/harness.js';

const canaryPlan = buildPlan({ strategy: 'canary', steps: '1,5,25,100', bakeSeconds: 300 });

/** Traffic must end where it began, restored once, with no write started after the rollback began. */
function expectCleanRollback(events: readonly DeployEvent[], traffic: FakeTraffic): void {
  expect(events.some((e) => e.type === 'rollback.started')).toBe(true);
  expect(traffic.writesAtRollback, 'no write started after the rollback began').toEqual(traffic.writes);
  expect(traffic.live).toBe(traffic.original.weights.canary);
  expect(traffic.restored).toBe(1);
}

describe('happy paths of every strategy', () => {
  it('canary shifts 1, 5, 25, 100 with 5-minute bakes between', async () => {
    const traffic = new FakeTraffic();
    const h = harness({ traffic: [traffic], gates: [new FakeGate()] });
    const t0 = h.clock.now();
    const result = await h.run(canaryPlan);
    expect(result.outcome).toBe('succeeded');
    expect(weightsSet(h.events)).toEqual([1, 5, 25, 100]);
    expect(traffic.writes).toEqual([1, 5, 25, 100]);
    expect(h.clock.now() - t0).toBeGreaterThanOrEqual(15 * 60_000);
    expect(h.clock.now() - t0).toBeLessThan(16 * 60_000);
    expect(h.events.filter((e) => e.type === 'step.started').map((e) => (e as { index: number }).index)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(h.events.filter((e) => e.type === 'step.finished')).toHaveLength(7);
  });

  it('linear moves in equal increments', async () => {
    const traffic = new FakeTraffic();
    const result = await harness({ traffic: [traffic] }).run(buildPlan({ strategy: 'linear', stepPercent: 20, intervalSeconds: 60 }));
    expect(result.outcome).toBe('succeeded');
    expect(traffic.writes).toEqual([20, 40, 60, 80, 100]);
  });

  it('blue-green brings capacity up, runs the pre-traffic hook, waits for approval, switches, bakes and retires the old side', async () => {
    const traffic = new FakeTraffic();
    const capacity = new FakeCapacity({ ratePerSecond: 5 });
    const hooks = recordingHooks();
    const plan = buildPlan({ strategy: 'blueGreen', capacity: true, preTrafficHook: true, approval: true, bakeSeconds: 600 });
    const h = harness({ traffic: [traffic], capacity: [capacity], hooks });
    const result = await h.run(plan, (rollout, self) => promoteWhenWaiting(rollout, self));
    expect(result.outcome).toBe('succeeded');
    expect(capacity.version).toBe('v2');
    expect(capacity.oldSideUp).toBe(false);
    expect(hooks.ran).toEqual(['preTraffic']);
    expect(traffic.writes).toEqual([100]);
    const order = h.events.filter((e) => ['capacity.progress', 'hook.finished', 'approval.waiting', 'weight.set'].includes(e.type)).map((e) => e.type);
    expect(order.indexOf('hook.finished')).toBeGreaterThan(order.lastIndexOf('capacity.progress'));
    expect(order.indexOf('weight.set')).toBeGreaterThan(order.indexOf('approval.waiting'));
  });

  it('rolling deploys capacity batch by batch', async () => {
    const capacity = new FakeCapacity({ ratePerSecond: 1 });
    const h = harness({ capacity: [capacity] });
    const result = await h.run(buildPlan({ strategy: 'rolling', batch: '25%', pauseSeconds: 60 }));
    expect(result.outcome).toBe('succeeded');
    expect(capacity.starts).toEqual([25, 50, 75, 100]);
    expect(result.context.capacityPercent).toBe(100);
  });

  it('big-bang moves everything at once and still watches the gates', async () => {
    const traffic = new FakeTraffic();
    const gate = new FakeGate();
    const result = await harness({ traffic: [traffic], gates: [gate] }).run(buildPlan({ strategy: 'bigBang', bakeSeconds: 120 }));
    expect(result.outcome).toBe('succeeded');
    expect(traffic.writes).toEqual([100]);
    expect(gate.checks.length).toBeGreaterThanOrEqual(12);
  });
});

describe('a gate alarm at every step rolls back', () => {
  it.each(canaryPlan.steps.map((step, index) => [index, step.type] as const))('alarm at step %i (%s)', async (index) => {
    const traffic = new FakeTraffic();
    const h = harness({ traffic: [traffic], gates: [new FakeGate(alarmAtStep(index))] });
    const result = await h.run(canaryPlan);
    expect(result.outcome).toBe('rolledBack');
    expect(result.failure).toMatchObject({ kind: 'gate', stepIndex: index, message: 'gate fired: errors-high is in ALARM' });
    expectCleanRollback(h.events, traffic);
  });

  it('an alarm during the final bake of blue-green restores the old side before moving traffic back', async () => {
    const order: string[] = [];
    const traffic = new FakeTraffic();
    const capacity = new FakeCapacity({ ratePerSecond: 50 });
    const restore = traffic.restore.bind(traffic);
    traffic.restore = async (s, c) => {
      order.push('traffic');
      await restore(s, c);
    };
    const restoreOld = capacity.restoreOld.bind(capacity);
    capacity.restoreOld = async () => {
      order.push('oldSide');
      await restoreOld();
    };
    const rollbackCapacity = capacity.rollback.bind(capacity);
    capacity.rollback = async (s) => {
      order.push('capacity');
      await rollbackCapacity(s);
    };
    const plan = buildPlan({ strategy: 'blueGreen', capacity: true, bakeSeconds: 600 });
    const retireIndex = plan.steps.findIndex((s) => s.type === 'retireOld');
    const h = harness({ traffic: [traffic], capacity: [capacity], gates: [new FakeGate(alarmAtStep(retireIndex))] });
    const result = await h.run(plan);
    expect(result.outcome).toBe('rolledBack');
    expect(order).toEqual(['oldSide', 'traffic', 'capacity']);
    expect(capacity.oldSideUp).toBe(true);
    expect(capacity.version).toBe('v1');
    expect(traffic.live).toBe(0);
  });
});

describe('a provider error at every traffic step rolls back', () => {
  it.each([1, 5, 25, 100])('setWeight fails at %i%%', async (weight) => {
    const traffic = new FakeTraffic({ failAt: weight });
    const h = harness({ traffic: [traffic] });
    const result = await h.run(canaryPlan);
    expect(result.outcome).toBe('rolledBack');
    expect(result.failure?.kind).toBe('effect');
    expect(result.failure?.message).toContain(`injected failure at ${weight}%`);
    expect(traffic.writes).toEqual([1, 5, 25, 100].filter((w) => w < weight));
    expectCleanRollback(h.events, traffic);
  });

  it('a lost write is applied again and verified', async () => {
    const traffic = new FakeTraffic({ loseWrites: [2] });
    const h = harness({ traffic: [traffic] });
    const result = await h.run(canaryPlan);
    expect(result.outcome).toBe('succeeded');
    expect(traffic.writes).toEqual([1, 5, 5, 25, 100]);
    expect(h.events.filter((e) => e.type === 'weight.set').map((e) => (e as { attempts: number }).attempts)).toEqual([1, 2, 1, 1]);
  });

  it('drift (someone else moved the weight) rolls back and names it', async () => {
    const traffic = new FakeTraffic();
    const h = harness({ traffic: [traffic], gates: [new FakeGate((ctx) => {
      if (ctx.stepIndex === 1) traffic.live = 40;
      return { type: 'ok' };
    })] });
    const result = await h.run(canaryPlan);
    expect(result.outcome).toBe('rolledBack');
    expect(result.failure).toMatchObject({ kind: 'drift', stepIndex: 2 });
    expect(result.failure?.message).toContain('expected 1% live, found 40%');
  });

  it('a change by someone else during the final bake is caught before success and rolled back', async () => {
    const traffic = new FakeTraffic();
    const plan = buildPlan({ strategy: 'canary', steps: '10,100', bakeSeconds: 60, finalBakeSeconds: 600 });
    const finalBake = plan.steps.length - 1;
    const h = harness({ traffic: [traffic], gates: [new FakeGate((ctx) => {
      if (ctx.stepIndex === finalBake) traffic.live = 60;
      return { type: 'ok' };
    })] });
    const result = await h.run(plan);
    expect(result.outcome).toBe('rolledBack');
    expect(result.failure).toMatchObject({ kind: 'drift', message: 'fake-traffic changed during the final bake: found 60%' });
    expect(traffic.live).toBe(0);
  });

  it('a failing rollback ends in rollbackFailed with the commands to restore by hand', async () => {
    const traffic = new FakeTraffic({ failAt: 25, restoreFails: true });
    const h = harness({ traffic: [traffic] });
    const result = await h.run(canaryPlan);
    expect(result.outcome).toBe('rollbackFailed');
    expect(result.context.rollbackError).toContain('injected restore failure');
    expect(result.context.rollbackCommands).toEqual(['fake restore fake-traffic']);
    const finished = h.events.find((e) => e.type === 'rollback.finished');
    expect(finished).toMatchObject({ ok: false, manualCommands: ['fake restore fake-traffic'] });
  });
});

describe('abort at every state', () => {
  it.each(canaryPlan.steps.map((step, index) => [index, step.type] as const))('abort when step %i (%s) starts', async (index) => {
    const traffic = new FakeTraffic();
    const h = harness({ traffic: [traffic] });
    const rollout = h.start(canaryPlan);
    onEvent(h, 'step.started', () => rollout.abort('operator', 'alice'), index);
    const result = await h.clock.run(rollout.result);
    expect(result.outcome).toBe('rolledBack');
    expect(result.failure).toMatchObject({ kind: 'abort', message: 'aborted by alice: operator', stepIndex: index });
    expectCleanRollback(h.events, traffic);
  });

  it('abort during preflight rolls back nothing and ends rolledBack', async () => {
    const traffic = new FakeTraffic();
    const h = harness({ traffic: [traffic] });
    const rollout = h.start(canaryPlan);
    rollout.abort('changed my mind');
    const result = await h.clock.run(rollout.result);
    expect(result.outcome).toBe('rolledBack');
    expect(traffic.writes).toEqual([]);
    expect(traffic.restored).toBe(0);
  });
});

describe('approvals and promotion', () => {
  const approvalPlan = buildPlan({ strategy: 'canary', steps: '10,approval,50,100', bakeSeconds: 60 });

  it('approval then promote continues', async () => {
    const traffic = new FakeTraffic();
    const h = harness({ traffic: [traffic] });
    const result = await h.run(approvalPlan, (rollout, self) => promoteWhenWaiting(rollout, self));
    expect(result.outcome).toBe('succeeded');
    expect(traffic.writes).toEqual([10, 50, 100]);
  });

  it('approval then abort rolls back', async () => {
    const traffic = new FakeTraffic();
    const h = harness({ traffic: [traffic] });
    const result = await h.run(approvalPlan, (rollout, self) => onEvent(self, 'approval.waiting', () => rollout.abort('rejected')));
    expect(result.outcome).toBe('rolledBack');
    expect(traffic.writes).toEqual([10]);
    expect(traffic.live).toBe(0);
  });

  it('promote --full from the first bake jumps to 100 and still runs what follows 100', async () => {
    const traffic = new FakeTraffic();
    const hooks = recordingHooks();
    const plan = buildPlan({ strategy: 'canary', steps: '1,5,25', bakeSeconds: 600, postTrafficHook: true });
    const h = harness({ traffic: [traffic], hooks });
    const result = await h.run(plan, (rollout, self) => onEvent(self, 'weight.set', () => rollout.promote(true)));
    expect(result.outcome).toBe('succeeded');
    expect(traffic.writes).toEqual([1, 100]);
    expect(hooks.ran).toEqual(['postTraffic']);
  });

  it('promote ends a pause early but not a bake', async () => {
    const traffic = new FakeTraffic();
    const plan = buildPlan({ strategy: 'canary', steps: '10,pause:1h,50,100', bakeSeconds: 0 });
    const h = harness({ traffic: [traffic] });
    const t0 = h.clock.now();
    const result = await h.run(plan, (rollout, self) => onEvent(self, 'step.started', () => rollout.promote(), 1));
    expect(result.outcome).toBe('succeeded');
    expect(h.clock.now() - t0).toBeLessThan(60_000);
    const baked = harness({ traffic: [new FakeTraffic()] });
    const b0 = baked.clock.now();
    await baked.run(buildPlan({ strategy: 'canary', steps: '10,100', bakeSeconds: 3600 }), (rollout, self) => onEvent(self, 'step.started', () => rollout.promote(), 1));
    expect(baked.clock.now() - b0).toBeGreaterThanOrEqual(3600_000);
  });

  it('--no-wait stops at the approval as paused, and the saved snapshot continues after promote', async () => {
    const traffic = new FakeTraffic();
    const first = harness({ traffic: [traffic], noWait: true });
    const paused = await first.run(approvalPlan);
    expect(paused.outcome).toBe('paused');
    expect(traffic.writes).toEqual([10]);
    const second = harness({ traffic: [traffic], snapshot: JSON.parse(JSON.stringify(paused.snapshot)), clock: first.clock });
    const rollout = second.start(approvalPlan);
    rollout.promote(false, 'bob');
    const result = await second.clock.run(rollout.result);
    expect(result.outcome).toBe('succeeded');
    expect(traffic.writes).toEqual([10, 50, 100]);
  });
});

describe('gates: errors, inconclusive results and freshness', () => {
  it('fails closed after the consecutive error limit', async () => {
    const traffic = new FakeTraffic();
    const h = harness({ traffic: [traffic], gates: [new FakeGate((ctx) => (ctx.stepIndex >= 1 ? new Error('Throttling: Rate exceeded') : { type: 'ok' }))], settings: { gateErrorLimit: 3 } });
    const result = await h.run(canaryPlan);
    expect(result.outcome).toBe('rolledBack');
    expect(result.failure?.kind).toBe('gateErrors');
    expect(result.failure?.message).toMatch(/gate checks failed 3 times in a row \(failing closed\): Throttling: Rate exceeded/);
    expect(h.events.filter((e) => e.type === 'gate.error').map((e) => (e as { consecutiveErrors: number }).consecutiveErrors)).toEqual([1, 2, 3]);
  });

  it('errors below the limit are retried and the rollout continues', async () => {
    const gate = new FakeGate((_ctx, call) => (call % 3 === 0 ? new Error('ServiceUnavailable') : { type: 'ok' }));
    const result = await harness({ traffic: [new FakeTraffic()], gates: [gate] }).run(canaryPlan);
    expect(result.outcome).toBe('succeeded');
  });

  it.each([
    ['ignore', 'succeeded'],
    ['fail', 'rolledBack'],
  ] as const)('INSUFFICIENT_DATA under policy %s ends %s', async (policy, outcome) => {
    const gate = new FakeGate(() => ({ type: 'inconclusive', reason: 'errors-high is INSUFFICIENT_DATA' }));
    const result = await harness({ traffic: [new FakeTraffic()], gates: [gate], settings: { onInconclusive: policy } }).run(canaryPlan);
    expect(result.outcome).toBe(outcome);
  });

  it('INSUFFICIENT_DATA under policy pause holds the step until the data is back', async () => {
    const traffic = new FakeTraffic();
    const h = harness({ traffic: [traffic], settings: { onInconclusive: 'pause' } });
    const holdUntil = h.clock.now() + 3600_000;
    const gate = new FakeGate(() => (h.clock.now() < holdUntil ? { type: 'inconclusive', reason: 'no data' } : { type: 'ok' }));
    const h2 = harness({ traffic: [traffic], gates: [gate], clock: h.clock, settings: { onInconclusive: 'pause' } });
    const result = await h2.run(canaryPlan);
    expect(result.outcome).toBe('succeeded');
    const first = h2.events.find((e) => e.type === 'weight.set' && e.percent === 5);
    expect(first?.at).toBeGreaterThanOrEqual(holdUntil);
  });

  it('every increase waits for a gate reading taken after the previous step settled', async () => {
    const gate = new FakeGate();
    const h = harness({ traffic: [new FakeTraffic()], gates: [gate], settings: { pollSeconds: 3600 } });
    const result = await h.run(canaryPlan);
    expect(result.outcome).toBe('succeeded');
    expect(gate.checks.map((c) => c.stepIndex)).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });
});

describe('hooks and analysis', () => {
  it('a failing hook rolls back', async () => {
    const traffic = new FakeTraffic();
    const hooks: HookRunner = { names: ['smoke'], run: async () => { throw new DeployError('HOOK_FAILED', 'smoke test returned 500'); } };
    const h = harness({ traffic: [traffic], hooks });
    const result = await h.run(buildPlan({ strategy: 'canary', steps: '10,hook:smoke,100' }));
    expect(result.outcome).toBe('rolledBack');
    expect(result.failure).toMatchObject({ kind: 'hook', message: 'smoke test returned 500' });
    expect(traffic.live).toBe(0);
  });

  it('a failing analysis rolls back; an inconclusive one under pause waits for promote', async () => {
    const plan = buildPlan({ strategy: 'canary', steps: '10,analysis:latency,100' });
    const failing = await harness({ traffic: [new FakeTraffic()], analyses: { names: ['latency'], run: async () => ({ verdict: 'fail', detail: 'score 12 < 75' }) } }).run(plan);
    expect(failing.outcome).toBe('rolledBack');
    expect(failing.failure?.message).toBe('analysis latency failed: score 12 < 75');
    const h = harness({ traffic: [new FakeTraffic()], settings: { onInconclusive: 'pause' }, analyses: { names: ['latency'], run: async () => ({ verdict: 'inconclusive', detail: 'only 3 samples' }) } });
    const held = await h.run(plan, (rollout, self) => promoteWhenWaiting(rollout, self));
    expect(held.outcome).toBe('succeeded');
    expect(h.events.some((e) => e.type === 'approval.waiting')).toBe(true);
  });
});

describe('a persisted snapshot taken at every transition restores and runs to the same end', () => {
  it('canary', async () => {
    const reference = await recordTransitions(canaryPlan);
    expect(reference.result.outcome).toBe('succeeded');
    for (const [i, transition] of reference.transitions.entries()) {
      if (['succeeded', 'rolledBack', 'rollbackFailed', 'rejected'].includes(transition.phase)) continue;
      const traffic = new FakeTraffic();
      traffic.live = reference.liveAt[i] ?? 0;
      const h = harness({ traffic: [traffic], snapshot: JSON.parse(JSON.stringify(transition.snapshot)) });
      h.clock.advance(reference.timeAt[i]! - h.clock.now());
      const result = await h.run(canaryPlan);
      expect(result.outcome, `restored at transition ${i} (${transition.phase}, step ${transition.context.stepIndex})`).toBe('succeeded');
      expect(traffic.live).toBe(100);
      const combined = [...reference.writesAt[i]!, ...traffic.writes];
      expect(combined, `writes restored at transition ${i}`).toEqual([1, 5, 25, 100]);
    }
  });

  it('a rollback in progress restored in another process still ends rolled back', async () => {
    const plan = canaryPlan;
    const traffic = new FakeTraffic();
    const h = harness({ traffic: [traffic], gates: [new FakeGate(alarmAtStep(3))] });
    await h.run(plan);
    const rollingBack = h.transitions.find((t) => t.phase === 'rollingBack');
    expect(rollingBack).toBeDefined();
    const again = new FakeTraffic();
    again.live = 5;
    const resumed = await harness({ traffic: [again], snapshot: JSON.parse(JSON.stringify(rollingBack!.snapshot)) }).run(plan);
    expect(resumed.outcome).toBe('rolledBack');
    expect(again.live).toBe(0);
  });
});

async function recordTransitions(plan: Plan) {
  const traffic = new FakeTraffic();
  const liveAt: number[] = [];
  const writesAt: number[][] = [];
  const timeAt: number[] = [];
  const h = harness({ traffic: [traffic] });
  const rollout = h.start(plan);
  const push = h.transitions.push.bind(h.transitions);
  h.transitions.push = (...items) => {
    liveAt.push(traffic.live);
    writesAt.push([...traffic.writes]);
    timeAt.push(h.clock.now());
    return push(...items);
  };
  const result = await h.clock.run(rollout.result);
  return { result, transitions: h.transitions, liveAt, writesAt, timeAt };
}

function recordingHooks(): HookRunner & { ran: string[] } {
  const ran: string[] = [];
  return { ran, names: ['preTraffic', 'postTraffic', 'smoke'], run: async (name) => { ran.push(name); return { detail: 'ok' }; } };
}

/** Runs `then` once, after the event of `type` (for step events: of step `index`) has been emitted. */
function onEvent(h: { events: DeployEvent[] }, type: DeployEvent['type'], then: () => void, index?: number): void {
  let fired = false;
  const push = h.events.push.bind(h.events);
  h.events.push = (...items: DeployEvent[]) => {
    const n = push(...items);
    if (!fired && items.some((e) => e.type === type && (index === undefined || ('index' in e && e.index === index)))) {
      fired = true;
      queueMicrotask(then);
    }
    return n;
  };
}

function promoteWhenWaiting(rollout: { promote(full?: boolean): void }, h: { events: DeployEvent[] }): void {
  const push = h.events.push.bind(h.events);
  h.events.push = (...items: DeployEvent[]) => {
    const n = push(...items);
    if (items.some((e) => e.type === 'approval.waiting')) queueMicrotask(() => rollout.promote());
    return n;
  };
}
