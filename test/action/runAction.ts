import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const ACTION_BUNDLE = join(ROOT, 'dist', 'action.js');

/** A runner's workspace: a copy of an example world, the state directory, and the files GitHub gives a step. */
export function workspace(world = 'lambda'): { dir: string; world: string } {
  const dir = mkdtempSync(join(tmpdir(), 'deployctl-action-'));
  const file = join(dir, `${world}.yaml`);
  copyFileSync(join(ROOT, 'examples', 'worlds', `${world}.yaml`), file);
  return { dir, world: file };
}

export interface ActionRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly outputs: Record<string, string>;
  readonly summary: string;
}

/**
 * Runs the committed bundle as GitHub runs an Action's step: inputs as INPUT_<NAME> (upper case, hyphens kept),
 * GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files, in the workspace directory. GITHUB_ACTIONS is left unset (the
 * bundle starts on DEPLOYCTL_ACTION=1 instead), so nothing else mistakes the test for a real runner.
 */
export function runAction(dir: string, inputs: Readonly<Record<string, string>>, extraEnv: Readonly<Record<string, string>> = {}): ActionRun {
  const output = join(dir, `output-${Date.now()}-${Math.random().toString(16).slice(2)}`);
  const summary = `${output}.summary.md`;
  writeFileSync(output, '');
  writeFileSync(summary, '');
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined && !key.startsWith('INPUT_') && !key.startsWith('GITHUB_') && !key.startsWith('DEPLOYCTL_')) env[key] = value;
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value;
  Object.assign(env, { DEPLOYCTL_ACTION: '1', GITHUB_OUTPUT: output, GITHUB_STEP_SUMMARY: summary, GITHUB_ACTOR: 'octocat', GITHUB_RUN_ID: '4242', ...extraEnv });
  const result = spawnSync(process.execPath, [ACTION_BUNDLE], { cwd: dir, env, encoding: 'utf8', timeout: 120_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, outputs: parseOutputs(readFileSync(output, 'utf8')), summary: existsSync(summary) ? readFileSync(summary, 'utf8') : '' };
}

/** GITHUB_OUTPUT as @actions/core writes it: `name<<delimiter`, the value's lines, `delimiter`. */
export function parseOutputs(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const match = /^([^<=]+)<<(.+)$/.exec(lines[i]!);
    if (!match) {
      const simple = /^([^=]+)=(.*)$/.exec(lines[i]!);
      if (simple) outputs[simple[1]!] = simple[2]!;
      continue;
    }
    const value: string[] = [];
    for (i++; i < lines.length && lines[i] !== match[2]; i++) value.push(lines[i]!);
    outputs[match[1]!] = value.join('\n');
  }
  return outputs;
}
