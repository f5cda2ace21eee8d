import { parseSpec, planFromSpec, settingsFromSpec } from './config/resolve.js';
import type { DeploySpec } from './config/schema.js';
import { continueDeployment, newDeploymentId, startDeployment, type DeployResult, type DeploymentDeps } from './engine/deployment.js';
import type { DeployEvent } from './engine/events.js';
import type { RunningRollout } from './engine/runRollout.js';
import { openEnvironment, type EnvironmentOptions } from './environment.js';
import { FileStore } from './state/fileStore.js';
import type { DeploymentRecord, DeploymentStore } from './state/types.js';
import type { Plan } from './strategies/types.js';
import { RealClock } from './time/clock.js';
import { notifierFor } from './notify/forEnvironment.js';

export interface DeployContext {
  /** Where deployments are recorded; default a FileStore in `.deployctl/` (or `stateDir`). */
  readonly store?: DeploymentStore;
  readonly stateDir?: string;
  /** AWS settings (override the spec's `aws`), or a simulated world. */
  readonly aws?: EnvironmentOptions['aws'];
  readonly sim?: EnvironmentOptions['sim'];
  readonly id?: string;
  /** Stop at the next approval and return `paused`. */
  readonly noWait?: boolean;
  /** Every progress event, in order. */
  readonly onEvent?: (event: DeployEvent) => void;
  /** Aborting this signal aborts the deployment (it rolls back). */
  readonly signal?: AbortSignal;
  /** For the audit history. */
  readonly by?: string;
}

/** The Plan a spec (or CLI-equivalent options) produces. Pure: no AWS call. */
export function plan(options: DeploySpec): Plan {
  return planFromSpec(parseSpec(options));
}

/** Runs a deployment to its end (or to the next approval with noWait) and returns a typed result. */
export function deploy(options: DeploySpec, context: DeployContext = {}): Promise<DeployResult> {
  return startDeploy(options, context).result;
}

/** A running deployment: its events as an async stream, its result, and its controls. */
export interface DeploymentHandle {
  readonly id: string;
  readonly events: AsyncIterable<DeployEvent>;
  readonly result: Promise<DeployResult>;
  promote(full?: boolean): void;
  abort(reason?: string): void;
}

export function startDeploy(options: DeploySpec, context: DeployContext = {}): DeploymentHandle {
  const spec = parseSpec(options);
  const thePlan = planFromSpec(spec);
  const id = context.id ?? newDeploymentId(new RealClock());
  const queue = new EventQueue();
  let rollout: RunningRollout | undefined;
  const pending: ((r: RunningRollout) => void)[] = [];
  const withRollout = (act: (r: RunningRollout) => void): void => (rollout ? act(rollout) : void pending.push(act));
  const result = (async () => {
    const env = await openEnvironment({ aws: { ...spec.aws, ...context.aws }, ...(context.sim ? { sim: context.sim } : {}), sessionName: id });
    const { buildDeploymentParts } = await import('./providers/registry.js');
    const deps: DeploymentDeps = {
      store: context.store ?? new FileStore(context.stateDir ?? '.deployctl'),
      clock: env.clock,
      build: (s) => buildDeploymentParts(s, thePlan, env),
      onEvent: (event) => {
        queue.push(event);
        context.onEvent?.(event);
      },
      onRunning: (r) => {
        rollout = r;
        for (const act of pending.splice(0)) act(r);
      },
      notifierFor: (s) => notifierFor(s, env, (text) => process.emitWarning(text)),
      ...(context.by ? { by: context.by } : {}),
      ...(env.worldFile ? { world: env.worldFile } : {}),
    };
    context.signal?.addEventListener('abort', () => withRollout((r) => r.abort('aborted by the caller')), { once: true });
    try {
      return await startDeployment(spec, thePlan, deps, { id, noWait: context.noWait ?? false, settings: settingsFromSpec(spec) });
    } finally {
      env.close();
    }
  })();
  result.finally(() => queue.end()).catch(() => undefined);
  return { id, events: queue, result, promote: (full = false) => withRollout((r) => r.promote(full, context.by)), abort: (reason) => withRollout((r) => r.abort(reason, context.by)) };
}

/** Continues a deployment without a live owner: promote or abort after noWait, or resume after a crash. */
export async function continueDeploy(id: string, control: 'promote' | 'promoteFull' | 'abort' | 'resume', context: DeployContext = {}): Promise<DeployResult> {
  const store = context.store ?? new FileStore(context.stateDir ?? '.deployctl');
  const record = await store.get(id);
  const env = await openEnvironment({ ...(context.aws ? { aws: context.aws } : {}), ...(context.sim ? { sim: context.sim } : record?.world ? { sim: { file: record.world, virtualTime: record.simTime === true } } : {}), sessionName: id });
  try {
    const { buildDeploymentParts } = await import('./providers/registry.js');
    const deps: DeploymentDeps = {
      store,
      clock: env.clock,
      build: (s) => buildDeploymentParts(s, record!.plan, env),
      notifierFor: (s) => notifierFor(s, env, (text) => process.emitWarning(text)),
      ...(context.onEvent ? { onEvent: context.onEvent } : {}),
      ...(context.by ? { by: context.by } : {}),
    };
    const controlOption = control === 'resume' ? {} : control === 'abort' ? { control: { type: 'abort' as const } } : { control: { type: 'promote' as const, full: control === 'promoteFull' } };
    return await continueDeployment(id, deps, { ...controlOption, noWait: context.noWait ?? false });
  } finally {
    env.close();
  }
}

export async function listDeployments(context: Pick<DeployContext, 'store' | 'stateDir'> = {}): Promise<DeploymentRecord[]> {
  return (context.store ?? new FileStore(context.stateDir ?? '.deployctl')).list();
}

/** An async iterable fed by push(); ends when end() is called. */
class EventQueue implements AsyncIterable<DeployEvent> {
  private readonly items: DeployEvent[] = [];
  private readonly waiting: ((r: IteratorResult<DeployEvent>) => void)[] = [];
  private ended = false;

  push(event: DeployEvent): void {
    const waiter = this.waiting.shift();
    if (waiter) waiter({ value: event, done: false });
    else this.items.push(event);
  }

  end(): void {
    this.ended = true;
    for (const waiter of this.waiting.splice(0)) waiter({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): AsyncIterator<DeployEvent> {
    return {
      next: () => {
        const item = this.items.shift();
        if (item) return Promise.resolve({ value: item, done: false });
        if (this.ended) return Promise.resolve({ value: undefined, done: true });
        return new Promise((resolve) => this.waiting.push(resolve));
      },
    };
  }
}
