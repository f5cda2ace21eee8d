import type { ResourceRecordSet } from '@aws-sdk/client-route-53';
import { DeployError } from '../../errors.js';
import { recordDifferences } from './records.js';
import type { Route53Snapshot } from './snapshot.js';
import { formatPercent, shareOf, weightsFor, type WeightPair } from './weights.js';

/** The weighted group as read now, split into the two record sets of the rollout and the rest. */
export interface LiveGroup {
  readonly stable: ResourceRecordSet | undefined;
  readonly canary: ResourceRecordSet | undefined;
  readonly others: readonly ResourceRecordSet[];
}

export function splitGroup(snapshot: Pick<Route53Snapshot, 'stable' | 'canary'>, records: readonly ResourceRecordSet[]): LiveGroup {
  const find = (id: string | undefined) => records.find((r) => r.SetIdentifier === id);
  const ids = new Set([snapshot.stable.SetIdentifier, snapshot.canary.SetIdentifier]);
  return { stable: find(snapshot.stable.SetIdentifier), canary: find(snapshot.canary.SetIdentifier), others: records.filter((r) => !ids.has(r.SetIdentifier)) };
}

/** How the live group stands against the snapshot. */
export interface Assessment {
  readonly live: LiveGroup;
  /** The captured weights: what 0% means. */
  readonly captured: WeightPair;
  /** Differences other than the two weights (TTL, values, a deleted record...): someone else's change. */
  readonly foreign: readonly string[];
  /** The canary's share of the two weights, percent; undefined when a record is missing or both are 0. */
  readonly share: number | undefined;
  /** `stable 'blue' 99, canary 'green' 1 (1%)` */
  readonly weights: string;
}

export function assess(snapshot: Route53Snapshot, records: readonly ResourceRecordSet[]): Assessment {
  const live = splitGroup(snapshot, records);
  const foreign = [...recordDifferences(snapshot.stable, live.stable, { ignoreWeight: true }), ...recordDifferences(snapshot.canary, live.canary, { ignoreWeight: true })];
  const pair = live.stable?.Weight !== undefined && live.canary?.Weight !== undefined ? { stable: live.stable.Weight, canary: live.canary.Weight } : undefined;
  const share = pair ? shareOf(pair) : undefined;
  const shown = (r: ResourceRecordSet | undefined) => (r ? String(r.Weight ?? 'no weight') : 'absent');
  const percent = pair === undefined ? '' : ` (${share === undefined ? 'both 0: Route 53 splits equally' : formatPercent(share)})`;
  const weights = `stable '${String(snapshot.stable.SetIdentifier)}' ${shown(live.stable)}, canary '${String(snapshot.canary.SetIdentifier)}' ${shown(live.canary)}${percent}`;
  return { live, captured: { stable: snapshot.stable.Weight ?? 0, canary: snapshot.canary.Weight ?? 0 }, foreign, share, weights };
}

/** The weights written at `percent`; throws for a percent preflight would have refused. */
export function pairAt(percent: number): WeightPair {
  const pair = weightsFor(percent);
  if (!pair || pair.stable + pair.canary === 0) throw new DeployError('INTERNAL', `${formatPercent(percent)} cannot be written as Route 53 weights (0–255); preflight should have refused it`);
  return pair;
}

/** What the two weights are at `percent` of this rollout: the captured ones at 0%, else the ones we write. */
function expectedAt(state: Assessment, percent: number): WeightPair {
  return percent <= 0 ? state.captured : pairAt(percent);
}

/**
 * Exactly the weights this rollout leaves at `percent`, and nothing else changed. The same share written as other
 * weights (2 and 198 for 1 and 99) is someone else's write all the same.
 */
export function isAt(state: Assessment, percent: number): boolean {
  const { stable, canary } = state.live;
  if (state.foreign.length > 0 || !stable || !canary) return false;
  const expected = expectedAt(state, percent);
  return stable.Weight === expected.stable && canary.Weight === expected.canary;
}

export function driftDetail(state: Assessment, percents: readonly number[]): string {
  const wanted = [...new Set(percents)].map((p) => {
    const pair = expectedAt(state, p);
    return `${pair.stable}/${pair.canary} (${formatPercent(p)})`;
  });
  const changes = state.foreign.length > 0 ? `; changed: ${state.foreign.join('; ')}` : '';
  return `expected stable/canary weights ${wanted.join(' or ')}, found ${state.weights}${changes}`;
}
