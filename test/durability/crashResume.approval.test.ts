/**
 * Crash and resume at the approval of a canary (`--approval`: promote before 100%), with and without --no-wait,
 * and during the promote itself; and the audit history `status` and `list` show afterwards (who promoted, when,
 * what).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { EXIT, mutatingCalls, Sandbox, type CliRun } from './harness.js';
import { historyText, historyWeights } from './scenario.js';
import { lambdaTarget } from './targets.js';

// Plan: 0 setWeight 1 · 1 bake · 2 setWeight 25 · 3 bake · 4 approval · 5 setWeight 100.
const CANARY = ['canary', '--steps', '1,25,100', '--bake', '5m', '--approval'];
const APPROVAL_STEP = 4;

const sandboxes: Sandbox[] = [];
afterAll(() => sandboxes.forEach((s) => s.remove()));

let ids = 0;
function start(): { sandbox: Sandbox; id: string; rollout: (extra: readonly string[], crashAt?: string) => Promise<CliRun> } {
  const sandbox = Sandbox.create('lambda');
  sandboxes.push(sandbox);
  const id = `d-approval-${++ids}`;
  return { sandbox, id, rollout: (extra, crashAt) => sandbox.rollout([...CANARY, ...lambdaTarget.flags(sandbox.worldState()), ...extra, '--id', id], crashAt ? { crashAt } : {}) };
}

/** Parked at the approval: paused record at 25%, the lock kept with no expiry, two writes in the world. */
function expectParked(sandbox: Sandbox, id: string, run: CliRun): void {
  expect(run.code, run.stdout + run.stderr).toBe(EXIT.paused);
  expect(sandbox.record(id)).toMatchObject({ status: 'paused', stepIndex: APPROVAL_STEP, weight: 25 });
  expect(sandbox.lockHolders()).toMatchObject([{ deploymentId: id, pid: run.pid, until: null }]);
  expect(lambdaTarget.newShare(sandbox.worldState())).toBe(25);
  expect(mutatingCalls(sandbox.worldState())).toHaveLength(2);
}

/** Finished at 100%: 1, 25, 100 written once each, the lock released, the promote in the audit history. */
function expectPromotedToTheEnd(sandbox: Sandbox, id: string, run: CliRun, promoter: string): void {
  const record = sandbox.record(id);
  expect(run.code, `${run.stdout}${run.stderr}\n${historyText(record.history)}`).toBe(EXIT.succeeded);
  expect(record).toMatchObject({ status: 'succeeded', weight: 100, owner: null });
  expect(historyWeights(record.history)).toEqual([1, 25, 100]);
  expect(mutatingCalls(sandbox.worldState()).map((c) => c.operation)).toEqual(['UpdateAlias', 'UpdateAlias', 'UpdateAlias']);
  expect(lambdaTarget.live(sandbox.worldState())).toEqual({ functionVersion: '2', routing: {}, description: 'production' });
  expect(sandbox.lockHolders()).toEqual([]);
  const promoted = record.history.filter((e) => e.what === 'promote requested');
  expect(promoted).toHaveLength(1);
  expect(promoted[0]!.by).toMatch(new RegExp(`^${promoter} \\(run \\d+\\)$`));
  const promotedAt = record.history.indexOf(promoted[0]!);
  expect(record.history.findIndex((e) => e.what === 'weight set' && / at 100% /.test(e.detail ?? ''))).toBeGreaterThan(promotedAt);
}

describe.each([
  { mode: 'waiting in the foreground', extra: [] },
  { mode: 'with --no-wait, before it could park', extra: ['--no-wait'] },
])('crash at the approval, $mode', ({ extra }) => {
  it('the record is still short of the approval; resume --no-wait parks it (exit 6); promote finishes it (exit 0)', async () => {
    const { sandbox, id, rollout } = start();
    const killed = await rollout(extra, 'approval.waiting');
    expect(killed.signal).toBe('SIGKILL');
    expect(sandbox.record(id)).toMatchObject({ status: 'running', weight: 25 });
    expect(sandbox.lockHolders()).toMatchObject([{ deploymentId: id, pid: killed.pid }]);

    expectParked(sandbox, id, await sandbox.control('resume', id, ['--no-wait']));
    const promote = await sandbox.control('promote', id, [], { actor: 'alice' });
    expectPromotedToTheEnd(sandbox, id, promote, 'alice');
  });
});

describe('crash at the approval, then a resume that waits in the foreground', () => {
  it('a promote sent from another process goes through the state store to the resumed process, which finishes', async () => {
    const { sandbox, id, rollout } = start();
    expect((await rollout([], 'approval.waiting')).signal).toBe('SIGKILL');

    let reachedApproval: () => void = () => undefined;
    const waiting = new Promise<void>((resolve) => (reachedApproval = resolve));
    const resumed = sandbox.control('resume', id, [], { onEvent: (event) => event.type === 'approval.waiting' && reachedApproval() });
    await Promise.race([waiting, resumed]);
    const promote = await sandbox.control('promote', id, [], { actor: 'alice' });
    expect(promote.stdout).toContain(`promote applied by the process running ${id}`);
    expect(promote.code).toBe(EXIT.succeeded);
    expectPromotedToTheEnd(sandbox, id, await resumed, 'alice');
  });
});

describe('crash during the promote of a parked deployment', () => {
  it('killed right after the 100% write: resume finishes without writing it again', async () => {
    const { sandbox, id, rollout } = start();
    expectParked(sandbox, id, await rollout(['--no-wait']));
    const killed = await sandbox.control('promote', id, [], { actor: 'alice', crashAt: 'weight.set:100' });
    expect(killed.signal).toBe('SIGKILL');
    expect(sandbox.lockHolders()).toMatchObject([{ deploymentId: id, pid: killed.pid }]);
    expect(lambdaTarget.newShare(sandbox.worldState())).toBe(100);

    const resumed = await sandbox.control('resume', id, [], { actor: 'bob' });
    expectPromotedToTheEnd(sandbox, id, resumed, 'alice');
  });

  it('killed before the promote was recorded: the deployment is parked at the approval again and a second promote finishes it', async () => {
    const { sandbox, id, rollout } = start();
    expectParked(sandbox, id, await rollout(['--no-wait']));
    const killed = await sandbox.control('promote', id, [], { actor: 'alice', crashAt: 'control' });
    expect(killed.signal).toBe('SIGKILL');
    expect(mutatingCalls(sandbox.worldState())).toHaveLength(2);

    expectParked(sandbox, id, await sandbox.control('resume', id, ['--no-wait']));
    expectPromotedToTheEnd(sandbox, id, await sandbox.control('promote', id, [], { actor: 'carol' }), 'carol');
  });
});

describe('status and list show the audit history', () => {
  it('who promoted, when, and what happened: resumed runs, each weight, the end', async () => {
    const { sandbox, id, rollout } = start();
    expect((await rollout(['--no-wait'], 'weight.set:25')).signal).toBe('SIGKILL');
    expect((await sandbox.control('resume', id, ['--no-wait'])).code).toBe(EXIT.paused);
    expect((await sandbox.control('promote', id, [], { actor: 'alice' })).code).toBe(EXIT.succeeded);
    const record = sandbox.record(id);

    const status = await sandbox.cliText(['status', id, '--sim-time']);
    expect(status.code, status.stderr).toBe(0);
    const promoted = record.history.find((e) => e.what === 'promote requested')!;
    const when = new Date(promoted.at).toISOString().slice(0, 19);
    expect(status.stdout).toContain(`deployment ${id}: succeeded`);
    expect(status.stdout).toContain('live lambda alias checkout:live (to version 2): 100%');
    expect(status.stdout).toMatch(new RegExp(`${when}  promote requested \\(by alice \\(run \\d+\\)\\)`));
    for (const line of ['resumed: canary on lambda alias checkout:live', 'waiting for approval: step 5', 'at 1% (verified)', 'at 25% (verified)', 'at 100% (verified)', 'finished: succeeded, 100% on the new version']) {
      expect(status.stdout).toContain(line);
    }
    const history = status.stdout.slice(status.stdout.indexOf('  history:'));
    expect(history.split('\n').filter((l) => /^\s{4}\d{4}-/.test(l))).toHaveLength(record.history.length);

    const list = await sandbox.cliText(['list']);
    expect(list.stdout).toMatch(new RegExp(`^${id}\\s+succeeded\\s+canary\\s+100%\\s+step 6/6\\s+\\d{4}-\\d\\d-\\d\\dT[\\d:]+\\s+lambda alias checkout:live`, 'm'));
    const listed = (await sandbox.cli(['list'])).events;
    expect(listed).toEqual([expect.objectContaining({ id, status: 'succeeded', strategy: 'canary', weight: 100, stepIndex: 5, updatedAt: record.updatedAt })]);
  });

  it('an abort of a parked deployment names who aborted and why, and rolls back (exit 3)', async () => {
    const { sandbox, id, rollout } = start();
    expectParked(sandbox, id, await rollout(['--no-wait']));
    const abort = await sandbox.control('abort', id, ['--reason', 'error budget spent'], { actor: 'bob' });
    expect(abort.code).toBe(EXIT.rolledBack);
    const record = sandbox.record(id);
    expect(record).toMatchObject({ status: 'rolledBack', weight: 0 });
    expect(record.history.find((e) => e.what === 'abort requested')).toMatchObject({ detail: 'error budget spent', by: expect.stringMatching(/^bob \(run \d+\)$/) as unknown });
    expect(lambdaTarget.live(sandbox.worldState())).toEqual({ functionVersion: '1', routing: {}, description: 'production' });
    expect(mutatingCalls(sandbox.worldState())).toHaveLength(3);

    const status = await sandbox.cliText(['status', id, '--sim-time']);
    expect(status.stdout).toMatch(/abort requested: error budget spent \(by bob \(run \d+\)\)/);
    expect(status.stdout).toContain('rollback finished');
    expect(status.stdout).toContain('live lambda alias checkout:live (to version 2): 0%');
  });
});
