import type { Route53Client } from '@aws-sdk/client-route-53';
import type { Plan } from '../../strategies/types.js';
import type { Json, TrafficProvider } from '../types.js';
import { Route53Api } from './api.js';
import { DEFAULT_SYNC, type SyncPolicy } from './change.js';
import { manualRestoreCommands } from './manual.js';
import { captureRoute53, preflightRoute53 } from './preflight.js';
import { DEFAULT_RESTORE, readWeight, restore, setWeight, verifyWeight, type RestorePolicy } from './shift.js';
import { parseSnapshot, snapshotJson, type Route53Snapshot } from './snapshot.js';
import { bareZoneId, labelFor, lockKeyFor, normalizeName, type Route53TargetSpec } from './target.js';

export { route53Calls, route53ReadCalls, route53ResourceArns, route53WriteCalls } from './calls.js';
export type { Route53Calls, Route53Resources } from './calls.js';
export type { Route53Snapshot } from './snapshot.js';
export type { Route53TargetSpec } from './target.js';
export type { RestorePolicy as Route53RestorePolicy } from './shift.js';
export type { SyncPolicy as Route53SyncPolicy } from './change.js';
export { weightsFor as route53WeightsFor } from './weights.js';

export interface Route53ProviderDeps {
  /** Built by the engine's client factory (credentials, retries, rate limits); never built here. */
  readonly client: Route53Client;
  /** The rollout's plan: its percents must be expressible as 0–255 weights, its bakes should outlast the TTL. */
  readonly plan: Plan;
  /** GetChange poll interval until INSYNC, ms (default 5 s). */
  readonly pollMs?: number;
  /** INSYNC timeout and the wait for a change whose id was lost (tests shorten them). */
  readonly sync?: Partial<SyncPolicy>;
  /** How hard restore tries before it reports failure. */
  readonly restore?: RestorePolicy;
}

/**
 * Shifts traffic between two weighted record sets of one name and type (stable and canary set identifiers):
 * one all-or-nothing DELETE+CREATE batch per shift, then INSYNC, then a read-back. Both records stay to the end
 * (100% is stable 0, canary all), so a rollback only moves weights back.
 */
export function createRoute53Provider(target: Route53TargetSpec, deps: Route53ProviderDeps): TrafficProvider {
  const label = labelFor(target);
  const api = new Route53Api(deps.client, bareZoneId(target.hostedZoneId), normalizeName(target.recordName), target.recordType, label);
  const sync: SyncPolicy = { ...DEFAULT_SYNC, ...(deps.pollMs !== undefined ? { pollMs: deps.pollMs } : {}), ...deps.sync };
  /** Weights this process saw reach INSYNC (a re-check right after our own write must not wait again). */
  const seenInsync = new Set<number>();
  const planPercents = deps.plan.steps.flatMap((step) => (step.type === 'setWeight' ? [step.weight] : []));
  const restorePolicy = { ...(deps.restore ?? DEFAULT_RESTORE), planPercents };
  const snapshotOf = (json: Json): Route53Snapshot => parseSnapshot(json, label);

  return {
    kind: 'route53',
    lockKey: lockKeyFor(target),
    label,
    preflight: (ctx) => preflightRoute53(api, target, deps.plan, ctx.signal),
    capture: async (ctx) => snapshotJson(await captureRoute53(api, target, ctx.signal)),
    setWeight: async (percent, ctx) => setWeight(api, snapshotOf(ctx.snapshot), percent, ctx, sync, seenInsync),
    verifyWeight: async (percent, ctx) => verifyWeight(api, snapshotOf(ctx.snapshot), percent, ctx),
    restore: async (json, ctx) => restore(api, snapshotOf(json), ctx, restorePolicy, sync),
    readWeight: async (json, ctx) => readWeight(api, snapshotOf(json), ctx),
    manualRestoreCommands: (json) => manualRestoreCommands(json, target, label),
  };
}
