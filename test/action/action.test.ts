import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readWorldFile } from '../../src/sim/worldFile.js';
import { isReadOperation } from '../../src/sim/types.js';
import { lambdaState, readWorld } from '../examples/exampleWorld.js';
import { runAction, workspace } from './runAction.js';

/**
 * The GitHub Action as GitHub runs it: the committed bundle dist/action.js, inputs as INPUT_* variables, outputs and
 * the job summary in the GITHUB_OUTPUT / GITHUB_STEP_SUMMARY files, against a copy of the Lambda example world in
 * simulated time. (Run `npm run build` first when src changed: the bundle is what runs here.)
 */

const LAMBDA = { function: 'checkout', alias: 'live', alarms: 'checkout-live-error-rate', sim: 'lambda.yaml', 'sim-time': 'true', 'state-dir': 'state' };
const CANARY = { strategy: 'canary', steps: '10,50,100', bake: '2m', ...LAMBDA };
const BAD_SPEC = ['strategy: canary', 'steps: 10,100', 'colour: blue', 'targets:', '  - { type: lambda, functionName: checkout, alias: live, toVersion: 2 }', ''].join('\n');

/** The simulated world's call log, from the file the Action saved (a seed file means nothing was called). */
function worldCalls(file: string): { service: string; operation: string }[] {
  const content = readWorldFile(file);
  return content.kind === 'seed' ? [] : (content.state.calls as { service: string; operation: string }[]);
}

/** The alias checkout:live as GetAlias returns it from the saved world. */
async function alias(file: string): Promise<{ version: unknown; routing: unknown }> {
  const state = await readWorld(file, lambdaState);
  return { version: state.functionVersion, routing: state.routing };
}

describe('the Action bundle against a simulated world', () => {
  it('a succeeding canary: outputs deployment-id, result, final-weight and an empty failure-reason; the summary has the timeline and the step graph', async () => {
    const { dir, world } = workspace();
    const run = runAction(dir, { ...CANARY, 'to-version': '2', id: 'd-action-ok' });
    expect(run.stderr).not.toMatch(/error/i);
    expect(run.status).toBe(0);
    expect(run.outputs).toEqual({ 'deployment-id': 'd-action-ok', result: 'succeeded', 'final-weight': '100', 'failure-reason': '' });
    expect(run.stdout).toContain('finished: succeeded, 100% on the new version');
    expect(run.stdout).not.toContain('::error');

    expect(run.summary).toContain('## ✅ deployctl d-action-ok: succeeded');
    expect(run.summary).toContain('**Final weight on the new version:** 100%');
    const table = run.summary.slice(run.summary.indexOf('### Timeline'), run.summary.indexOf('### Step graph'));
    expect(table).toContain('| time | event | detail |\n| ---: | --- | --- |\n| +0s | deployment.started | starting canary on lambda alias checkout:live (to version 2) |');
    expect(table).toMatch(/\| \+\d+s \| step\.started \| step 5: shift 100% of traffic to the new version \|/);
    expect(table).toMatch(/\| \+\d+s \| deployment\.finished \| finished: succeeded, 100% on the new version \|\n/);
    expect(run.summary).toMatch(/### Step graph\n\n```mermaid\n(stateDiagram-v2|flowchart|graph)[\s\S]*\n```\n/);

    expect(await alias(world)).toEqual({ version: '2', routing: {} });
  });

  it('a rollback: result rolledBack, the step fails (exit 1), and an error annotation names the gate and the step', async () => {
    const { dir, world } = workspace();
    const run = runAction(dir, { ...CANARY, 'to-version': '3', id: 'd-action-bad' });
    expect(run.status).toBe(1);
    expect(run.outputs['deployment-id']).toBe('d-action-bad');
    expect(run.outputs.result).toBe('rolledBack');
    expect(run.outputs['final-weight']).toBe('0');
    expect(run.outputs['failure-reason']).toMatch(/^gate fired: metric alarm checkout-live-error-rate is in ALARM/);
    const annotation = run.stdout.split('\n').find((line) => line.startsWith('::error title=deployctl rolled back d-action-bad::'));
    expect(annotation).toMatch(/::gate fired: metric alarm checkout-live-error-rate is in ALARM: .* at step 2$/);
    expect(run.stdout).toContain('::error::deployment d-action-bad rolled back: gate fired: metric alarm checkout-live-error-rate');
    expect(run.summary).toContain('## ↩️ deployctl d-action-bad: rolledBack');
    expect(run.summary).toMatch(/\*\*Why:\*\* gate fired: metric alarm checkout-live-error-rate is in ALARM/);
    expect(run.summary).toMatch(/\| rollback\.started \| ROLLING BACK: gate fired/);
    expect(await alias(world)).toEqual({ version: '1', routing: {} });
  });

  it('no-wait stops at the approval (result paused, the step passes); a second run with command promote finishes it', async () => {
    const { dir, world } = workspace();
    const first = runAction(dir, { ...CANARY, 'to-version': '2', approval: 'true', 'no-wait': 'true', id: 'd-action-gated' });
    expect(first.status).toBe(0);
    expect(first.outputs).toMatchObject({ 'deployment-id': 'd-action-gated', result: 'paused', 'final-weight': '50', 'failure-reason': '' });
    expect(first.stdout).toContain('::notice::deployment d-action-gated is waiting for approval; promote it with command: promote, deployment-id: d-action-gated');
    expect(first.summary).toContain('## ⏸️ deployctl d-action-gated: paused');
    expect(await alias(world)).toEqual({ version: '1', routing: { '2': 0.5 } });

    // A later job: only the command, the id and where the state is; the record knows the world.
    const second = runAction(dir, { command: 'promote', 'deployment-id': 'd-action-gated', 'state-dir': 'state' });
    expect(second.stderr).not.toMatch(/error/i);
    expect(second.status).toBe(0);
    expect(second.outputs).toEqual({ 'deployment-id': 'd-action-gated', result: 'succeeded', 'final-weight': '100', 'failure-reason': '' });
    expect(second.summary).toContain('## ✅ deployctl d-action-gated: succeeded');
    expect(second.summary).toContain('promote requested by octocat (run 4242)');
    expect(await alias(world)).toEqual({ version: '2', routing: {} });
  });

  const badInputs: [string, Record<string, string>, RegExp][] = [
    ['weights that go down', { ...CANARY, steps: '10,5,100', 'to-version': '2' }, /"10,5,100" is not valid; weights must be strictly increasing, but 5 follows 10/],
    ['a version that is not a published one', { ...CANARY, 'to-version': 'latest' }, /"latest" is not valid; a published version number/],
    ['no strategy and no spec', { ...LAMBDA, 'to-version': '2' }, /input strategy: \(missing\) is not valid; give a strategy .* or a spec file \(input spec\)/],
    ['a boolean input that is not one', { ...CANARY, 'to-version': '2', 'no-wait': 'maybe' }, /input no-wait: "maybe" is not valid; use true or false/],
    ['an unknown command', { ...LAMBDA, command: 'rollback' }, /input command: "rollback" is not valid; use deploy, promote, abort or resume/],
    ['promote without the deployment id', { ...LAMBDA, command: 'promote' }, /input deployment-id: \(missing\) is not valid; the promote command needs the id of the deployment/],
    ['a spec file with an unknown field', { spec: 'bad.yaml', sim: 'lambda.yaml', 'sim-time': 'true', 'state-dir': 'state' }, /bad\.yaml:\d+:\d+.* is not valid; unknown field colour$/],
  ];
  for (const [what, inputs, message] of badInputs) {
    it(`bad input (${what}): exit 1 with a clear message, result error, and no call to the world`, () => {
      const { dir, world } = workspace();
      const before = readFileSync(world, 'utf8');
      if (inputs.spec) writeFileSync(join(dir, inputs.spec), BAD_SPEC);
      const run = runAction(dir, inputs);
      expect(run.status).toBe(1);
      const errors = run.stdout.split('\n').filter((line) => line.startsWith('::error'));
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatch(message);
      expect(run.outputs).toEqual({ result: 'error' });
      expect(readFileSync(world, 'utf8')).toBe(before);
      expect(worldCalls(world)).toEqual([]);
    });
  }

  it('preflight refusing (an alarm that does not exist): result rejected, exit 1, and only read calls reached the world', async () => {
    const { dir, world } = workspace();
    const run = runAction(dir, { ...CANARY, 'to-version': '2', alarms: 'checkout-no-such-alarm', id: 'd-action-rejected' });
    expect(run.status).toBe(1);
    expect(run.outputs).toMatchObject({ 'deployment-id': 'd-action-rejected', result: 'rejected', 'final-weight': '0' });
    expect(run.outputs['failure-reason']).toContain('checkout-no-such-alarm');
    expect(run.stdout).toMatch(/::error::deployment d-action-rejected was rejected before anything changed: .*checkout-no-such-alarm/);
    // Only reads happened, so the world was not even written back: nothing in it changed.
    const calls = worldCalls(world);
    expect(calls.filter((c) => !isReadOperation(c.operation))).toEqual([]);
    expect(await alias(world)).toEqual({ version: '1', routing: {} });
  });

  // zod reports unrecognized keys at the object's path; parseSpec points at the field itself and its value.
  it('an unknown field in a spec file is pointed at on its own line', () => {
    const { dir } = workspace();
    writeFileSync(join(dir, 'bad.yaml'), BAD_SPEC);
    const run = runAction(dir, { spec: 'bad.yaml', sim: 'lambda.yaml', 'sim-time': 'true', 'state-dir': 'state' });
    expect(run.stdout).toMatch(/::error::bad\.yaml:3:9 \(colour\): "blue" is not valid; unknown field colour/);
  });

  // Errors in inputs name the input the workflow has (`input steps`), not the CLI flag the mapping shares.
  it('a bad input is named as the workflow names it', () => {
    const { dir } = workspace();
    const run = runAction(dir, { ...CANARY, steps: '10,5,100', 'to-version': '2' });
    expect(run.stdout).toContain('::error::input steps: "10,5,100" is not valid');
  });
});

