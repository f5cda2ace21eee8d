import type { DeployEvent, DeploymentOutcome } from '../engine/events.js';
import { describeEvent } from '../io/describeEvent.js';
import { describeStep } from '../strategies/describe.js';

/** One notification, rendered for both channels. */
export interface Notification {
  /** The event type, also an SNS message attribute (subscription filter policies can pick events). */
  readonly event: DeployEvent['type'];
  /** One line for people: Slack's fallback text and the start of the SNS message. */
  readonly text: string;
  /** SNS Subject: ASCII, at most 100 characters. */
  readonly subject: string;
  /** Slack Block Kit blocks (a Slack-compatible webhook shows these; others use `text`). */
  readonly blocks: readonly Record<string, unknown>[];
  /** The machine-readable part of the SNS message. */
  readonly detail: Readonly<Record<string, unknown>>;
  readonly outcome?: DeploymentOutcome;
}

/** What the notifier knows about the deployment beyond the event itself. */
export interface DeploymentInfo {
  readonly name?: string;
  /** Set from deployment.started: the target labels and the number of steps. */
  targets: readonly string[];
  stepCount: number;
  startedAt?: number;
}

const ICON: Readonly<Record<DeploymentOutcome, string>> = { succeeded: ':white_check_mark:', rolledBack: ':leftwards_arrow_with_hook:', rollbackFailed: ':rotating_light:', rejected: ':no_entry:', paused: ':double_vertical_bar:' };
const OUTCOME: Readonly<Record<DeploymentOutcome, string>> = { succeeded: 'succeeded', rolledBack: 'rolled back', rollbackFailed: 'ROLLBACK FAILED', rejected: 'was rejected before any change', paused: 'is paused, waiting for promote' };

/**
 * The events people are told about: start, each step, a wait for approval, rollback and finish. Gate polls,
 * weight read-backs and the like stay in the logs. Returns undefined for the others.
 */
export function notificationFor(event: DeployEvent, info: DeploymentInfo): Notification | undefined {
  const who = info.name ? `${info.name} (${event.deploymentId})` : event.deploymentId;
  const detail = { deploymentId: event.deploymentId, ...(info.name ? { name: info.name } : {}), event: event.type, at: new Date(event.at).toISOString() };
  switch (event.type) {
    case 'deployment.started': {
      info.targets = event.targets;
      info.stepCount = event.plan.steps.length;
      info.startedAt ??= event.at;
      const verb = event.resumed ? 'resumed' : 'started';
      const text = `deployctl ${who} ${verb}: ${event.plan.strategy} on ${event.targets.join(', ')} (${event.plan.steps.length} steps)`;
      return build(event.type, text, `${verb} ${event.plan.strategy}`, who, { ...detail, strategy: event.plan.strategy, targets: event.targets, steps: event.plan.steps.map(describeStep) }, info);
    }
    case 'step.started': {
      const of = info.stepCount > 0 ? `/${info.stepCount}` : '';
      const text = `deployctl ${who} step ${event.index + 1}${of}: ${describeStep(event.step)}`;
      return build(event.type, text, `step ${event.index + 1}${of}`, who, { ...detail, index: event.index, step: event.step }, info);
    }
    case 'approval.waiting': {
      const text = `deployctl ${who} is waiting for approval: deployctl promote ${event.deploymentId} (or deployctl abort ${event.deploymentId})`;
      return build(event.type, text, 'waiting for approval', who, { ...detail, index: event.index }, info);
    }
    case 'rollback.started': {
      const at = event.failure.stepIndex !== undefined ? ` at step ${event.failure.stepIndex + 1}` : '';
      const text = `:warning: deployctl ${who} is ROLLING BACK${at}: ${event.failure.message}`;
      return build(event.type, text, 'rolling back', who, { ...detail, failure: event.failure }, info);
    }
    case 'rollback.finished': {
      const text = event.ok ? `deployctl ${who}: ${describeEvent(event, undefined) ?? 'rollback finished'}` : `:rotating_light: deployctl ${who}: ROLLBACK FAILED: ${event.message ?? ''}`;
      return build(event.type, text, event.ok ? 'rolled back' : 'ROLLBACK FAILED', who, { ...detail, ok: event.ok, ...(event.manualCommands ? { manualCommands: event.manualCommands } : {}) }, info, event.manualCommands);
    }
    case 'deployment.finished': {
      const took = info.startedAt !== undefined ? ` after ${minutes(event.at - info.startedAt)}` : '';
      const why = event.failure ? `: ${event.failure.message}` : '';
      const text = `${ICON[event.outcome]} deployctl ${who} ${OUTCOME[event.outcome]}${took}, ${event.finalWeight}% on the new version${why}`;
      return { ...build(event.type, text, OUTCOME[event.outcome], who, { ...detail, outcome: event.outcome, finalWeight: event.finalWeight, ...(event.failure ? { failure: event.failure } : {}) }, info), outcome: event.outcome };
    }
    default:
      return undefined;
  }
}

function build(event: DeployEvent['type'], text: string, what: string, who: string, detail: Record<string, unknown>, info: DeploymentInfo, commands?: readonly string[]): Notification {
  const context = info.targets.length > 0 ? [{ type: 'context', elements: [{ type: 'mrkdwn', text: truncate(`${info.targets.join(' · ')}`, 2000) }] }] : [];
  const code = commands && commands.length > 0 ? [{ type: 'section', text: { type: 'mrkdwn', text: truncate(`Restore by hand:\n\`\`\`${commands.join('\n')}\`\`\``, 3000) } }] : [];
  return {
    event,
    text,
    subject: subjectOf(`deployctl ${who}: ${what}`),
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text: truncate(text, 3000) } }, ...code, ...context],
    detail: { ...detail, text },
  };
}

/** SNS subjects: ASCII printable characters only, no line breaks, at most 100 characters. */
export function subjectOf(text: string): string {
  const ascii = text.replace(/[^\x20-\x7e]/g, '?');
  return ascii.length <= 100 ? ascii : `${ascii.slice(0, 97)}...`;
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function minutes(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds}s`;
  const m = Math.floor(seconds / 60);
  const h = Math.floor(m / 60);
  return h > 0 ? `${h}h${String(m % 60).padStart(2, '0')}m` : `${m}m${String(seconds % 60).padStart(2, '0')}s`;
}
