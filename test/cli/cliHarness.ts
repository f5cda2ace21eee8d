import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const BIN = join(import.meta.dirname, '../../dist/deployctl.js');

export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the built CLI in `cwd` (a temp dir by default), without a TTY, and returns its exit code and output. */
export function cli(args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): CliRun {
  const result = spawnSync(process.execPath, [BIN, ...args], { cwd: options.cwd ?? mkdtempSync(join(tmpdir(), 'deployctl-cli-')), encoding: 'utf8', env: { ...process.env, ...options.env }, timeout: 120_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A private copy of a test world (the CLI writes the world back to its file). */
export function worldCopy(name: string): { dir: string; world: string } {
  const dir = mkdtempSync(join(tmpdir(), 'deployctl-world-'));
  const world = join(dir, 'world.yaml');
  copyFileSync(join(import.meta.dirname, 'worlds', name), world);
  return { dir, world };
}

interface SavedCall {
  readonly service: string;
  readonly operation: string;
  readonly mutating: boolean;
  readonly outcome: string;
}

/** Calls recorded in a saved world file ([] when the file is still the seed: nothing ran against it). */
export function savedCalls(world: string): SavedCall[] {
  const text = readFileSync(world, 'utf8');
  if (!text.trimStart().startsWith('{')) return [];
  return (JSON.parse(text) as { calls: SavedCall[] }).calls;
}
