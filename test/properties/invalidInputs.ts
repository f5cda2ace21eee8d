import fc from 'fast-check';
import { CODEDEPLOY_PRESETS, buildPlan, type StrategyName, type StrategyOptions } from '../../src/strategies/index.js';
import { parseDuration } from '../../src/util/duration.js';
import { percentBelow100 } from './arbitraries.js';
import { KNOWN_BUGS } from './knownBugs.js';

/** Something that must throw InputError naming `flag` and quoting one of `quotes`. */
export interface InvalidCase {
  readonly run: () => unknown;
  readonly flag: string;
  readonly quotes: readonly string[];
  /** Shown in fast-check's counterexample. */
  readonly input?: unknown;
}

const q = (text: string) => JSON.stringify(text);
const plan = (options: StrategyOptions, flag: string, quotes: readonly string[]): InvalidCase => ({ run: () => buildPlan(options), flag, quotes, input: options });

/** The grammars, written independently of src: what the parsers must accept. Everything else is garbage. */
const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?%?$/i;
const VALID_DURATION = (t: string) => /^\d+(\.\d+)?$/.test(t.trim()) || /^(\d+(\.\d+)?(ms|s|m|h|d))+$/.test(t.trim());
const NAMED = /^(approval|approve|pause|bake|hook|analysis)(:|$)/;

const text = (max = 12) => fc.string({ unit: fc.oneof(fc.constantFrom(...'abcxyz019.%:-_ +eEms'), fc.string({ unit: 'binary', minLength: 1, maxLength: 1 })), maxLength: max });

const garbageToken = fc.oneof(
  fc.constantFrom('5x', '0x10', '1e', '..5', 'NaN', 'Infinity', '½', '٥', '5 0', '1_000', '+-5', '5%%', 'approvals', 'hooks:x', 'wait:5m', 'PAUSE:5m', '100!'),
  text().filter((t) => t.trim() !== '' && !t.includes(',') && !NUMBER.test(t.trim()) && !NAMED.test(t.trim())),
).map((t) => t.trim());

const badDuration = fc.oneof(fc.constantFrom('soon', '-5m', '5x', '1h-30m', '', 'm5', '1.5.5s', 'NaN', 'Infinity', '5 m', '1e3s', '5min', '.5s', '5.s'), text(8).filter((t) => !t.includes(',') && !VALID_DURATION(t)));

/** A finite weight outside (0, 100], as a token and as the number the message must show. */
const outOfRange = fc.oneof(
  fc.constantFrom('0', '-0', '0%', '-5', '100.5', '101', '1e3', '0.0', '-.5', '+0'),
  fc.integer({ min: 101, max: 100_000 }).map(String),
  fc.integer({ min: -1000, max: 0 }).map(String),
);

const around = (token: fc.Arbitrary<string>) =>
  fc.tuple(fc.array(fc.integer({ min: 1, max: 99 }), { maxLength: 2 }), token).map(([before, t]) => {
    const sorted = [...new Set(before)].sort((a, b) => a - b);
    return { steps: [...sorted.map(String), t].join(','), token: t };
  });

const canaryCases: fc.Arbitrary<InvalidCase>[] = [
  around(outOfRange).map(({ steps, token }) => plan({ strategy: 'canary', steps }, '--steps', [String(Number(token.replace('%', '')))])),
  fc.uniqueArray(fc.integer({ min: 1, max: 100 }), { minLength: 2, maxLength: 6 }).filter((ws) => ws.some((w, i) => i > 0 && w <= ws[i - 1]!)).map((ws) => {
    const bad = ws.find((w, i) => i > 0 && w <= ws[i - 1]!)!;
    return plan({ strategy: 'canary', steps: ws.join(',') }, '--steps', [`${bad} follows`]);
  }),
  fc.tuple(fc.integer({ min: 1, max: 99 }), fc.boolean()).map(([w, array]) => (array ? plan({ strategy: 'canary', steps: [w, w] }, '--steps', [`${w} follows ${w}`]) : plan({ strategy: 'canary', steps: `${w},${w}` }, '--steps', [`${w} follows ${w}`]))),
  fc.constantFrom(',', '5,,10', '5,', ',5', ' , ', '5, ,10', ',,').map((steps) => plan({ strategy: 'canary', steps }, '--steps', [q(steps)])),
  around(garbageToken).map(({ steps, token }) => plan({ strategy: 'canary', steps }, '--steps', [q(token)])),
  fc.tuple(fc.constantFrom('pause', 'bake'), badDuration.map((d) => d.trim())).map(([name, d]) => plan({ strategy: 'canary', steps: `5,${name}:${d}` }, `--steps entry ${q(`${name}:${d}`)}`, [q(d)])),
  fc.constantFrom('pause', 'bake', 'hook:', 'analysis:', 'hook:a b', 'analysis:x/y', 'approval:now', 'approve:yes', 'hook:ü').map((t) => plan({ strategy: 'canary', steps: `5,${t},50` }, '--steps', [q(t)])),
  fc.constant(plan({ strategy: 'canary' }, '--steps', ['(missing)'])),
  fc.tuple(fc.constantFrom(0, -1, 100.5, 1000, -0.001), fc.boolean()).map(([w, front]) => plan({ strategy: 'canary', steps: front ? [w, 100] : [5, w] }, '--steps', [String(w)])),
];

const linearCases: fc.Arbitrary<InvalidCase>[] = [
  fc.oneof(fc.constantFrom(0, -0, -10, 100.001, 101, 1e6, -1e-9), fc.double({ min: -1e6, max: 0, noNaN: true }), fc.double({ min: 100.0001, max: 1e9, noNaN: true })).map((p) =>
    plan({ strategy: 'linear', stepPercent: p, intervalSeconds: 60 }, '--step-percent', [String(p), JSON.stringify(p)]),
  ),
  percentBelow100(6).filter((p) => p < 0.5).map((p) => plan({ strategy: 'linear', stepPercent: p, intervalSeconds: 60 }, '--step-percent', [String(p)])),
  fc.constant(plan({ strategy: 'linear' }, '--step-percent', ['(missing)'])),
];

const VALID_BATCH = (t: string) => {
  const s = t.trim();
  const percent = /^(\d+(?:\.\d+)?)%$/.exec(s);
  if (percent) return Number(percent[1]) > 0 && Number(percent[1]) <= 100;
  return /^\d+$/.test(s) && Number(s) >= 1;
};

const rollingCases: fc.Arbitrary<InvalidCase>[] = [
  fc.oneof(fc.constantFrom('0%', '0', '-5%', '101%', '100.01%', '2.5', 'abc', '', ' ', '25 %', '%', '25%%', '0.0%', '1e2%', '-1', '+2'), text(6).filter((t) => !VALID_BATCH(t))).map((b) => plan({ strategy: 'rolling', batch: b }, '--batch', [q(b)])),
  fc.constantFrom(0, -3, 2.5, Number.MAX_SAFE_INTEGER + 0.5).filter((n) => !VALID_BATCH(String(n))).map((b) => plan({ strategy: 'rolling', batch: b }, '--batch', [String(b)])),
  fc.tuple(fc.integer({ min: 1, max: 20 }), fc.integer({ min: 1, max: 3600 }), fc.boolean()).map(([n, pause, asText]) => plan({ strategy: 'rolling', batch: asText ? String(n) : n, pauseSeconds: pause }, '--batch', [asText ? q(String(n)) : String(n)])),
];

const presetNames = Object.keys(CODEDEPLOY_PRESETS);
const strategies: StrategyName[] = ['canary', 'linear', 'blueGreen', 'rolling', 'bigBang'];

const presetCases: fc.Arbitrary<InvalidCase>[] = [
  fc.tuple(fc.constantFrom(...strategies), fc.oneof(text(20), fc.constantFrom('CodeDeployDefault.Nope', 'CodeDeployDefault.', 'LambdaCanary10Percent5Minutes', ' CodeDeployDefault.AllAtOnce'))).filter(([, n]) => n !== '' && !presetNames.includes(n) && !(KNOWN_BUGS.presetPrototypeKeys && n in Object.prototype)).map(([s, n]) => plan({ strategy: s, preset: n }, '--preset', [q(n)])),
  fc.tuple(fc.constantFrom(...presetNames), fc.constantFrom<'lower' | 'upper'>('lower', 'upper')).map(([n, c]) => {
    const name = c === 'lower' ? n.toLowerCase() : n.toUpperCase();
    return plan({ strategy: CODEDEPLOY_PRESETS[n]!.strategy, preset: name }, '--preset', [q(name)]);
  }),
  fc.tuple(fc.constantFrom(...presetNames), fc.constantFrom(...strategies)).filter(([n, s]) => CODEDEPLOY_PRESETS[n]!.strategy !== s).map(([n, s]) => plan({ strategy: s, preset: n }, '--preset', [q(n)])),
];

/** Duration flags are parsed by the CLI and the spec loader with parseDuration(text, flag). */
const durationCases: fc.Arbitrary<InvalidCase>[] = [
  fc.tuple(fc.constantFrom('--bake', '--interval', '--pause', '--final-bake'), badDuration).map(([flag, d]) => ({ run: () => parseDuration(d, flag), flag, quotes: [q(d)], input: { flag, d } })),
  fc.tuple(fc.constantFrom('--bake', '--pause'), fc.constantFrom(-1, -0.5, -3600)).map(([flag, n]) => ({ run: () => parseDuration(n, flag), flag, quotes: [String(n)], input: { flag, n } })),
];

/** Object.prototype member names are not presets (presetPrototypeKeys). */
export const prototypePresetCases: fc.Arbitrary<InvalidCase> = fc
  .tuple(fc.constantFrom('toString', 'constructor', '__proto__', 'valueOf', 'hasOwnProperty', 'isPrototypeOf'), fc.constantFrom(...strategies))
  .map(([preset, strategy]) => plan({ strategy, preset }, '--preset', [q(preset)]));

/** Non-finite numbers are quoted as given, not as null (nonFiniteQuotedAsNull). */
export const nonFiniteCases: fc.Arbitrary<InvalidCase> = fc.oneof(
  fc.constantFrom('1e400', '-1e400', '1e309').map((t) => plan({ strategy: 'canary', steps: `5,${t}` }, '--steps', [t, String(Number(t))])),
  fc.constantFrom(NaN, Infinity, -Infinity).map((p) => plan({ strategy: 'linear', stepPercent: p, intervalSeconds: 60 }, '--step-percent', [String(p)])),
  fc.constantFrom(NaN, Infinity).map((w) => plan({ strategy: 'canary', steps: [5, w] }, '--steps', [String(w)])),
);

/** Durations given as numbers are checked like parsed ones (numericDurationsUnchecked). */
export const numericDurationCases: fc.Arbitrary<InvalidCase> = fc.tuple(fc.constantFrom(NaN, -1, -0.5, -3600, Infinity), fc.constantFrom('bake', 'interval', 'pause', 'finalBake', 'stepBake')).map(([v, which]) => {
  const options: Record<string, StrategyOptions> = {
    bake: { strategy: 'canary', steps: '5,50', bakeSeconds: v },
    interval: { strategy: 'linear', stepPercent: 25, intervalSeconds: v },
    pause: { strategy: 'rolling', batch: '25%', pauseSeconds: v },
    finalBake: { strategy: 'blueGreen', finalBakeSeconds: v },
    stepBake: { strategy: 'canary', steps: '5,50', stepBakeSeconds: [v] },
  };
  const flag = { bake: '--bake', interval: '--interval', pause: '--pause', finalBake: '--final-bake', stepBake: '' }[which]!;
  return plan(options[which]!, flag, [String(v)]);
});

/** A preset decides its shape; an explicit flag that contradicts it is an error (presetOverridesFlags). */
export const presetClashCases: fc.Arbitrary<InvalidCase> = fc.constantFrom(...Object.entries(CODEDEPLOY_PRESETS)).chain(([name, spec]) => {
  const clashes: Partial<StrategyOptions>[] =
    spec.strategy === 'canary' ? [{ steps: '1,2,3' }, { bakeSeconds: spec.bakeSeconds + 60 }] : spec.strategy === 'linear' ? [{ stepPercent: 33 }, { intervalSeconds: spec.intervalSeconds + 60 }] : spec.strategy === 'rolling' ? [{ batch: '33%' }] : [{ steps: '50' }];
  return fc.constantFrom(...clashes).map((clash) => plan({ strategy: spec.strategy, preset: name, ...clash } as StrategyOptions, '', [q(name), ...Object.values(clash).map((v) => JSON.stringify(v))]));
});

/** A batch finer than 0.5% would make more than 200 batches (rollingFineBatch, as fixed: rejected). */
export const fineBatchCases: fc.Arbitrary<InvalidCase> = percentBelow100(6).filter((p) => p < 0.5).map((p) => plan({ strategy: 'rolling', batch: `${p}%` }, '--batch', [q(`${p}%`)]));

const fixed = (bug: keyof typeof KNOWN_BUGS, cases: fc.Arbitrary<InvalidCase>) => (KNOWN_BUGS[bug] ? [] : [cases]);

export const invalidCase = (): fc.Arbitrary<InvalidCase> =>
  fc.oneof(
    ...canaryCases,
    ...linearCases,
    ...rollingCases,
    ...presetCases,
    ...durationCases,
    ...fixed('presetPrototypeKeys', prototypePresetCases),
    ...fixed('nonFiniteQuotedAsNull', nonFiniteCases),
    ...fixed('numericDurationsUnchecked', numericDurationCases),
    ...fixed('presetOverridesFlags', presetClashCases),
    ...fixed('rollingFineBatch', fineBatchCases),
  );
