import { existsSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { parse } from 'yaml';
import { InputError } from '../errors.js';
import { withFileMutex } from '../util/fileMutex.js';
import type { World, WorldState } from './world.js';
import type { WorldSeed } from './seed.js';

/**
 * A world file holds either a seed (hand-written YAML, examples/worlds/*.yaml) or a saved world (JSON, which
 * is also YAML) with the full state. Commands run with --sim save the world back after every change, under a
 * short file lock, and reload it when another process changed it — so a second process (resume after a kill,
 * a concurrent deployment) sees exactly the same world.
 */
export type WorldFileContent = { readonly kind: 'seed'; readonly seed: WorldSeed } | { readonly kind: 'state'; readonly state: WorldState };

export function readWorldFile(path: string): WorldFileContent {
  if (!existsSync(path)) throw new InputError('--sim', path, 'give the path of a world file (see examples/worlds/ and docs/worlds.md)');
  let parsed: unknown;
  try {
    parsed = parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new InputError('--sim', path, `the file is not valid YAML: ${(error as Error).message}`);
  }
  if (parsed && typeof parsed === 'object' && (parsed as { format?: unknown }).format === 'deployctl-world/v1') return { kind: 'state', state: parsed as WorldState };
  return { kind: 'seed', seed: (parsed ?? {}) as WorldSeed };
}

/** Keeps a world in sync with its file: reload before a call when the file changed, save after a change. */
export class WorldFileSync {
  private mtime = 0;

  constructor(readonly path: string) {}

  beforeCall(world: World): void {
    const mtime = this.modified();
    if (mtime > this.mtime) {
      const content = readWorldFile(this.path);
      if (content.kind === 'state') world.replaceState(content.state);
      this.mtime = mtime;
    }
  }

  save(world: World): void {
    withFileMutex(`${this.path}.lock`, WORLD_LOCK, () => {
      const temp = `${this.path}.${process.pid}.tmp`;
      writeFileSync(temp, `${JSON.stringify(world.save())}\n`);
      renameSync(temp, this.path);
    });
    this.mtime = this.modified();
  }

  private modified(): number {
    try {
      return statSync(this.path).mtimeMs;
    } catch {
      return 0;
    }
  }
}

/** Saves are milliseconds long: a lock older than 5 s, or held through 1000 waits of 2 ms, was abandoned. */
const WORLD_LOCK = { staleMs: 5000, pollMs: 2, maxAttempts: 1000, onStuck: () => undefined };
