import { randomUUID } from 'node:crypto';
import { parseSpec } from '../../config/resolve.js';
import { continueDeployment, isFinal, liveOwner, type ContinueOptions } from '../../engine/deployment.js';
import { DeployError, ExitCode } from '../../errors.js';
import type { DeploymentRecord, DeploymentStore } from '../../state/types.js';
import { describeStep } from '../../strategies/describe.js';
import { actor, deploymentDeps, environmentFor, ioHost, stateStore } from '../context.js';
import type { Flags } from '../toSpec.js';
import { report } from './rollout.js';

export async function statusCommand(id: string | undefined, flags: Flags): Promise<number> {
  const store = await stateStore(flags);
  const record = id ? await store.get(id) : (await store.list())[0];
  if (!record) throw new DeployError('NOT_FOUND', id ? `no deployment ${id} in ${store.kind} state store` : 'no deployments yet', { source: 'user' });
  const live = flags.offline ? [] : await liveWeights(record, flags);
  process.stdout.write(flags.output === 'json' ? `${JSON.stringify({ ...record, machine: undefined, live })}\n` : `${renderStatus(record, live).join('\n')}\n`);
  return 0;
}

export async function listCommand(flags: Flags): Promise<number> {
  const records = await (await stateStore(flags)).list();
  if (flags.output === 'json') {
    for (const r of records) process.stdout.write(`${JSON.stringify({ id: r.id, status: r.status, strategy: r.plan.strategy, targets: r.targets.map((t) => t.label), stepIndex: r.stepIndex, weight: r.weight, updatedAt: r.updatedAt })}\n`);
    return 0;
  }
  const rows = records.map((r) => `${r.id.padEnd(26)} ${r.status.padEnd(14)} ${r.plan.strategy.padEnd(9)} ${`${r.weight}%`.padStart(5)}  step ${`${r.stepIndex + 1}/${r.plan.steps.length}`.padEnd(6)} ${new Date(r.updatedAt).toISOString().slice(0, 19)}  ${r.targets.map((t) => t.label).join(', ')}`);
  process.stdout.write(`${records.length === 0 ? 'no deployments yet' : [`${'ID'.padEnd(26)} ${'STATUS'.padEnd(14)} ${'STRATEGY'.padEnd(9)} WEIGHT  STEP        UPDATED              TARGETS`, ...rows].join('\n')}\n`);
  return 0;
}

export function promoteCommand(id: string, flags: Flags): Promise<number> {
  return control(id, flags, { type: 'promote', full: flags.full === true });
}

export function abortCommand(id: string, flags: Flags): Promise<number> {
  return control(id, flags, { type: 'abort', reason: typeof flags.reason === 'string' ? flags.reason : 'abort requested' });
}

/** Continues a deployment whose process died, from its current step. */
export async function resumeCommand(id: string, flags: Flags): Promise<number> {
  const store = await stateStore(flags);
  const record = await mustGet(store, id);
  const owner = await liveOwner(record, store);
  if (owner) throw new DeployError('LOCKED', `deployment ${id} is running in process ${owner.pid} on ${owner.host}; use promote or abort, which it picks up`, { source: 'user' });
  return continueHere(record, flags, store, {});
}

export async function initStateTableCommand(table: string, flags: Flags): Promise<number> {
  const { createStateTable } = await import('../../state/dynamoStore.js');
  const created = await createStateTable(table, flags);
  process.stdout.write(`${created ? 'created' : 'already exists:'} DynamoDB table ${table} (key: pk/sk, on-demand)\n`);
  return 0;
}

/**
 * promote/abort: when another process owns the deployment, the request goes through the state store and that
 * process applies it; otherwise (paused after --no-wait, or its process died) this process continues it.
 */
async function control(id: string, flags: Flags, request: { type: 'promote'; full: boolean } | { type: 'abort'; reason: string }): Promise<number> {
  const store = await stateStore(flags);
  const record = await mustGet(store, id);
  if (isFinal(record.status)) throw new DeployError('BAD_INPUT', `deployment ${id} already finished (${record.status})`, { source: 'user' });
  if (request.type === 'promote' && !request.full && !waitingForPromote(record)) {
    const step = record.plan.steps[record.stepIndex];
    throw new DeployError('BAD_INPUT', `deployment ${id} is at step ${record.stepIndex + 1} (${step ? describeStep(step) : 'preflight'}), not at an approval or pause; nothing to promote (use --full to go straight to 100%)`, { source: 'user' });
  }
  if (await liveOwner(record, store)) {
    const requestId = randomUUID();
    await store.request(id, { id: requestId, ...request, by: actor(), at: Date.now() });
    const handled = await waitHandled(store, id, requestId);
    process.stdout.write(`${request.type} ${handled ? 'applied by' : 'queued for'} the process running ${id}\n`);
    return ExitCode.succeeded;
  }
  return continueHere(record, flags, store, { control: request });
}

async function continueHere(record: DeploymentRecord, flags: Flags, store: DeploymentStore, options: ContinueOptions): Promise<number> {
  const spec = parseSpec(record.spec);
  const env = await environmentFor(flags, spec, record.id, record);
  const io = ioHost(flags, () => env.clock.now());
  try {
    const deps = await deploymentDeps(env, store, io, record.plan);
    const result = await continueDeployment(record.id, deps, { ...options, noWait: flags.wait === false });
    return report(result, io);
  } finally {
    env.close();
    io.close();
  }
}

function waitingForPromote(record: DeploymentRecord): boolean {
  const step = record.plan.steps[record.stepIndex];
  return record.status === 'paused' || step?.type === 'approval' || step?.type === 'pause' || step?.type === 'analysis';
}

async function waitHandled(store: DeploymentStore, id: string, requestId: string): Promise<boolean> {
  for (let i = 0; i < 30; i++) {
    if ((await store.get(id))?.handled.includes(requestId)) return true;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return false;
}

async function mustGet(store: DeploymentStore, id: string): Promise<DeploymentRecord> {
  const record = await store.get(id);
  if (!record) throw new DeployError('NOT_FOUND', `no deployment ${id} in the ${store.kind} state store`, { source: 'user' });
  return record;
}

/** Reads the weights live from AWS (or the world), so status never shows only what the record believes. */
async function liveWeights(record: DeploymentRecord, flags: Flags): Promise<{ target: string; weight: number | undefined; error?: string }[]> {
  if (record.snapshots === null) return [];
  const spec = parseSpec(record.spec);
  const env = await environmentFor(flags, spec, record.id, record);
  try {
    const { buildDeploymentParts } = await import('../../providers/registry.js');
    const parts = await buildDeploymentParts(spec, record.plan, env);
    const signal = new AbortController().signal;
    const ctx = { deploymentId: record.id, signal, clock: env.clock, emit: () => undefined };
    return await Promise.all(
      parts.traffic.map(async (p) => {
        try {
          return { target: p.label, weight: await p.readWeight(record.snapshots?.[p.lockKey] ?? null, ctx) };
        } catch (error) {
          return { target: p.label, weight: undefined, error: (error as Error).message };
        }
      }),
    );
  } finally {
    env.close();
  }
}

export function renderStatus(record: DeploymentRecord, live: readonly { target: string; weight: number | undefined; error?: string }[]): string[] {
  const step = record.plan.steps[record.stepIndex];
  const lines = [
    `deployment ${record.id}${record.name ? ` (${record.name})` : ''}: ${record.status}`,
    `  strategy   ${record.plan.strategy}, step ${record.stepIndex + 1}/${record.plan.steps.length}${step ? `: ${describeStep(step)}` : ''}`,
    `  targets    ${record.targets.map((t) => t.label).join(', ')}`,
    `  weight     ${record.weight}% recorded${live.map((l) => `; live ${l.target}: ${l.weight === undefined ? `unknown${l.error ? ` (${l.error})` : ''}` : `${l.weight}%`}`).join('')}`,
    `  gates      ${record.gate?.last ? (record.gate.last.type === 'ok' ? 'ok' : record.gate.last.type === 'alarm' ? `ALARM: ${record.gate.last.reason}` : `inconclusive: ${record.gate.last.reason}`) : 'not checked'}${record.gate && record.gate.consecutiveErrors > 0 ? ` (${record.gate.consecutiveErrors} failed reads)` : ''}`,
  ];
  if (record.failure) lines.push(`  failure    ${record.failure.message}`);
  if (record.rollbackCommands.length > 0) lines.push('  restore by hand:', ...record.rollbackCommands.map((c) => `    ${c}`));
  lines.push('  history:');
  for (const entry of record.history) lines.push(`    ${new Date(entry.at).toISOString().slice(0, 19)}  ${entry.what}${entry.detail ? `: ${entry.detail}` : ''}${entry.by ? ` (by ${entry.by})` : ''}`);
  return lines;
}
