import { hostname, userInfo } from 'node:os';
import { resolve } from 'node:path';
import type { ParsedDeploySpec } from '../config/schema.js';
import type { DeployEvent } from '../engine/events.js';
import type { DeploymentDeps } from '../engine/deployment.js';
import { notifierFor } from '../notify/forEnvironment.js';
import { openEnvironment, type Environment } from '../environment.js';
import { LiveHost, NdjsonHost, PlainHost } from '../io/hosts.js';
import type { IoHost } from '../io/types.js';
import { FileStore } from '../state/fileStore.js';
import type { DeploymentStore } from '../state/types.js';
import type { Plan } from '../strategies/types.js';
import { awsFromFlags, type Flags } from './toSpec.js';

/** The output host for --output and the terminal: NDJSON, a live view on a TTY, plain lines otherwise. */
export function ioHost(flags: Flags, now: () => number = Date.now): IoHost {
  if (flags.output === 'json') return new NdjsonHost();
  if (flags.plain) return new PlainHost(undefined, undefined, { relative: true });
  return process.stdout.isTTY ? new LiveHost(now) : new PlainHost();
}

export async function stateStore(flags: Flags): Promise<DeploymentStore> {
  if (typeof flags.stateTable === 'string') {
    const { createDynamoStore } = await import('../state/dynamoStore.js');
    return createDynamoStore(flags.stateTable, awsFromFlags(flags));
  }
  return new FileStore(typeof flags.stateDir === 'string' ? flags.stateDir : '.deployctl');
}

/** The AWS (or simulated) environment of a command from its flags; `world` is a recorded world file. */
export function environmentFor(flags: Flags, spec: Pick<ParsedDeploySpec, 'aws'> | undefined, sessionName?: string, recorded?: { world?: string; simTime?: boolean }): Promise<Environment> {
  const file = typeof flags.sim === 'string' ? resolve(flags.sim) : recorded?.world;
  const aws = { ...(spec?.aws ?? {}), ...awsFromFlags(flags) };
  // A deployment resumed on its recorded world keeps the time mode it ran in, unless --sim-time says otherwise.
  const virtualTime = flags.simTime === true || (flags.sim === undefined && recorded?.simTime === true);
  return openEnvironment({
    aws,
    ...(file ? { sim: { file, virtualTime, faults: (flags.fault as string[] | undefined) ?? [] } } : {}),
    ...(sessionName ? { sessionName } : {}),
  });
}

/** Who acts, for the audit history: the CI actor and run when in GitHub Actions, else user@host. */
export function actor(): string {
  if (process.env.GITHUB_ACTIONS === 'true') return `${process.env.GITHUB_ACTOR ?? 'github'} (run ${process.env.GITHUB_RUN_ID ?? '?'})`;
  try {
    return `${userInfo().username}@${hostname()}`;
  } catch {
    return `pid ${process.pid}@${hostname()}`;
  }
}

export async function deploymentDeps(env: Environment, store: DeploymentStore, io: IoHost, plan: Plan): Promise<DeploymentDeps> {
  const { buildDeploymentParts } = await import('../providers/registry.js');
  return {
    store,
    clock: env.clock,
    build: (spec) => buildDeploymentParts(spec, plan, env),
    onEvent: withCrashHook((event) => io.event(event)),
    notifierFor: (spec) => notifierFor(spec, env, (text) => io.warn(text)),
    by: actor(),
    ...(env.worldFile ? { world: env.worldFile } : {}),
  };
}

/**
 * DEPLOYCTL_CRASH_AT=<event type>[:<index or percent>] kills this process with SIGKILL right after that event —
 * a test hook for the crash-and-resume suite (a write has landed, the record may not have been written yet).
 */
function withCrashHook(onEvent: (event: DeployEvent) => void): (event: DeployEvent) => void {
  const spec = process.env.DEPLOYCTL_CRASH_AT;
  if (!spec) return onEvent;
  const [type, arg] = spec.split(':');
  return (event) => {
    onEvent(event);
    const matches = event.type === type && (arg === undefined || ('index' in event && String(event.index) === arg) || ('percent' in event && String(event.percent) === arg));
    if (matches) process.kill(process.pid, 'SIGKILL');
  };
}
