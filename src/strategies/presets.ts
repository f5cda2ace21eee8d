import { InputError } from '../errors.js';
import type { StrategyName } from './types.js';

/** A CodeDeploy predefined configuration, translated into our strategy vocabulary. */
export type PresetSpec =
  | { readonly strategy: 'canary'; readonly steps: readonly number[]; readonly bakeSeconds: number }
  | { readonly strategy: 'linear'; readonly stepPercent: number; readonly intervalSeconds: number }
  | { readonly strategy: 'bigBang' }
  | { readonly strategy: 'rolling'; readonly batch: string };

const canaryPreset = (percent: number, minutes: number): PresetSpec => ({ strategy: 'canary', steps: [percent, 100], bakeSeconds: minutes * 60 });
const linearPreset = (percent: number, minutes: number): PresetSpec => ({ strategy: 'linear', stepPercent: percent, intervalSeconds: minutes * 60 });

/**
 * CodeDeploy's predefined deployment configurations (names exactly as AWS spells them, including the singular
 * "Every1Minute" for Lambda and the plural "Every1Minutes" for ECS), so users can move over without translating.
 */
export const CODEDEPLOY_PRESETS: Readonly<Record<string, PresetSpec>> = {
  'CodeDeployDefault.LambdaCanary10Percent5Minutes': canaryPreset(10, 5),
  'CodeDeployDefault.LambdaCanary10Percent10Minutes': canaryPreset(10, 10),
  'CodeDeployDefault.LambdaCanary10Percent15Minutes': canaryPreset(10, 15),
  'CodeDeployDefault.LambdaCanary10Percent30Minutes': canaryPreset(10, 30),
  'CodeDeployDefault.LambdaLinear10PercentEvery1Minute': linearPreset(10, 1),
  'CodeDeployDefault.LambdaLinear10PercentEvery2Minutes': linearPreset(10, 2),
  'CodeDeployDefault.LambdaLinear10PercentEvery3Minutes': linearPreset(10, 3),
  'CodeDeployDefault.LambdaLinear10PercentEvery10Minutes': linearPreset(10, 10),
  'CodeDeployDefault.LambdaAllAtOnce': { strategy: 'bigBang' },
  'CodeDeployDefault.ECSCanary10Percent5Minutes': canaryPreset(10, 5),
  'CodeDeployDefault.ECSCanary10Percent15Minutes': canaryPreset(10, 15),
  'CodeDeployDefault.ECSLinear10PercentEvery1Minutes': linearPreset(10, 1),
  'CodeDeployDefault.ECSLinear10PercentEvery3Minutes': linearPreset(10, 3),
  'CodeDeployDefault.ECSAllAtOnce': { strategy: 'bigBang' },
  'CodeDeployDefault.AllAtOnce': { strategy: 'bigBang' },
  'CodeDeployDefault.HalfAtATime': { strategy: 'rolling', batch: '50%' },
  'CodeDeployDefault.OneAtATime': { strategy: 'rolling', batch: '1' },
};

export function lookupPreset(name: string, flag = '--preset'): PresetSpec {
  // Own keys only: `toString` or `__proto__` are not presets.
  const preset = Object.hasOwn(CODEDEPLOY_PRESETS, name) ? CODEDEPLOY_PRESETS[name] : undefined;
  if (preset) return preset;
  const close = Object.keys(CODEDEPLOY_PRESETS).filter((known) => known.toLowerCase() === name.toLowerCase());
  const hint = close.length > 0 ? `did you mean ${close[0]}? ` : '';
  throw new InputError(flag, name, `${hint}use one of ${Object.keys(CODEDEPLOY_PRESETS).join(', ')}`);
}

export function presetStrategy(name: string): StrategyName {
  return lookupPreset(name).strategy;
}
