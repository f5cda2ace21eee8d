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
    title: 'ECS: another task definition deployed after the last capacity step is not seen; the deployment reports success',
    detail:
      'blue-green and big-bang of an ECS service alone end with a bake after the capacity step. The service is only ' +
      'read while its deployment progresses, so someone deploying another task definition during that bake (the ' +
      'out-of-band writer puts web:1 back) goes unnoticed: the deployment ends "succeeded" while the service runs the ' +
      'old version. Commit 328e712 added a final read-back of every traffic target before success (the same cells ' +
      'for ALB, Lambda and Route 53 pass since); capacity targets need the same: read the service (status) once more ' +
      'before entering succeeded and treat a foreign deployment as drift. Rolling is not affected (the writer lands ' +
      'while ECS deploys and the provider sees it), nor is the ECS service split at the ALB (retiring the old side ' +
      'reads the listener first).',
    cells: (kind, strategy, fault) => fault === 'out-of-band writer' && kind === 'ecs' && ['blue-green', 'big-bang'].includes(strategy),
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
