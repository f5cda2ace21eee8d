import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { withFileMutex } from '../util/fileMutex.js';
import { canTakeOver, processAlive } from './lockRules.js';
import { ConflictError, type ControlRequest, type DeploymentRecord, type DeploymentStore, type LockHolder, type LockResult } from './types.js';

/**
 * Deployments and locks as JSON files under a directory (default `.deployctl/`). Every write goes to a temporary
 * file that is renamed over the old one, so a crash never leaves a half-written record. Read-check-write
 * sequences hold a short mutex (a file created with O_EXCL), so two processes on one machine never both win.
 * Synchronous on purpose: small files, and a simulated clock never jumps while a write is in flight.
 */
export class FileStore implements DeploymentStore {
  readonly kind = 'file';

  constructor(readonly dir: string) {}

  async create(record: DeploymentRecord): Promise<DeploymentRecord> {
    return this.withMutex(`deployment-${record.id}`, () => {
      if (existsSync(this.recordPath(record.id))) throw new ConflictError(`deployment ${record.id} already exists`);
      const created = { ...record, revision: 1 };
      this.writeJson(this.recordPath(record.id), created);
      return created;
    });
  }

  async get(id: string): Promise<DeploymentRecord | undefined> {
    return this.readJson<DeploymentRecord>(this.recordPath(id));
  }

  async update(record: DeploymentRecord): Promise<DeploymentRecord> {
    return this.withMutex(`deployment-${record.id}`, () => {
      const stored = this.readJson<DeploymentRecord>(this.recordPath(record.id));
      if (!stored) throw new ConflictError(`deployment ${record.id} does not exist`);
      if (stored.revision !== record.revision) throw new ConflictError(`deployment ${record.id} changed (revision ${stored.revision}, expected ${record.revision})`);
      const next = { ...record, requests: mergeRequests(stored.requests, record.requests), revision: record.revision + 1 };
      this.writeJson(this.recordPath(record.id), next);
      return next;
    });
  }

  async list(): Promise<DeploymentRecord[]> {
    const dir = join(this.dir, 'deployments');
    if (!existsSync(dir)) return [];
    return readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .map((f) => this.readJson<DeploymentRecord>(join(dir, f)))
      .filter((r): r is DeploymentRecord => r !== undefined)
      .sort((a, b) => b.createdAt - a.createdAt);
  }

  async request(id: string, request: ControlRequest): Promise<void> {
    this.withMutex(`deployment-${id}`, () => {
      const stored = this.readJson<DeploymentRecord>(this.recordPath(id));
      if (!stored) throw new ConflictError(`deployment ${id} does not exist`);
      this.writeJson(this.recordPath(id), { ...stored, requests: [...stored.requests, request], revision: stored.revision + 1 });
    });
  }

  async acquire(lockKey: string, holder: LockHolder): Promise<LockResult> {
    return this.withMutex(`lock-${hashKey(lockKey)}`, () => {
      const current = this.readJson<LockHolder & { lockKey: string }>(this.lockPath(lockKey));
      if (!canTakeOver(current, holder, Date.now(), processAlive, hostname())) return { acquired: false, holder: current! };
      this.writeJson(this.lockPath(lockKey), { ...holder, lockKey });
      return { acquired: true };
    });
  }

  async renew(lockKey: string, holder: LockHolder): Promise<boolean> {
    return this.withMutex(`lock-${hashKey(lockKey)}`, () => {
      const current = this.readJson<LockHolder>(this.lockPath(lockKey));
      if (!current || current.instance !== holder.instance) return false;
      this.writeJson(this.lockPath(lockKey), { ...holder, lockKey });
      return true;
    });
  }

  async release(lockKey: string, deploymentId: string): Promise<void> {
    this.withMutex(`lock-${hashKey(lockKey)}`, () => {
      const current = this.readJson<LockHolder>(this.lockPath(lockKey));
      if (current?.deploymentId === deploymentId) rmSync(this.lockPath(lockKey), { force: true });
    });
  }

  async holderOf(lockKey: string): Promise<LockHolder | undefined> {
    return this.readJson<LockHolder>(this.lockPath(lockKey));
  }

  private recordPath(id: string): string {
    if (!/^[A-Za-z0-9._-]+$/.test(id)) throw new Error(`invalid deployment id ${JSON.stringify(id)}`);
    return join(this.dir, 'deployments', `${id}.json`);
  }

  private lockPath(lockKey: string): string {
    return join(this.dir, 'locks', `${hashKey(lockKey)}.json`);
  }

  private readJson<T>(path: string): T | undefined {
    try {
      return JSON.parse(readFileSync(path, 'utf8')) as T;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  private writeJson(path: string, value: unknown): void {
    mkdirSync(join(path, '..'), { recursive: true });
    const temp = `${path}.${process.pid}.tmp`;
    writeFileSync(temp, `${JSON.stringify(value, null, 2)}\n`);
    renameSync(temp, path);
  }

  /** A cross-process mutex; a stale one (older than 10 s, its owner crashed) is broken. */
  private withMutex<T>(name: string, work: () => T): T {
    mkdirSync(join(this.dir, 'mutex'), { recursive: true });
    return withFileMutex(join(this.dir, 'mutex', `${name}.lock`), STORE_MUTEX, work);
  }
}

const STORE_MUTEX = {
  staleMs: 10_000,
  pollMs: 5,
  maxAttempts: 2000,
  onStuck: (path: string): never => {
    throw new Error(`state store: ${path} stays locked; remove it if no deployctl process is running`);
  },
};

function hashKey(lockKey: string): string {
  return createHash('sha256').update(lockKey).digest('hex').slice(0, 32);
}

/** Requests appended by other processes since this copy was read are kept. */
function mergeRequests(stored: readonly ControlRequest[], mine: readonly ControlRequest[]): ControlRequest[] {
  const ids = new Set(mine.map((r) => r.id));
  return [...mine, ...stored.filter((r) => !ids.has(r.id))];
}
