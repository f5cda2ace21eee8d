import type { DeployEvent } from '../../src/engine/events.js';
import type { Json } from '../../src/providers/types.js';
import type { Plan } from '../../src/strategies/types.js';
import type { World } from '../../src/sim/world.js';
import type { TargetCase } from './targets.js';

/**
 * The invariants of every run, checked against the world itself (never through the provider under test):
 * - traffic always sums to 100%: the target's configuration is valid (no all-zero weights, no third group, weights
 *   in range) and the world's traffic model serves every request of the traffic source, none by an outage;
 * - never shifts after an abort: once a rollback has started, no weight.set or step.started event, and the live
 *   configuration only ever holds what it held then or the original;
 * - no step skipped or repeated: steps start in order, each once (a resumed run may redo the step it died in), the
 *   verified weights follow the plan, and the configurations deployctl wrote follow the plan's weights in order;
 * - on rollback the original configuration is restored exactly: every restorable field, compared one by one.
 * Every observation is counted; every breach is a violation with what, when and where.
 */
export interface MonitorState {
  /** Distinct configured shares deployctl's own writes left, in order. */
  readonly shares: number[];
  readonly stepsStarted: number[];
  readonly weightsVerified: number[];
  readonly rollbackFrom: number | undefined | null;
  readonly restoredSeen: boolean;
  readonly rollbackStarted: boolean;
  readonly lastStep: number;
}

export interface Original {
  readonly share: number;
  readonly restorable: Json;
}

const EPSILON = 1e-6;

export interface MonitorOptions {
  /** Count moments when requests find no serving target separately instead of as violations (a known bug's row). */
  readonly tolerateOutage?: boolean;
  /**
   * Count a weight.set reported after the rollback began separately (a known bug: the rollback waits for an
   * in-flight Route 53 shift to reach INSYNC, which then reports its weight). A write after it is never tolerated.
   */
  readonly tolerateLateWeightEvents?: boolean;
}

export class InvariantMonitor {
  readonly violations: string[] = [];
  observations = 0;
  /** Observations at which requests found no serving target, when those are tolerated. */
  outages = 0;
  /** Breaches of a known bug that this run tolerates (outages, late weight events), counted apart. */
  tolerated = 0;
  private shares: number[];
  private stepsStarted: number[];
  private weightsVerified: number[];
  private rollbackStarted: boolean;
  /** The configured share when the rollback started (null: unreadable). */
  private rollbackFrom: number | undefined | null;
  private restoredSeen: boolean;
  private lastStep: number;
  /** A resumed run may start again at the step that was in flight. */
  private resumedAt: number | undefined;
  private readonly planWeights: number[];

  constructor(
    private readonly world: World,
    private readonly target: TargetCase,
    private readonly plan: Plan,
    readonly original: Original,
    from?: MonitorState,
    private readonly options: MonitorOptions = {},
  ) {
    this.planWeights = plan.steps.flatMap((s) => (s.type === 'setWeight' ? [s.weight] : []));
    this.shares = from ? [...from.shares] : [original.share];
    this.stepsStarted = from ? [...from.stepsStarted] : [];
    this.weightsVerified = from ? [...from.weightsVerified] : [];
    this.rollbackStarted = from?.rollbackStarted ?? false;
    this.rollbackFrom = from ? from.rollbackFrom : undefined;
    this.restoredSeen = from?.restoredSeen ?? false;
    this.lastStep = from?.lastStep ?? -1;
    if (from) this.resumedAt = from.lastStep;
  }

  static originalOf(world: World, target: TargetCase): Original {
    const live = target.live(world);
    if (live.share === undefined || live.problems.length > 0) throw new Error(`the ${target.kind} world does not start in a valid configuration: ${live.problems.join('; ')}`);
    return { share: live.share, restorable: target.restorable(world) };
  }

  state(): MonitorState {
    return {
      shares: [...this.shares],
      stepsStarted: [...this.stepsStarted],
      weightsVerified: [...this.weightsVerified],
      rollbackFrom: this.rollbackFrom,
      restoredSeen: this.restoredSeen,
      rollbackStarted: this.rollbackStarted,
      lastStep: this.lastStep,
    };
  }

  /** After every call that changed the world (deployctl's writes), and at every event. */
  observe(when: string, write: boolean): void {
    this.observations += 1;
    const live = this.target.live(this.world);
    for (const problem of live.problems) this.violate(`traffic does not sum to 100% ${when}: ${problem}`);
    this.checkFlows(when);
    if (live.share === undefined) return;
    if (write && !this.rollbackStarted && !same(this.shares.at(-1), live.share)) this.shares.push(live.share);
    if (this.rollbackStarted) this.checkAfterRollback(live.share, when);
  }

  onEvent(event: DeployEvent): void {
    const when = `at ${event.type}${'index' in event ? ` ${event.index}` : ''}`;
    switch (event.type) {
      case 'step.started':
        if (this.rollbackStarted) this.violate(`step ${event.index} started after the rollback began`);
        this.checkStepOrder(event.index);
        this.lastStep = event.index;
        this.stepsStarted.push(event.index);
        break;
      case 'weight.set': {
        if (this.rollbackStarted && this.options.tolerateLateWeightEvents) this.tolerated += 1;
        else if (this.rollbackStarted) this.violate(`weight ${event.percent}% set after the rollback began`);
        const step = this.plan.steps[this.lastStep];
        if (step?.type !== 'setWeight' || !same(step.weight, event.percent)) this.violate(`weight ${event.percent}% verified during step ${this.lastStep} (${step ? JSON.stringify(step) : 'no step'})`);
        if (!same(this.weightsVerified.at(-1), event.percent)) this.weightsVerified.push(event.percent);
        break;
      }
      case 'rollback.started':
        if (!this.rollbackStarted) {
          this.rollbackStarted = true;
          this.rollbackFrom = this.target.live(this.world).share ?? null;
        }
        break;
      default:
        break;
    }
    this.observe(when, false);
  }

  /** At the end of a run: the end state must be the one the outcome claims. */
  finish(outcome: string): void {
    this.observe('at the end', false);
    const live = this.target.live(this.world);
    const weights = this.planWeights;
    const prefixOk = (list: readonly number[], from: number) => list.length - from <= weights.length && list.slice(from).every((w, i) => same(w, weights[i]));
    if (!prefixOk(this.weightsVerified, 0)) this.violate(`verified weights ${this.weightsVerified.join(', ')} are not the plan's ${weights.join(', ')} in order`);
    if (this.target.role === 'traffic' && !prefixOk(this.shares, 1)) this.violate(`the weights written were ${this.shares.join(' → ')}, not the plan's ${[this.original.share, ...weights].join(' → ')} in order`);
    switch (outcome) {
      case 'succeeded':
        if (!same(live.share, 100)) this.violate(`succeeded with ${live.share}% on the new version`);
        if (this.target.role === 'traffic' && this.shares.length !== weights.length + 1) this.violate(`succeeded after writing ${this.shares.join(' → ')}; the plan has ${weights.join(', ')}`);
        if (this.rollbackStarted) this.violate('succeeded after a rollback started');
        break;
      case 'rolledBack':
      case 'rejected':
        this.checkRestored(outcome);
        break;
      default:
        this.violate(`ended ${outcome}`);
    }
  }

  private checkRestored(outcome: string): void {
    const now = this.target.restorable(this.world);
    const differences = diff(this.original.restorable, now, '');
    for (const d of differences.slice(0, 5)) this.violate(`${outcome}, but not restored exactly: ${d}`);
    if (differences.length > 5) this.violate(`${outcome}, and ${differences.length - 5} more fields differ`);
  }

  private checkAfterRollback(share: number, when: string): void {
    if (same(share, this.original.share)) {
      this.restoredSeen = true;
      return;
    }
    if (this.rollbackFrom === null || this.rollbackFrom === undefined) return;
    if (!same(share, this.rollbackFrom)) this.violate(`traffic shifted to ${share}% ${when}, after the rollback began at ${this.rollbackFrom}%`);
    else if (this.restoredSeen) this.violate(`traffic went back to ${share}% ${when}, after it had been restored`);
  }

  private checkStepOrder(index: number): void {
    if (this.resumedAt !== undefined) {
      const resumed = this.resumedAt;
      this.resumedAt = undefined;
      if (index === resumed || index === resumed + 1) return;
      this.violate(`the resumed run started step ${index}; it died in step ${resumed}`);
      return;
    }
    if (index !== this.lastStep + 1) this.violate(`step ${index} started after step ${this.lastStep} (${index <= this.lastStep ? 'repeated' : 'skipped'})`);
  }

  private checkFlows(when: string): void {
    const { service, resource, rps } = this.target.traffic;
    const flows = this.world.route(service, resource(this.world), rps, () => undefined);
    const total = flows.reduce((sum, f) => sum + f.rps, 0);
    if (Math.abs(total - rps) > 1e-6 * rps) this.violate(`traffic does not sum to 100% ${when}: the world serves ${total} of ${rps} requests a second`);
    const outage = flows.filter((f) => (f.version === 'elb' || f.version === 'unavailable') && f.errorRate >= 1);
    if (outage.length > 0 && this.options.tolerateOutage) {
      this.outages += 1;
      this.tolerated += 1;
    }
    else if (outage.length > 0) this.violate(`requests find no serving target ${when}: ${outage.map((f) => `${f.rps} rps answered by ${f.version}`).join(', ')}`);
  }

  private violate(message: string): void {
    if (this.violations.length < 50) this.violations.push(message);
  }
}

function same(a: number | undefined, b: number | undefined): boolean {
  return a !== undefined && b !== undefined && Math.abs(a - b) < EPSILON;
}

/** Every path where two JSON values differ, with both values. */
export function diff(before: unknown, after: unknown, path: string): string[] {
  if (Object.is(before, after)) return [];
  if (typeof before !== 'object' || typeof after !== 'object' || before === null || after === null || Array.isArray(before) !== Array.isArray(after)) {
    return [`${path || '(root)'}: was ${JSON.stringify(before)}, now ${JSON.stringify(after)}`];
  }
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...keys].flatMap((k) => diff((before as Record<string, unknown>)[k], (after as Record<string, unknown>)[k], path ? `${path}.${k}` : k));
}
