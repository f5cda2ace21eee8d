import fc from 'fast-check';
import { CODEDEPLOY_PRESETS, type Step, type StrategyOptions } from '../../src/strategies/index.js';
import { formatDuration } from '../../src/util/duration.js';
import { KNOWN_BUGS } from './knownBugs.js';

/** Valid strategy options, with what the plan must contain (its weights, in order) computed independently. */
export interface ValidCase {
  readonly options: StrategyOptions;
  /** The traffic weights (or capacity checkpoints for a capacity-only target) the user asked for, without the implied 100. */
  readonly userWeights: readonly number[] | null;
}

export interface Limits {
  /** Longest bake, pause or interval, seconds. */
  readonly maxSeconds: number;
  /** Most user weights in a canary. */
  readonly maxWeights: number;
  /** Smallest linear step / rolling batch, percent (bounds the number of steps). */
  readonly minIncrement: number;
  /** Decimal places of generated percents. */
  readonly decimals: number;
}

export const PLAN_LIMITS: Limits = { maxSeconds: 7200, maxWeights: 8, minIncrement: 0.5, decimals: 3 };

const opt = <T>(arb: fc.Arbitrary<T>, weight = 1) => fc.oneof({ arbitrary: fc.constant(undefined), weight: 2 }, { arbitrary: arb, weight });

/** A percent in (0, 100) with at most `decimals` decimal places. */
export const percentBelow100 = (decimals: number, min = 0) => {
  const scale = 10 ** decimals;
  return fc.integer({ min: Math.max(1, Math.ceil(min * scale)), max: 100 * scale - 1 }).map((n) => n / scale);
};

/** A duration as a user types it: 90, 90s, 1m30s, 2m ... (parseDuration reads them all back as `seconds`). */
export const durationText = (seconds: number) =>
  fc.constantFrom(
    ...[String(seconds), `${seconds}s`, formatDuration(seconds), ...(seconds % 60 === 0 ? [`${seconds / 60}m`] : []), ...(seconds % 3600 === 0 && seconds > 0 ? [`${seconds / 3600}h`] : [])],
  );

export const seconds = (limits: Limits) => fc.integer({ min: 0, max: limits.maxSeconds });
const hookName = fc.stringMatching(/^[A-Za-z0-9_.-]{1,12}$/);

/** A named step token and the step it means. */
const namedStep = (limits: Limits): fc.Arbitrary<{ token: string; step: Step }> =>
  fc.oneof(
    fc.constantFrom({ token: 'approval', step: { type: 'approval' } as Step }, { token: 'approve', step: { type: 'approval' } as Step }),
    fc.tuple(fc.constantFrom('pause', 'bake') as fc.Arbitrary<'pause' | 'bake'>, seconds(limits)).chain(([type, s]) =>
      durationText(s).map((text) => ({ token: `${type}:${text}`, step: { type, seconds: s } as Step })),
    ),
    fc.tuple(fc.constantFrom('hook', 'analysis') as fc.Arbitrary<'hook' | 'analysis'>, hookName).map(([type, name]) => ({ token: `${type}:${name}`, step: { type, name } as Step })),
  );

const weightToken = (w: number) => fc.constantFrom(String(w), `${w}%`, ` ${w} `);

const common = (limits: Limits) =>
  fc.record(
    {
      traffic: fc.boolean(),
      capacity: fc.boolean(),
      preTrafficHook: fc.boolean(),
      postTrafficHook: fc.boolean(),
      approval: fc.boolean(),
      finalBakeSeconds: seconds(limits),
    },
    { requiredKeys: [] },
  );

const ascending = (limits: Limits, max: number) =>
  fc.uniqueArray(percentBelow100(limits.decimals), { maxLength: max }).chain((ws) =>
    fc.boolean().map((with100) => {
      const sorted = [...ws].sort((a, b) => a - b);
      return with100 ? [...sorted, 100] : sorted;
    }),
  );

/** Canary steps as the CLI string (weights mixed with named tokens) or as a spec list (numbers and Step objects). */
const canarySteps = (limits: Limits): fc.Arbitrary<{ steps: string | (number | Step)[]; weights: number[] }> =>
  fc.tuple(ascending(limits, limits.maxWeights), fc.array(fc.tuple(fc.nat(), namedStep(limits)), { maxLength: 3 }), fc.boolean()).chain(([weights, named, asText]) => {
    const entries: ({ weight: number } | { token: string; step: Step })[] = weights.map((weight) => ({ weight }));
    for (const [at, step] of named) entries.splice(at % (entries.length + 1), 0, step);
    if (!asText || entries.length === 0) return fc.constant<{ steps: string | (number | Step)[]; weights: number[] }>({ steps: entries.map((e) => ('weight' in e ? e.weight : e.step)), weights });
    return fc.tuple(...entries.map((e) => ('weight' in e ? weightToken(e.weight) : fc.constant(e.token)))).map((tokens) => ({ steps: tokens.join(','), weights }));
  });

const canary = (limits: Limits): fc.Arbitrary<ValidCase> =>
  fc.tuple(canarySteps(limits), opt(seconds(limits)), opt(fc.array(opt(seconds(limits)), { maxLength: 4 })), common(limits)).map(([steps, bake, stepBakes, rest]) => ({
    options: { strategy: 'canary', steps: steps.steps, ...(bake !== undefined ? { bakeSeconds: bake } : {}), ...(stepBakes ? { stepBakeSeconds: stepBakes } : {}), ...rest },
    userWeights: steps.weights.filter((w) => w < 100),
  }));

const linear = (limits: Limits): fc.Arbitrary<ValidCase> =>
  fc.tuple(fc.oneof(fc.integer({ min: Math.ceil(limits.minIncrement), max: 100 }), percentBelow100(limits.decimals, limits.minIncrement)), seconds(limits), common(limits)).map(([stepPercent, intervalSeconds, rest]) => ({
    options: { strategy: 'linear', stepPercent, intervalSeconds, ...rest },
    userWeights: null,
  }));

const simple = (strategy: 'blueGreen' | 'bigBang', limits: Limits): fc.Arbitrary<ValidCase> =>
  fc.tuple(opt(seconds(limits)), common(limits)).map(([bake, rest]) => ({ options: { strategy, ...(bake !== undefined ? { bakeSeconds: bake } : {}), ...rest }, userWeights: [] }));

const rolling = (limits: Limits): fc.Arbitrary<ValidCase> =>
  fc.oneof(
    fc.tuple(fc.oneof(percentBelow100(KNOWN_BUGS.rollingFineBatch ? limits.decimals : 6, limits.minIncrement), fc.constant(100)), fc.constantFrom('', ' '), opt(seconds(limits))).map(([p, pad, pause]) => ({ batch: `${pad}${p}%${pad}`, pause })),
    fc.tuple(fc.integer({ min: 1, max: 50 }), fc.boolean()).map(([n, asText]) => ({ batch: asText ? String(n) : n, pause: undefined })),
  ).chain(({ batch, pause }) =>
    common(limits).map((rest) => ({
      options: { strategy: 'rolling', batch, ...(pause !== undefined ? { pauseSeconds: pause } : {}), ...rest } as StrategyOptions,
      userWeights: null,
    })),
  );

const preset = (limits: Limits): fc.Arbitrary<ValidCase> =>
  fc.tuple(fc.constantFrom(...Object.keys(CODEDEPLOY_PRESETS)), common(limits)).map(([name, rest]) => ({
    options: { strategy: CODEDEPLOY_PRESETS[name]!.strategy, preset: name, ...rest },
    userWeights: null,
  }));

export const validCase = (limits: Limits = PLAN_LIMITS): fc.Arbitrary<ValidCase> =>
  fc.oneof(canary(limits), linear(limits), simple('blueGreen', limits), simple('bigBang', limits), rolling(limits), preset(limits));
