import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { ParsedDeploySpec } from '../config/schema.js';
import { DeployError, LockedError } from '../errors.js';
import type { RolloutContext, RolloutSettings } from '../machines/context.js';
import type { CapacityProvider, Json, TrafficProvider } from '../providers/types.js';
import type { AuditEntry, DeploymentRecord, DeploymentStatus, DeploymentStore, LockHolder, TargetRef } from '../state/types.js';
import type { Plan } from '../strategies/types.js';
import { VirtualClock, type Clock } from '../time/clock.js';
import { auditEntryFor, gateVerdictKey } from './audit.js';
import type { DeployEvent, Failure } from './events.js';
import { RecordWriter } from './recordWriter.js';
import { startRollout, type RolloutOutcome, type RunningRollout, type Transition } from './runRollout.js';
import type { AnalysisRunner, EventInput, HookRunner, PreflightGate, Runtime } from './runtime.js';
import { plainCopy } from '../util/plainJson.js';

/** The providers, gates and hooks of one deployment, built from its spec. */
export interface DeploymentParts {
  readonly traffic: readonly TrafficProvider[];
  readonly capacity: readonly CapacityProvider[];
  readonly gates: readonly PreflightGate[];
  readonly hooks: HookRunner;
  readonly analyses: AnalysisRunner;
  readonly capacityPollMs?: number;
}

export interface DeploymentDeps {
  readonly store: DeploymentStore;
  readonly clock: Clock;
  readonly build: (spec: ParsedDeploySpec, deploymentId: string) => Promise<DeploymentParts>;
  readonly onEvent?: (event: DeployEvent) => void;
  /** Who acts, for the audit history (user@host, or the CI run). */
  readonly by?: string;
  /** The simulated world file, recorded so that status and resume use the same world. */
  readonly world?: string;
  /** Lease length of the per-target locks, ms (wall clock). */
  readonly leaseMs?: number;
  /** How often the owner looks for promote/abort requests from other processes, ms (wall clock). */
  readonly controlPollMs?: number;
  /** Told when the rollout runs, with its controls (the CLI turns Ctrl-C into abort). */
  readonly onRunning?: (rollout: RunningRollout) => void;
  /** Notifications for a spec (Slack webhook, SNS), when it asks for any; flushed before the run returns. */
  readonly notifierFor?: (spec: ParsedDeploySpec) => Promise<EventSink | undefined>;
}

/** Receives every event; `flush` resolves once everything queued was delivered (or given up on). */
export type EventSink = ((event: DeployEvent) => void) & { flush(): Promise<void> };

export interface DeployResult {
  readonly id: string;
  readonly outcome: RolloutOutcome;
  /** Traffic share on the new version at the end, percent. */
  readonly finalWeight: number;
  readonly failure: Failure | null;
  readonly rollbackCommands: readonly string[];
  readonly record: DeploymentRecord;
}

export interface StartOptions {
  readonly id?: string;
  readonly noWait?: boolean;
  readonly settings?: Partial<RolloutSettings>;
}

/** Starts a new deployment: locks its targets, records it, runs it until it ends or pauses. */
export async function startDeployment(spec: ParsedDeploySpec, plan: Plan, deps: DeploymentDeps, options: StartOptions = {}): Promise<DeployResult> {
  const id = options.id ?? newDeploymentId(deps.clock);
  const parts = await deps.build(spec, id);
  const holder = newHolder(id, deps);
  const targets = targetRefs(parts);
  await lockAll(targets, holder, deps.store);
  try {
    const now = Date.now();
    const record = await deps.store.create({
      id,
      ...(spec.name ? { name: spec.name } : {}),
      createdAt: now,
      updatedAt: now,
      status: 'running',
      spec: redact(spec),
      plan,
      targets,
      stepIndex: -1,
      weight: 0,
      capacityPercent: 0,
      snapshots: null,
      gate: null,
      failure: null,
      rollbackCommands: [],
      history: [],
      machine: null,
      requests: [],
      handled: [],
      owner: holder,
      revision: 0,
      ...(deps.world ? { world: deps.world, simTime: deps.clock instanceof VirtualClock } : {}),
    });
    return await runOwned({ record, parts, plan, deps, holder, noWait: options.noWait ?? false, settings: options.settings, notify: await deps.notifierFor?.(spec) });
  } catch (error) {
    if (!(error instanceof DeployError && error.code === 'LOCKED')) await releaseAll(targets, id, deps.store);
    throw error;
  }
}

export interface ContinueOptions {
  readonly noWait?: boolean;
  /** Applied as soon as the deployment runs again. */
  readonly control?: { readonly type: 'promote'; readonly full?: boolean } | { readonly type: 'abort'; readonly reason?: string };
}

/**
 * Continues a deployment that has no live owner: after --no-wait (promote / abort), or after its process died
 * (resume). Takes over the locks, compares the live state of every traffic target with the record, rolls back on
 * drift, and continues from the current step.
 */
export async function continueDeployment(id: string, deps: DeploymentDeps, options: ContinueOptions = {}): Promise<DeployResult> {
  const record = await loadRecord(id, deps.store);
  if (isFinal(record.status)) return settleFinished(record, deps);
  catchUpVirtualTime(record, deps.clock);
  const { parseSpec } = await import('../config/resolve.js');
  const spec = parseSpec(record.spec);
  const parts = await deps.build(spec, id);
  const holder = newHolder(id, deps);
  await lockAll(record.targets, holder, deps.store);
  // A deployment already rolling back is restored to its capture whatever the live state: no drift check.
  const drift = record.failure ? undefined : await findDrift(parts, record, deps);
  const resumed: DeploymentRecord = { ...record, status: 'running', owner: holder };
  const notify = await deps.notifierFor?.(spec);
  const run = runOwned({ record: resumed, parts, plan: record.plan, deps, holder, noWait: options.noWait ?? false, snapshot: record.machine, resumed: true, notify }, (rollout) => {
    if (drift) rollout.abort(`drift found on resume: ${drift}`, deps.by);
    else if (options.control?.type === 'promote') rollout.promote(options.control.full ?? false, deps.by);
    else if (options.control?.type === 'abort') rollout.abort(options.control.reason ?? 'abort requested', deps.by);
  });
  return run;
}

/**
 * The process died after the outcome was recorded but before it let go: release the locks it held, finish the
 * record, and report the outcome (so a CI retry of `resume` exits with it, not with an error).
 */
async function settleFinished(record: DeploymentRecord, deps: DeploymentDeps): Promise<DeployResult> {
  await releaseAll(record.targets, record.id, deps.store);
  const weight = record.status === 'rolledBack' || record.status === 'rejected' ? 0 : record.weight;
  const finished = record.history.some((h) => h.what === 'finished');
  const at = deps.clock.now();
  const history = [
    ...record.history,
    { at, what: 'resumed', detail: `found it already ${record.status}${record.owner ? '; released the locks its process held' : ''}`, ...(deps.by ? { by: deps.by } : {}) },
    ...(finished ? [] : [{ at, what: 'finished', detail: `${record.status}, ${weight}% on the new version` }]),
  ];
  const final = await deps.store.update({ ...record, owner: null, weight, history, updatedAt: Date.now() });
  deps.onEvent?.({ type: 'deployment.started', deploymentId: record.id, at, plan: record.plan, targets: record.targets.map((t) => t.label), resumed: true, weight });
  deps.onEvent?.({ type: 'deployment.finished', deploymentId: record.id, at, outcome: record.status as RolloutOutcome, ...(record.failure ? { failure: record.failure } : {}), finalWeight: weight });
  return { id: record.id, outcome: record.status as RolloutOutcome, finalWeight: weight, failure: record.failure, rollbackCommands: record.rollbackCommands, record: final };
}

/** In simulated time a resumed process starts at the saved world's time; it must not be earlier than the record. */
function catchUpVirtualTime(record: DeploymentRecord, clock: Clock): void {
  if (!(clock instanceof VirtualClock)) return;
  const context = (record.machine as { context?: { stepStartedAt?: number | null } } | null)?.context;
  const last = Math.max(...record.history.map((h) => h.at), record.failure?.at ?? 0, context?.stepStartedAt ?? 0);
  if (last > clock.now()) clock.advance(last - clock.now());
}

/** Whether another live process owns the deployment now (then control requests go through the store). */
export async function liveOwner(record: DeploymentRecord, store: DeploymentStore): Promise<LockHolder | undefined> {
  const key = record.targets[0]?.lockKey;
  if (!key || record.status !== 'running') return undefined;
  const holder = await store.holderOf(key);
  if (!holder || holder.deploymentId !== record.id || holder.until === null || holder.until < Date.now()) return undefined;
  const { processAlive } = await import('../state/lockRules.js');
  return holder.host !== hostname() || processAlive(holder.pid) ? holder : undefined;
}

interface OwnedRun {
  readonly record: DeploymentRecord;
  readonly parts: DeploymentParts;
  readonly plan: Plan;
  readonly deps: DeploymentDeps;
  readonly holder: LockHolder;
  readonly noWait: boolean;
  readonly settings?: Partial<RolloutSettings> | undefined;
  readonly snapshot?: unknown;
  readonly resumed?: boolean;
  readonly notify?: EventSink | undefined;
}

async function runOwned(run: OwnedRun, onStarted?: (rollout: RunningRollout) => void): Promise<DeployResult> {
  const { deps, parts, plan, record } = run;
  const writer = new RecordWriter(deps.store, record);
  const history = [...record.history];
  let lastGate: string | undefined;
  const emit = (input: EventInput): void => {
    const event = { ...input, deploymentId: record.id, at: deps.clock.now() } as DeployEvent;
    const entry = auditEntryFor(event, lastGate);
    lastGate = gateVerdictKey(event) ?? lastGate;
    if (entry) appendHistory(history, entry);
    deps.onEvent?.(event);
    run.notify?.(event);
  };
  const runtime: Runtime = { deploymentId: record.id, clock: deps.clock, emit, ...parts };
  emit({ type: 'deployment.started', plan, targets: record.targets.map((t) => t.label), ...(run.resumed ? { resumed: true, weight: record.weight } : {}) });
  const persist = async (t: Transition): Promise<void> => {
    const weight = t.phase === 'rolledBack' || t.phase === 'rejected' ? 0 : t.context.weight;
    // Tracked: a store on the network (DynamoDB) is real I/O a simulated clock must not run ahead of.
    await deps.clock.track(writer.write({ ...fromContext(t.context), weight, status: statusOf(t.phase), machine: t.snapshot, history: [...history] }));
  };
  const rollout = startRollout({ plan, runtime, persist, noWait: run.noWait, ...(run.settings ? { settings: run.settings } : {}), ...(run.snapshot ? { snapshot: run.snapshot } : {}) });
  onStarted?.(rollout);
  deps.onRunning?.(rollout);
  const stopTimers = startOwnerTimers(rollout, writer, run);
  try {
    const result = deps.clock instanceof VirtualClock ? await deps.clock.run(rollout.result) : await rollout.result;
    const status: DeploymentStatus = result.outcome;
    // After a clean rollback the new version serves nothing again (preflight required it to start at 0).
    // A capacity-only rollout (no traffic split) reports how much of the capacity runs the new version.
    const onNew = parts.traffic.length > 0 ? result.context.weight : result.context.capacityPercent;
    const finalWeight = result.outcome === 'rolledBack' || result.outcome === 'rejected' ? 0 : onNew;
    emit({ type: 'deployment.finished', outcome: result.outcome, ...(result.failure ? { failure: result.failure } : {}), finalWeight });
    const parked: LockHolder = { ...run.holder, until: null };
    const final = await writer.write({ ...fromContext(result.context), weight: finalWeight, status, machine: result.snapshot, history: [...history], owner: status === 'paused' ? parked : null });
    if (status === 'paused') await lockAll(record.targets, parked, deps.store);
    else await releaseAll(record.targets, record.id, deps.store);
    return { id: record.id, outcome: result.outcome, finalWeight, failure: result.failure, rollbackCommands: result.context.rollbackCommands, record: final };
  } finally {
    stopTimers();
    await run.notify?.flush();
  }
}

/** Lease renewal and control-request polling, on the wall clock (they concern processes, not the rollout). */
function startOwnerTimers(rollout: RunningRollout, writer: RecordWriter, run: OwnedRun): () => void {
  const { deps, holder, record } = run;
  const leaseMs = deps.leaseMs ?? 30_000;
  const renew = setInterval(() => {
    for (const target of record.targets) void deps.store.renew(target.lockKey, { ...holder, until: Date.now() + leaseMs });
  }, Math.max(1000, leaseMs / 3));
  const poll = setInterval(() => {
    void writer.refresh().then((current) => {
      const pending = current.requests.filter((r) => !current.handled.includes(r.id));
      if (pending.length === 0) return;
      for (const request of pending) {
        if (request.type === 'promote') rollout.promote(request.full ?? false, request.by);
        else rollout.abort(request.reason ?? 'abort requested', request.by);
      }
      return writer.write({ handled: [...current.handled, ...pending.map((r) => r.id)] });
    });
  }, deps.controlPollMs ?? 2000);
  renew.unref();
  poll.unref();
  return () => {
    clearInterval(renew);
    clearInterval(poll);
  };
}

/** Records stay small (a DynamoDB item holds 400 KB): the oldest entries give way, with a note saying so. */
export const MAX_HISTORY = 1000;

function appendHistory(history: AuditEntry[], entry: AuditEntry): void {
  history.push(entry);
  if (history.length <= MAX_HISTORY) return;
  const marker = history[0]?.what === DROPPED ? history.shift() : undefined;
  const before = marker ? Number(marker.detail?.split(' ')[0] ?? 0) : 0;
  const removed = history.splice(0, history.length - MAX_HISTORY + 1);
  history.unshift({ at: removed[0]?.at ?? entry.at, what: DROPPED, detail: `${before + removed.length} entries` });
}

const DROPPED = 'earlier entries dropped';

function fromContext(context: RolloutContext): Partial<DeploymentRecord> {
  return {
    stepIndex: context.stepIndex,
    weight: context.weight,
    capacityPercent: context.capacityPercent,
    snapshots: context.snapshots,
    gate: context.gate,
    failure: context.failure,
    rollbackCommands: context.rollbackCommands,
  };
}

function statusOf(phase: string): DeploymentStatus {
  if (phase === 'succeeded' || phase === 'rolledBack' || phase === 'rollbackFailed' || phase === 'rejected') return phase;
  return 'running';
}

export function isFinal(status: DeploymentStatus): boolean {
  return status === 'succeeded' || status === 'rolledBack' || status === 'rollbackFailed' || status === 'rejected';
}

async function loadRecord(id: string, store: DeploymentStore): Promise<DeploymentRecord> {
  const record = await store.get(id);
  if (!record) throw new DeployError('NOT_FOUND', `no deployment ${id} in the ${store.kind} state store`, { source: 'user' });
  return record;
}

/**
 * The live weight of every traffic target must be what the record says, or the next weight when a shift was in
 * flight when the process died (its write may or may not have landed). Anything else is drift.
 */
async function findDrift(parts: DeploymentParts, record: DeploymentRecord, deps: DeploymentDeps): Promise<string | undefined> {
  const step = record.plan.steps[record.stepIndex];
  const inFlight = step?.type === 'setWeight' ? step.weight : undefined;
  const signal = new AbortController().signal;
  for (const provider of parts.traffic) {
    const snapshot = (record.snapshots ?? {})[provider.lockKey] ?? null;
    if (snapshot === null) continue;
    const ctx = { deploymentId: record.id, signal, clock: deps.clock, emit: () => undefined, snapshot: snapshot as Json, fromPercent: record.weight };
    const atRecorded = await provider.verifyWeight(record.weight, ctx);
    if (atRecorded.status === 'ok') continue;
    if (inFlight !== undefined && (await provider.verifyWeight(inFlight, ctx)).status === 'ok') continue;
    return `${provider.label}: ${atRecorded.detail}`;
  }
  return undefined;
}

function targetRefs(parts: DeploymentParts): TargetRef[] {
  return [...parts.traffic, ...parts.capacity].map((p) => ({ label: p.label, kind: p.kind, lockKey: p.lockKey }));
}

function newHolder(id: string, deps: DeploymentDeps): LockHolder {
  return { deploymentId: id, instance: randomUUID(), host: hostname(), pid: process.pid, until: Date.now() + (deps.leaseMs ?? 30_000) };
}

async function lockAll(targets: readonly TargetRef[], holder: LockHolder, store: DeploymentStore): Promise<void> {
  const taken: TargetRef[] = [];
  for (const target of targets) {
    const result = await store.acquire(target.lockKey, holder);
    if (!result.acquired) {
      for (const t of taken) if (t.lockKey !== target.lockKey) await store.release(t.lockKey, holder.deploymentId).catch(() => undefined);
      const detail = result.holder.until === null ? 'paused, waiting for deployctl promote' : `running in process ${result.holder.pid} on ${result.holder.host}`;
      throw new LockedError(target.label, result.holder.deploymentId, detail);
    }
    taken.push(target);
  }
}

async function releaseAll(targets: readonly TargetRef[], id: string, store: DeploymentStore): Promise<void> {
  for (const target of targets) await store.release(target.lockKey, id);
}

/**
 * Secrets never reach the state store: literal webhook URLs and header values are masked. Values given as
 * `${env:NAME}` references are kept (they hold no secret), so a resumed deployment can still call its hooks.
 */
function redact(spec: ParsedDeploySpec): Json {
  const copy = plainCopy(spec) as Record<string, unknown>;
  const hooks = copy.hooks as Record<string, Record<string, unknown>> | undefined;
  for (const hook of Object.values(hooks ?? {})) {
    const headers = hook.headers as Record<string, string> | undefined;
    if (headers) for (const key of Object.keys(headers)) if (!isEnvReference(headers[key])) headers[key] = '***';
  }
  const notifications = copy.notifications as Record<string, string> | undefined;
  if (notifications?.slackWebhook && !isEnvReference(notifications.slackWebhook)) notifications.slackWebhook = notifications.slackWebhook.replace(/(https?:\/\/[^/]+\/).*/, '$1***');
  return copy as Json;
}

function isEnvReference(value: string | undefined): boolean {
  return value !== undefined && /^\$\{env:[A-Za-z_][A-Za-z0-9_]*\}$/.test(value);
}

export function newDeploymentId(clock: Clock): string {
  const stamp = new Date(clock.now()).toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `d-${stamp}-${randomUUID().slice(0, 4)}`;
}
