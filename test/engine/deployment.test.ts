import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSpec, planFromSpec } from '../../src/config/resolve.js';
import { continueDeployment, startDeployment, type DeploymentDeps, type DeploymentParts } from '../../src/engine/deployment.js';
import type { DeployEvent } from '../../src/engine/events.js';
import { NO_ANALYSES, NO_HOOKS } from '../../src/engine/runtime.js';
import { LockedError } from '../../src/errors.js';
import { FileStore } from '../../src/state/fileStore.js';
import type { DeploymentRecord } from '../../src/state/types.js';
import { VirtualClock } from '../../src/time/clock.js';
import { FakeGate, alarmAtStep } from '../fakes/fakeGate.js';
import { FakeTraffic } from '../fakes/fakeTraffic.js';

const spec = parseSpec({
  strategy: 'canary',
  steps: '1,5,25,100',
  bake: '5m',
  targets: [{ type: 'lambda', functionName: 'checkout', alias: 'live', toVersion: 2 }],
  hooks: { smoke: { http: 'https://hooks.example.com/x', headers: { authorization: 'Bearer s3cret', 'x-token': '${env:HOOK_TOKEN}' } } },
});
const plan = planFromSpec(spec);

function setup(options: { traffic?: FakeTraffic; gate?: FakeGate; dir?: string } = {}) {
  const traffic = options.traffic ?? new FakeTraffic({ label: 'lambda checkout:live' });
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'deployctl-state-'));
  const store = new FileStore(dir);
  const events: DeployEvent[] = [];
  const parts: DeploymentParts = { traffic: [traffic], capacity: [], gates: options.gate ? [options.gate] : [], hooks: NO_HOOKS, analyses: NO_ANALYSES };
  const deps: DeploymentDeps = { store, clock: new VirtualClock(), build: async () => parts, onEvent: (e) => events.push(e), by: 'alice@laptop' };
  return { traffic, store, deps, events, dir };
}

describe('durable deployments on the file store', () => {
  it('records every transition and an audit history, and releases the lock at the end', async () => {
    const { deps, store, traffic } = setup();
    const result = await startDeployment(spec, plan, deps, { id: 'd-1' });
    expect(result.outcome).toBe('succeeded');
    expect(traffic.live).toBe(100);
    const record = (await store.get('d-1'))!;
    expect(record.status).toBe('succeeded');
    expect(record.weight).toBe(100);
    expect(record.owner).toBeNull();
    expect(record.history.map((h) => h.what)).toEqual([
      'started', 'preflight', 'step 1 started', 'weight set', 'gates', 'step 2 started', 'step 3 started', 'weight set', 'step 4 started',
      'step 5 started', 'weight set', 'step 6 started', 'step 7 started', 'weight set', 'finished',
    ]);
    expect(await store.holderOf(traffic.lockKey)).toBeUndefined();
  });

  it('keeps secrets out of the state store but keeps ${env:...} references', async () => {
    const { deps, dir } = setup();
    await startDeployment(spec, plan, deps, { id: 'd-secret' });
    const text = readFileSync(join(dir, 'deployments', 'd-secret.json'), 'utf8');
    expect(text).not.toContain('s3cret');
    expect(text).toContain('${env:HOOK_TOKEN}');
  });

  it('a second deployment on a locked target fails with LockedError naming the holder, and changes nothing', async () => {
    const first = setup();
    await first.store.acquire(first.traffic.lockKey, { deploymentId: 'd-other', instance: 'x', host: 'elsewhere', pid: 1, until: Date.now() + 60_000 });
    const error = await startDeployment(spec, plan, first.deps, { id: 'd-2' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LockedError);
    expect((error as LockedError).message).toBe('target lambda checkout:live is locked by deployment d-other (running in process 1 on elsewhere)');
    expect(first.traffic.writes).toEqual([]);
    expect(await first.store.get('d-2')).toBeUndefined();
  });

  it('--no-wait parks at the approval with the lock held, and promote in a later process finishes it', async () => {
    const approvalSpec = parseSpec({ ...spec, steps: '10,approval,50', hooks: undefined });
    const approvalPlan = planFromSpec(approvalSpec);
    const { deps, store, traffic, dir } = setup();
    const paused = await startDeployment(approvalSpec, approvalPlan, deps, { id: 'd-3', noWait: true });
    expect(paused.outcome).toBe('paused');
    expect((await store.get('d-3'))!.status).toBe('paused');
    expect((await store.holderOf(traffic.lockKey))?.until).toBeNull();
    const blocked = await startDeployment(approvalSpec, approvalPlan, setup({ dir }).deps, { id: 'd-4' }).catch((e: unknown) => e);
    expect((blocked as Error).message).toContain('locked by deployment d-3 (paused, waiting for deployctl promote)');
    const later = setup({ traffic, dir });
    const done = await continueDeployment('d-3', later.deps, { control: { type: 'promote' } });
    expect(done.outcome).toBe('succeeded');
    expect(traffic.writes).toEqual([10, 50, 100]);
    const history = (await store.get('d-3'))!.history.map((h) => h.what);
    expect(history).toContain('waiting for approval');
    expect(history).toContain('resumed');
  });

  it('resume after a crash continues from the recorded step without repeating or skipping a weight', async () => {
    const first = setup();
    const written: DeploymentRecord[] = [];
    const update = first.store.update.bind(first.store);
    first.store.update = async (r) => {
      const stored = await update(r);
      written.push(stored);
      return stored;
    };
    await startDeployment(spec, plan, first.deps, { id: 'd-6' });
    // The process "dies" in the bake after 5%: put that revision back, owned by a dead process.
    const midBake = written.find((r) => r.stepIndex === 3 && r.weight === 5)!;
    expect(midBake).toBeDefined();
    writeFileSync(join(first.dir, 'deployments', 'd-6.json'), JSON.stringify({ ...midBake, status: 'running' }));
    await first.store.acquire(first.traffic.lockKey, { deploymentId: 'd-6', instance: 'dead', host: 'h', pid: 1, until: Date.now() - 1 });
    const live = new FakeTraffic({ label: 'lambda checkout:live' });
    live.live = 5;
    const resumed = await continueDeployment('d-6', setup({ traffic: live, dir: first.dir }).deps);
    expect(resumed.outcome).toBe('succeeded');
    expect(live.writes).toEqual([25, 100]);
  });

  it('resume rolls back when someone changed the target while no one owned it', async () => {
    const { deps, store, traffic } = setup({ gate: new FakeGate(alarmAtStep(99)) });
    const approvalSpec = parseSpec({ ...spec, steps: '10,approval,50', hooks: undefined });
    await startDeployment(approvalSpec, planFromSpec(approvalSpec), deps, { id: 'd-7', noWait: true });
    traffic.live = 42;
    const resumed = await continueDeployment('d-7', setup({ traffic, dir: (store as FileStore).dir }).deps);
    expect(resumed.outcome).toBe('rolledBack');
    expect(resumed.failure?.message).toBe('aborted by alice@laptop: drift found on resume: lambda checkout:live: found 42%');
    expect(traffic.live).toBe(0);
  });
});
