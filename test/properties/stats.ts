/** Counters shared by the property suites, printed as one line at the end (so the CI log shows what ran). */
export const stats = {
  runs: 0,
  events: 0,
  checks: 0,
  crashes: 0,
  knownBugHits: {} as Record<string, number>,
  violations: 0,
  /** Violations inside the `it.fails` property of an open bug: expected. */
  expectedViolations: 0,
  expecting: false,
  startedAt: Date.now(),
};

/** Fixed seed (override with PROPERTY_SEED); fast-check prints it with the shrunk counterexample on failure. */
export const SEED = Number(process.env.PROPERTY_SEED ?? 20260101);

/** Scales the number of runs (PROPERTY_RUNS_SCALE=10 for a long local soak). */
export const runs = (n: number): number => Math.max(1, Math.round(n * Number(process.env.PROPERTY_RUNS_SCALE ?? 1)));

/** Records one invariant check; throws with the message when it does not hold. */
export function ensure(condition: boolean, message: () => string): void {
  stats.checks += 1;
  if (condition) return;
  if (stats.expecting) stats.expectedViolations += 1;
  else stats.violations += 1;
  throw new Error(message());
}

export function summaryLine(): string {
  const seconds = ((Date.now() - stats.startedAt) / 1000).toFixed(1);
  const known = Object.entries(stats.knownBugHits).map(([bug, n]) => `${bug} ${n}`).join(', ') || 'none';
  return `property suite: ${stats.runs} runs (${stats.crashes} crash-and-restore), ${stats.events} events generated, ${stats.checks} invariant checks, ${stats.violations} violations (+${stats.expectedViolations} expected: tests that the checks catch violations, open bugs); known bugs tolerated: ${known}; seed ${SEED}, ${seconds}s`;
}

/** Runs a check that must find a violation (tests of the checks themselves); returns its message. */
export async function violationOf(check: () => unknown): Promise<string> {
  stats.expecting = true;
  try {
    await check();
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    stats.expecting = false;
  }
  return 'no violation found';
}
