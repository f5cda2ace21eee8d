import { DeployError, messageOf } from '../../errors.js';
import { canaryHealth } from './checks.js';
import { isAbortError } from '../../time/clock.js';
import { DEFAULT_RESTORE, type ProviderContext, type RestorePolicy, type ShiftContext, type WeightCheck } from '../types.js';
import { actionsAt, findForward, totalWeight, weightOf } from './actions.js';
import { differences } from './compare.js';
import type { AlbApi, LiveTarget } from './live.js';
import type { AlbSnapshot } from './snapshot.js';
import { shortGroup } from './target.js';
import { formatPercent, samePercent, shareOf } from './weights.js';

/**
 * Weight changes and restore. ELB has no revision token, so every write is a read-compare-write: the live list
 * must be the captured one with only the stable/canary weights at the rollout's last percent, else someone else
 * changed it and we stop (DRIFT) instead of overwriting their change.
 */

export { DEFAULT_RESTORE, type RestorePolicy };

/** How the live target stands against the snapshot. */
export interface Assessment {
  /** Differences other than the stable/canary weights: anything here is someone else's change. */
  readonly foreign: readonly string[];
  /** The canary's share of the forward weight, percent. */
  readonly share: number | undefined;
  /** `stable targetgroup/a 99, canary targetgroup/b 1 (1%)` */
  readonly weights: string;
}

export function assess(snapshot: AlbSnapshot, live: LiveTarget): Assessment {
  const foreign = [...differences(snapshot.actions, live.actions, { ignoreWeightsOf: snapshot.roles }), ...ruleDifferences(snapshot, live)];
  const forward = findForward(live.actions);
  if (!forward.ok) return { foreign: foreign.length > 0 ? foreign : [`the ${snapshot.resource} ${forward.problem}`], share: undefined, weights: 'no forward action' };
  const { stable, canary } = snapshot.roles;
  const canaryWeight = weightOf(forward.action, canary);
  const share = shareOf(canaryWeight ?? 0, totalWeight(forward.action));
  const shareText = share === undefined ? 'no weight at all' : formatPercent(share);
  const weights = `stable ${shortGroup(stable)} ${weightOf(forward.action, stable) ?? 'absent'}, canary ${shortGroup(canary)} ${canaryWeight ?? 'absent'} (${shareText})`;
  return { foreign, share, weights };
}

/** A rule's conditions and priority are not ours; a change to them means someone else is editing the rule. */
function ruleDifferences(snapshot: AlbSnapshot, live: LiveTarget): string[] {
  if (!snapshot.rule || !live.rule) return [];
  const out: string[] = [];
  if (snapshot.rule.Priority !== live.rule.Priority) out.push(`rule priority ${String(snapshot.rule.Priority)} → ${String(live.rule.Priority)}`);
  if (JSON.stringify(snapshot.rule.Conditions ?? []) !== JSON.stringify(live.rule.Conditions ?? [])) out.push('rule conditions changed');
  if (JSON.stringify(snapshot.rule.Transforms ?? []) !== JSON.stringify(live.rule.Transforms ?? [])) out.push('rule transforms changed');
  return out;
}

export function isAt(state: Assessment, percent: number): boolean {
  return state.foreign.length === 0 && samePercent(state.share, percent);
}

function driftDetail(state: Assessment, expected: readonly number[]): string {
  const wanted = [...new Set(expected)].map(formatPercent).join(' or ');
  const changes = state.foreign.length > 0 ? `; changed: ${state.foreign.join('; ')}` : '';
  return `expected ${wanted} on the canary, found ${state.weights}${changes}`;
}

export async function setWeight(api: AlbApi, snapshot: AlbSnapshot, percent: number, ctx: ShiftContext): Promise<void> {
  const before = assess(snapshot, await api.read(snapshot, ctx.signal));
  if (isAt(before, percent)) return;
  if (!isAt(before, ctx.fromPercent)) throw new DeployError('DRIFT', `${api.label} was changed by someone else: ${driftDetail(before, [ctx.fromPercent, percent])}`);
  if (ctx.fromPercent === 0) await requireHealthyCanary(api, snapshot, ctx);
  try {
    await api.write(snapshot, actionsAt(snapshot.actions, snapshot.roles, percent), ctx.signal);
  } catch (error) {
    if (isAbortError(error)) throw error;
    // A write can apply and still fail (a timeout after the service applied it): look before concluding.
    const after = await api.read(snapshot, ctx.signal).catch(() => undefined);
    if (after && isAt(assess(snapshot, after), percent)) return;
    throw error;
  }
}

export async function verifyWeight(api: AlbApi, snapshot: AlbSnapshot, percent: number, ctx: ShiftContext): Promise<WeightCheck> {
  const state = assess(snapshot, await api.read(snapshot, ctx.signal));
  if (isAt(state, percent)) return { status: 'ok' };
  if (isAt(state, ctx.fromPercent)) return { status: 'lost', detail: `still ${state.weights}, expected ${formatPercent(percent)}` };
  return { status: 'drift', detail: driftDetail(state, [ctx.fromPercent, percent]) };
}

export async function readWeight(api: AlbApi, snapshot: AlbSnapshot, ctx: ProviderContext): Promise<number | undefined> {
  const live = await api.read(snapshot, ctx.signal);
  const forward = findForward(live.actions);
  if (!forward.ok) return undefined;
  return shareOf(weightOf(forward.action, snapshot.roles.canary) ?? 0, totalWeight(forward.action));
}

/**
 * Writes the captured list back until a read shows it field by field: read, write, read back; when the read-back
 * differs, wait (a stale read settles) and read again, and write again only if it still differs (a lost write).
 * Says what it overwrote; throws with what is still different when it never shows.
 */
export async function restore(api: AlbApi, snapshot: AlbSnapshot, ctx: ProviderContext, label: string, policy: RestorePolicy = DEFAULT_RESTORE): Promise<void> {
  const attempt = new RestoreAttempt(api, snapshot, ctx);
  let live = await attempt.read();
  if (live) warnOverwrite(snapshot, live, ctx, label);
  for (let write = 1; ; write++) {
    if (attempt.matches(live)) return warnRuleLeftAlone(snapshot, live!, ctx, label);
    if (write > policy.attempts) break;
    await attempt.write();
    live = await attempt.read();
    if (attempt.matches(live)) return warnRuleLeftAlone(snapshot, live!, ctx, label);
    await ctx.clock.sleep(policy.backoffMs * 2 ** (write - 1), ctx.signal);
    live = await attempt.read();
  }
  throw new DeployError('AWS_ERROR', `${label}: the captured configuration did not take after ${policy.attempts} writes; still different: ${attempt.problem}`);
}

/** One restore's reads and writes; AWS failures are remembered as the problem and retried, aborts end it. */
class RestoreAttempt {
  problem = 'not read yet';

  constructor(
    private readonly api: AlbApi,
    private readonly snapshot: AlbSnapshot,
    private readonly ctx: ProviderContext,
  ) {}

  async read(): Promise<LiveTarget | undefined> {
    try {
      return await this.api.read(this.snapshot, this.ctx.signal);
    } catch (error) {
      if (isAbortError(error)) throw error;
      this.problem = messageOf(error);
      return undefined;
    }
  }

  async write(): Promise<void> {
    try {
      await this.api.write(this.snapshot, this.snapshot.actions, this.ctx.signal);
    } catch (error) {
      if (isAbortError(error)) throw error;
      this.problem = messageOf(error);
    }
  }

  matches(live: LiveTarget | undefined): boolean {
    if (!live) return false;
    const remaining = differences(this.snapshot.actions, live.actions);
    if (remaining.length > 0) this.problem = remaining.join('; ');
    return remaining.length === 0;
  }
}

/** Restoring replaces the whole list: if someone else changed it meanwhile, say what is being replaced. */
function warnOverwrite(snapshot: AlbSnapshot, live: LiveTarget, ctx: ProviderContext, label: string): void {
  const foreign = differences(snapshot.actions, live.actions, { ignoreWeightsOf: snapshot.roles });
  if (foreign.length === 0) return;
  const message = `${label}: restoring the captured actions replaces changes made by someone else during the rollout: ${foreign.join('; ')}`;
  ctx.emit({ type: 'warning', message, deploymentId: ctx.deploymentId, at: ctx.clock.now() });
}

/** Restore writes actions only; a changed rule priority or condition is someone else's and is left as found. */
function warnRuleLeftAlone(snapshot: AlbSnapshot, live: LiveTarget, ctx: ProviderContext, label: string): void {
  const changed = ruleDifferences(snapshot, live);
  if (changed.length === 0) return;
  const message = `${label}: actions restored; left as found (not deployctl's to undo): ${changed.join('; ')}`;
  ctx.emit({ type: 'warning', message, deploymentId: ctx.deploymentId, at: ctx.clock.now() });
}

/** The first shift never sends traffic to a canary group without a healthy target (checked at that moment). */
async function requireHealthyCanary(api: AlbApi, snapshot: AlbSnapshot, ctx: ShiftContext): Promise<void> {
  const finding = canaryHealth(snapshot.roles.canary, await api.targetHealth(snapshot.roles.canary, ctx.signal), true);
  if (finding.errors.length > 0) throw new DeployError('AWS_ERROR', `${api.label}: not shifting any traffic: ${finding.errors.join('; ')}`);
}
