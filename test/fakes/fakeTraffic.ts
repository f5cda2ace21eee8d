import { DeployError } from '../../src/errors.js';
import type { Json, PreflightReport, ProviderContext, ShiftContext, TrafficProvider, WeightCheck } from '../../src/providers/types.js';

export interface FakeTrafficOptions {
  readonly label?: string;
  /** Weight at which setWeight throws (a provider error at that step). */
  readonly failAt?: number;
  /** setWeight calls (1-based) whose write is silently lost. */
  readonly loseWrites?: readonly number[];
  readonly preflightErrors?: readonly string[];
  readonly restoreFails?: boolean;
}

/** A traffic target held in memory: the live weight, every write, and the original configuration. */
export class FakeTraffic implements TrafficProvider {
  readonly kind = 'fake';
  readonly lockKey: string;
  readonly label: string;
  live = 0;
  readonly original = { weights: { stable: 100, canary: 0 }, untouched: 'keep-me' };
  readonly writes: number[] = [];
  restored = 0;
  /** The writes made before the first restore began, to prove nothing was written after a rollback started. */
  writesAtRollback: number[] | undefined;
  private calls = 0;

  constructor(private readonly options: FakeTrafficOptions = {}) {
    this.label = options.label ?? 'fake-traffic';
    this.lockKey = `fake:${this.label}`;
  }

  async preflight(): Promise<PreflightReport> {
    return { errors: this.options.preflightErrors ?? [], warnings: [] };
  }

  async capture(): Promise<Json> {
    return structuredClone(this.original);
  }

  async setWeight(percent: number, ctx: ShiftContext): Promise<void> {
    if (ctx.signal.aborted) throw new DeployError('ABORTED', 'aborted');
    if (this.options.failAt === percent) throw new DeployError('AWS_ERROR', `injected failure at ${percent}%`);
    if (this.live === percent) return;
    if (this.live !== ctx.fromPercent) throw new DeployError('DRIFT', `expected ${ctx.fromPercent}% live, found ${this.live}%`);
    this.calls += 1;
    this.writes.push(percent);
    if (!this.options.loseWrites?.includes(this.calls)) this.live = percent;
  }

  async verifyWeight(percent: number, ctx: ShiftContext): Promise<WeightCheck> {
    if (this.live === percent) return { status: 'ok' };
    if (this.live === ctx.fromPercent) return { status: 'lost', detail: `still ${this.live}%` };
    return { status: 'drift', detail: `found ${this.live}%` };
  }

  async restore(snapshot: Json, _ctx: ProviderContext): Promise<void> {
    this.writesAtRollback ??= [...this.writes];
    if (this.options.restoreFails) throw new DeployError('AWS_ERROR', 'injected restore failure');
    const weights = (snapshot as { weights: { canary: number } }).weights;
    this.live = weights.canary;
    this.restored += 1;
  }

  async readWeight(): Promise<number | undefined> {
    return this.live;
  }

  manualRestoreCommands(): string[] {
    return [`fake restore ${this.label}`];
  }
}
