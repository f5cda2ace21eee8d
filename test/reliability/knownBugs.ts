import type { TargetKind } from './targets.js';

/**
 * Bugs in src/ that the reliability suite found and that are not fixed yet (src/ is not this suite's to edit).
 * Their cells run as `it.fails`: each asserts what should happen, fails today, and so passes. When a fix lands the
 * cell starts to pass, vitest reports it as a failure, and the entry below is deleted: the cell is strict again.
 * Violations in these cells are counted apart in the summary; everywhere else the count must be 0.
 */
export interface KnownBug {
  readonly title: string;
  /** What happens, why, and where a fix goes. */
  readonly detail: string;
  /** The matrix cells it breaks: target kind, strategy name, fault name. */
  readonly cells: (kind: TargetKind, strategy: string, fault: string) => boolean;
}

export const KNOWN_BUGS: Readonly<Record<string, KnownBug>> = {};

export function knownBugOf(kind: TargetKind, strategy: string, fault: string): KnownBug | undefined {
  return Object.values(KNOWN_BUGS).find((bug) => bug.cells(kind, strategy, fault));
}

/** Targets whose late weight events are a known bug (checked strictly by its matrix cells). None today. */
export function lateWeightEventsTolerated(_kind: TargetKind): boolean {
  return false;
}

/** Rows whose outages are a known bug (checked strictly by their own cell). None today. */
export function outageTolerated(_kind: TargetKind, _strategy: string): boolean {
  return false;
}
