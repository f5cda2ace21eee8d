/**
 * The crash-and-resume suite drives the built CLI (dist/deployctl.js, `npm run build`) as separate processes
 * against a simulated world file and a file state store in a temporary directory: the process boundary (SIGKILL,
 * a lease held by a dead pid, a second process continuing) is the point of these tests.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openWorld, seedWorld, SIM_SERVICES } from '../../src/sim/index.js';
import type { CallRecord, WorldState } from '../../src/sim/world.js';
import { readWorldFile } from '../../src/sim/worldFile.js';
import { VirtualClock } from '../../src/time/clock.js';
import type { DeploymentRecord, LockHolder } from '../../src/state/types.js';

export const BIN = fileURLToPath(new URL('../../dist/deployctl.js', import.meta.url));
const WORLDS = fileURLToPath(new URL('./worlds/', import.meta.url));

/**
 * Where simulated time starts: the same instant in every run, so that the world's deterministic metric noise (keyed
 * by the time of each period) and the minute boundaries fall the same way every time.
 */
export const SIM_T0 = Date.UTC(2026, 0, 5, 9, 0, 0);

/** Exit codes of the CLI (README). */
export const EXIT = { succeeded: 0, rolledBack: 3, locked: 5, paused: 6 } as const;

export type CliEvent = { readonly type: string } & Record<string, unknown>;

export interface CliRun {
  readonly args: readonly string[];
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly pid: number;
  readonly stdout: string;
  readonly stderr: string;
  /** stdout parsed as NDJSON (every command here runs with --output json). */
  readonly events: readonly CliEvent[];
}

export interface CliOptions {
  /** DEPLOYCTL_CRASH_AT: SIGKILL right after this event. */
  readonly crashAt?: string;
  /** Who runs the command, for the audit history (as a CI actor: `<name> (run <n>)`). */
  readonly actor?: string;
  /** More environment variables (credentials for moto). */
  readonly env?: Readonly<Record<string, string>>;
  /** Called with every NDJSON event as it arrives, with a way to SIGKILL the process. */
  readonly onEvent?: (event: CliEvent, kill: () => void) => void;
}

/** Simulated time (--sim-time, the default here) or the real clock. */
export type Time = 'simulated' | 'real';

let runNumber = 100;

/** One temporary directory with a world file (copied from worlds/) and a file state store. */
export class Sandbox {
  readonly world: string;
  readonly stateDir: string;

  private constructor(
    readonly dir: string,
    stateDir?: string,
  ) {
    this.world = join(dir, 'world.json');
    this.stateDir = stateDir ?? join(dir, 'state');
  }

  /**
   * Copies worlds/<fixture>.yaml and seeds it, so the file holds the saved (JSON) form with the stable ids and ARNs
   * the seed produces: at SIM_T0 for simulated time, now for the real clock. `mutate` may edit the seed text first.
   */
  static create(fixture: string, mutate?: (seed: string) => string, options: { readonly stateDir?: string; readonly time?: Time } = {}): Sandbox {
    if (!existsSync(BIN)) throw new Error(`${BIN} is missing: the crash-and-resume suite runs the bundle; run npm run build first`);
    const sandbox = new Sandbox(mkdtempSync(join(tmpdir(), `deployctl-durability-${fixture}-`)), options.stateDir);
    copyFileSync(join(WORLDS, `${fixture}.yaml`), sandbox.world);
    if (mutate) writeFileSync(sandbox.world, mutate(readFileSync(sandbox.world, 'utf8')));
    if ((options.time ?? 'simulated') === 'real') {
      openWorld({ file: sandbox.world }).save();
      return sandbox;
    }
    const content = readWorldFile(sandbox.world);
    if (content.kind !== 'seed') throw new Error(`${fixture}.yaml is not a world seed`);
    const world = seedWorld(content.seed, { clock: new VirtualClock(SIM_T0), services: SIM_SERVICES, where: `${fixture}.yaml` });
    writeFileSync(sandbox.world, `${JSON.stringify(world.save())}\n`);
    return sandbox;
  }

  /** Runs `deployctl <args> --state-dir <dir> --output json` and waits for it to end. */
  cli(args: readonly string[], options: CliOptions = {}): Promise<CliRun> {
    return runCli([...args, '--state-dir', this.stateDir, '--output', 'json'], options, this.dir);
  }

  /** Runs `deployctl <args> --state-dir <dir>` with text output (status and list as people read them). */
  cliText(args: readonly string[], options: CliOptions = {}): Promise<CliRun> {
    return runCli([...args, '--state-dir', this.stateDir], options, this.dir);
  }

  /** A rollout command against this sandbox's world. */
  rollout(args: readonly string[], options: CliOptions = {}, time: Time = 'simulated'): Promise<CliRun> {
    return this.cli([...args, '--sim', this.world, ...(time === 'simulated' ? ['--sim-time'] : [])], options);
  }

  /**
   * resume / promote / abort: the world comes from the record. The record does not say whether the deployment ran
   * in simulated time, so --sim-time is given again (without it a resumed 5-minute bake takes 5 real minutes).
   */
  control(command: 'resume' | 'promote' | 'abort', id: string, extra: readonly string[] = [], options: CliOptions = {}, time: Time = 'simulated'): Promise<CliRun> {
    return this.cli([command, id, ...extra, ...(time === 'simulated' ? ['--sim-time'] : [])], options);
  }

  /** `deployctl status <id> --output json`: the record (without the machine) plus `live` weights read from the world. */
  async status(id: string): Promise<DeploymentRecord & { live: { target: string; weight: number | undefined; error?: string }[] }> {
    const run = await this.cli(['status', id, '--sim-time']);
    if (run.code !== 0) throw new Error(`status ${id} exited ${run.code}: ${run.stdout}${run.stderr}`);
    return JSON.parse(run.stdout) as DeploymentRecord & { live: { target: string; weight: number | undefined }[] };
  }

  record(id: string): DeploymentRecord {
    return JSON.parse(readFileSync(join(this.stateDir, 'deployments', `${id}.json`), 'utf8')) as DeploymentRecord;
  }

  worldState(): WorldState {
    return JSON.parse(readFileSync(this.world, 'utf8')) as WorldState;
  }

  /** Edits the saved world between two processes (as the world itself would change while nobody watched). */
  editWorld(edit: (state: WorldState) => void): void {
    const state = this.worldState();
    edit(state);
    writeFileSync(this.world, `${JSON.stringify(state)}\n`);
  }

  /** Every lock file of the store: who holds which target. */
  lockHolders(): (LockHolder & { lockKey: string })[] {
    const dir = join(this.stateDir, 'locks');
    if (!existsSync(dir)) return [];
    return readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as LockHolder & { lockKey: string });
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Spawns the CLI with a clean environment (no inherited crash hook or CI identity). */
export function runCli(args: readonly string[], options: CliOptions = {}, cwd = tmpdir()): Promise<CliRun> {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith('GITHUB_') && !key.startsWith('DEPLOYCTL_')) env[key] = value;
  Object.assign(env, options.env ?? {});
  if (options.crashAt) env.DEPLOYCTL_CRASH_AT = options.crashAt;
  if (options.actor) Object.assign(env, { GITHUB_ACTIONS: 'true', GITHUB_ACTOR: options.actor, GITHUB_RUN_ID: String(++runNumber) });
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    if (child.pid === undefined) {
      child.once('error', reject);
      return;
    }
    const pid = child.pid;
    let stdout = '';
    let stderr = '';
    let seen = 0;
    const kill = (): void => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    };
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (!options.onEvent) return;
      const complete = stdout.slice(0, stdout.lastIndexOf('\n') + 1);
      const events = parseEvents(complete);
      for (const event of events.slice(seen)) options.onEvent(event, kill);
      seen = events.length;
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ args, code, signal, pid, stdout, stderr, events: parseEvents(stdout) }));
  });
}

function parseEvents(stdout: string): CliEvent[] {
  const events: CliEvent[] = [];
  for (const line of stdout.split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      events.push(JSON.parse(line) as CliEvent);
    } catch {
      // a line cut short by SIGKILL
    }
  }
  return events;
}

/** A readable account of a run for assertion messages. */
export function describeRun(run: CliRun): string {
  const lines = run.events.filter((e) => e.type !== 'gate.checked').map((e) => `  ${e.type}${'index' in e ? ` #${String(e.index)}` : ''}${'percent' in e ? ` ${String(e.percent)}%` : ''}${'outcome' in e ? ` ${String(e.outcome)}` : ''}${'messages' in e ? ` ${JSON.stringify(e.messages)}` : ''}`);
  return `deployctl ${run.args.join(' ')}\n  -> exit ${run.code ?? run.signal}\n${lines.join('\n')}${run.stderr ? `\n  stderr: ${run.stderr.slice(0, 2000)}` : ''}`;
}

/** Mutating calls that took effect, in order. */
export function mutatingCalls(world: WorldState): CallRecord[] {
  return world.calls.filter((c) => c.mutating && c.outcome === 'ok');
}

export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
