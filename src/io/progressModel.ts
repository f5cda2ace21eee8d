import type { DeployEvent, DeploymentOutcome } from '../engine/events.js';
import type { GateResult } from '../gates/types.js';
import { describeStep } from '../strategies/describe.js';
import type { Plan } from '../strategies/types.js';
import { formatDuration } from '../util/duration.js';

/** What a progress view shows, folded from the event stream. Pure: renders from (events so far, now). */
export class ProgressModel {
  id = '';
  plan: Plan | undefined;
  targets: readonly string[] = [];
  current = -1;
  weight = 0;
  capacity: number | undefined;
  gate: GateResult | undefined;
  gateErrors = 0;
  policy = 'ignore';
  stepStartedAt = 0;
  startedAt = 0;
  outcome: DeploymentOutcome | undefined;
  rollingBack = false;
  readonly done = new Set<number>();
  readonly log: string[] = [];

  apply(event: DeployEvent): void {
    if (event.type === 'deployment.started' && this.id !== '' && event.deploymentId !== this.id) this.reset();
    this.id = event.deploymentId;
    switch (event.type) {
      case 'deployment.started':
        this.plan = event.plan;
        this.targets = event.targets;
        this.startedAt = event.at;
        this.weight = event.weight ?? this.weight;
        break;
      case 'step.started':
        this.current = event.index;
        this.stepStartedAt = event.at;
        break;
      case 'step.finished':
        this.done.add(event.index);
        break;
      case 'weight.set':
        this.weight = event.percent;
        break;
      case 'capacity.progress':
        this.capacity = event.percent;
        break;
      case 'gate.checked':
        this.gate = event.result;
        this.gateErrors = 0;
        this.policy = event.policy;
        break;
      case 'gate.error':
        this.gateErrors = event.consecutiveErrors;
        break;
      case 'rollback.started':
        this.rollingBack = true;
        break;
      case 'target.restored':
        this.weight = 0;
        break;
      case 'deployment.finished':
        this.outcome = event.outcome;
        this.weight = event.finalWeight;
        break;
      default:
        break;
    }
  }

  /** A new deployment in the same view (the demo runs two). */
  private reset(): void {
    this.current = -1;
    this.weight = 0;
    this.capacity = undefined;
    this.gate = undefined;
    this.gateErrors = 0;
    this.outcome = undefined;
    this.rollingBack = false;
    this.done.clear();
  }

  /** Seconds left in the current timed step, when there is one. */
  timeLeft(now: number): number | undefined {
    const step = this.plan?.steps[this.current];
    if (!step || (step.type !== 'bake' && step.type !== 'pause')) return undefined;
    return Math.max(0, step.seconds - (now - this.stepStartedAt) / 1000);
  }

  /** One line with weight, step, gates and policy: printed by the plain host, shown by the live view. */
  statusLine(now: number): string {
    const total = this.plan?.steps.length ?? 0;
    const step = this.plan?.steps[this.current];
    const left = this.timeLeft(now);
    const where = step ? `step ${this.current + 1}/${total} ${describeStep(step)}${left !== undefined ? `, ${formatDuration(left)} left` : ''}` : 'preflight';
    const capacity = this.capacity !== undefined ? `, capacity ${this.capacity}%` : '';
    return `${this.weight}% on new${capacity} | ${where} | gates ${gateText(this.gate, this.gateErrors)} (insufficient data: ${this.policy})`;
  }

  /** The step list with done/current/pending marks. */
  stepLines(): string[] {
    return (this.plan?.steps ?? []).map((step, i) => {
      const mark = this.done.has(i) ? '✓' : i === this.current ? (this.rollingBack ? '✗' : '▶') : '·';
      return `${mark} ${String(i + 1).padStart(2)} ${describeStep(step)}`;
    });
  }
}

export function gateText(gate: GateResult | undefined, errors = 0): string {
  if (errors > 0) return `read failed ×${errors}`;
  if (!gate) return 'not checked yet';
  if (gate.type === 'ok') return 'ok';
  if (gate.type === 'alarm') return `ALARM (${gate.names.join(', ')})`;
  return `inconclusive (${gate.reason})`;
}

export function weightBar(percent: number, width = 30): string {
  const filled = Math.round((percent / 100) * width);
  return `[${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ${String(percent).padStart(5)}%`;
}
