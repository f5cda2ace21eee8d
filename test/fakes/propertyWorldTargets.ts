import { DeployError } from '../../src/errors.js';
import type { CapacityContext, CapacityProvider, CapacityStatus, Json, PreflightReport, ShiftContext, TrafficProvider, WeightCheck } from '../../src/providers/types.js';
import type { CapacityFaults, CapacityState, PropertyWorld, TrafficConfig, TrafficFaults } from './propertyWorld.js';

export const ORIGINAL_VERSION = 'v1';
export const NEW_VERSION = 'v2';

/** A traffic target of a PropertyWorld: its state lives in the world, its faults come from the scenario. */
export class WorldTraffic implements TrafficProvider {
  readonly kind = 'world-traffic';
  readonly lockKey: string;

  constructor(
    private readonly world: PropertyWorld,
    readonly label: string,
    private readonly faults: TrafficFaults,
  ) {
    this.lockKey = `world:${label}`;
  }

  private get target() {
    return this.world.state.traffic[this.label]!;
  }

  async preflight(): Promise<PreflightReport> {
    return { errors: [...(this.faults.preflightErrors ?? [])], warnings: [] };
  }

  async capture(): Promise<Json> {
    return structuredClone(this.target.config) as unknown as Json;
  }

  async setWeight(percent: number, ctx: ShiftContext): Promise<void> {
    if (ctx.signal.aborted) throw new DeployError('ABORTED', 'aborted');
    if (this.faults.throwAt === percent) throw new DeployError('AWS_ERROR', `${this.label}: injected failure at ${percent}%`);
    const live = this.target.config.weights.canary;
    if (live === percent) return;
    if (live !== ctx.fromPercent) throw new DeployError('DRIFT', `${this.label}: expected ${ctx.fromPercent}% live, found ${live}%`);
    const loseOnce = this.faults.loseFirstAt === percent && !this.target.lostOnce.includes(percent);
    const lost = loseOnce || this.faults.neverTakesAt === percent;
    if (loseOnce) this.target.lostOnce.push(percent);
    if (!lost) this.target.config = { ...this.target.config, weights: { stable: 100 - percent, canary: percent } };
    this.world.record({ op: 'write', target: this.label, weight: percent, lost });
  }

  async verifyWeight(percent: number, ctx: ShiftContext): Promise<WeightCheck> {
    const live = this.target.config.weights.canary;
    if (this.faults.driftAt === percent) return { status: 'drift', detail: `found a listener rule nobody expected at ${percent}%` };
    if (live === percent) return { status: 'ok' };
    if (live === ctx.fromPercent) return { status: 'lost', detail: `still ${live}%` };
    return { status: 'drift', detail: `found ${live}%` };
  }

  async restore(snapshot: Json): Promise<void> {
    if (this.faults.restoreFails) throw new DeployError('AWS_ERROR', `${this.label}: injected restore failure`);
    const wanted = structuredClone(snapshot) as unknown as TrafficConfig;
    const changed = JSON.stringify(wanted) !== JSON.stringify(this.target.config);
    this.target.config = wanted;
    this.world.record({ op: 'restore', target: this.label, changed });
  }

  async readWeight(): Promise<number | undefined> {
    return this.target.config.weights.canary;
  }

  manualRestoreCommands(): string[] {
    return [`world restore ${this.label}`];
  }
}

/** The capacity service of a PropertyWorld: new capacity comes up at a steady rate on the world's clock. */
export class WorldCapacity implements CapacityProvider {
  readonly kind = 'world-capacity';
  readonly lockKey: string;
  readonly capabilities = { checkpoints: true, nativeAlarmRollback: false };

  constructor(
    private readonly world: PropertyWorld,
    readonly label: string,
    private readonly faults: CapacityFaults,
  ) {
    this.lockKey = `world:${label}`;
  }

  private get service(): CapacityState {
    return this.world.state.capacity[this.label]!;
  }

  private set service(next: CapacityState) {
    this.world.state.capacity[this.label] = next;
  }

  async preflight(): Promise<PreflightReport> {
    return { errors: [...(this.faults.preflightErrors ?? [])], warnings: [] };
  }

  async capture(): Promise<Json> {
    return { version: this.service.version, desired: 4 };
  }

  /** Starts, continues, or (after a crash, without a handle) adopts the deployment already running. */
  async start(percent: number, _handle: Json | undefined, ctx: CapacityContext): Promise<Json> {
    if (this.faults.startThrows) throw new DeployError('AWS_ERROR', `${this.label}: injected failure starting the deployment`);
    const now = ctx.clock.now();
    const s = this.service;
    if (s.deployment === null) {
      this.service = { ...s, version: NEW_VERSION, deployment: 'dep-1', target: percent, base: 0, baseAt: now, failed: false };
      this.world.record({ op: 'capacity.start', target: this.label, percent });
    } else if (percent > s.target) {
      this.service = { ...s, base: this.world.capacityPercent(this.label), baseAt: now, target: percent };
      this.world.record({ op: 'capacity.start', target: this.label, percent });
    }
    return { id: this.service.deployment };
  }

  async status(): Promise<CapacityStatus> {
    const percent = this.world.capacityPercent(this.label);
    const failAbove = this.faults.failAbove;
    if (this.service.failed || (failAbove !== undefined && percent > failAbove)) {
      this.service = { ...this.service, failed: true };
      return { state: 'failed', reason: 'tasks failed health checks' };
    }
    return percent >= 100 ? { state: 'succeeded', percent } : { state: 'inProgress', percent };
  }

  async cancel(): Promise<void> {}

  async rollback(snapshot: Json): Promise<void> {
    if (this.faults.rollbackFails) throw new DeployError('AWS_ERROR', `${this.label}: injected rollback failure`);
    const original = (snapshot as { version?: string } | null)?.version;
    if (!original) throw new DeployError('INTERNAL', 'no snapshot');
    const changed = this.service.version !== original || this.service.deployment !== null;
    this.service = { ...this.service, version: original, deployment: null, target: 0, base: 0, failed: false };
    this.world.record({ op: 'capacity.rollback', target: this.label, changed });
  }

  async retireOld(): Promise<void> {
    if (this.faults.retireThrows) throw new DeployError('AWS_ERROR', `${this.label}: injected failure scaling the old side down`);
    if (!this.service.oldSideUp) return;
    this.service = { ...this.service, oldSideUp: false };
    this.world.record({ op: 'retire', target: this.label });
  }

  async restoreOld(): Promise<void> {
    const changed = !this.service.oldSideUp;
    this.service = { ...this.service, oldSideUp: true };
    this.world.record({ op: 'restoreOld', target: this.label, changed });
  }

  manualRestoreCommands(): string[] {
    return [`world restore ${this.label}`];
  }
}
