/**
 * Starts moto (`python3 -m moto.server`), the AWS emulator nobody here wrote, on a free loopback port for one test
 * file, and stops it (the whole process group) afterwards. Under CI=true the suite must run: if moto cannot start,
 * the suite fails loudly. Elsewhere, a machine without moto skips the suite with the reason in its name.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe } from 'vitest';

export interface MotoServer {
  readonly endpoint: string;
  readonly port: number;
  /** Deletes every resource in every moto backend (POST /moto-api/reset). */
  reset(): Promise<void>;
}

export const MOTO_REGION = 'us-east-1';
/** moto's default account. */
export const MOTO_ACCOUNT = '123456789012';

const inCi = process.env.CI === 'true';

/** Why moto cannot be used on this machine, or undefined when `import moto.server` works. */
function motoMissing(): string | undefined {
  const probe = spawnSync('python3', ['-c', 'import moto.server'], { encoding: 'utf8', timeout: 20_000 });
  if (probe.error) return `python3 not runnable (${probe.error.message})`;
  if (probe.status !== 0) return `python3 -c 'import moto.server' failed: ${(probe.stderr || '').trim().split('\n').pop() ?? ''}`;
  return undefined;
}

const missing = inCi ? undefined : motoMissing();

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function waitUntilUp(endpoint: string, child: ChildProcess, output: () => string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`moto exited (${child.exitCode ?? child.signalCode}) before answering:\n${output()}`);
    try {
      const response = await fetch(`${endpoint}/moto-api/`, { signal: AbortSignal.timeout(1000) });
      await response.arrayBuffer();
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`moto did not answer on ${endpoint} within ${timeoutMs} ms:\n${output()}`);
}

function stop(child: ChildProcess): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

/** Starts moto; the returned stop function kills its process group. */
export async function startMoto(): Promise<MotoServer & { stop(): void }> {
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const child = spawn('python3', ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(port)], {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, AWS_DEFAULT_REGION: MOTO_REGION, AWS_ACCESS_KEY_ID: 'motokey', AWS_SECRET_ACCESS_KEY: 'motosecret' },
  });
  let log = '';
  const keep = (chunk: Buffer): void => {
    log = (log + chunk.toString()).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const onExit = (): void => stop(child);
  process.once('exit', onExit);
  try {
    await waitUntilUp(endpoint, child, () => log);
  } catch (error) {
    stop(child);
    throw error;
  }
  return {
    endpoint,
    port,
    reset: async () => {
      const response = await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
      await response.arrayBuffer();
    },
    stop: () => {
      process.off('exit', onExit);
      child.stdout?.destroy();
      child.stderr?.destroy();
      stop(child);
    },
  };
}

/** SDK client options for moto: its endpoint, us-east-1, dummy credentials, no retries (errors surface as they are). */
export function motoClientConfig(moto: MotoServer): { endpoint: string; region: string; credentials: { accessKeyId: string; secretAccessKey: string }; maxAttempts: number } {
  return { endpoint: moto.endpoint, region: MOTO_REGION, credentials: { accessKeyId: 'motokey', secretAccessKey: 'motosecret' }, maxAttempts: 1 };
}

/**
 * A describe block with a moto server for its tests. `fn` receives a getter (the server exists only once
 * beforeAll has run). Skipped with the reason in its name when moto is absent outside CI.
 */
export function describeWithMoto(name: string, fn: (moto: () => MotoServer) => void): void {
  const title = missing ? `${name} (skipped: moto not available: ${missing}; install with pip install 'moto[server]')` : name;
  if (missing) console.warn(`[moto] ${title}`);
  describe.skipIf(missing !== undefined)(title, () => {
    let server: (MotoServer & { stop(): void }) | undefined;
    beforeAll(async () => {
      server = await startMoto();
    }, 30_000);
    afterAll(() => server?.stop());
    fn(() => {
      if (!server) throw new Error('moto is not running (beforeAll failed)');
      return server;
    });
  });
}

/**
 * A raw awsQuery call to a moto service we have no SDK client for (EC2 subnets, IAM roles). moto routes by the
 * service named in the Authorization header's credential scope and does not check the signature.
 */
export async function motoQuery(moto: MotoServer, service: string, action: string, version: string, params: Record<string, string> = {}): Promise<string> {
  const response = await fetch(`${moto.endpoint}/`, {
    method: 'POST',
    body: new URLSearchParams({ Action: action, Version: version, ...params }),
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `AWS4-HMAC-SHA256 Credential=motokey/20260101/${MOTO_REGION}/${service}/aws4_request, SignedHeaders=host, Signature=0`,
    },
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`moto ${service} ${action}: HTTP ${response.status}: ${text.slice(0, 500)}`);
  return text;
}

/** Two default subnets (in different Availability Zones) of moto's default VPC. */
export async function motoSubnets(moto: MotoServer): Promise<string[]> {
  const xml = await motoQuery(moto, 'ec2', 'DescribeSubnets', '2016-11-15', { 'Filter.1.Name': 'default-for-az', 'Filter.1.Value.1': 'true' });
  const subnets = [...xml.matchAll(/<subnetId>(subnet-[0-9a-f]+)<\/subnetId>/g)].map((m) => m[1]!);
  if (subnets.length < 2) throw new Error(`moto has fewer than two default subnets: ${xml.slice(0, 300)}`);
  return subnets.slice(0, 2);
}

/** An IAM role moto's Lambda accepts as an execution role (moto checks that the role exists). */
export async function motoLambdaRole(moto: MotoServer, name = 'deployctl-conformance'): Promise<string> {
  const policy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
  const xml = await motoQuery(moto, 'iam', 'CreateRole', '2010-05-08', { RoleName: name, AssumeRolePolicyDocument: policy }).catch(async (error: unknown) => {
    if (!String(error).includes('EntityAlreadyExists')) throw error;
    return motoQuery(moto, 'iam', 'GetRole', '2010-05-08', { RoleName: name });
  });
  const arn = /<Arn>([^<]+)<\/Arn>/.exec(xml)?.[1];
  if (!arn) throw new Error(`moto IAM returned no role ARN: ${xml.slice(0, 300)}`);
  return arn;
}

/** The default security group of moto's default VPC. */
export async function motoDefaultSecurityGroup(moto: MotoServer): Promise<string> {
  const xml = await motoQuery(moto, 'ec2', 'DescribeSecurityGroups', '2016-11-15', { 'Filter.1.Name': 'group-name', 'Filter.1.Value.1': 'default' });
  const id = /<groupId>(sg-[0-9a-f]+)<\/groupId>/.exec(xml)?.[1];
  if (!id) throw new Error(`moto has no default security group: ${xml.slice(0, 300)}`);
  return id;
}
