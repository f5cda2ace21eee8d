import { InputError } from '../errors.js';
import { DURATION_HELP, parseDuration } from '../util/duration.js';
import type { Step } from './types.js';

export const STEP_TOKEN_HELP =
  'use comma-separated weights in (0, 100], strictly increasing (for example 1,5,25,100), optionally mixed with ' +
  'approval, pause:<duration>, bake:<duration>, hook:<name> and analysis:<name>';

/**
 * Parses the `--steps` list: numbers are traffic weights; named tokens insert optional steps anywhere,
 * so `1,5,approval,25,pause:10m,100` reads the way it runs. Returns the steps without the default bakes.
 */
export function parseStepTokens(text: string, flag = '--steps'): { weights: number[]; steps: Step[] } {
  const tokens = text.split(',').map((t) => t.trim());
  const steps: Step[] = [];
  const weights: number[] = [];
  for (const token of tokens) {
    if (token === '') throw new InputError(flag, text, `an empty entry was found; ${STEP_TOKEN_HELP}`);
    const step = parseToken(token, flag);
    if (step.type === 'setWeight') weights.push(step.weight);
    steps.push(step);
  }
  return { weights, steps };
}

function parseToken(token: string, flag: string): Step {
  if (/^[+-]?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?%?$/i.test(token)) {
    return { type: 'setWeight', weight: Number(token.replace('%', '')) };
  }
  const [name, arg] = splitOnce(token, ':');
  switch (name) {
    case 'approval':
    case 'approve':
      if (arg !== undefined) throw new InputError(flag, token, 'approval takes no argument');
      return { type: 'approval' };
    case 'pause':
    case 'bake': {
      if (arg === undefined) throw new InputError(flag, token, `${name} needs a duration, for example ${name}:5m; ${DURATION_HELP}`);
      return { type: name, seconds: parseDuration(arg, `${flag} entry ${JSON.stringify(token)}`) };
    }
    case 'hook':
    case 'analysis':
      if (!arg || !/^[A-Za-z0-9_.-]+$/.test(arg)) {
        throw new InputError(flag, token, `${name} needs a name of letters, digits, _ . or -, for example ${name}:smoke`);
      }
      return { type: name, name: arg };
    default:
      throw new InputError(flag, token, STEP_TOKEN_HELP);
  }
}

function splitOnce(text: string, separator: string): [string, string | undefined] {
  const at = text.indexOf(separator);
  return at < 0 ? [text, undefined] : [text.slice(0, at), text.slice(at + 1)];
}
