import { InputError } from '../errors.js';
import { bigBang } from './bigBang.js';
import { blueGreen } from './blueGreen.js';
import { canary } from './canary.js';
import { linear } from './linear.js';
import { lookupPreset } from './presets.js';
import { rolling } from './rolling.js';
import type { CommonStrategyOptions, Plan, Step, StrategyName } from './types.js';

export type { Plan, Step, StepType, StrategyName, HookName, CommonStrategyOptions } from './types.js';
export { canary, type CanaryOptions } from './canary.js';
export { linear, type LinearOptions } from './linear.js';
export { blueGreen, type BlueGreenOptions } from './blueGreen.js';
export { rolling, type RollingOptions } from './rolling.js';
export { bigBang, type BigBangOptions } from './bigBang.js';
export { CODEDEPLOY_PRESETS, lookupPreset } from './presets.js';
export { validatePlan, type PlanCheck, type PlanContext } from './validatePlan.js';
export { describeStep, minimumDurationSeconds, planTimeline, type StepTimeline } from './describe.js';
export { parseStepTokens } from './stepTokens.js';

/** Everything a strategy may be given; each strategy reads the fields it needs. */
export interface StrategyOptions extends CommonStrategyOptions {
  readonly strategy: StrategyName;
  /** A CodeDeploy predefined configuration name; its shape fills in steps/stepPercent/interval/batch. */
  readonly preset?: string;
  readonly steps?: string | readonly (number | Step)[];
  readonly bakeSeconds?: number;
  readonly stepBakeSeconds?: readonly (number | undefined)[];
  readonly stepPercent?: number;
  readonly intervalSeconds?: number;
  readonly batch?: string | number;
  readonly pauseSeconds?: number;
}

export const STRATEGY_NAMES: readonly StrategyName[] = ['canary', 'linear', 'blueGreen', 'rolling', 'bigBang'];

/** Options in, Plan out: the one entry point the SDK, CLI and spec loader use. Pure: no AWS, no clock. */
export function buildPlan(options: StrategyOptions): Plan {
  checkDurations(options);
  checkRelevant(options);
  const resolved = options.preset ? applyPreset(options) : options;
  const plan = buildFromStrategy(resolved);
  return options.preset ? { ...plan, preset: options.preset } : plan;
}

function buildFromStrategy(options: StrategyOptions): Plan {
  switch (options.strategy) {
    case 'canary':
      if (options.steps === undefined) throw new InputError('--steps', undefined, 'canary needs --steps, for example --steps 1,5,25,100');
      return canary({ ...options, steps: options.steps });
    case 'linear':
      if (options.stepPercent === undefined) throw new InputError('--step-percent', undefined, 'linear needs --step-percent, for example --step-percent 10');
      return linear({ ...options, stepPercent: options.stepPercent, intervalSeconds: options.intervalSeconds ?? 60 });
    case 'blueGreen':
      return blueGreen(options);
    case 'rolling':
      return rolling({ ...options, batch: options.batch ?? '25%' });
    case 'bigBang':
      return bigBang(options);
    default: {
      const unknown: never = options.strategy;
      throw new InputError('strategy', unknown, `use one of ${STRATEGY_NAMES.join(', ')}`);
    }
  }
}

/** A preset decides the shape; explicit flags that contradict it are an error rather than silently ignored. */
function applyPreset(options: StrategyOptions): StrategyOptions {
  const preset = lookupPreset(options.preset ?? '');
  if (options.strategy !== preset.strategy) {
    throw new InputError('--preset', options.preset, `${options.preset} is a ${preset.strategy} configuration; use it with deployctl ${kebab(preset.strategy)}`);
  }
  const decided = withoutStrategy(preset);
  const clash = (Object.keys(decided) as (keyof StrategyOptions)[]).find((key) => options[key] !== undefined);
  if (clash) throw new InputError(FLAG_OF[clash] ?? clash, options[clash], `${options.preset} decides ${FLAG_OF[clash] ?? clash} itself; drop one of the two`);
  return { ...options, ...decided };
}

/** Flags named in errors about strategy options. */
const FLAG_OF: Partial<Record<keyof StrategyOptions, string>> = {
  steps: '--steps',
  bakeSeconds: '--bake',
  stepPercent: '--step-percent',
  intervalSeconds: '--interval',
  batch: '--batch',
  pauseSeconds: '--pause',
  finalBakeSeconds: '--final-bake',
  stepBakeSeconds: '--bake',
};

/** Which strategy-specific options each strategy reads; giving another is a mistake worth saying. */
const USES: Readonly<Record<StrategyName, readonly (keyof StrategyOptions)[]>> = {
  canary: ['steps', 'bakeSeconds', 'stepBakeSeconds'],
  linear: ['stepPercent', 'intervalSeconds'],
  blueGreen: ['bakeSeconds'],
  rolling: ['batch', 'pauseSeconds'],
  bigBang: ['bakeSeconds'],
};

function checkRelevant(options: StrategyOptions): void {
  for (const key of ['steps', 'bakeSeconds', 'stepBakeSeconds', 'stepPercent', 'intervalSeconds', 'batch', 'pauseSeconds'] as const) {
    if (options[key] === undefined || USES[options.strategy].includes(key)) continue;
    const users = STRATEGY_NAMES.filter((n) => USES[n].includes(key)).map(kebab).join(', ');
    throw new InputError(FLAG_OF[key] ?? key, options[key], `${kebab(options.strategy)} does not use ${FLAG_OF[key] ?? key}; it belongs to ${users}`);
  }
}

/** Durations given as numbers (SDK, spec) must be finite and not negative, like the ones parsed from text. */
function checkDurations(options: StrategyOptions): void {
  const durations: [keyof StrategyOptions, number | undefined][] = [
    ['bakeSeconds', options.bakeSeconds],
    ['intervalSeconds', options.intervalSeconds],
    ['pauseSeconds', options.pauseSeconds],
    ['finalBakeSeconds', options.finalBakeSeconds],
    ...(options.stepBakeSeconds ?? []).map((s): [keyof StrategyOptions, number | undefined] => ['stepBakeSeconds', s]),
  ];
  for (const [key, seconds] of durations) {
    if (seconds !== undefined && !(Number.isFinite(seconds) && seconds >= 0)) {
      throw new InputError(FLAG_OF[key] ?? key, seconds, 'use a duration of zero or more seconds, like 30s, 5m or 1h30m');
    }
  }
}

function withoutStrategy(preset: ReturnType<typeof lookupPreset>): Partial<StrategyOptions> {
  const { strategy: _strategy, ...rest } = preset;
  return rest;
}

export function kebab(strategy: StrategyName): string {
  return strategy.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}
