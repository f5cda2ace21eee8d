import { ConflictError, type DeploymentRecord, type DeploymentStore } from '../state/types.js';

/**
 * Writes the owner's view of a deployment after every transition. Other processes only ever append control
 * requests; a write that loses that race re-reads the record and tries again with their requests kept.
 */
export class RecordWriter {
  private chain: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly store: DeploymentStore,
    private current: DeploymentRecord,
  ) {}

  get record(): DeploymentRecord {
    return this.current;
  }

  /** Queues a write of `patch` on top of the latest record; writes happen in order. */
  write(patch: Partial<DeploymentRecord>): Promise<DeploymentRecord> {
    const next = this.chain.then(() => this.writeNow(patch));
    this.chain = next.catch(() => undefined);
    return next;
  }

  /** Re-reads the record (to see control requests from other processes). */
  async refresh(): Promise<DeploymentRecord> {
    await this.chain;
    const stored = await this.store.get(this.current.id);
    if (stored && stored.revision > this.current.revision) this.current = { ...this.current, requests: stored.requests, revision: stored.revision };
    return this.current;
  }

  async flush(): Promise<void> {
    await this.chain;
  }

  private async writeNow(patch: Partial<DeploymentRecord>): Promise<DeploymentRecord> {
    for (let attempt = 0; attempt < 20; attempt++) {
      try {
        this.current = await this.store.update({ ...this.current, ...patch, updatedAt: Date.now() });
        return this.current;
      } catch (error) {
        if (!(error instanceof ConflictError)) throw error;
        const stored = await this.store.get(this.current.id);
        if (!stored) throw error;
        this.current = { ...this.current, requests: stored.requests, revision: stored.revision };
      }
    }
    throw new ConflictError(`deployment ${this.current.id}: could not write after 20 conflicting updates`);
  }
}
