import type { RolloutContext } from '../machines/context.js';
import type { EventInput } from './runtime.js';

/** The parts of a machine snapshot that progress events are derived from. */
export interface SnapshotView {
  readonly status: 'active' | 'done' | 'error' | 'stopped';
  /** Top-level state: preflight, running, rollingBack, succeeded, rolledBack, rollbackFailed, rejected. */
  readonly phase: string;
  readonly context: RolloutContext;
  readonly tags: ReadonlySet<string>;
}

/**
 * Progress events implied by one transition. Derived from snapshots rather than emitted inside the machine, so
 * a restored snapshot produces the same stream and the machine stays free of I/O.
 */
export function eventsBetween(previous: SnapshotView | undefined, next: SnapshotView): EventInput[] {
  const events: EventInput[] = [];
  const before = previous?.context;
  const after = next.context;
  if (after.gate !== before?.gate) {
    const policy = after.settings.onInconclusive;
    if (after.gate.consecutiveErrors > 0 && after.gate.consecutiveErrors !== before?.gate.consecutiveErrors) {
      events.push({ type: 'gate.error', message: after.gate.lastError ?? 'unknown error', consecutiveErrors: after.gate.consecutiveErrors, limit: after.settings.gateErrorLimit });
    } else if (after.gate.last && after.gate.checked !== before?.gate.checked) {
      events.push({ type: 'gate.checked', result: after.gate.last, consecutiveErrors: 0, policy });
    }
  }
  const leftStep = before && before.stepIndex >= 0 && (before.stepIndex !== after.stepIndex || (previous?.phase === 'running' && (next.phase === 'finalCheck' || next.phase === 'succeeded')));
  if (before && leftStep) {
    const step = after.plan.steps[before.stepIndex];
    if (step) events.push({ type: 'step.finished', index: before.stepIndex, step });
  }
  if (before?.stepIndex !== after.stepIndex && after.stepIndex >= 0 && next.phase === 'running') {
    const step = after.plan.steps[after.stepIndex];
    if (step) events.push({ type: 'step.started', index: after.stepIndex, step });
  }
  const waiting = next.tags.has('waitingForApproval');
  if (waiting && !previous?.tags.has('waitingForApproval')) events.push({ type: 'approval.waiting', index: after.stepIndex });
  if (next.phase === 'rollingBack' && previous?.phase !== 'rollingBack' && after.failure) events.push({ type: 'rollback.started', failure: after.failure });
  if (previous?.phase === 'rollingBack' && next.phase !== 'rollingBack') {
    const ok = next.phase === 'rolledBack';
    events.push(ok ? { type: 'rollback.finished', ok } : { type: 'rollback.finished', ok, message: after.rollbackError ?? 'rollback failed', manualCommands: after.rollbackCommands });
  }
  return events;
}
