import type { DeployEvent } from '../engine/events.js';
import { describeStep } from '../strategies/describe.js';
import { gateText } from './progressModel.js';

/** A human sentence for an event, or undefined for events a person does not need to see (ok gate polls). */
export function describeEvent(event: DeployEvent, previousGate: string | undefined): string | undefined {
  switch (event.type) {
    case 'deployment.started':
      return `${event.resumed ? 'resuming' : 'starting'} ${event.plan.strategy} on ${event.targets.join(', ')}`;
    case 'preflight.finished':
      return event.errors.length > 0 ? `preflight failed:\n  - ${event.errors.join('\n  - ')}` : `preflight passed${event.warnings.length > 0 ? `, with warnings:\n  ! ${event.warnings.join('\n  ! ')}` : ''}`;
    case 'step.started':
      return `step ${event.index + 1}: ${describeStep(event.step)}`;
    case 'step.finished':
      return undefined;
    case 'weight.set':
      return `${event.target}: ${event.percent}% on the new version (verified by reading back${event.attempts > 1 ? `, after ${event.attempts} attempts` : ''})`;
    case 'capacity.progress':
      return `${event.target}: new capacity at ${event.percent}%${event.detail ? ` (${event.detail})` : ''}`;
    case 'gate.checked': {
      const text = gateText(event.result);
      return text === previousGate ? undefined : `gates: ${text} (insufficient data: ${event.policy})`;
    }
    case 'gate.error':
      return `gate read failed (${event.consecutiveErrors}/${event.limit}): ${event.message}`;
    case 'hook.finished':
      return `hook ${event.name} ${event.passed ? 'passed' : 'FAILED'}: ${event.detail}`;
    case 'analysis.finished':
      return `analysis ${event.name}: ${event.verdict} — ${event.detail}`;
    case 'control':
      return `${event.action}${event.full ? ' --full' : ''} requested${event.by ? ` by ${event.by}` : ''}${event.reason ? `: ${event.reason}` : ''}`;
    case 'approval.waiting':
      return `waiting for approval: run \`deployctl promote ${event.deploymentId}\` (or \`deployctl abort ${event.deploymentId}\`)`;
    case 'rollback.started':
      return `ROLLING BACK: ${event.failure.message}`;
    case 'target.restored':
      return `restored ${event.target} to its original configuration (verified)`;
    case 'rollback.finished':
      return event.ok ? 'rollback finished: every target is back to its original configuration' : `ROLLBACK FAILED: ${event.message ?? ''}${event.manualCommands?.length ? `\nrestore by hand:\n  ${event.manualCommands.join('\n  ')}` : ''}`;
    case 'warning':
      return `warning: ${event.message}`;
    case 'deployment.finished':
      return `finished: ${event.outcome}, ${event.finalWeight}% on the new version${event.failure ? ` (${event.failure.message})` : ''}`;
    default: {
      const unknown: never = event;
      return JSON.stringify(unknown);
    }
  }
}

export function gateKey(event: DeployEvent): string | undefined {
  return event.type === 'gate.checked' ? gateText(event.result) : undefined;
}
