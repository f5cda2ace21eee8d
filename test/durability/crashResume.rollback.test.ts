/**
 * Crash and resume during a rollback: a gate fires (a broken version, or an alarm forced into ALARM by the
 * world), the CLI is SIGKILLed on the way back, and `deployctl resume <id>` finishes the rollback: exit 3, the
 * captured configuration restored exactly, written once.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { EXIT, mutatingCalls, Sandbox } from './harness.js';
import { expectCleanEnd, expectKilledHoldingLease, historyText, historyWeights, runScenario, type Outcome, type Scenario } from './scenario.js';
import { lambdaTarget } from './targets.js';

// Version 3 fails half its invocations: at 1% the alias's error rate stays under the alarm's 1.5%; during the bake
// after 5% the alarm fires. The fault world forces the alarm into ALARM 7 minutes in, whatever the version does.
const BROKEN: Omit<Scenario, 'crashes'> = { target: lambdaTarget, steps: '1,5,25,100', bake: '5m', toVersion: 3 };
const FORCED: Omit<Scenario, 'crashes'> = { target: lambdaTarget, steps: '1,5,25,100', bake: '5m', fixture: 'lambda-alarm-fault' };

interface Case {
  readonly name: string;
  readonly scenario: Scenario;
  /** The machine state the killed process left in the record. */
  readonly recordedPhase?: 'rollingBack';
}

const CASES: readonly Case[] = [
  { name: 'broken version, killed during the 5% bake before the alarm fired', scenario: { ...BROKEN, crashes: ['step.started:3'] } },
  { name: 'broken version, killed right after rollback.started', scenario: { ...BROKEN, crashes: ['rollback.started'] } },
  { name: 'broken version, killed right after the restore landed (record in rollingBack)', scenario: { ...BROKEN, crashes: ['target.restored'] }, recordedPhase: 'rollingBack' },
  // Write-ahead: rollback.finished is reported once the rolledBack record is stored, so resume finds it final.
  { name: 'broken version, killed after rollback.finished (record already rolledBack)', scenario: { ...BROKEN, crashes: ['rollback.finished'] } },
  { name: 'broken version, killed at rollback.started, the resumed process killed after the restore', scenario: { ...BROKEN, crashes: ['rollback.started', 'target.restored'] }, recordedPhase: 'rollingBack' },
  { name: 'alarm fault, killed right after rollback.started', scenario: { ...FORCED, crashes: ['rollback.started'] } },
  { name: 'alarm fault, killed right after the restore landed (record in rollingBack)', scenario: { ...FORCED, crashes: ['target.restored'] }, recordedPhase: 'rollingBack' },
];

describe('crash and resume during a rollback: resume finishes it', () => {
  const outcomes = new Map<string, Promise<Outcome>>();
  const outcome = (c: Case): Promise<Outcome> => {
    let pending = outcomes.get(c.name);
    if (!pending) {
      pending = runScenario(c.scenario);
      outcomes.set(c.name, pending);
    }
    return pending;
  };
  afterAll(async () => {
    for (const pending of outcomes.values()) (await pending.catch(() => undefined))?.sandbox.remove();
  });

  describe.each(CASES)('$name', (c) => {
    it('exit 3: the alias is back exactly as captured, 1% and 5% written once, one restore', async () => {
      const result = await outcome(c);
      expectKilledHoldingLease(result);
      if (c.recordedPhase) {
        const killed = result.crashes.at(-1)!.record;
        expect(killed.status).toBe('running');
        expect((killed.machine as { value: unknown }).value).toBe(c.recordedPhase);
      }
      expectCleanEnd(result, 'rolledBack', [1, 5], lambdaTarget);
      expect(result.record.failure, historyText(result.record.history)).toMatchObject({ kind: 'gate', message: expect.stringContaining('checkout-errors') as unknown });
    });

    // A record that is rolling back is restored to its capture on resume: its own landed restore is not drift.
    it('the audit history names the gate, not drift or an abort', async () => {
      const { record } = await outcome(c);
      expect(record.history.filter((e) => e.what === 'abort requested' || /drift/.test(e.detail ?? '')), historyText(record.history)).toEqual([]);
    });
  });
});

describe('crash during a rollback: the alarm clears before resume', () => {
  // Write-ahead: a transition's events are reported after its record is written, so a rollback that was announced
  // is recorded, and resume finishes it even if the alarm cleared meanwhile.
  it('resume finishes the rollback that was announced (exit 3), even though the gate reads OK again', async () => {
    const result = await runScenario({
      ...FORCED,
      crashes: ['rollback.started'],
      beforeResume: (sandbox) => sandbox.editWorld((world) => void world.faults.splice(0)),
    });
    try {
      expect(result.crashes[0]!.run.events.some((e) => e.type === 'rollback.started')).toBe(true);
      expect(result.resumed.code, historyText(result.record.history)).toBe(EXIT.rolledBack);
      expect(lambdaTarget.live(result.world)).toEqual(lambdaTarget.live(result.initialWorld));
    } finally {
      result.sandbox.remove();
    }
  });
});

describe('crash after a rollback ended', () => {
  const sandboxes: Sandbox[] = [];
  afterAll(() => sandboxes.forEach((s) => s.remove()));

  const killedAtTheEnd = async () => {
    const sandbox = Sandbox.create('lambda');
    sandboxes.push(sandbox);
    const id = 'd-rolled-back-then-killed';
    const run = await sandbox.rollout(['canary', '--steps', '1,5,25,100', '--bake', '5m', ...lambdaTarget.flags(sandbox.worldState(), 3), '--id', id], { crashAt: 'deployment.finished' });
    expect(run.signal).toBe('SIGKILL');
    return { sandbox, id };
  };

  it('the alias is restored and the record says rolledBack, with one restore write', async () => {
    const { sandbox, id } = await killedAtTheEnd();
    const record = sandbox.record(id);
    expect(record.status).toBe('rolledBack');
    expect(historyWeights(record.history)).toEqual([1, 5]);
    expect(lambdaTarget.live(sandbox.worldState())).toEqual({ functionVersion: '1', routing: {}, description: 'production' });
    expect(mutatingCalls(sandbox.worldState())).toHaveLength(3);
  });

  // A rolledBack record says 0%, and resume of a finished deployment whose process died before letting go exits
  // with its outcome (3) and releases the lock.
  it('the record says 0% on the new version, and resume exits 3 and releases the lock', async () => {
    const { sandbox, id } = await killedAtTheEnd();
    expect(sandbox.record(id).weight).toBe(0);
    const resumed = await sandbox.control('resume', id);
    expect(resumed.code).toBe(EXIT.rolledBack);
    expect(sandbox.lockHolders()).toEqual([]);
  });
});
