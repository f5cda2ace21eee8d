import { DeployError } from '../../src/errors.js';
import type { CapacityContext, CapacityProvider, CapacityStatus, Json, PreflightReport } from '../../src/providers/types.js';

export interface FakeCapacityOptions {
  /** Percent per second at which new capacity comes up. */
  readonly ratePerSecond?: number;
  /** The deployment fails once it passes this percent (a version that fails health checks). */
  readonly failAbove?: number;
}

/** A service whose new version comes up at a steady rate on the deployment's clock. */
export class FakeCapacity implements CapacityProvider {
  readonly kind = 'fake-capacity';
  readonly lockKey = 'fake:capacity';
  readonly label = 'fake-capacity';
  readonly capabilities = { checkpoints: true, nativeAlarmRollback: false };
  version = 'v1';
  oldSideUp = true;
  starts: number[] = [];
  rollbacks = 0;
  private startedAt: number | undefined;

  constructor(private readonly options: FakeCapacityOptions = {}) {}

  async preflight(): Promise<PreflightReport> {
    return { errors: [], warnings: [] };
  }
  async capture(): Promise<Json> {
    return { version: 'v1', desired: 4 };
  }
  async start(percent: number, handle: Json | undefined, ctx: CapacityContext): Promise<Json> {
    this.starts.push(percent);
    if (handle) return handle;
    this.startedAt = ctx.clock.now();
    this.version = 'v2';
    return { id: 'deploy-1' };
  }
  async status(_handle: Json, ctx: CapacityContext): Promise<CapacityStatus> {
    const rate = this.options.ratePerSecond ?? 10;
    const percent = Math.min(100, Math.floor(((ctx.clock.now() - (this.startedAt ?? ctx.clock.now())) / 1000) * rate));
    if (this.options.failAbove !== undefined && percent > this.options.failAbove) return { state: 'failed', reason: 'tasks failed health checks' };
    return percent >= 100 ? { state: 'succeeded', percent } : { state: 'inProgress', percent };
  }
  async cancel(): Promise<void> {}
  async rollback(snapshot: Json): Promise<void> {
    const original = snapshot as { version: string };
    if (!original?.version) throw new DeployError('INTERNAL', 'no snapshot');
    this.version = original.version;
    this.rollbacks += 1;
  }
  async retireOld(): Promise<void> {
    this.oldSideUp = false;
  }
  async restoreOld(): Promise<void> {
    this.oldSideUp = true;
  }
  manualRestoreCommands(): string[] {
    return ['fake capacity restore'];
  }
}
