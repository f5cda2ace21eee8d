import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createHookRunner } from '../../../src/gates/index.js';
import { messageOf } from '../../../src/errors.js';
import { RealClock } from '../../../src/time/clock.js';

interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

let servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  servers = [];
});

/** A local webhook on 127.0.0.1, port 0, answering with `respond` (or never, when it returns undefined). */
async function webhook(respond: (req: Received) => { status: number; body?: string; headers?: Record<string, string> } | undefined) {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      const request = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body };
      received.push(request);
      const answer = respond(request);
      if (!answer) return;
      res.writeHead(answer.status, answer.headers ?? {});
      res.end(answer.body ?? '');
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/hooks/deploy?token=abc`, received, origin: `http://127.0.0.1:${port}`, server };
}

const noLambda = () => Promise.reject(new Error('no Lambda in this test'));
const ctx = (signal = new AbortController().signal) => ({ deploymentId: 'd-1', signal, stepIndex: 2, weight: 5 });

function hooks(spec: { http: string; headers?: Record<string, string>; timeout?: string }, env: NodeJS.ProcessEnv = {}) {
  return createHookRunner({ verify: spec }, { lambda: noLambda, clock: new RealClock(), env });
}

describe('http hooks', () => {
  it('POST the deployment context as JSON and pass on 2xx', async () => {
    const hook = await webhook(() => ({ status: 204 }));
    const { detail } = await hooks({ http: hook.url }).run('verify', ctx());
    expect(detail).toMatch(new RegExp(`^POST ${hook.origin}/… answered 204 No Content after \\d+\\.\\ds$`));
    expect(hook.received).toHaveLength(1);
    const [request] = hook.received;
    expect(request!.method).toBe('POST');
    expect(request!.url).toBe('/hooks/deploy?token=abc');
    expect(request!.headers['content-type']).toBe('application/json');
    expect(JSON.parse(request!.body)).toEqual({ deploymentId: 'd-1', step: 2, weight: 5, hook: 'verify' });
  });

  it('resolve ${env:NAME} in header values at call time, and never print the values', async () => {
    const hook = await webhook(() => ({ status: 500, body: 'upstream says no' }));
    const env = { HOOK_TOKEN: 's3cr3t-token', TENANT: 'blue' };
    const error: unknown = await hooks({ http: hook.url, headers: { authorization: 'Bearer ${env:HOOK_TOKEN}', 'x-tenant': '${env:TENANT}-team' } }, env)
      .run('verify', ctx())
      .catch((e: unknown) => e);
    expect(hook.received[0]!.headers.authorization).toBe('Bearer s3cr3t-token');
    expect(hook.received[0]!.headers['x-tenant']).toBe('blue-team');
    expect(messageOf(error)).toMatch(/^hook verify failed: POST http:\/\/127\.0\.0\.1:\d+\/… answered 500 Internal Server Error after \d+\.\ds: upstream says no$/);
    expect(JSON.stringify(error)).not.toContain('s3cr3t');
    expect(String((error as Error).stack)).not.toContain('s3cr3t');
  });

  it('fail without calling when a referenced variable is not set, naming the header and the variable', async () => {
    const hook = await webhook(() => ({ status: 200 }));
    await expect(hooks({ http: hook.url, headers: { authorization: 'Bearer ${env:MISSING_TOKEN}' } }).run('verify', ctx())).rejects.toMatchObject({
      code: 'HOOK_FAILED',
      message: 'hook verify failed: header authorization refers to ${env:MISSING_TOKEN}, which is not set in the environment',
    });
    expect(hook.received).toHaveLength(0);
  });

  it('fail on a redirect instead of following it', async () => {
    const hook = await webhook(() => ({ status: 302, headers: { location: 'http://example.invalid/' } }));
    await expect(hooks({ http: hook.url }).run('verify', ctx())).rejects.toMatchObject({ code: 'HOOK_FAILED', message: expect.stringContaining('answered 302 Found') });
  });

  it('time out when the server never answers', async () => {
    const hook = await webhook(() => undefined);
    const started = Date.now();
    await expect(hooks({ http: hook.url, timeout: '300ms' }).run('verify', ctx())).rejects.toMatchObject({ code: 'HOOK_FAILED', message: 'hook verify timed out after 300ms' });
    expect(Date.now() - started).toBeLessThan(3000);
    hook.server.closeAllConnections();
  });

  it('stop when the rollout aborts', async () => {
    const hook = await webhook(() => undefined);
    const controller = new AbortController();
    const running = hooks({ http: hook.url }).run('verify', ctx(controller.signal));
    setTimeout(() => controller.abort(), 100);
    await expect(running).rejects.toMatchObject({ code: 'ABORTED' });
    hook.server.closeAllConnections();
  });

  it('fail with the network reason when nothing listens', async () => {
    const hook = await webhook(() => ({ status: 200 }));
    await new Promise((resolve) => hook.server.close(resolve));
    await expect(hooks({ http: hook.url }).run('verify', ctx())).rejects.toMatchObject({ code: 'HOOK_FAILED', message: expect.stringMatching(/^hook verify failed: POST http:\/\/127\.0\.0\.1:\d+\/… failed: fetch failed \(ECONNREFUSED\)$/) });
  });

  it('use the injected fetch', async () => {
    const calls: string[] = [];
    const fakeFetch: typeof fetch = async (input) => {
      calls.push(String(input));
      return new Response('ok', { status: 200, statusText: 'OK' });
    };
    const runner = createHookRunner({ verify: { http: 'https://hooks.example.com/' } }, { lambda: noLambda, clock: new RealClock(), fetch: fakeFetch, env: {} });
    expect((await runner.run('verify', ctx())).detail).toMatch(/^POST https:\/\/hooks\.example\.com answered 200 OK after/);
    expect(calls).toEqual(['https://hooks.example.com/']);
  });
});
