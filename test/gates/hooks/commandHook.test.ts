import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createHookRunner } from '../../../src/gates/index.js';
import { RealClock, VirtualClock } from '../../../src/time/clock.js';

const NODE = process.execPath;
const noLambda = () => Promise.reject(new Error('no Lambda in this test'));
const ctx = (signal = new AbortController().signal) => ({ deploymentId: 'd-20260101-abcd', signal, stepIndex: 4, weight: 25 });

function runner(command: string[], options: { shell?: boolean; timeout?: string; killGraceMs?: number; env?: NodeJS.ProcessEnv } = {}) {
  const spec = { command, ...(options.shell ? { shell: true } : {}), ...(options.timeout ? { timeout: options.timeout } : {}) };
  return createHookRunner({ smoke: spec }, { lambda: noLambda, clock: new RealClock(), env: options.env ?? process.env, killGraceMs: options.killGraceMs ?? 300 });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitUntil(check: () => boolean, ms = 3000): Promise<void> {
  for (const start = Date.now(); !check(); ) {
    if (Date.now() - start > ms) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

const pidFile = () => join(mkdtempSync(join(tmpdir(), 'deployctl-hook-')), 'pids');

describe('command hooks', () => {
  it('pass on exit code 0, with the exit code and the last output lines in the detail', async () => {
    const { detail } = await runner([NODE, '-e', 'console.log("line 1"); console.log("all good")']).run('smoke', ctx());
    expect(detail).toMatch(/^command \S+ -e '.*' exited with code 0 after \d+\.\ds; last output:\n {4}line 1\n {4}all good$/);
  });

  it('fail on a non-zero exit with HOOK_FAILED, the code and the last lines of output', async () => {
    const failing = runner([NODE, '-e', 'console.log("checking"); console.error("smoke test: 3 of 5 requests failed"); process.exit(3)']);
    await expect(failing.run('smoke', ctx())).rejects.toMatchObject({
      code: 'HOOK_FAILED',
      message: expect.stringMatching(/^hook smoke failed: command .* exited with code 3; last output:\n {4}checking\n {4}smoke test: 3 of 5 requests failed$/),
    });
  });

  it('get DEPLOYCTL_DEPLOYMENT_ID, _STEP, _WEIGHT and _HOOK in their environment, next to the inherited one', async () => {
    const script = 'const e = process.env; console.log([e.DEPLOYCTL_DEPLOYMENT_ID, e.DEPLOYCTL_STEP, e.DEPLOYCTL_WEIGHT, e.DEPLOYCTL_HOOK, e.INHERITED].join(" "))';
    const { detail } = await runner([NODE, '-e', script], { env: { ...process.env, INHERITED: 'yes' } }).run('smoke', ctx());
    expect(detail).toContain('\n    d-20260101-abcd 4 25 smoke yes');
  });

  it('run argv without a shell: metacharacters reach the program literally', async () => {
    const { detail } = await runner([NODE, '-e', 'console.log(process.argv[1])', '$HOME; echo injected `id`']).run('smoke', ctx());
    expect(detail).toContain('\n    $HOME; echo injected `id`');
    expect(detail).not.toContain('\n    injected');
  });

  it('run through the shell only with shell: true', async () => {
    const { detail } = await runner(['echo', 'hook=$DEPLOYCTL_HOOK', '&&', 'echo', 'second'], { shell: true }).run('smoke', ctx());
    expect(detail).toContain('\n    hook=smoke\n    second');
  });

  it('refuse a timeout that is not a positive duration, naming the field', () => {
    expect(() => runner([NODE], { timeout: '0s' })).toThrow('hooks.smoke.timeout: "0s" is not valid; use a timeout longer than 0s');
    expect(() => runner([NODE], { timeout: 'soon' })).toThrow('hooks.smoke.timeout');
  });

  it('fail clearly when the program does not exist', async () => {
    await expect(runner(['/nonexistent/deployctl-check']).run('smoke', ctx())).rejects.toMatchObject({ code: 'HOOK_FAILED', message: expect.stringContaining('could not start: spawn /nonexistent/deployctl-check ENOENT') });
  });
});

describe('command hooks that do not finish', () => {
  it('time out (real time): the whole process tree is killed, and the error says so', async () => {
    const file = pidFile();
    const script = `const { spawn } = require('child_process'); const fs = require('fs');
      const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
      fs.writeFileSync(${JSON.stringify(file)}, process.pid + ' ' + child.pid); console.log('started'); setInterval(() => {}, 1000);`;
    const started = Date.now();
    await expect(runner([NODE, '-e', script], { timeout: '500ms' }).run('smoke', ctx())).rejects.toMatchObject({
      code: 'HOOK_FAILED',
      message: expect.stringMatching(/^hook smoke timed out after 500ms: command .* was killed \(SIGTERM\) after \d+\.\ds; last output:\n {4}started$/s),
    });
    expect(Date.now() - started).toBeLessThan(5000);
    const pids = readFileSync(file, 'utf8').split(' ').map(Number);
    await waitUntil(() => pids.every((pid) => !alive(pid)));
  });

  it('get SIGKILL after the grace period when they ignore SIGTERM', async () => {
    const file = pidFile();
    const script = `require('fs').writeFileSync(${JSON.stringify(file)}, String(process.pid)); process.on('SIGTERM', () => console.log('ignoring SIGTERM')); console.log('ready'); setInterval(() => {}, 1000);`;
    await expect(runner([NODE, '-e', script], { timeout: '500ms', killGraceMs: 300 }).run('smoke', ctx())).rejects.toMatchObject({
      code: 'HOOK_FAILED',
      message: expect.stringMatching(/timed out after 500ms: command .* was killed \(SIGKILL\) after .*ready\n {4}ignoring SIGTERM$/s),
    });
    expect(alive(Number(readFileSync(file, 'utf8')))).toBe(false);
  });

  it('stop when the rollout aborts (rollback), with DeployError ABORTED, and the process is gone', async () => {
    const file = pidFile();
    const controller = new AbortController();
    const script = `require('fs').writeFileSync(${JSON.stringify(file)}, String(process.pid)); setInterval(() => {}, 1000);`;
    const running = runner([NODE, '-e', script], { timeout: '1m' }).run('smoke', ctx(controller.signal));
    await waitUntil(() => existsSync(file) && readFileSync(file, 'utf8').length > 0);
    controller.abort();
    await expect(running).rejects.toMatchObject({ code: 'ABORTED', message: expect.stringContaining('hook smoke was stopped because the rollout is stopping') });
    expect(alive(Number(readFileSync(file, 'utf8')))).toBe(false);
  });

  it('keep a virtual clock from running ahead while they run (clock.track)', async () => {
    const clock = new VirtualClock(0);
    const hooks = createHookRunner({ slow: { command: [NODE, '-e', 'setTimeout(() => {}, 300)'] } }, { lambda: noLambda, clock });
    let timeWhenHookEnded = -1;
    const bake = clock.sleep(60_000);
    const hook = hooks.run('slow', ctx()).then(() => {
      timeWhenHookEnded = clock.now();
    });
    await clock.run(Promise.all([hook, bake]));
    expect(timeWhenHookEnded).toBe(0);
    expect(clock.now()).toBe(60_000);
  });
});
