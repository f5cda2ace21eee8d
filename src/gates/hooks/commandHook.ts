import { spawn, type ChildProcess } from 'node:child_process';
import { StringDecoder } from 'node:string_decoder';
import { HookFailure, lastLines, seconds } from './hookFailure.js';

export interface CommandHookRequest {
  readonly argv: readonly string[];
  /** Run through the shell (argv joined with spaces). Off by default: argv goes to the program as is. */
  readonly shell: boolean;
  readonly env: NodeJS.ProcessEnv;
  /** After SIGTERM, how long the process tree has before SIGKILL. */
  readonly killGraceMs: number;
}

const OUTPUT_LINES = 20;
/** Keep this much of the output (stdout and stderr interleaved) for the last lines. */
const OUTPUT_KEEP = 16_384;
/** A program can exit while a child it started still holds its output open: stop waiting for that after this. */
const CLOSE_AFTER_EXIT_MS = 1_000;
const POSIX = process.platform !== 'win32';

/**
 * Runs the command; exit code 0 passes. When the signal aborts (timeout or rollback) the whole process tree gets
 * SIGTERM, then SIGKILL after the grace period, and the promise settles once the process has gone.
 */
export function runCommandHook(request: CommandHookRequest, signal: AbortSignal): Promise<string> {
  const shown = request.argv.map(quoteForDisplay).join(' ');
  const started = Date.now();
  return new Promise<string>((resolve, reject) => {
    const child = start(request);
    const output = collectOutput(child);
    const killer = treeKiller(child, request.killGraceMs);
    const onAbort = (): void => killer.stop();
    let settled = false;
    const finish = (code: number | null, signalName: NodeJS.Signals | null): void => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      const tail = lastLines(output.text(), OUTPUT_LINES);
      const outputText = tail.length > 0 ? `; last output:\n    ${tail.join('\n    ')}` : '; no output';
      const ending = killer.sent ? `was killed (${killer.sent}) after ${seconds(Date.now() - started)}` : signalName ? `was killed by ${signalName}` : `exited with code ${code}`;
      if (code === 0 && !killer.sent) resolve(`command ${shown} exited with code 0 after ${seconds(Date.now() - started)}${outputText}`);
      else reject(new HookFailure(`command ${shown} ${ending}${outputText}`));
    };
    child.once('error', (error) => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      reject(new HookFailure(`command ${shown} could not start: ${error.message}`));
    });
    child.once('close', (code, signalName) => {
      killer.closed();
      finish(code, signalName);
    });
    child.once('exit', (code, signalName) => setTimeout(() => finish(code, signalName), CLOSE_AFTER_EXIT_MS));
    if (signal.aborted) killer.stop();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
}

function start(request: CommandHookRequest): ChildProcess {
  // detached: the child leads its own process group, so the whole tree can be signalled at once.
  const options = { env: request.env, detached: POSIX, stdio: ['ignore', 'pipe', 'pipe'] as ['ignore', 'pipe', 'pipe'], windowsHide: true };
  if (request.shell) return spawn(request.argv.join(' '), { ...options, shell: true });
  return spawn(request.argv[0]!, request.argv.slice(1), { ...options, shell: false });
}

function collectOutput(child: ChildProcess): { text(): string } {
  let kept = '';
  for (const stream of [child.stdout, child.stderr]) {
    const decoder = new StringDecoder('utf8');
    stream?.on('data', (chunk: Buffer) => {
      kept = (kept + decoder.write(chunk)).slice(-OUTPUT_KEEP);
    });
  }
  return { text: () => kept };
}

/** SIGTERM to the process group now, SIGKILL after the grace period unless every output stream has closed. */
function treeKiller(child: ChildProcess, graceMs: number) {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const state = {
    sent: undefined as NodeJS.Signals | undefined,
    stop(): void {
      if (state.sent) return;
      state.sent = 'SIGTERM';
      signalTree(child, 'SIGTERM');
      timer = setTimeout(() => {
        state.sent = 'SIGKILL';
        signalTree(child, 'SIGKILL');
      }, graceMs);
    },
    closed(): void {
      if (timer) clearTimeout(timer);
    },
  };
  return state;
}

function signalTree(child: ChildProcess, signalName: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    if (POSIX) process.kill(-child.pid, signalName);
    else child.kill(signalName);
  } catch {
    // The group is already gone.
  }
}

/** Shell-quoted for reading, long inline scripts cut short (the spec has the full command). */
function quoteForDisplay(full: string): string {
  const collapsed = full.replace(/\s+/g, ' ');
  const arg = collapsed.length > 60 ? `${collapsed.slice(0, 60)}…` : collapsed;
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}
