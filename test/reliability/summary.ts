import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { World } from '../../src/sim/world.js';

/**
 * The suite's closing summary. Each test file counts its own part and prints it; the part files meet in a directory
 * named after the vitest process, and whichever file finishes last prints the total for the whole suite.
 */
export const PARTS = ['fault matrix (traffic)', 'fault matrix (capacity)', 'crash at every state (traffic)', 'crash at every state (capacity)', 'bad inputs'] as const;
export type Part = (typeof PARTS)[number];

export interface Tally {
  /** Faults that fired (throttles, errors, lost writes, timeouts, writers, alarm changes) plus simulated crashes. */
  faultsInjected: number;
  runs: number;
  /** Invariant observations made (every write and every event of every run). */
  observations: number;
  /** Invariant violations in runs that must have none. Must stay 0. */
  violations: number;
  /**
   * Runs of cells marked as known bugs (it.fails), and the violations seen there or tolerated elsewhere as a known
   * bug's (outages of the asg big-bang row, late weight events of Route 53 rollbacks).
   */
  knownBugRuns: number;
  knownBugViolations: number;
  inputsTried: number;
}

export function newTally(): Tally {
  return { faultsInjected: 0, runs: 0, observations: 0, violations: 0, knownBugRuns: 0, knownBugViolations: 0, inputsTried: 0 };
}

/** Faults of a world that fired (stale reads have no count: they are counted once when they were active). */
export function faultsFired(world: World): number {
  return world.state.faults.reduce((sum, r) => sum + (r.fault.type === 'staleRead' ? 1 : r.fired), 0);
}

export function line(label: string, t: Tally): string {
  const known = t.knownBugRuns > 0 || t.knownBugViolations > 0 ? `; known bugs (it.fails cells and tolerated breaches, see knownBugs.ts): ${t.knownBugRuns} runs, ${t.knownBugViolations} breaches` : '';
  return `${label}: faults injected ${t.faultsInjected}, runs ${t.runs}, invariant observations ${t.observations}, invariant violations ${t.violations}, inputs tried ${t.inputsTried}${known}`;
}

const dir = join(tmpdir(), `deployctl-reliability-${process.ppid}`);

/** Prints this file's part; when every part has reported in this vitest run, prints the suite's total. */
export function report(part: Part, tally: Tally): void {
  console.log(line(`reliability suite, ${part}`, tally));
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${PARTS.indexOf(part)}.json`), JSON.stringify(tally));
  const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
  if (files.length < PARTS.length) return;
  const total = newTally();
  for (const file of files) {
    const t = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Tally;
    for (const key of Object.keys(total) as (keyof Tally)[]) total[key] += t[key];
  }
  console.log(line('RELIABILITY SUITE SUMMARY', total));
  if (existsSync(dir)) rmSync(dir, { recursive: true, force: true });
}
