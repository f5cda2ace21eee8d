import { describe, expect, it } from 'vitest';
import { cli, savedCalls, worldCopy } from './cliHarness.js';

const lambda = ['--function', 'checkout', '--alias', 'live'];

describe('the built deployctl binary', () => {
  it('--help lists every command and the exit codes', () => {
    const { code, stdout } = cli(['--help']);
    expect(code).toBe(0);
    for (const command of ['canary', 'linear', 'blue-green', 'rolling', 'big-bang', 'deploy', 'plan', 'status', 'list', 'promote', 'abort', 'resume', 'demo', 'rehearse', 'graph', 'iam-policy', 'init-state-table']) {
      expect(stdout).toMatch(new RegExp(`\\n  ${command}\\b`));
    }
    expect(stdout).toContain('5 target locked by another deployment');
  });

  it('--version prints the version', () => {
    expect(cli(['--version'])).toMatchObject({ code: 0, stdout: '0.1.0\n' });
  });

  it('plan canary --steps 1,5,25,100 --bake 5m prints the plan and calls nothing', () => {
    const { code, stdout } = cli(['plan', 'canary', '--steps', '1,5,25,100', '--bake', '5m']);
    expect(code).toBe(0);
    expect(stdout).toContain('Plan: canary, 7 steps, at least 15m of bakes and pauses');
    expect(stdout).toMatch(/ 1 {2}shift 1% of traffic to the new version +1% .*\+0s/);
    expect(stdout).toMatch(/ 7 {2}shift 100% of traffic to the new version +100% .*\+15m/);
  });

  it('plan with targets reads the live state and preflight from the world, with read-only calls', () => {
    const { world } = worldCopy('lambda.yaml');
    const { code, stdout } = cli(['plan', 'canary', '--sim', world, '--steps', '5,50', '--bake', '2m', ...lambda, '--to-version', '2', '--alarm', 'checkout-errors']);
    expect(code).toBe(0);
    expect(stdout).toContain('lambda alias checkout:live (to version 2): ready');
    expect(stdout).toMatch(/This plan made \d+ read-only call\(s\): .*lambda:GetAlias/);
    expect(stdout).not.toContain('UNEXPECTED writes');
    expect(savedCalls(world).filter((c) => c.mutating)).toEqual([]);
  });

  it('runs a canary to success (exit 0) and a broken version to a rollback (exit 3), with JSON events', () => {
    const { dir, world } = worldCopy('lambda.yaml');
    const ok = cli(['canary', '--sim', world, '--sim-time', '--steps', '5,50', '--bake', '5m', ...lambda, '--to-version', '2', '--alarm', 'checkout-errors', '--output', 'json'], { cwd: dir });
    expect(ok.code).toBe(0);
    const events = ok.stdout.trim().split('\n').map((line) => JSON.parse(line) as { type: string; outcome?: string });
    expect(events[0]?.type).toBe('deployment.started');
    expect(events.at(-1)).toMatchObject({ type: 'deployment.finished', outcome: 'succeeded' });
    const bad = cli(['canary', '--sim', world, '--sim-time', '--steps', '5,50', '--bake', '5m', ...lambda, '--to-version', '3', '--alarm', 'checkout-errors'], { cwd: dir });
    expect(bad.code).toBe(3);
    expect(bad.stdout).toContain('ROLLING BACK: gate fired: metric alarm checkout-errors is in ALARM');
    expect(bad.stderr).toContain('failed and was rolled back');
    // 5%, 50%, 100% for the healthy version; 5% and the restore for the broken one (its alarm fires at 5%).
    const updates = savedCalls(world).filter((c) => c.operation === 'UpdateAlias' && c.outcome === 'ok');
    expect(updates).toHaveLength(5);
  });

  it('--no-wait stops at the approval with exit 6', () => {
    const { dir, world } = worldCopy('lambda.yaml');
    const run = cli(['canary', '--sim', world, '--sim-time', '--steps', '10', '--bake', '1m', '--approval', '--no-wait', ...lambda, '--to-version', '2'], { cwd: dir });
    expect(run.code).toBe(6);
    expect(run.stdout).toMatch(/is waiting for approval: deployctl promote d-/);
  });
});

describe('bad input exits 2, names the problem, and changes nothing', () => {
  const table: [string, string[], RegExp][] = [
    ['steps over 100', ['canary', '--steps', '5,150', ...lambda, '--to-version', '2'], /--steps: 150 is not valid; each weight must be a number greater than 0 and at most 100/],
    ['steps not increasing', ['canary', '--steps', '25,5', ...lambda, '--to-version', '2'], /--steps: "25,5" is not valid; weights must be strictly increasing, but 5 follows 25/],
    ['bad duration', ['canary', '--steps', '5', '--bake', '5 minutes', ...lambda, '--to-version', '2'], /--bake: "5 minutes" is not valid/],
    ['$LATEST', ['canary', '--steps', '5', ...lambda, '--to-version', '$LATEST'], /--to-version: "\$LATEST" is not valid/],
    ['malformed ARN', ['canary', '--steps', '5', '--listener-arn', 'arn:aws:elb:nope', '--stable-tg', 'x', '--canary-tg', 'y'], /--listener-arn: "arn:aws:elb:nope" is not valid; an ARN like/],
    ['unknown flag', ['canary', '--stpes', '5'], /unknown option '--stpes'/],
    ['unknown alias', ['canary', '--steps', '5', '--function', 'checkout', '--alias', 'nope', '--to-version', '2'], /preflight found 1 problem\(s\):\n {2}- .*nope/],
    ['missing version', ['canary', '--steps', '5', ...lambda, '--to-version', '9'], /version 9/],
    ['unknown alarm', ['canary', '--steps', '5', ...lambda, '--to-version', '2', '--alarm', 'no-such-alarm'], /no-such-alarm/],
  ];
  it.each(table)('%s', (_name, args, message) => {
    const { dir, world } = worldCopy('lambda.yaml');
    const { code, stdout, stderr } = cli([...args, '--sim', world, '--sim-time'], { cwd: dir });
    expect(code).toBe(2);
    expect(`${stdout}${stderr}`).toMatch(message);
    expect(savedCalls(world).filter((c) => c.mutating && c.outcome === 'ok')).toEqual([]);
  });
});
