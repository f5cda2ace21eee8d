/** Where a failure comes from: the user's input, AWS, or deployctl itself. */
export type ErrorSource = 'user' | 'aws' | 'internal';

/** Stable, documented error codes. Exit codes are derived from them at the edges (CLI, Action). */
export type ErrorCode =
  | 'BAD_INPUT'
  | 'PREFLIGHT_FAILED'
  | 'LOCKED'
  | 'NOT_FOUND'
  | 'DRIFT'
  | 'AWS_ERROR'
  | 'GATE_FAILED'
  | 'HOOK_FAILED'
  | 'CAPACITY_FAILED'
  | 'ABORTED'
  | 'ROLLBACK_FAILED'
  | 'INTERNAL';

export interface DeployErrorOptions {
  readonly source?: ErrorSource;
  readonly cause?: unknown;
  /** Extra lines shown under the message (for example the aws CLI commands that restore a target by hand). */
  readonly details?: readonly string[];
}

export class DeployError extends Error {
  readonly code: ErrorCode;
  readonly source: ErrorSource;
  readonly details: readonly string[];

  constructor(code: ErrorCode, message: string, options: DeployErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'DeployError';
    this.code = code;
    this.source = options.source ?? defaultSource(code);
    this.details = options.details ?? [];
  }
}

/** Bad input: names the flag (or file:line), the value given and what is allowed. Nothing was mutated. */
export class InputError extends DeployError {
  readonly where: string;
  readonly value: unknown;
  readonly allowed: string;

  constructor(where: string, value: unknown, allowed: string, options: DeployErrorOptions = {}) {
    super('BAD_INPUT', `${where}: ${describeValue(value)} is not valid; ${allowed}`, { ...options, source: 'user' });
    this.name = 'InputError';
    this.where = where;
    this.value = value;
    this.allowed = allowed;
  }
}

/** Several input problems found at once, reported together. */
export class InputErrors extends DeployError {
  readonly problems: readonly InputError[];
  constructor(problems: readonly InputError[]) {
    super('BAD_INPUT', problems.map((p) => p.message).join('\n'), { source: 'user' });
    this.name = 'InputErrors';
    this.problems = problems;
  }
}

/** Another deployment holds the lock of a target. */
export class LockedError extends DeployError {
  readonly holder: string;
  constructor(target: string, holder: string, detail?: string) {
    super('LOCKED', `target ${target} is locked by deployment ${holder}${detail ? ` (${detail})` : ''}`, { source: 'user' });
    this.name = 'LockedError';
    this.holder = holder;
  }
}

function defaultSource(code: ErrorCode): ErrorSource {
  switch (code) {
    case 'BAD_INPUT':
    case 'PREFLIGHT_FAILED':
    case 'LOCKED':
    case 'NOT_FOUND':
      return 'user';
    case 'AWS_ERROR':
    case 'DRIFT':
    case 'CAPACITY_FAILED':
      return 'aws';
    default:
      return 'internal';
  }
}

export function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  if (value === undefined) return '(missing)';
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}

/** The message of anything thrown, without a stack. */
export function messageOf(error: unknown): string {
  if (error instanceof DeployError) return error.message;
  if (error instanceof Error) {
    const code = (error as { name?: string }).name;
    return code && code !== 'Error' && code !== 'DeployError' && !error.message.startsWith(code) ? `${code}: ${error.message}` : error.message;
  }
  return String(error);
}

/** Exit codes of the CLI and the Action, documented in the README. */
export const ExitCode = {
  succeeded: 0,
  internal: 1,
  badInput: 2,
  rolledBack: 3,
  rollbackFailed: 4,
  locked: 5,
  paused: 6,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export function exitCodeForError(error: unknown): ExitCode {
  if (error instanceof DeployError) {
    switch (error.code) {
      case 'BAD_INPUT':
      case 'PREFLIGHT_FAILED':
      case 'NOT_FOUND':
        return ExitCode.badInput;
      case 'LOCKED':
        return ExitCode.locked;
      case 'ROLLBACK_FAILED':
        return ExitCode.rollbackFailed;
      default:
        return ExitCode.internal;
    }
  }
  return ExitCode.internal;
}
