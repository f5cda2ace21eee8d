import type { Failure } from '../engine/events.js';
import type { GateState } from '../machines/context.js';
import type { Json } from '../providers/types.js';
import type { Plan } from '../strategies/types.js';

export type DeploymentStatus = 'running' | 'paused' | 'succeeded' | 'rolledBack' | 'rollbackFailed' | 'rejected';

/** One line of a deployment's audit history: what happened, when, and who asked. */
export interface AuditEntry {
  readonly at: number;
  readonly what: string;
  readonly detail?: string;
  readonly by?: string;
}

/** A promote or abort asked for by another process (or CI job) while the owner runs the deployment. */
export interface ControlRequest {
  readonly id: string;
  readonly type: 'promote' | 'abort';
  readonly full?: boolean;
  readonly reason?: string;
  readonly by: string;
  readonly at: number;
}

export interface TargetRef {
  readonly label: string;
  readonly kind: string;
  readonly lockKey: string;
}

/** Who holds a target's lock: a running process with a lease, or a paused deployment waiting for promote. */
export interface LockHolder {
  readonly deploymentId: string;
  /** Unique per process run, so a restarted process is a different holder of the same deployment. */
  readonly instance: string;
  readonly host: string;
  readonly pid: number;
  /** Wall-clock ms; a paused deployment holds its lock with no expiry (Infinity is stored as null). */
  readonly until: number | null;
}

/** Everything about one deployment, written after every transition. */
export interface DeploymentRecord {
  readonly id: string;
  readonly name?: string;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly status: DeploymentStatus;
  /** The options it was started with (validated, secrets redacted), so resume rebuilds the same runtime. */
  readonly spec: Json;
  readonly plan: Plan;
  readonly targets: readonly TargetRef[];
  readonly stepIndex: number;
  readonly weight: number;
  readonly capacityPercent: number;
  readonly snapshots: Readonly<Record<string, Json>> | null;
  readonly gate: GateState | null;
  readonly failure: Failure | null;
  readonly rollbackCommands: readonly string[];
  readonly history: readonly AuditEntry[];
  /** The machine's persisted snapshot. */
  readonly machine: unknown;
  readonly requests: readonly ControlRequest[];
  /** Requests already applied (ids), so a request is applied once even across processes. */
  readonly handled: readonly string[];
  readonly owner: LockHolder | null;
  /** Incremented on every write; writes are conditional on it. */
  readonly revision: number;
  /** When run against a simulated world: its file (absolute), so status/resume use the same world... */
  readonly world?: string;
  /** ...and whether it ran in simulated time. */
  readonly simTime?: boolean;
}

export type LockResult = { readonly acquired: true } | { readonly acquired: false; readonly holder: LockHolder };

/** Durable deployments and per-target locks. File store by default, DynamoDB for teams and CI fleets. */
export interface DeploymentStore {
  readonly kind: string;
  create(record: DeploymentRecord): Promise<DeploymentRecord>;
  get(id: string): Promise<DeploymentRecord | undefined>;
  /** Writes `record` if the stored revision is `record.revision`; returns it with the next revision. */
  update(record: DeploymentRecord): Promise<DeploymentRecord>;
  list(): Promise<DeploymentRecord[]>;
  /** Appends a control request (conditional write, retried on conflict). */
  request(id: string, request: ControlRequest): Promise<void>;
  /** Takes the lock if it is free, expired, held by a dead process on this host, or already ours. */
  acquire(lockKey: string, holder: LockHolder): Promise<LockResult>;
  /** Extends our lease; false if someone else holds the lock now. */
  renew(lockKey: string, holder: LockHolder): Promise<boolean>;
  release(lockKey: string, deploymentId: string): Promise<void>;
  holderOf(lockKey: string): Promise<LockHolder | undefined>;
}

export class ConflictError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConflictError';
  }
}
