/**
 * Issue 7, "Done when": the CLI is SIGKILLed at every state of a canary (Lambda alias, simulated world, simulated
 * time), `deployctl resume <id>` continues it, and every run ends in success with the weights in plan order, each
 * written once.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { EXIT, mutatingCalls, Sandbox } from './harness.js';
import { expectBakesKept, expectCleanEnd, expectKilledHoldingLease, historyWeights, runScenario, type Outcome } from './scenario.js';
import { lambdaTarget } from './targets.js';

const STEPS = '1,5,25,100';
const WEIGHTS = [1, 5, 25, 100];
const BAKE_SECONDS = 300;
// Plan: 0 setWeight 1 · 1 bake · 2 setWeight 5 · 3 bake · 4 setWeight 25 · 5 bake · 6 setWeight 100.

interface Case {
  readonly name: string;
  readonly crashes: readonly string[];
}


const CASES: readonly Case[] = [
  { name: 'before anything was recorded (deployment.started)', crashes: ['deployment.started'] },
  { name: 'after preflight, before the first write', crashes: ['preflight.finished'] },
  ...[0, 1, 2, 3, 4, 5, 6].map((index): Case => ({
    name: `at the start of step ${index + 1} (step.started:${index})`,
    crashes: [`step.started:${index}`],
  })),
  ...WEIGHTS.map((percent): Case => ({ name: `right after the ${percent}% write, before the record (weight.set:${percent})`, crashes: [`weight.set:${percent}`] })),
  { name: 'at the first gate reading', crashes: ['gate.checked'] },
  { name: 'twice: at the start of the 5% bake, then the resumed process at its first gate reading', crashes: ['step.started:3', 'gate.checked'] },
  { name: 'twice: after the 5% write, then the resumed process after the 25% write', crashes: ['weight.set:5', 'weight.set:25'] },
  { name: 'after the last step, before the end was recorded', crashes: ['step.finished:6'] },
];

describe('crash and resume: a Lambda canary killed at every state ends in success', () => {
  const outcomes = new Map<string, Promise<Outcome>>();
  const outcome = (c: Case): Promise<Outcome> => {
    let pending = outcomes.get(c.name);
    if (!pending) {
      pending = runScenario({ target: lambdaTarget, steps: STEPS, bake: '5m', crashes: c.crashes });
      outcomes.set(c.name, pending);
    }
    return pending;
  };
  afterAll(async () => {
    for (const pending of outcomes.values()) (await pending.catch(() => undefined))?.sandbox.remove();
  });

  describe.each(CASES)('killed $name', (c) => {
    it('resume takes over the dead process\'s lease at once and finishes at 100%, every weight written once, in order', async () => {
      const result = await outcome(c);
      expectKilledHoldingLease(result);
      expectCleanEnd(result, 'succeeded', WEIGHTS, lambdaTarget);
      // A resumed process killed before its first transition was recorded leaves no `resumed` entry.
      expect(result.record.history.filter((e) => e.what === 'resumed').length).toBeGreaterThanOrEqual(1);
    });

    it(`every bake ran in full in the world's time`, async () => {
      expectBakesKept(await outcome(c), BAKE_SECONDS, WEIGHTS.length, lambdaTarget);
    });
  });

  it('status --output json reads the live weight from the world after a resumed run', async () => {
    const result = await outcome(CASES.find((c) => c.crashes[0] === 'weight.set:25')!);
    const status = await result.sandbox.status(result.id);
    expect(status.live).toEqual([{ target: 'lambda alias checkout:live (to version 2)', weight: 100 }]);
    expect(status).toMatchObject({ id: result.id, status: 'succeeded', weight: 100 });
    expect(status.history).toEqual(result.record.history);
  });
});

describe('crash and resume: killed by the test in the middle of a bake (real time)', () => {
  // DEPLOYCTL_CRASH_AT cannot reach the middle of a bake: the only events there are gate readings, and a resumed
  // process takes its first reading as soon as it starts. So this run is in real time, and the test kills it.
  it('resume waits out the rest of the bake, then finishes at 100%', async () => {
    const result = await runScenario({
      target: lambdaTarget,
      steps: '50,100',
      bake: '5s',
      extra: ['--poll', '1s'],
      crashes: [],
      time: 'real',
      onEvent: (event, kill) => {
        if (event.type === 'step.started' && event.index === 1) setTimeout(kill, 1500);
      },
    });
    try {
      expect(result.crashes[0]?.record).toMatchObject({ status: 'running', stepIndex: 1, weight: 50 });
      expectKilledHoldingLease(result);
      expectCleanEnd(result, 'succeeded', [50, 100], lambdaTarget);
      const bakeStarted = result.record.history.find((e) => e.what === 'step 2 started')!.at;
      const lastWrite = result.record.history.findLast((e) => e.what === 'weight set')!.at;
      expect(lastWrite - bakeStarted, 'the 5 s bake was not cut short by the kill').toBeGreaterThanOrEqual(5000);
    } finally {
      result.sandbox.remove();
    }
  });
});

describe('crash and resume: killed after the end was recorded', () => {
  const sandboxes: Sandbox[] = [];
  afterAll(() => sandboxes.forEach((s) => s.remove()));

  const killedAtTheEnd = async () => {
    const sandbox = Sandbox.create('lambda');
    sandboxes.push(sandbox);
    const id = 'd-killed-at-the-end';
    const run = await sandbox.rollout(['canary', '--steps', STEPS, '--bake', '5m', ...lambdaTarget.flags(sandbox.worldState()), '--id', id], { crashAt: 'deployment.finished' });
    expect(run.signal).toBe('SIGKILL');
    return { sandbox, id };
  };

  it('the record says succeeded and the alias is at the new version; the next deployment on the alias takes the dead holder\'s lock', async () => {
    const { sandbox, id } = await killedAtTheEnd();
    expect(sandbox.record(id)).toMatchObject({ status: 'succeeded', weight: 100 });
    expect(historyWeights(sandbox.record(id).history)).toEqual(WEIGHTS);
    expect(lambdaTarget.newShare(sandbox.worldState())).toBe(100);
    expect(mutatingCalls(sandbox.worldState())).toHaveLength(WEIGHTS.length);
    // The lock was never released; its holder is dead, so a new deployment (back to version 1) takes it at once.
    expect(sandbox.lockHolders()).toMatchObject([{ deploymentId: id }]);
    const next = await sandbox.rollout(['big-bang', '--bake', '1m', '--function', 'checkout', '--alias', 'live', '--to-version', '1', '--alarm', 'checkout-errors', '--id', 'd-next']);
    expect(next.code).toBe(EXIT.succeeded);
    expect(sandbox.lockHolders()).toEqual([]);
  });

  // A CI job that re-runs `deployctl resume <id>` after its runner died gets the recorded outcome's exit code, and
  // the dead holder's lock is released.
  it('resume of a deployment that finished before its process died exits with its outcome (0) and releases the lock', async () => {
    const { sandbox, id } = await killedAtTheEnd();
    const resumed = await sandbox.control('resume', id);
    expect(resumed.code).toBe(EXIT.succeeded);
    expect(sandbox.lockHolders()).toEqual([]);
  });
});
