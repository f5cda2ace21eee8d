import { describeStep } from '../strategies/describe.js';
import type { AuditEntry } from '../state/types.js';
import type { DeployEvent } from './events.js';

/**
 * The audit history keeps what an operator asks about later (who promoted, when traffic moved, why it rolled
 * back), not every gate poll: ok readings are summarised by their absence, changes of verdict are kept.
 */
export function auditEntryFor(event: DeployEvent, previousGate: string | undefined): AuditEntry | undefined {
  const at = event.at;
  switch (event.type) {
    case 'deployment.started':
      return { at, what: event.resumed ? 'resumed' : 'started', detail: `${event.plan.strategy} on ${event.targets.join(', ')}` };
    case 'preflight.finished':
      return { at, what: 'preflight', detail: event.errors.length > 0 ? event.errors.join('; ') : event.warnings.length > 0 ? `passed with warnings: ${event.warnings.join('; ')}` : 'passed' };
    case 'step.started':
      return { at, what: `step ${event.index + 1} started`, detail: describeStep(event.step) };
    case 'weight.set':
      return { at, what: 'weight set', detail: `${event.target} at ${event.percent}% (verified${event.attempts > 1 ? ` after ${event.attempts} attempts` : ''})` };
    case 'gate.checked': {
      const verdict = event.result.type === 'ok' ? 'ok' : event.result.type === 'alarm' ? `alarm: ${event.result.reason}` : `inconclusive: ${event.result.reason}`;
      return verdict === previousGate ? undefined : { at, what: 'gates', detail: verdict };
    }
    case 'gate.error':
      return { at, what: 'gate read failed', detail: `${event.message} (${event.consecutiveErrors}/${event.limit})` };
    case 'hook.finished':
      return { at, what: `hook ${event.name}`, detail: `${event.passed ? 'passed' : 'failed'}: ${event.detail}` };
    case 'analysis.finished':
      return { at, what: `analysis ${event.name}`, detail: `${event.verdict}: ${event.detail}` };
    case 'control':
      return { at, what: event.action === 'promote' ? (event.full ? 'promote --full requested' : 'promote requested') : 'abort requested', ...(event.reason ? { detail: event.reason } : {}), ...(event.by ? { by: event.by } : {}) };
    case 'approval.waiting':
      return { at, what: 'waiting for approval', detail: `step ${event.index + 1}` };
    case 'rollback.started':
      return { at, what: 'rollback started', detail: event.failure.message };
    case 'target.restored':
      return { at, what: 'restored', detail: event.target };
    case 'rollback.finished':
      return { at, what: event.ok ? 'rollback finished' : 'rollback FAILED', ...(event.message ? { detail: event.message } : {}) };
    case 'capacity.progress':
      return event.percent === 100 || event.percent === 0 ? { at, what: 'capacity', detail: `${event.target} at ${event.percent}%` } : undefined;
    case 'deployment.finished':
      return { at, what: 'finished', detail: `${event.outcome}, ${event.finalWeight}% on the new version${event.failure ? `: ${event.failure.message}` : ''}` };
    case 'warning':
      return { at, what: 'warning', detail: event.message };
    case 'step.finished':
      return undefined;
    default: {
      const unknown: never = event;
      return { at, what: 'event', detail: JSON.stringify(unknown) };
    }
  }
}

export function gateVerdictKey(event: DeployEvent): string | undefined {
  if (event.type !== 'gate.checked') return undefined;
  return event.result.type === 'ok' ? 'ok' : event.result.type === 'alarm' ? `alarm: ${event.result.reason}` : `inconclusive: ${event.result.reason}`;
}

