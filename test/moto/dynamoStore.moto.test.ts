import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { hostname } from 'node:os';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseSpec, planFromSpec } from '../../src/config/resolve.js';
import { continueDeployment, startDeployment, type DeploymentDeps, type DeploymentParts } from '../../src/engine/deployment.js';
import { NO_ANALYSES, NO_HOOKS } from '../../src/engine/runtime.js';
import { LockedError } from '../../src/errors.js';
import { createStateTable, DynamoStore } from '../../src/state/dynamoStore.js';
import { ConflictError, type DeploymentRecord, type LockHolder } from '../../src/state/types.js';
import { VirtualClock } from '../../src/time/clock.js';
import { FakeGate, alarmAtStep } from '../fakes/fakeGate.js';
import { FakeTraffic } from '../fakes/fakeTraffic.js';
import { checkedDynamo, type CheckedDynamo } from './dynamoClient.js';
import { describeWithMoto } from './motoServer.js';

const spec = parseSpec({ strategy: 'canary', steps: '1,5,25,100', bake: '5m', targets: [{ type: 'lambda', functionName: 'checkout', alias: 'live', toVersion: 2 }] });
const plan = planFromSpec(spec);
const approvalSpec = parseSpec({ ...spec, steps: '10,approval,50' });
const approvalPlan = planFromSpec(approvalSpec);

function record(id: string, createdAt: number): DeploymentRecord {
  return {
    id,
    createdAt,
    updatedAt: createdAt,
    status: 'running',
    spec: {},
    plan,
    targets: [{ label: 'lambda checkout:live', kind: 'lambda', lockKey: 'lambda:checkout:live' }],
    stepIndex: 0,
    weight: 0,
    capacityPercent: 0,
    snapshots: null,
    gate: null,
    failure: null,
    rollbackCommands: [],
    history: [{ at: createdAt, what: 'started', by: 'alice' }],
    machine: null,
    requests: [],
    handled: [],
    owner: null,
    revision: 0,
  };
}

const holder = (deploymentId: string, instance: string, until: number | null, host = 'elsewhere', pid = 1): LockHolder => ({ deploymentId, instance, host, pid, until });

describeWithMoto('the DynamoDB state store against moto', (moto) => {
  let dynamo: CheckedDynamo;
  let tables = 0;
  /** A fresh table per test, created the way `deployctl init-state-table` does. */
  const freshStore = async (): Promise<DynamoStore> => {
    const table = `deployctl-state-${++tables}`;
    expect(await createStateTable(table, {}, dynamo.client)).toBe(true);
    return new DynamoStore(dynamo.client, table);
  };

  beforeAll(() => {
    dynamo = checkedDynamo(moto());
  });

  describe('records, requests and locks', () => {
    it('init-state-table creates the table once and reports an existing one', async () => {
      await freshStore();
      expect(await createStateTable(`deployctl-state-${tables}`, {}, dynamo.client)).toBe(false);
    });

    it('create, get and update are conditional on the revision; list returns records newest first', async () => {
      const store = await freshStore();
      const created = await store.create(record('d-1', 1000));
      expect(created.revision).toBe(1);
      await expect(store.create(record('d-1', 1000))).rejects.toBeInstanceOf(ConflictError);
      const updated = await store.update({ ...created, stepIndex: 2, weight: 5 });
      expect(updated.revision).toBe(2);
      expect(await store.get('d-1')).toEqual({ ...updated, requests: [] });
      await expect(store.update({ ...created, weight: 25 })).rejects.toThrow(/changed since revision 1/);
      await expect(store.update({ ...record('d-missing', 1), revision: 1 })).rejects.toBeInstanceOf(ConflictError);
      expect((await store.get('d-1'))?.weight).toBe(5);
      await store.create(record('d-2', 3000));
      await store.create(record('d-0', 500));
      expect((await store.list()).map((r) => r.id)).toEqual(['d-2', 'd-1', 'd-0']);
      expect(await store.get('d-nope')).toBeUndefined();
    });

    it('control requests are separate items: they survive the owner’s updates and come back in time order', async () => {
      const store = await freshStore();
      const created = await store.create(record('d-1', 1000));
      await store.request('d-1', { id: 'r2', type: 'abort', reason: 'bad', by: 'bob', at: 2000 });
      await store.request('d-1', { id: 'r1', type: 'promote', by: 'carol', at: 1500 });
      const updated = await store.update({ ...created, weight: 10 });
      expect(updated.requests).toEqual([]);
      const read = await store.get('d-1');
      expect(read?.weight).toBe(10);
      expect(read?.requests.map((r) => [r.id, r.type, r.by])).toEqual([['r1', 'promote', 'carol'], ['r2', 'abort', 'bob']]);
      expect((await store.list())[0]?.requests.map((r) => r.id)).toEqual(['r1', 'r2']);
    });

    it('acquire, renew and release a lease; another live holder keeps it', async () => {
      const store = await freshStore();
      const mine = holder('d-1', 'i-1', Date.now() + 60_000);
      expect(await store.acquire('alb:x', mine)).toEqual({ acquired: true });
      expect(await store.acquire('alb:x', mine)).toEqual({ acquired: true });
      expect(await store.acquire('alb:x', holder('d-2', 'i-2', Date.now() + 60_000))).toEqual({ acquired: false, holder: mine });
      const renewed = { ...mine, until: Date.now() + 120_000 };
      expect(await store.renew('alb:x', renewed)).toBe(true);
      expect(await store.holderOf('alb:x')).toEqual(renewed);
      expect(await store.renew('alb:x', holder('d-2', 'i-2', Date.now() + 60_000))).toBe(false);
      await store.release('alb:x', 'd-2');
      expect(await store.holderOf('alb:x')).toEqual(renewed);
      await store.release('alb:x', 'd-1');
      expect(await store.holderOf('alb:x')).toBeUndefined();
      expect(await store.renew('alb:x', renewed)).toBe(false);
    });

    it('takes over an expired lease, and one held by a dead process on this host', async () => {
      const store = await freshStore();
      await store.acquire('alb:x', holder('d-1', 'i-1', Date.now() - 1));
      const next = holder('d-2', 'i-2', Date.now() + 60_000);
      expect(await store.acquire('alb:x', next)).toEqual({ acquired: true });
      expect(await store.holderOf('alb:x')).toEqual(next);
      // The old owner's renewal now fails: it lost the lock.
      expect(await store.renew('alb:x', holder('d-1', 'i-1', Date.now() + 60_000))).toBe(false);

      await store.acquire('alb:y', holder('d-3', 'i-3', Date.now() + 60_000, hostname(), 2 ** 22 + 12_345));
      expect(await store.acquire('alb:y', holder('d-4', 'i-4', Date.now() + 60_000))).toEqual({ acquired: true });
    });

    it('a paused lock (null expiry) never expires for others, and is handed to the same deployment in a new process', async () => {
      const store = await freshStore();
      const paused = holder('d-1', 'i-1', null);
      expect(await store.acquire('lambda:f:live', paused)).toEqual({ acquired: true });
      expect((await store.holderOf('lambda:f:live'))?.until).toBeNull();
      expect(await store.acquire('lambda:f:live', holder('d-2', 'i-2', Date.now() + 60_000))).toEqual({ acquired: false, holder: paused });
      const resumed = holder('d-1', 'i-9', Date.now() + 60_000, hostname(), process.pid);
      expect(await store.acquire('lambda:f:live', resumed)).toEqual({ acquired: true });
      expect(await store.holderOf('lambda:f:live')).toEqual(resumed);
    });

    it('two processes racing for a free lock: exactly one wins, by the conditional write', async () => {
      const store = await freshStore();
      const contenders = Array.from({ length: 6 }, (_, i) => holder(`d-${i}`, `i-${i}`, Date.now() + 60_000));
      const results = await Promise.all(contenders.map((h) => store.acquire('ecs:svc', h)));
      const winners = results.filter((r) => r.acquired);
      expect(winners).toHaveLength(1);
      const owner = await store.holderOf('ecs:svc');
      for (const r of results) if (!r.acquired) expect(r.holder).toEqual(owner);
    });
  });

  describe('durable deployments (the engine with fake providers) on the DynamoDB store', () => {
    function setup(store: DynamoStore, options: { traffic?: FakeTraffic; gate?: FakeGate } = {}) {
      const traffic = options.traffic ?? new FakeTraffic({ label: 'lambda checkout:live' });
      const parts: DeploymentParts = { traffic: [traffic], capacity: [], gates: options.gate ? [options.gate] : [], hooks: NO_HOOKS, analyses: NO_ANALYSES };
      const deps: DeploymentDeps = { store, clock: new VirtualClock(), build: async () => parts, by: 'alice@laptop' };
      return { traffic, deps };
    }

    it('records every transition and releases the lock at the end', async () => {
      const store = await freshStore();
      const { deps, traffic } = setup(store);
      const result = await startDeployment(spec, plan, deps, { id: 'd-1' });
      expect(result.outcome).toBe('succeeded');
      expect(traffic.writes).toEqual([1, 5, 25, 100]);
      const stored = (await store.get('d-1'))!;
      expect(stored).toMatchObject({ status: 'succeeded', weight: 100, owner: null });
      expect(stored.revision).toBeGreaterThan(10);
      expect(stored.history.map((h) => h.what)).toEqual([
        'started', 'preflight', 'step 1 started', 'weight set', 'gates', 'step 2 started', 'step 3 started', 'weight set', 'step 4 started',
        'step 5 started', 'weight set', 'step 6 started', 'step 7 started', 'weight set', 'finished',
      ]);
      expect(await store.holderOf(traffic.lockKey)).toBeUndefined();
      expect(dynamo.invalid).toEqual([]);
    });

    it('a second deployment on a locked target fails with LockedError and changes nothing', async () => {
      const store = await freshStore();
      const { deps, traffic } = setup(store);
      await store.acquire(traffic.lockKey, holder('d-other', 'x', Date.now() + 60_000));
      const error = await startDeployment(spec, plan, deps, { id: 'd-2' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(LockedError);
      expect((error as Error).message).toBe('target lambda checkout:live is locked by deployment d-other (running in process 1 on elsewhere)');
      expect(traffic.writes).toEqual([]);
      expect(await store.get('d-2')).toBeUndefined();
    });

    it('--no-wait parks at the approval holding a paused lock; promote in a later process finishes it', async () => {
      const store = await freshStore();
      const { deps, traffic } = setup(store);
      const paused = await startDeployment(approvalSpec, approvalPlan, deps, { id: 'd-3', noWait: true });
      expect(paused.outcome).toBe('paused');
      expect((await store.get('d-3'))?.status).toBe('paused');
      expect((await store.holderOf(traffic.lockKey))?.until).toBeNull();
      const blocked = await startDeployment(approvalSpec, approvalPlan, setup(store).deps, { id: 'd-4' }).catch((e: unknown) => e);
      expect((blocked as Error).message).toContain('locked by deployment d-3 (paused, waiting for deployctl promote)');
      const done = await continueDeployment('d-3', setup(store, { traffic }).deps, { control: { type: 'promote' } });
      expect(done.outcome).toBe('succeeded');
      expect(traffic.writes).toEqual([10, 50, 100]);
      expect((await store.get('d-3'))?.history.map((h) => h.what)).toEqual(expect.arrayContaining(['waiting for approval', 'resumed']));
      expect(await store.holderOf(traffic.lockKey)).toBeUndefined();
    });

    it('resume after a crash takes over the expired lease and continues from the recorded step', async () => {
      const store = await freshStore();
      const written: DeploymentRecord[] = [];
      const update = store.update.bind(store);
      store.update = async (r) => {
        const stored = await update(r);
        written.push(stored);
        return stored;
      };
      await startDeployment(spec, plan, setup(store).deps, { id: 'd-6' });
      store.update = update;
      // The process "dies" in the bake after 5%: put that revision back (with a later revision), owned by a dead process.
      const midBake = written.find((r) => r.stepIndex === 3 && r.weight === 5)!;
      expect(midBake).toBeDefined();
      const latest = (await store.get('d-6'))!;
      await dynamo.client.send(
        new PutItemCommand({
          TableName: `deployctl-state-${tables}`,
          Item: { pk: { S: 'deployment#d-6' }, sk: { S: 'record' }, data: { S: JSON.stringify({ ...midBake, status: 'running', revision: latest.revision }) }, revision: { N: String(latest.revision) }, status: { S: 'running' }, updatedAt: { N: String(midBake.updatedAt) } },
        }),
      );
      const live = new FakeTraffic({ label: 'lambda checkout:live' });
      live.live = 5;
      await store.acquire(live.lockKey, holder('d-6', 'dead', Date.now() - 1));
      const resumed = await continueDeployment('d-6', setup(store, { traffic: live }).deps);
      expect(resumed.outcome).toBe('succeeded');
      expect(live.writes).toEqual([25, 100]);
      expect(await store.holderOf(live.lockKey)).toBeUndefined();
    });

    it('resume rolls back when someone changed the target while no one owned it', async () => {
      const store = await freshStore();
      const { deps, traffic } = setup(store, { gate: new FakeGate(alarmAtStep(99)) });
      await startDeployment(approvalSpec, approvalPlan, deps, { id: 'd-7', noWait: true });
      traffic.live = 42;
      const resumed = await continueDeployment('d-7', setup(store, { traffic }).deps);
      expect(resumed.outcome).toBe('rolledBack');
      expect(resumed.failure?.message).toBe('aborted by alice@laptop: drift found on resume: lambda checkout:live: found 42%');
      expect(traffic.live).toBe(0);
      expect((await store.get('d-7'))?.status).toBe('rolledBack');
    });
  });
});
