import type { LambdaClient } from '@aws-sdk/client-lambda';
import type { HookSpec } from '../../config/schema.js';
import type { HookContext, HookRunner } from '../../engine/runtime.js';
import { DeployError, InputError, messageOf } from '../../errors.js';
import type { Clock } from '../../time/clock.js';
import { formatDuration, parseDuration } from '../../util/duration.js';
import { runCommandHook } from './commandHook.js';
import { HookFailure, type HookPayload } from './hookFailure.js';
import { postHttpHook } from './httpHook.js';
import { invokeLambdaHook } from './lambdaHook.js';

export interface HookRunnerDeps {
  readonly lambda: () => Promise<LambdaClient>;
  readonly clock: Clock;
  readonly fetch?: typeof fetch;
  readonly env?: NodeJS.ProcessEnv;
  /** Command hooks: time between SIGTERM and SIGKILL when a hook times out or the rollout stops it. */
  readonly killGraceMs?: number;
}

export const DEFAULT_HOOK_TIMEOUT_SECONDS = 300;
export const DEFAULT_KILL_GRACE_MS = 5_000;

interface PreparedHook {
  readonly timeoutMs: number;
  readonly run: (payload: HookPayload, signal: AbortSignal) => Promise<string>;
}

/** Why a hook's signal aborted: its own timeout, or the rollout stopping it. */
class Stop extends Error {
  constructor(readonly why: 'timeout' | 'aborted') {
    super(why);
  }
}

/**
 * Lifecycle hooks by name: Lambda (CodeDeploy-style status), HTTP POST (2xx), or a command (exit 0).
 * Each runs with a real-time timeout (default 5m) and stops when the rollout aborts; any failure throws
 * DeployError('HOOK_FAILED') saying what the hook answered.
 */
export function createHookRunner(hooks: Readonly<Record<string, HookSpec>>, deps: HookRunnerDeps): HookRunner {
  const prepared = new Map(Object.entries(hooks).map(([name, spec]) => [name, prepare(name, spec, deps)]));
  return {
    names: [...prepared.keys()],
    async run(name: string, ctx: HookContext) {
      const hook = prepared.get(name);
      if (!hook) throw new DeployError('HOOK_FAILED', `no hook named ${name}; defined: ${[...prepared.keys()].join(', ') || 'none'}`);
      const payload: HookPayload = { deploymentId: ctx.deploymentId, step: ctx.stepIndex, weight: ctx.weight, hook: name };
      return { detail: await deps.clock.track(runWithDeadline(name, hook, payload, ctx.signal)) };
    },
  };
}

function prepare(name: string, spec: HookSpec, deps: HookRunnerDeps): PreparedHook {
  const timeoutSeconds = spec.timeout === undefined ? DEFAULT_HOOK_TIMEOUT_SECONDS : parseDuration(spec.timeout, `hooks.${name}.timeout`);
  if (timeoutSeconds <= 0) throw new InputError(`hooks.${name}.timeout`, spec.timeout, 'use a timeout longer than 0s, for example 5m');
  const timeoutMs = timeoutSeconds * 1000;
  const env = deps.env ?? process.env;
  if ('lambda' in spec) return { timeoutMs, run: (payload, signal) => invokeLambdaHook(spec.lambda, deps.lambda, payload, signal) };
  if ('http' in spec) {
    const request = { url: spec.http, headers: spec.headers ?? {}, env, fetch: deps.fetch ?? globalThis.fetch };
    return { timeoutMs, run: (payload, signal) => postHttpHook(request, payload, signal) };
  }
  const killGraceMs = deps.killGraceMs ?? DEFAULT_KILL_GRACE_MS;
  return {
    timeoutMs,
    run: (payload, signal) => runCommandHook({ argv: spec.command, shell: spec.shell === true, env: { ...env, ...commandEnvironment(payload) }, killGraceMs }, signal),
  };
}

export function commandEnvironment(payload: HookPayload): Record<string, string> {
  return {
    DEPLOYCTL_DEPLOYMENT_ID: payload.deploymentId,
    DEPLOYCTL_STEP: String(payload.step),
    DEPLOYCTL_WEIGHT: String(payload.weight),
    DEPLOYCTL_HOOK: payload.hook,
  };
}

/** Runs the hook under its timeout (real time, not the deployment's clock) and the rollout's signal. */
async function runWithDeadline(name: string, hook: PreparedHook, payload: HookPayload, outer: AbortSignal): Promise<string> {
  const controller = new AbortController();
  const onOuterAbort = (): void => controller.abort(new Stop('aborted'));
  const timer = setTimeout(() => controller.abort(new Stop('timeout')), hook.timeoutMs);
  if (outer.aborted) onOuterAbort();
  else outer.addEventListener('abort', onOuterAbort, { once: true });
  try {
    return await hook.run(payload, controller.signal);
  } catch (error) {
    throw failureOf(name, error, controller.signal.reason, hook.timeoutMs);
  } finally {
    clearTimeout(timer);
    outer.removeEventListener('abort', onOuterAbort);
  }
}

function failureOf(name: string, error: unknown, stopped: unknown, timeoutMs: number): DeployError {
  // What the hook itself reported (a command's exit and output) is worth keeping; a bare abort error is not.
  const said = error instanceof HookFailure ? `: ${error.message}` : '';
  if (stopped instanceof Stop && stopped.why === 'timeout') {
    return new DeployError('HOOK_FAILED', `hook ${name} timed out after ${formatDuration(timeoutMs / 1000)}${said}`, { cause: error });
  }
  if (stopped instanceof Stop) return new DeployError('ABORTED', `hook ${name} was stopped because the rollout is stopping${said}`, { cause: error });
  return new DeployError('HOOK_FAILED', `hook ${name} failed: ${error instanceof HookFailure ? error.message : messageOf(error)}`, { cause: error });
}
