import { DeployError, exitCodeForError, ExitCode, InputErrors, messageOf } from '../errors.js';

/**
 * Runs a command and turns its outcome into an exit code. Errors are printed once, as text or (with
 * --output json) as a JSON line; a stack only for internal errors with DEPLOYCTL_DEBUG set.
 */
export async function runCommand(run: () => Promise<number | void>): Promise<void> {
  let code: number;
  try {
    code = (await run()) ?? ExitCode.succeeded;
  } catch (error) {
    code = exitCodeForError(error);
    report(error, code);
  }
  process.exitCode = code;
}

function report(error: unknown, code: number): void {
  const json = process.argv.includes('--output=json') || process.argv.some((a, i) => a === '--output' && process.argv[i + 1] === 'json');
  const problems = error instanceof InputErrors ? error.problems.map((p) => p.message) : [messageOf(error)];
  const details = error instanceof DeployError ? [...error.details] : [];
  if (json) {
    const kind = error instanceof DeployError ? error.code : 'INTERNAL';
    process.stdout.write(`${JSON.stringify({ type: 'error', code: kind, exitCode: code, messages: problems, details })}\n`);
    return;
  }
  for (const problem of problems) process.stderr.write(`deployctl: ${problem}\n`);
  for (const detail of details) process.stderr.write(`  ${detail}\n`);
  if (code === ExitCode.internal && process.env.DEPLOYCTL_DEBUG && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
}
