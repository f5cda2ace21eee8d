import fc from 'fast-check';
import { it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { buildPlan, validatePlan, type Plan } from '../../src/strategies/index.js';
import { percentBelow100 } from './arbitraries.js';
import { checkFreshGates, checkRun } from './invariants.js';
import { checkInvalid } from './planProperties.js';
import { nonFiniteCases, numericDurationCases, presetClashCases, prototypePresetCases } from './invalidInputs.js';
import { KNOWN_BUGS, strictly } from './knownBugs.js';
import { checkCrash } from './machineProperties.js';
import { runScenario } from './runScenario.js';
import { scenario, scenarioOf } from './scenario.js';
import { ensure, runs, SEED, stats } from './stats.js';

/**
 * One property per entry of KNOWN_BUGS, each failing today because of that bug (hence `it.fails`; the suite stays
 * green). fast-check stops at the first counterexample (endOnFailure) to keep CI fast. PROPERTY_SHOW_KNOWN=1 runs
 * them as plain tests with shrinking, to print each bug's minimal counterexample. When a bug is fixed, vitest
 * reports its `it.fails` as failing: set its flag in knownBugs.ts to false, which makes it a plain `it`.
 */
const SHOW = process.env.PROPERTY_SHOW_KNOWN === '1';
const params = (numRuns: number) => ({ seed: SEED, numRuns: runs(numRuns), endOnFailure: !SHOW });
const known =
  (bug: keyof typeof KNOWN_BUGS) =>
  (name: string, body: () => unknown): void => {
    const open = KNOWN_BUGS[bug] && !SHOW;
    (open ? it.fails : it)(name, async () => {
      stats.expecting = open;
      try {
        await body();
      } finally {
        stats.expecting = false;
      }
    });
  };

const writesOf = (t: Awaited<ReturnType<typeof runScenario>>['timeline']) => t.log.flatMap((e) => (e.op === 'write' ? [e.weight] : []));
const canaryWeights = fc.uniqueArray(fc.integer({ min: 1, max: 99 }), { minLength: 2, maxLength: 3 }).map((ws) => [...ws].sort((a, b) => a - b));

export function knownBugProperties(): void {
  known('presetPrototypeKeys')('presetPrototypeKeys: --preset toString (and other Object.prototype names) is an InputError, not a TypeError', () => {
    fc.assert(fc.property(prototypePresetCases, checkInvalid), params(20));
  });

  known('nonFiniteQuotedAsNull')('nonFiniteQuotedAsNull: a non-finite weight or step percent is quoted as given, not as null', () => {
    fc.assert(fc.property(nonFiniteCases, checkInvalid), params(30));
  });

  known('numericDurationsUnchecked')('numericDurationsUnchecked: a NaN, negative or infinite duration given to buildPlan is an InputError', () => {
    fc.assert(fc.property(numericDurationCases, checkInvalid), params(50));
  });

  known('presetOverridesFlags')('presetOverridesFlags: a preset with a contradicting explicit flag is an InputError', () => {
    fc.assert(fc.property(presetClashCases, checkInvalid), params(40));
  });

  known('rollingFineBatch')('rollingFineBatch: any batch --batch accepts gives a valid plan (or an InputError), whatever its decimals', () => {
    const batch = fc.oneof(percentBelow100(5, 0.5).filter((p) => Math.round(p * 1000) !== p * 1000), fc.constantFrom(0.0001, 0.00005));
    fc.assert(
      fc.property(batch, (p) => {
        stats.runs += 1;
        let plan: Plan;
        try {
          plan = buildPlan({ strategy: 'rolling', batch: `${p}%` });
        } catch (error) {
          return ensure(error instanceof InputError, () => `--batch ${p}%: ${String(error)}`);
        }
        const errors = validatePlan(plan).errors;
        ensure(errors.length === 0, () => `--batch ${p}% gives an invalid plan: ${errors.join('; ')}`);
      }),
      params(300),
    );
  });

  known('promoteFullIgnoredWhenWaiting')('promoteFullIgnoredWhenWaiting: promote --full at an approval or a pause jumps straight to 100', async () => {
    const cases = fc.tuple(canaryWeights, fc.constantFrom('approval', 'pause:5m'), fc.integer({ min: 1, max: 60 }));
    await fc.assert(
      fc.asyncProperty(cases, async ([weights, wait, delay]) => {
        const plan = buildPlan({ strategy: 'canary', steps: [weights[0], wait, ...weights.slice(1)].join(','), bakeSeconds: 0 });
        const s = scenarioOf(plan, wait === 'approval' ? { decisions: [{ delayMs: delay * 1000 + 307, kind: 'promoteFull' }] } : { controls: [{ at: delay * 1000 + 101, kind: 'promoteFull' }] });
        const { timeline } = await runScenario(s);
        checkRun(s, timeline);
        ensure(JSON.stringify(writesOf(timeline)) === JSON.stringify([weights[0], 100]), () => `promote --full at ${wait}: writes ${JSON.stringify(writesOf(timeline))}, expected ${weights[0]} then 100`);
      }),
      params(30),
    );
  });

  known('fullPromotionSkipsFreshGate')('fullPromotionSkipsFreshGate: a pending promote --full still waits for a fresh, passing gate check', async () => {
    const cases = fc.tuple(canaryWeights, fc.integer({ min: 30, max: 90 }), fc.constantFrom(10, 30), fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 20 }));
    await fc.assert(
      fc.asyncProperty(cases, async ([weights, bake, poll, before, promoteAt]) => {
        const plan = buildPlan({ strategy: 'canary', steps: weights.join(','), bakeSeconds: bake });
        // The alarm starts `before` seconds before the first bake ends: after the last periodic poll of that bake.
        const s = scenarioOf(plan, { settings: { pollSeconds: poll }, gateWindows: [{ from: bake * 1000 - before * 1000 + 1, to: Infinity, verdict: 'alarm' }], controls: [{ at: promoteAt * 1000 + 101, kind: 'promoteFull' }] });
        const { first } = await runScenario(s);
        await strictly('fullPromotionSkipsFreshGate', () => checkFreshGates(s, first));
      }),
      params(30),
    );
  });

  known('retryWriteAfterRollback')('retryWriteAfterRollback: nothing is written after a rollback started, not even the retry of a lost write', async () => {
    const cases = fc.tuple(canaryWeights, fc.integer({ min: 1, max: 60 }), fc.integer({ min: 1, max: 999 }));
    await fc.assert(
      fc.asyncProperty(cases, async ([weights, bake, ms]) => {
        const plan = buildPlan({ strategy: 'canary', steps: weights.join(','), bakeSeconds: bake });
        // The second weight's first write is lost; the abort lands while the shift backs off before writing again.
        const s = scenarioOf(plan, { faults: { loseFirstAt: weights[1] }, controls: [{ at: bake * 1000 + ms, kind: 'abort' }], settings: { pollSeconds: 30 } });
        const { timeline } = await runScenario(s);
        await strictly('retryWriteAfterRollback', () => checkRun(s, timeline));
      }),
      params(30),
    );
  });

  known('gatesNotPolledAfterRestore')('gatesNotPolledAfterRestore: after a crash anywhere, with any gate behaviour, the restored process polls its gates, never hangs, and ends as the uninterrupted run', async () => {
    await fc.assert(fc.asyncProperty(scenario({ timed: false, pollSensitive: true, fullPromotes: true, crash: true, noWait: false }), (s) => checkCrash(s)), params(200));
  });

  known('inconclusiveAnalysisPassesUnderFail')('inconclusiveAnalysisPassesUnderFail: an inconclusive analysis under onInconclusive=fail rolls back', async () => {
    await fc.assert(
      fc.asyncProperty(canaryWeights, fc.nat(), async (weights, at) => {
        const tokens = weights.map(String);
        tokens.splice((at % weights.length) + 1, 0, 'analysis:latency');
        const plan = buildPlan({ strategy: 'canary', steps: tokens.join(','), bakeSeconds: 30 });
        const s = scenarioOf(plan, { analyses: { latency: 'inconclusive' }, settings: { onInconclusive: 'fail' } });
        const { timeline } = await runScenario(s);
        ensure(timeline.outcome === 'rolledBack', () => `an inconclusive analysis under policy fail ended ${timeline.outcome}`);
      }),
      params(20),
    );
  });

  known('failureMessageUndefined')('failureMessageUndefined: the failure of an inconclusive analysis under onInconclusive=fail names the analysis', async () => {
    await fc.assert(
      fc.asyncProperty(canaryWeights, fc.nat(), async (weights, at) => {
        const tokens = weights.map(String);
        tokens.splice((at % weights.length) + 1, 0, 'analysis:latency');
        const plan = buildPlan({ strategy: 'canary', steps: tokens.join(','), bakeSeconds: 30 });
        const s = scenarioOf(plan, { analyses: { latency: 'inconclusive' }, settings: { onInconclusive: 'fail' } });
        const { timeline } = await runScenario(s);
        const message = timeline.result?.context.failure?.message ?? '';
        ensure(message.includes('latency'), () => `failure message ${JSON.stringify(message)} does not name the analysis`);
      }),
      params(20),
    );
  });
}
