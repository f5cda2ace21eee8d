import type { GateResult } from '../gates/types.js';
import type { Plan, Step } from '../strategies/types.js';

/** How a deployment ended. `rejected` means preflight refused it before anything was changed. */
export type DeploymentOutcome = 'succeeded' | 'rolledBack' | 'rollbackFailed' | 'rejected' | 'paused';

export interface Failure {
  /** What started the rollback. */
  readonly kind: 'gate' | 'abort' | 'drift' | 'effect' | 'preflight' | 'hook' | 'analysis' | 'capacity' | 'gateErrors';
  readonly message: string;
  /** Step the rollout was on, when known. */
  readonly stepIndex?: number;
  readonly at: number;
}

interface Base {
  readonly deploymentId: string;
  /** Milliseconds since the epoch, on the deployment's clock (simulated time in rehearsals). */
  readonly at: number;
}

/** Everything a deployment reports, in order. Rendered by the CLI, written as NDJSON, summarised by the Action. */
export type DeployEvent = Base &
  (
    | { readonly type: 'deployment.started'; readonly plan: Plan; readonly targets: readonly string[]; readonly resumed?: boolean; readonly weight?: number }
    | { readonly type: 'preflight.finished'; readonly errors: readonly string[]; readonly warnings: readonly string[]; readonly facts?: Readonly<Record<string, unknown>> }
    | { readonly type: 'step.started'; readonly index: number; readonly step: Step }
    | { readonly type: 'step.finished'; readonly index: number; readonly step: Step }
    | { readonly type: 'weight.set'; readonly target: string; readonly percent: number; readonly verified: boolean; readonly attempts: number }
    | { readonly type: 'capacity.progress'; readonly target: string; readonly percent: number; readonly detail?: string }
    | { readonly type: 'gate.checked'; readonly result: GateResult; readonly consecutiveErrors: number; readonly policy: string }
    | { readonly type: 'gate.error'; readonly message: string; readonly consecutiveErrors: number; readonly limit: number }
    | { readonly type: 'hook.finished'; readonly name: string; readonly passed: boolean; readonly detail: string }
    | { readonly type: 'analysis.finished'; readonly name: string; readonly verdict: 'pass' | 'fail' | 'inconclusive'; readonly detail: string }
    | { readonly type: 'approval.waiting'; readonly index: number }
    | { readonly type: 'control'; readonly action: 'promote' | 'abort'; readonly full?: boolean; readonly reason?: string; readonly by?: string }
    | { readonly type: 'rollback.started'; readonly failure: Failure }
    | { readonly type: 'target.restored'; readonly target: string }
    | { readonly type: 'rollback.finished'; readonly ok: boolean; readonly message?: string; readonly manualCommands?: readonly string[] }
    | { readonly type: 'warning'; readonly message: string }
    | { readonly type: 'deployment.finished'; readonly outcome: DeploymentOutcome; readonly failure?: Failure; readonly finalWeight: number }
  );

export type DeployEventType = DeployEvent['type'];
