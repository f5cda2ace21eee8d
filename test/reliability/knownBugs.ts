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

export const KNOWN_BUGS: Readonly<Record<string, KnownBug>> = {
  driftAfterLastShift: {
    title: 'a change made by someone else after the last shift is not seen; the deployment reports success',
    detail:
      'blue-green and big-bang end with a bake at 100%. Weights (ALB, Lambda, Route 53) and the ECS service are only ' +
      'read back right after deployctl writes them, so an out-of-band writer during that final bake (weights at 40%, ' +
      'an older task definition deployed) goes unnoticed: the deployment ends "succeeded", finalWeight 100, while the ' +
      'world serves something else. Fix (src/engine, machine): verify every traffic target (verifyWeight at the last ' +
      'weight) and every capacity target (status) once more before entering succeeded, and treat drift there like ' +
      'drift during a shift (roll back, failure kind drift). Canary and linear are not affected: their next shift ' +
      'reads first and finds the drift.',
    cells: (kind, strategy, fault) => fault === 'out-of-band writer' && ['alb', 'lambda', 'route53', 'ecs'].includes(kind) && ['blue-green', 'big-bang'].includes(strategy),
  },
  lambdaRestoreTrustsStaleRead: {
    title: 'Lambda: after stale reads a rollback reports the alias restored while it still routes to the new version',
    detail:
      'With reads 5 s stale, the read-back after UpdateAlias still shows the old alias, the provider takes it for a ' +
      'lost write and writes again with the stale RevisionId: 412 three times, the step fails and rolls back. ' +
      'restore() (src/providers/lambda/shift.ts) then reads the alias, the stale read shows the captured configuration, ' +
      'and it returns without writing: "restored (verified)", outcome rolledBack, finalWeight 0, exit 3 — while the ' +
      'alias stays at 1%, 25% or 100% on the new version. A read showing the captured RevisionId cannot be trusted ' +
      'once an UpdateAlias of this rollout was acknowledged (Lambda never gives a RevisionId back): restore should ' +
      'wait until the read shows a later RevisionId, or write the captured configuration unconditionally and verify ' +
      'from the UpdateAlias response.',
    cells: (kind, _strategy, fault) => kind === 'lambda' && fault === 'stale reads',
  },
  asgRefreshStuckAfterScaleIn: {
    title: 'Auto Scaling: a scale-in during an instance refresh leaves the rollout waiting forever',
    detail:
      'Someone sets the group to 2 instances mid-refresh (a scaling policy would). The simulated refresh then has ' +
      'nothing left to replace but stays InProgress at 50% for ever (src/sim/services/autoscaling/refresh: it should ' +
      'complete when no instance is left to replace), and deployctl polls DescribeInstanceRefreshes without end: the ' +
      'capacity step has no deadline (the ECS provider has one, counting only progress). Two fixes: the sim refresh ' +
      'completes, and the asg provider (or the engine capacity step) fails the step after a progress deadline.',
    cells: (kind, strategy, fault) => kind === 'asg' && fault === 'out-of-band writer' && ['rolling', 'canary', 'linear'].includes(strategy),
  },
  rollbackWaitsForInflightShift: {
    title: 'Route 53: an alarm during a shift is acted on only after that shift is INSYNC; the shift then reports its weight after the rollback began',
    detail:
      'When the gate fails while a Route 53 shift waits for its change to go INSYNC, rollback.started is emitted at once, ' +
      'but the restore is written only after the in-flight shift has finished waiting (its next GetChange, 5 s later; ' +
      'with the real service up to a minute), read its weight back and emitted weight.set — so traffic stays shifted ' +
      'that much longer while the alarm fires, and the event stream shows a shift after the rollback. ALB and Lambda ' +
      'shifts have no wait, so they are not affected. Fix (machine/engine): on a gate failure abort the in-flight ' +
      'shift effect (its INSYNC sleep already takes the AbortSignal): its write has landed or not, and the restore ' +
      'puts back the captured records either way. The bench measures the delay (bench/RESULTS.md, benchmark 1).',
    cells: (kind, _strategy, fault) => kind === 'route53' && fault === 'alarm fires during a shift',
  },
  asgBigBangOutage: {
    title: 'Auto Scaling big-bang replaces every instance at once: every request fails until the new ones are in service',
    detail:
      'big-bang (and the refresh back in its rollback) sends MinHealthyPercentage 0 without MaxHealthyPercentage ' +
      '(src/providers/asg/request.ts minFromBatch: "big-bang\'s 100% keeps 0"), so Auto Scaling terminates all ' +
      'instances before their replacements serve: the group answers nothing for the start-up and warm-up time. ' +
      'An ECS big-bang keeps serving (100/200%). Launching first (MaxHealthyPercentage 200, MinHealthyPercentage 100) ' +
      'would keep it "all at once" without the outage. The matrix counts these outages apart for the asg big-bang ' +
      'row and one it.fails cell checks them strictly.',
    cells: () => false,
  },
};

export function knownBugOf(kind: TargetKind, strategy: string, fault: string): KnownBug | undefined {
  return Object.values(KNOWN_BUGS).find((bug) => bug.cells(kind, strategy, fault));
}

/** Targets whose late weight events are the known in-flight-shift bug (checked strictly by its matrix cells). */
export function lateWeightEventsTolerated(kind: TargetKind): boolean {
  return kind === 'route53';
}

/** Rows whose outages are the known big-bang bug (checked strictly by its own cell). */
export function outageTolerated(kind: TargetKind, strategy: string): boolean {
  return kind === 'asg' && strategy === 'big-bang';
}
