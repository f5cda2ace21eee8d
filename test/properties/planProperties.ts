import fc from 'fast-check';
import { expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { buildPlan, minimumDurationSeconds, planTimeline, validatePlan, type Plan, type Step } from '../../src/strategies/index.js';
import { validCase, type ValidCase } from './arbitraries.js';
import { invalidCase, type InvalidCase } from './invalidInputs.js';
import { ensure, runs, SEED, stats, violationOf } from './stats.js';

const moveOf = (s: Step): number | undefined => (s.type === 'setWeight' ? s.weight : s.type === 'deployCapacity' ? s.percent : undefined);
const waitOf = (s: Step): number => (s.type === 'bake' || s.type === 'pause' ? s.seconds : 0);

/** The plan's moves: traffic weights, or capacity checkpoints on a capacity-only target. */
function movesOf(plan: Plan): { kind: 'traffic' | 'capacity'; values: number[] } {
  const weights = plan.steps.flatMap((s) => (s.type === 'setWeight' ? [s.weight] : []));
  if (weights.length > 0) return { kind: 'traffic', values: weights };
  return { kind: 'capacity', values: plan.steps.flatMap((s) => (s.type === 'deployCapacity' ? [s.percent] : [])) };
}

function strictlyIncreasing(values: readonly number[]): boolean {
  return values.every((v, i) => i === 0 || v > values[i - 1]!);
}

export function checkValidPlan({ options, userWeights }: ValidCase): void {
  stats.runs += 1;
  const before = structuredClone(options);
  const plan = buildPlan(options);
  const check = validatePlan(plan);
  ensure(check.errors.length === 0, () => `validatePlan errors: ${check.errors.join('; ')}`);
  ensure(JSON.stringify(buildPlan(options)) === JSON.stringify(plan), () => 'buildPlan is not deterministic');
  ensure(JSON.stringify(options) === JSON.stringify(before), () => 'buildPlan changed its options');
  ensure(JSON.stringify(JSON.parse(JSON.stringify(plan))) === JSON.stringify(plan) && plan.steps.every((s) => Object.values(s).every((v) => typeof v !== 'number' || Number.isFinite(v))), () => 'the plan is not plain finite JSON');

  const moves = movesOf(plan);
  const capacityOnly = options.strategy === 'rolling' || options.traffic === false;
  ensure(moves.kind === (capacityOnly ? 'capacity' : 'traffic'), () => `expected ${capacityOnly ? 'capacity' : 'traffic'} moves, got ${moves.kind}`);
  ensure(moves.values.length > 0 && moves.values.at(-1) === 100, () => `moves must end at 100: ${moves.values.join(',')}`);
  ensure(strictlyIncreasing(moves.values), () => `moves must strictly increase: ${moves.values.join(',')}`);
  ensure(moves.values.every((v) => v > 0 && v <= 100), () => `moves out of (0, 100]: ${moves.values.join(',')}`);
  if (userWeights) ensure(JSON.stringify(moves.values) === JSON.stringify([...userWeights, 100]), () => `moves ${moves.values.join(',')} are not the weights asked for (${userWeights.join(',')}) then 100`);
  checkIncrements(options, moves.values);
  checkPlacement(plan, options, moves.kind);
  checkTimeline(plan);
}

/** Linear steps and rolling batches advance by their increment (rounded to 0.001), the last one by at most that. */
function checkIncrements(options: ValidCase['options'], values: readonly number[]): void {
  const increment = options.strategy === 'linear' && !options.preset ? options.stepPercent : options.strategy === 'rolling' && typeof options.batch === 'string' && options.batch.trim().endsWith('%') ? Number(options.batch.trim().slice(0, -1)) : undefined;
  if (increment === undefined) return;
  values.forEach((v, i) => {
    const step = v - (i === 0 ? 0 : values[i - 1]!);
    const last = i === values.length - 1;
    ensure(last ? step <= increment + 0.0015 : Math.abs(step - increment) <= 0.0015, () => `increment ${step} at ${i} of ${values.join(',')} for ${increment}`);
  });
}

/** Approval right before the final move; hooks around the traffic; retireOld only after the final move. */
function checkPlacement(plan: Plan, options: ValidCase['options'], kind: 'traffic' | 'capacity'): void {
  const steps = plan.steps;
  const finalMove = steps.findLastIndex((s) => moveOf(s) !== undefined);
  if (options.approval) ensure(steps[finalMove - 1]?.type === 'approval', () => `approval is not right before the final move: ${JSON.stringify(steps)}`);
  const firstMove = steps.findIndex((s) => (kind === 'traffic' ? s.type === 'setWeight' : s.type === 'deployCapacity'));
  if (options.preTrafficHook) ensure(steps.findIndex((s) => s.type === 'hook' && s.name === 'preTraffic') < firstMove, () => 'preTraffic hook after the first move');
  if (options.postTrafficHook) ensure(steps.findIndex((s) => s.type === 'hook' && s.name === 'postTraffic') > finalMove, () => 'postTraffic hook before the final move');
  const retire = steps.findIndex((s) => s.type === 'retireOld');
  const expectRetire = kind === 'traffic' && options.capacity === true && options.strategy !== 'rolling';
  ensure((retire >= 0) === expectRetire, () => `retireOld ${retire >= 0 ? 'present' : 'missing'} for ${JSON.stringify(options)}`);
  if (retire >= 0) ensure(retire > finalMove && retire === steps.length - 1, () => 'retireOld is not the last step');
}

/** startsAt accumulates the waits; exposure follows the weights and ends at the last weight. */
function checkTimeline(plan: Plan): void {
  const rows = planTimeline(plan);
  ensure(rows.length === plan.steps.length, () => 'one timeline row per step');
  let at = 0;
  let exposure = 0;
  const traffic = plan.steps.some((s) => s.type === 'setWeight');
  rows.forEach((row, i) => {
    const step = plan.steps[i]!;
    const move = traffic ? (step.type === 'setWeight' ? step.weight : undefined) : step.type === 'deployCapacity' ? step.percent : undefined;
    if (move !== undefined) exposure = move;
    ensure(row.startsAt === at, () => `row ${i} starts at ${row.startsAt}, expected ${at}`);
    ensure(row.trafficPercent === exposure, () => `row ${i} exposure ${row.trafficPercent}, expected ${exposure}`);
    at += waitOf(step);
  });
  ensure(at === minimumDurationSeconds(plan), () => `timeline ends at ${at}, minimum duration ${minimumDurationSeconds(plan)}`);
  ensure(rows.at(-1)?.trafficPercent === 100, () => `exposure at the end is ${rows.at(-1)?.trafficPercent}, not the last weight 100`);
}

/** An invalid input throws InputError naming the flag, quoting the value and saying what is allowed. */
export function checkInvalid(c: InvalidCase): void {
  stats.runs += 1;
  let outcome: unknown;
  let threw = false;
  try {
    outcome = c.run();
  } catch (error) {
    threw = true;
    outcome = error;
  }
  ensure(threw, () => `no error; got ${JSON.stringify(outcome)?.slice(0, 300)}`);
  ensure(outcome instanceof InputError, () => `not an InputError: ${String(outcome)}`);
  const error = outcome as InputError;
  ensure(error.where.startsWith(c.flag), () => `names ${error.where}, expected ${c.flag}: ${error.message}`);
  ensure(error.message.startsWith(error.where), () => `message does not start with the flag: ${error.message}`);
  ensure(c.quotes.some((q) => error.message.includes(q)), () => `message quotes none of ${JSON.stringify(c.quotes)}: ${error.message}`);
  ensure(/\b(use|must|needs|takes|only|did you mean|drop)\b/.test(error.allowed) && error.message.endsWith(error.allowed), () => `message does not say what is allowed: ${error.message}`);
}

export function planProperties(): void {
  it('valid options of every strategy give plans that pass validatePlan, increase strictly, end at 100 and have a consistent timeline', () => {
    fc.assert(fc.property(validCase(), checkValidPlan), { seed: SEED, numRuns: runs(3000) });
  });

  it('invalid inputs throw InputError naming the flag, quoting the value and saying what is allowed', () => {
    fc.assert(fc.property(invalidCase(), checkInvalid), { seed: SEED, numRuns: runs(3000) });
  });

  it('the checks above are not vacuous', async () => {
    expect(await violationOf(() => checkValidPlan({ options: { strategy: 'canary', steps: '5,25' }, userWeights: [5, 20] }))).toMatch(/not the weights asked for/);
    expect(await violationOf(() => checkInvalid({ run: () => buildPlan({ strategy: 'canary', steps: '5,25' }), flag: '--steps', quotes: ['x'] }))).toMatch(/no error/);
    expect(await violationOf(() => checkInvalid({ run: () => buildPlan({ strategy: 'canary', steps: '5,x' }), flag: '--bake', quotes: ['"x"'] }))).toMatch(/names --steps, expected --bake/);
  });
}
