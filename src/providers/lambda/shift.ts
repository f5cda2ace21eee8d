import { DeployError, messageOf } from '../../errors.js';
import { isAbortError } from '../../time/clock.js';
import { DEFAULT_RESTORE, type ProviderContext, type RestorePolicy, type ShiftContext, type WeightCheck } from '../types.js';
import { isRevisionMismatch, type LambdaApi } from './api.js';
import { capturedWeights, describeRouting, isAt, restoreDifferences, routingAt, shareOf, type AliasView } from './routing.js';
import type { LambdaSnapshot } from './snapshot.js';
import { formatPercent } from './target.js';

/**
 * Weight changes and restore. Every write is GetAlias, compare, UpdateAlias with the RevisionId just read: Lambda
 * refuses it (412 PreconditionFailedException) if anything wrote the alias in between, so a foreign change is
 * never overwritten unseen; after a 412 the alias is read again and the decision made again.
 */

export { DEFAULT_RESTORE, type RestorePolicy };

/** UpdateAlias calls refused with 412 before setWeight reports the alias as contended. */
const REVISION_RETRIES = 3;
/** Wait before reading again after a 412, doubled each time (a lagging read may still show the old RevisionId). */
const REVISION_BACKOFF_MS = 1000;

function driftDetail(snapshot: LambdaSnapshot, live: AliasView, expected: readonly number[]): string {
  const wanted = [...new Set(expected)].map((p) => `${describeRouting(routingAt(snapshot, p))} (${formatPercent(p)})`).join(' or ');
  return `expected ${wanted}, found ${describeRouting(live)}`;
}

export async function setWeight(api: LambdaApi, snapshot: LambdaSnapshot, percent: number, ctx: ShiftContext): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const live = await api.readAlias(ctx);
    if (isAt(snapshot, live, percent)) return;
    if (!isAt(snapshot, live, ctx.fromPercent)) throw new DeployError('DRIFT', `${api.label} was changed by someone else: ${driftDetail(snapshot, live, [ctx.fromPercent, percent])}`);
    try {
      await api.writeAliasRaw({ ...routingAt(snapshot, percent), revisionId: live.revisionId, replaces: live.revisionId }, ctx.signal);
      return;
    } catch (error) {
      if (isAbortError(error)) throw error;
      // A 412 means the alias changed since our read (maybe by our own write whose response was lost, retried by
      // the SDK): read again and decide. Anything else may also have applied (a timeout after Lambda took it).
      if (isRevisionMismatch(error) && attempt < REVISION_RETRIES) {
        await ctx.clock.sleep(REVISION_BACKOFF_MS * 2 ** (attempt - 1), ctx.signal);
        continue;
      }
      const after = await api.readAlias(ctx).catch(() => undefined);
      if (after && isAt(snapshot, after, percent)) return;
      if (after && !isAt(snapshot, after, ctx.fromPercent)) throw new DeployError('DRIFT', `${api.label} was changed by someone else: ${driftDetail(snapshot, after, [ctx.fromPercent, percent])}`);
      throw api.failure('UpdateAlias', error);
    }
  }
}

export async function verifyWeight(api: LambdaApi, snapshot: LambdaSnapshot, percent: number, ctx: ShiftContext): Promise<WeightCheck> {
  const live = await api.readAlias(ctx);
  if (isAt(snapshot, live, percent)) return { status: 'ok' };
  if (isAt(snapshot, live, ctx.fromPercent)) return { status: 'lost', detail: `still ${describeRouting(live)}, expected ${describeRouting(routingAt(snapshot, percent))}` };
  return { status: 'drift', detail: driftDetail(snapshot, live, [ctx.fromPercent, percent]) };
}

export async function readWeight(api: LambdaApi, snapshot: LambdaSnapshot, ctx: ProviderContext): Promise<number | undefined> {
  return shareOf(snapshot, await api.readAlias(ctx));
}

/**
 * Writes the captured FunctionVersion, RoutingConfig and Description back until a read shows them field by
 * field. The RevisionId cannot come back: Lambda gives the alias a new one on every update. Each write is
 * guarded by the RevisionId just read, so what it replaces is exactly what was compared and reported.
 */
export async function restore(api: LambdaApi, snapshot: LambdaSnapshot, ctx: ProviderContext, policy: RestorePolicy): Promise<void> {
  const { original } = snapshot;
  let problem = 'not read yet';
  let justWrote = false;
  for (let attempt = 1; attempt <= policy.attempts + 1; attempt++) {
    // Read back at once after a write (time-to-restore matters); wait only before trying again.
    if (attempt > 1 && !justWrote) await ctx.clock.sleep(policy.backoffMs * 2 ** (attempt - 2), ctx.signal);
    justWrote = false;
    let live: AliasView;
    try {
      live = await api.readAlias(ctx);
    } catch (error) {
      if (isAbortError(error)) throw error;
      problem = messageOf(error);
      continue;
    }
    const remaining = restoreDifferences(original, live);
    // readAlias waited out reads lagging behind our own writes, so a match here is the alias as it is.
    if (remaining.length === 0) return;
    problem = remaining.join('; ');
    if (attempt > policy.attempts) break;
    warnForeign(api.label, snapshot, live, ctx, policy.planPercents ?? []);
    try {
      const write = { functionVersion: original.FunctionVersion, weights: capturedWeights(original), description: original.Description ?? '', revisionId: live.revisionId, replaces: live.revisionId };
      await api.writeAliasRaw(write, ctx.signal);
      justWrote = true;
    } catch (error) {
      if (isAbortError(error)) throw error;
      problem = `${remaining.join('; ')} (UpdateAlias: ${messageOf(error)})`;
    }
  }
  throw new DeployError('AWS_ERROR', `${api.label}: the captured alias configuration did not take after ${policy.attempts} writes; still different: ${problem}`);
}

/**
 * Restore replaces what it finds: when that is not a state this rollout's plan writes (0% or one of its
 * percents, description untouched), someone else changed the alias, and we say what is being replaced.
 */
function warnForeign(label: string, snapshot: LambdaSnapshot, live: AliasView, ctx: ProviderContext, planPercents: readonly number[]): void {
  const ours = [0, ...planPercents].some((p) => isAt(snapshot, live, p)) && (live.description ?? '') === (snapshot.original.Description ?? '');
  if (ours) return;
  const message = `${label}: restoring the captured alias replaces a change made by someone else during the rollout: ${restoreDifferences(snapshot.original, live).join('; ')}`;
  ctx.emit({ type: 'warning', message, deploymentId: ctx.deploymentId, at: ctx.clock.now() });
}
