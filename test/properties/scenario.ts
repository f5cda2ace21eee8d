import fc from 'fast-check';
import { DEFAULT_SETTINGS, type RolloutSettings } from '../../src/machines/context.js';
import { buildPlan, minimumDurationSeconds, type Plan, type StrategyOptions } from '../../src/strategies/index.js';
import type { CapacityFaults, GateWindow, StepVerdict, TrafficFaults, WorldSpec } from '../fakes/propertyWorld.js';
import { validCase, type Limits } from './arbitraries.js';

/** Something from outside the machine: at a fixed virtual time (`at`, ms after the start) or tied to progress. */
export interface Control {
  readonly at: number;
  readonly kind: 'promote' | 'promoteFull' | 'abort' | 'outOfBand';
  readonly target?: string;
  readonly weight?: number;
}

/** A control delivered as soon as step `step` (or a later one) has started and the deployment is quiet at that instant. */
export type StepControl = Omit<Control, 'at'> & { readonly step: number };

/** How the operator answers the approval (or held analysis) of a step: after `delayMs` from the step's start. */
export interface Decision {
  readonly delayMs: number;
  readonly kind: 'promote' | 'promoteFull' | 'abort';
}

export interface Scenario {
  readonly options: StrategyOptions;
  readonly plan: Plan;
  readonly settings: RolloutSettings;
  readonly world: WorldSpec;
  readonly controls: readonly Control[];
  readonly stepControls: readonly StepControl[];
  readonly decisions: readonly Decision[];
  readonly noWait: boolean;
  /** Where to crash, as a fraction of the run's transitions; null for no crash. */
  readonly crash: number | null;
}

/** What a scenario generator may produce; the crash-equivalence property narrows it (see machineProperties.ts). */
export interface ScenarioShape {
  /** Gate verdicts and controls at virtual times, besides those tied to steps. */
  readonly timed: boolean;
  /** Gate read errors and transient verdicts, whose effect depends on when the gates poll. */
  readonly pollSensitive: boolean;
  readonly fullPromotes: boolean;
  readonly crash: boolean;
  readonly noWait: boolean;
}

export const FULL_SHAPE: ScenarioShape = { timed: true, pollSensitive: true, fullPromotes: true, crash: false, noWait: true };

/** Small plans (short waits, few steps) so that hundreds of rollouts run in seconds of wall time. */
const MACHINE_LIMITS: Limits = { maxSeconds: 90, maxWeights: 4, minIncrement: 20, decimals: 1 };

/** A weight no generated plan uses (plans have at most one decimal): what an out-of-band writer sets. */
export const FOREIGN_WEIGHT = 12.34;

/** Distinct sub-second offsets keep external events from ever landing on the same instant as the machine's timers. */
const offset = (k: number, base: number) => base + 17 * k;

const rare = <T>(arb: fc.Arbitrary<T>, odds = 4) => fc.oneof({ arbitrary: fc.constant(undefined), weight: odds }, { arbitrary: arb, weight: 1 });

const weightsOf = (plan: Plan) => plan.steps.flatMap((s) => (s.type === 'setWeight' ? [s.weight] : []));
const namesOf = (plan: Plan, type: 'hook' | 'analysis') => [...new Set(plan.steps.flatMap((s) => (s.type === type ? [s.name] : [])))];

const trafficFaults = (weights: readonly number[]): fc.Arbitrary<TrafficFaults> =>
  fc.record({
    throwAt: rare(fc.constantFrom(...weights), 8),
    loseFirstAt: rare(fc.constantFrom(...weights), 3),
    neverTakesAt: rare(fc.constantFrom(...weights), 12),
    driftAt: rare(fc.constantFrom(...weights), 12),
    restoreFails: rare(fc.constant(true), 12),
    preflightErrors: rare(fc.constant(['target group tg-new has no healthy targets']), 25),
  });

const capacityFaults: fc.Arbitrary<CapacityFaults> = fc.record({
  ratePerSecond: fc.integer({ min: 5, max: 50 }),
  startThrows: rare(fc.constant(true), 20),
  failAbove: rare(fc.integer({ min: 0, max: 99 }), 10),
  retireThrows: rare(fc.constant(true), 12),
  rollbackFails: rare(fc.constant(true), 12),
  preflightErrors: rare(fc.constant(['service has no running tasks']), 25),
});

const gateWindow = (horizon: number, shape: ScenarioShape, policy: RolloutSettings['onInconclusive']): fc.Arbitrary<GateWindow> =>
  fc.tuple(fc.integer({ min: 0, max: horizon }), fc.integer({ min: 1_000, max: horizon }), fc.boolean(), fc.constantFrom<GateWindow['verdict']>('alarm', 'inconclusive', 'error'))
    .map(([from, length, forever, verdict]) => {
      // A gate that is inconclusive for ever under the pause policy holds the rollout for ever, by design.
      const endless = shape.pollSensitive ? forever && !(verdict === 'inconclusive' && policy === 'pause') : true;
      return { from, to: endless ? Infinity : from + length, verdict };
    })
    .filter((w) => shape.pollSensitive || (w.verdict !== 'error' && !(w.verdict === 'inconclusive' && policy === 'pause')));

/** From step `step` on: never inconclusive under pause (that holds for ever); read errors only when poll-sensitive gates are allowed. */
const stepVerdict = (steps: number, shape: ScenarioShape, policy: RolloutSettings['onInconclusive']): fc.Arbitrary<StepVerdict> =>
  fc.record({ step: fc.integer({ min: 0, max: Math.max(0, steps - 1) }), verdict: fc.constantFrom<StepVerdict['verdict']>(...(['alarm', 'inconclusive', 'error'] as const)) })
    .filter((v) => !(v.verdict === 'inconclusive' && policy === 'pause') && (shape.pollSensitive || v.verdict !== 'error'));

const controlKind = (shape: ScenarioShape) =>
  fc.oneof(
    { arbitrary: fc.constant<Control['kind']>('promote'), weight: 3 },
    { arbitrary: fc.constant<Control['kind']>(shape.fullPromotes ? 'promoteFull' : 'promote'), weight: 2 },
    { arbitrary: fc.constant<Control['kind']>('abort'), weight: 2 },
    { arbitrary: fc.constant<Control['kind']>('outOfBand'), weight: 1 },
  );

/** An out-of-band control needs a traffic target; without one it becomes an abort. */
function withTarget<T extends { kind: Control['kind'] }>(c: T, k: number, targets: readonly string[]): T {
  if (c.kind !== 'outOfBand') return c;
  return targets.length > 0 ? { ...c, target: targets[k % targets.length]!, weight: FOREIGN_WEIGHT } : { ...c, kind: 'abort' };
}

const decision = (shape: ScenarioShape) =>
  fc.tuple(fc.integer({ min: 0, max: 300 }), fc.oneof({ arbitrary: fc.constant<Decision['kind']>('promote'), weight: 4 }, { arbitrary: fc.constant<Decision['kind']>(shape.fullPromotes ? 'promoteFull' : 'promote'), weight: 1 }, { arbitrary: fc.constant<Decision['kind']>('abort'), weight: 1 }));

type Generated = Pick<Scenario, 'world' | 'controls' | 'stepControls' | 'decisions'>;

const some = <T>(arb: fc.Arbitrary<T>, enabled = true) =>
  enabled ? fc.oneof({ arbitrary: fc.constant<T[]>([]), weight: 3 }, { arbitrary: fc.array(arb, { minLength: 1, maxLength: 2 }), weight: 2 }) : fc.constant<T[]>([]);

function worldFor(plan: Plan, shape: ScenarioShape, settings: RolloutSettings, horizon: number): fc.Arbitrary<Generated> {
  const weights = weightsOf(plan);
  const labels = ['alb', 'route53'];
  const hooks = namesOf(plan, 'hook');
  const analyses = namesOf(plan, 'analysis');
  const steps = plan.steps.length;
  const hasCapacity = plan.steps.some((s) => s.type === 'deployCapacity' || s.type === 'retireOld');
  return fc
    .record({
      targets: weights.length > 0 ? fc.integer({ min: 1, max: 2 }) : fc.constant(0),
      trafficFaults: fc.array(weights.length > 0 ? trafficFaults(weights) : fc.constant({}), { minLength: 2, maxLength: 2 }),
      capacity: hasCapacity ? capacityFaults : fc.constant(null),
      gateWindows: some(gateWindow(horizon, shape, settings.onInconclusive), shape.timed),
      stepVerdicts: some(stepVerdict(steps, shape, settings.onInconclusive)),
      failingHooks: hooks.length > 0 ? rare(fc.constantFrom(...hooks), 6).map((h) => (h === undefined ? [] : [h])) : fc.constant([]),
      verdicts: fc.array(fc.oneof({ arbitrary: fc.constant<'pass'>('pass'), weight: 3 }, fc.constant<'fail'>('fail'), fc.constant<'inconclusive'>('inconclusive')), { minLength: analyses.length, maxLength: analyses.length }),
      controls: fc.array(fc.tuple(fc.integer({ min: 0, max: Math.ceil(horizon / 1000) }), controlKind(shape)), { maxLength: shape.timed ? 3 : 0 }),
      stepControls: fc.array(fc.tuple(fc.integer({ min: 0, max: Math.max(0, steps - 1) }), controlKind(shape)), { maxLength: 2 }),
      decisions: fc.array(decision(shape), { minLength: 1, maxLength: 3 }),
    })
    .map((r) => {
      // A crash right after a lost write restores a world where the retry takes at once, without the backoff the
      // uninterrupted run waited through; a control due at the next quiet moment then lands elsewhere. Legitimate,
      // so for crash equivalence lost writes and step controls do not meet.
      const lostWrites = !(shape.crash && r.stepControls.length > 0);
      const faults = (f: TrafficFaults): TrafficFaults => (lostWrites ? f : { ...f, loseFirstAt: undefined, neverTakesAt: undefined });
      const traffic = labels.slice(0, r.targets).map((label, i) => ({ label, faults: faults(r.trafficFaults[i]!) }));
      const targets = traffic.map((t) => t.label);
      const controls = r.controls.map(([sec, kind], k) => withTarget<Control>({ at: sec * 1000 + offset(k, 101), kind }, k, targets)).sort((a, b) => a.at - b.at);
      const stepControls = r.stepControls.map(([step, kind], k) => withTarget<StepControl>({ step, kind }, k, targets));
      return {
        world: {
          traffic,
          capacity: r.capacity ? { label: 'ecs', faults: r.capacity } : null,
          gateWindows: r.gateWindows,
          stepVerdicts: r.stepVerdicts,
          failingHooks: r.failingHooks,
          analyses: Object.fromEntries(analyses.map((name, i) => [name, r.verdicts[i] ?? 'pass'])),
          hookNames: hooks,
        },
        controls,
        stepControls,
        decisions: r.decisions.map(([sec, kind], k) => ({ delayMs: sec * 1000 + offset(k, 307), kind })),
      };
    });
}

const settings: fc.Arbitrary<RolloutSettings> = fc.record({
  pollSeconds: fc.constantFrom(5, 10, 15, 30),
  gateErrorLimit: fc.integer({ min: 1, max: 4 }),
  onInconclusive: fc.constantFrom<RolloutSettings['onInconclusive']>('ignore', 'fail', 'pause'),
});

/** A plan from random valid options, a world with random faults, and random events at random virtual times. */
export const scenario = (shape: ScenarioShape = FULL_SHAPE): fc.Arbitrary<Scenario> =>
  fc.tuple(validCase(MACHINE_LIMITS), settings).chain(([c, s]) => {
    const plan = buildPlan(c.options);
    const moves = plan.steps.filter((x) => x.type === 'setWeight' || x.type === 'deployCapacity').length;
    const horizon = (minimumDurationSeconds(plan) + 20 * moves + 60) * 1000;
    return fc
      .tuple(worldFor(plan, shape, s, horizon), shape.noWait ? fc.oneof({ arbitrary: fc.constant(false), weight: 4 }, fc.constant(true)) : fc.constant(false), shape.crash ? fc.noBias(fc.integer({ min: 0, max: 9_999 })).map((n) => n / 10_000) : fc.constant(null))
      .map(([w, noWait, crash]) => ({ options: c.options, plan, settings: s, ...w, noWait, crash }));
  });

/** A hand-made scenario: one traffic target, no faults unless given, the operator promotes every approval. */
export function scenarioOf(
  plan: Plan,
  parts: { faults?: TrafficFaults; gateWindows?: GateWindow[]; stepVerdicts?: StepVerdict[]; controls?: Control[]; decisions?: Decision[]; settings?: Partial<RolloutSettings>; analyses?: WorldSpec['analyses'] } = {},
): Scenario {
  return {
    options: { strategy: plan.strategy },
    plan,
    settings: { ...DEFAULT_SETTINGS, ...parts.settings },
    world: { traffic: [{ label: 'alb', faults: parts.faults ?? {} }], capacity: null, gateWindows: parts.gateWindows ?? [], stepVerdicts: parts.stepVerdicts ?? [], failingHooks: [], analyses: parts.analyses ?? {}, hookNames: [] },
    controls: parts.controls ?? [],
    stepControls: [],
    decisions: parts.decisions ?? [{ delayMs: 1_307, kind: 'promote' }],
    noWait: false,
    crash: null,
  };
}
