import { ConflictError, type ControlRequest, type DeploymentRecord, type DeploymentStore, type LockHolder, type LockResult } from '../../src/state/types.js';

/**
 * A state store in memory, with the FileStore's rules (conditional writes on the revision, one lock holder per key)
 * but no lease expiry: the reliability suite copies it at a crash point and hands the copy, without the dead run's
 * locks, to the run that resumes.
 */
export class MemoryStore implements DeploymentStore {
  readonly kind = 'memory';
  readonly records = new Map<string, DeploymentRecord>();
  readonly locks = new Map<string, LockHolder>();
  /** Called after every successful write of a record (create, update, request), with the stored copy. */
  onWrite: ((record: DeploymentRecord, writes: number) => void) | undefined;
  private writes = 0;

  async create(record: DeploymentRecord): Promise<DeploymentRecord> {
    if (this.records.has(record.id)) throw new ConflictError(`deployment ${record.id} already exists`);
    return this.store({ ...record, revision: 1 });
  }

  async get(id: string): Promise<DeploymentRecord | undefined> {
    const record = this.records.get(id);
    return record && clone(record);
  }

  async update(record: DeploymentRecord): Promise<DeploymentRecord> {
    const stored = this.records.get(record.id);
    if (!stored) throw new ConflictError(`deployment ${record.id} does not exist`);
    if (stored.revision !== record.revision) throw new ConflictError(`deployment ${record.id} changed (revision ${stored.revision}, expected ${record.revision})`);
    const requests = [...stored.requests, ...record.requests.filter((r) => !stored.requests.some((s) => s.id === r.id))];
    return this.store({ ...record, requests, revision: record.revision + 1 });
  }

  async list(): Promise<DeploymentRecord[]> {
    return [...this.records.values()].map(clone).sort((a, b) => b.createdAt - a.createdAt);
  }

  async request(id: string, request: ControlRequest): Promise<void> {
    const stored = this.records.get(id);
    if (!stored) throw new ConflictError(`deployment ${id} does not exist`);
    this.store({ ...stored, requests: [...stored.requests, request], revision: stored.revision + 1 });
  }

  async acquire(lockKey: string, holder: LockHolder): Promise<LockResult> {
    const current = this.locks.get(lockKey);
    if (current && current.instance !== holder.instance && !(current.deploymentId === holder.deploymentId && current.until === null)) return { acquired: false, holder: current };
    this.locks.set(lockKey, holder);
    return { acquired: true };
  }

  async renew(lockKey: string, holder: LockHolder): Promise<boolean> {
    if (this.locks.get(lockKey)?.instance !== holder.instance) return false;
    this.locks.set(lockKey, holder);
    return true;
  }

  async release(lockKey: string, deploymentId: string): Promise<void> {
    if (this.locks.get(lockKey)?.deploymentId === deploymentId) this.locks.delete(lockKey);
  }

  async holderOf(lockKey: string): Promise<LockHolder | undefined> {
    return this.locks.get(lockKey);
  }

  /** The records as they are now, without the locks (whose holder is the process that died). */
  copyWithoutLocks(): MemoryStore {
    const copy = new MemoryStore();
    for (const [id, record] of this.records) copy.records.set(id, clone(record));
    return copy;
  }

  private store(record: DeploymentRecord): DeploymentRecord {
    const stored = clone(record);
    this.records.set(record.id, stored);
    this.writes += 1;
    this.onWrite?.(stored, this.writes);
    return clone(stored);
  }
}

function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
