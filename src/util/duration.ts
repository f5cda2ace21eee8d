import { InputError } from '../errors.js';

const UNIT_SECONDS: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400 };
const DURATION = /^(?:\d+(?:\.\d+)?(?:ms|s|m|h|d))+$/;
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/g;

export const DURATION_HELP = 'use a duration like 30s, 5m, 1h30m or 0s (units ms, s, m, h, d)';

/**
 * Parses `30s`, `5m`, `1h30m`, `90` (bare numbers are seconds) into seconds.
 * `where` names the flag or file:line for the error message.
 */
export function parseDuration(text: string | number, where: string): number {
  if (typeof text === 'number') {
    if (Number.isFinite(text) && text >= 0) return text;
    throw new InputError(where, text, DURATION_HELP);
  }
  const trimmed = text.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed);
  if (!DURATION.test(trimmed)) throw new InputError(where, text, DURATION_HELP);
  let seconds = 0;
  for (const [, amount, unit] of trimmed.matchAll(PART)) seconds += Number(amount) * (UNIT_SECONDS[unit as string] ?? 0);
  return Math.round(seconds * 1000) / 1000;
}

/** 3900 -> "1h5m", 0.5 -> "500ms", 0 -> "0s". */
export function formatDuration(seconds: number): string {
  if (seconds === 0) return '0s';
  if (seconds < 1) return `${Math.round(seconds * 1000)}ms`;
  let rest = Math.round(seconds);
  const parts: string[] = [];
  for (const [unit, size] of [['d', 86400], ['h', 3600], ['m', 60], ['s', 1]] as const) {
    if (rest >= size) {
      parts.push(`${Math.floor(rest / size)}${unit}`);
      rest %= size;
    }
  }
  return parts.join('');
}
