/**
 * Bugs in src/ that these properties found (src/ is not this suite's to edit), each with a targeted property in
 * knownBugProperties.ts.
 *
 * `true`: open. Its property runs as `it.fails` (it fails because of the bug, so the suite stays green), and the
 * main properties tolerate the bug where it applies (counted in the summary line) or do not generate the inputs
 * that trigger it. When the bug is fixed, its `it.fails` starts to pass and vitest reports that: set the flag to
 * false, which makes the property a plain `it` and the main properties strict for it again.
 *
 * `false`: fixed (d2e7758 fixed the first ten, later commits the rest); the property is a regression test.
 */
export const KNOWN_BUGS = {
  /** `--preset toString` (constructor, __proto__, ...) found Object.prototype members and ended in a TypeError. */
  presetPrototypeKeys: false,
  /** A non-finite weight or step percent (`--steps 5,1e400`, stepPercent NaN) was quoted as `null` in the message. */
  nonFiniteQuotedAsNull: false,
  /** buildPlan silently dropped negative or NaN numeric durations and accepted Infinity (an endless bake). */
  numericDurationsUnchecked: false,
  /** A preset silently overrode explicit steps/bake/stepPercent/interval/batch. */
  presetOverridesFlags: false,
  /** `--batch 24.9999%` gave two `deployCapacity 100` steps; `--batch 0.0001%` overflowed the stack (RangeError). */
  rollingFineBatch: false,
  /** PROMOTE --full at an approval, a pause or a held analysis acted as a plain PROMOTE (no jump to 100). */
  promoteFullIgnoredWhenWaiting: false,
  /** A pending PROMOTE --full jumped to 100% as soon as a step settled, without a fresh gate check (even in ALARM). */
  fullPromotionSkipsFreshGate: false,
  /** A traffic shift backing off after a lost write wrote again after the rollback had started. */
  retryWriteAfterRollback: false,
  /**
   * The gate poll was an XState `after` delay, which a persisted snapshot does not keep: after a restore the gates
   * were blind until a step settled, and a step held by an inconclusive gate or a gate read error hung for ever.
   */
  gatesNotPolledAfterRestore: false,
  /** An inconclusive analysis passed under onInconclusive=fail. */
  inconclusiveAnalysisPassesUnderFail: false,
  /**
   * An inconclusive analysis under onInconclusive=fail rolled back with the failure message "undefined" (the
   * analysis' done event has no error).
   */
  failureMessageUndefined: false,
} as const;

export type KnownBug = keyof typeof KNOWN_BUGS;

/** The known bug that is not tolerated right now (its own property checks strictly for it). */
export const tolerance: { strict: KnownBug | null } = { strict: null };

export async function strictly<T>(bug: KnownBug, run: () => Promise<T> | T): Promise<T> {
  tolerance.strict = bug;
  try {
    return await run();
  } finally {
    tolerance.strict = null;
  }
}
