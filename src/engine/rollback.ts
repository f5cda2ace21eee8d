import { withRetryPhase } from '../aws/retryBudget.js';
import { DeployError, messageOf } from '../errors.js';
import type { Applied } from '../machines/context.js';
import type { CapacityContext, Json, ProviderContext } from '../providers/types.js';
import type { Runtime } from './runtime.js';
import { capacityContext, handleFor } from './capacity.js';

export interface RollbackInput {
  readonly applied: readonly Applied[];
  readonly snapshots: Record<string, Json>;
  readonly handle: Json;
}

/**
 * Undoes what ran, in reverse order, each target back to its captured configuration (read back by the
 * provider). Every target is attempted even when an earlier one fails; then the failures are reported together
 * with the aws CLI commands that restore each failed target by hand.
 */
export async function rollback(input: RollbackInput, runtime: Runtime, signal: AbortSignal): Promise<void> {
  return withRetryPhase('rollback', async () => {
    const failures: string[] = [];
    const manual: string[] = [];
    const base: ProviderContext = { deploymentId: runtime.deploymentId, signal, clock: runtime.clock, emit: (e) => runtime.emit(e) };
    for (const applied of [...input.applied].reverse()) {
      for (const undo of undoSteps(applied, input, runtime, base)) {
        try {
          await undo.run();
          runtime.emit({ type: 'target.restored', target: undo.label });
        } catch (error) {
          failures.push(`${undo.label}: ${messageOf(error)}`);
          manual.push(...undo.manual());
        }
      }
    }
    if (failures.length > 0) {
      throw new DeployError('ROLLBACK_FAILED', `rollback failed for ${failures.join('; ')}`, { details: manual });
    }
  });
}

interface Undo {
  readonly label: string;
  run(): Promise<void>;
  manual(): string[];
}

function undoSteps(applied: Applied, input: RollbackInput, runtime: Runtime, base: ProviderContext): Undo[] {
  switch (applied.type) {
    case 'traffic':
      return [...runtime.traffic].reverse().map((p) => {
        const snapshot = input.snapshots[p.lockKey] ?? null;
        return { label: p.label, run: () => p.restore(snapshot, base), manual: () => p.manualRestoreCommands(snapshot) };
      });
    case 'capacity':
      return [...runtime.capacity].reverse().map((p) => {
        const ctx: CapacityContext = capacityContext(base, input.snapshots[p.lockKey] ?? null, []);
        return { label: p.label, run: () => p.rollback(ctx.snapshot, handleFor(input.handle, p.lockKey), ctx), manual: () => p.manualRestoreCommands(ctx.snapshot) };
      });
    case 'retire':
      return [...runtime.capacity].reverse().map((p) => {
        const ctx: CapacityContext = capacityContext(base, input.snapshots[p.lockKey] ?? null, []);
        return { label: `${p.label} (old side)`, run: () => p.restoreOld(ctx.snapshot, ctx), manual: () => p.manualRestoreCommands(ctx.snapshot) };
      });
    default: {
      const unknown: never = applied;
      throw new Error(`unknown applied entry ${JSON.stringify(unknown)}`);
    }
  }
}
