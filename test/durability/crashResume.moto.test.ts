/**
 * Crash and resume with the DynamoDB state store (`--state-table`) against moto: the lease and the record live
 * in DynamoDB, the target in the simulated world.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createServer, type Server } from 'node:http';
import { hostname } from 'node:os';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DynamoStore } from '../../src/state/dynamoStore.js';
import { describeWithMoto, motoClientConfig, MOTO_REGION, type MotoServer } from '../moto/motoServer.js';
import { EXIT, mutatingCalls, processAlive, Sandbox } from './harness.js';
import { historyText, historyWeights } from './scenario.js';
import { lambdaTarget } from './targets.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const CREDENTIALS = { AWS_ACCESS_KEY_ID: 'motokey', AWS_SECRET_ACCESS_KEY: 'motosecret', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };
const LOCK = 'lambda:checkout:live';

/** A pass-through to moto that holds every request `delayMs` first: a state store as slow as a far region. */
function slowProxy(target: string, delayMs: number): Promise<{ endpoint: string; server: Server }> {
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      setTimeout(() => {
        const headers = Object.fromEntries(Object.entries(request.headers).filter((e): e is [string, string] => typeof e[1] === 'string' && e[0] !== 'host' && e[0] !== 'content-length'));
        fetch(`${target}${request.url ?? '/'}`, { method: request.method ?? 'POST', headers, body: chunks.length > 0 ? Buffer.concat(chunks) : null })
          .then(async (answer) => {
            response.writeHead(answer.status, Object.fromEntries([...answer.headers.entries()].filter(([k]) => k !== 'content-encoding' && k !== 'content-length' && k !== 'transfer-encoding')));
            response.end(Buffer.from(await answer.arrayBuffer()));
          })
          .catch((error: unknown) => {
            response.writeHead(502);
            response.end(String(error));
          });
      }, delayMs);
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => {
    const address = server.address();
    resolve({ endpoint: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`, server });
  }));
}

describeWithMoto('crash and resume with the DynamoDB state store (moto)', (moto) => {
  const sandboxes: Sandbox[] = [];
  let proxy: { endpoint: string; server: Server } | undefined;
  let tables = 0;
  beforeAll(async () => {
    proxy = await slowProxy(moto().endpoint, 200);
  });
  afterAll(() => {
    proxy?.server.close();
    sandboxes.forEach((s) => s.remove());
  });

  /** A fresh table made by `deployctl init-state-table`, and the CLI flags that use it through `endpoint`. */
  const setUp = async (server: MotoServer, endpoint: string) => {
    const sandbox = Sandbox.create('lambda');
    sandboxes.push(sandbox);
    const table = `deployctl-durability-${++tables}`;
    const store = ['--state-table', table, '--endpoint-url', endpoint, '--region', MOTO_REGION];
    const init = await sandbox.cli(['init-state-table', table, ...store], { env: CREDENTIALS });
    expect(init.code, init.stdout + init.stderr).toBe(0);
    return { sandbox, store, dynamo: new DynamoStore(new DynamoDBClient(motoClientConfig(server)), table) };
  };

  it('killed right after the 5% write: resume takes over the DynamoDB lease and ends in success or a clean rollback', async () => {
    const { sandbox, store, dynamo } = await setUp(moto(), moto().endpoint);
    const id = 'd-dynamo-5';
    const killed = await sandbox.rollout(['canary', '--steps', '1,5,25,100', '--bake', '5m', ...lambdaTarget.flags(sandbox.worldState()), ...store, '--id', id], { env: CREDENTIALS, crashAt: 'weight.set:5' });
    expect(killed.signal).toBe('SIGKILL');
    const holder = await dynamo.holderOf(LOCK);
    expect(holder).toMatchObject({ deploymentId: id, pid: killed.pid, host: hostname() });
    expect(holder!.until).toBeGreaterThan(Date.now());
    expect(processAlive(killed.pid)).toBe(false);

    const resumed = await sandbox.control('resume', id, store, { env: CREDENTIALS });
    const record = (await dynamo.get(id))!;
    const story = `${resumed.stdout}${resumed.stderr}\n${historyText(record.history)}`;
    expect([EXIT.succeeded, EXIT.rolledBack], story).toContain(resumed.code);
    expect(await dynamo.holderOf(LOCK), 'the lease is released').toBeUndefined();
    const world = sandbox.worldState();
    const writes = mutatingCalls(world).map((c) => c.operation);
    if (resumed.code === EXIT.succeeded) {
      expect(record).toMatchObject({ status: 'succeeded', weight: 100 });
      expect(historyWeights(record.history)).toEqual([1, 5, 25, 100]);
      expect(writes).toEqual(Array(4).fill('UpdateAlias'));
      expect(lambdaTarget.newShare(world)).toBe(100);
    } else {
      // Today the record is often a transition behind the world when the process dies (see the known bug below):
      // resume then takes the 5% it never recorded for drift and rolls back, cleanly; the audit history may then
      // lack the 5% write (1%, 5% and the restore are in the world's call log).
      expect(record).toMatchObject({ status: 'rolledBack', weight: 0 });
      expect([[1], [1, 5]]).toContainEqual(historyWeights(record.history));
      expect(writes).toEqual(Array(3).fill('UpdateAlias'));
      expect(lambdaTarget.live(world)).toEqual({ functionVersion: '1', routing: {}, description: 'production' });
    }

    const status = await sandbox.cli(['status', id, ...store, '--sim-time'], { env: CREDENTIALS });
    expect(JSON.parse(status.stdout)).toMatchObject({ id, status: record.status, history: record.history, live: [{ weight: resumed.code === EXIT.succeeded ? 100 : 0 }] });
    const list = await sandbox.cli(['list', ...store], { env: CREDENTIALS });
    expect(list.events).toEqual([expect.objectContaining({ id, status: record.status })]);
  });

  // Write-ahead: a traffic write waits until the record that announces it is stored, so even with a state store
  // slower than the target (every DynamoDB call takes 200 ms here) a process killed right after the first write
  // leaves a record that describes it, and resume ends cleanly.
  it('killed right after the first write with a slow state store: resume ends in success or a clean rollback, never half-shifted', async () => {
    const { sandbox, store, dynamo } = await setUp(moto(), proxy!.endpoint);
    const id = 'd-dynamo-slow';
    const killed = await sandbox.rollout(['canary', '--steps', '1,5,25,100', '--bake', '5m', ...lambdaTarget.flags(sandbox.worldState()), ...store, '--id', id], { env: CREDENTIALS, crashAt: 'weight.set:1' });
    expect(killed.signal).toBe('SIGKILL');
    const resumed = await sandbox.control('resume', id, store, { env: CREDENTIALS });
    const record = (await dynamo.get(id))!;
    const share = lambdaTarget.newShare(sandbox.worldState());
    expect({ code: resumed.code, share, status: record.status }, historyText(record.history)).toSatisfy(
      (end: { code: number | null; share: number; status: string }) => (end.code === EXIT.succeeded && end.share === 100 && end.status === 'succeeded') || (end.code === EXIT.rolledBack && end.share === 0 && end.status === 'rolledBack'),
    );
  });
});
