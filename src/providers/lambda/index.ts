import type { LambdaClient } from '@aws-sdk/client-lambda';
import type { Plan } from '../../strategies/types.js';
import type { Json, TrafficProvider } from '../types.js';
import { LambdaApi } from './api.js';
import { captureLambda, DEFAULT_WAIT, type WaitPolicy } from './capture.js';
import { manualRestoreCommands } from './manual.js';
import { preflightLambda, type Seen } from './preflight.js';
import { DEFAULT_RESTORE, readWeight, restore, setWeight, verifyWeight, type RestorePolicy } from './shift.js';
import { parseSnapshot, snapshotJson, type LambdaSnapshot } from './snapshot.js';
import { labelFor, lockKeyFor, type LambdaTargetSpec } from './target.js';

export { lambdaCalls, lambdaReadCalls, lambdaResourceArns, lambdaWriteCalls } from './calls.js';
export type { LambdaCalls, LambdaResources } from './calls.js';
export type { LambdaSnapshot } from './snapshot.js';
export type { LambdaTargetSpec } from './target.js';
export type { RestorePolicy as LambdaRestorePolicy } from './shift.js';
export type { WaitPolicy as LambdaWaitPolicy } from './capture.js';

export interface LambdaProviderDeps {
  /** Built by the engine's client factory (region, credentials, retries, rate limits); never built here. */
  readonly client: LambdaClient;
  /** The rollout's plan (Lambda takes any fraction of a percent, so nothing in it needs checking here). */
  readonly plan: Plan;
  /** How hard restore tries before it reports failure (tests shorten the waits). */
  readonly restore?: RestorePolicy;
  /** How long capture waits for a version that is still being created. */
  readonly wait?: WaitPolicy;
}

/**
 * Shifts an alias's traffic from the version it serves to a new one with weighted alias routing
 * (RoutingConfig.AdditionalVersionWeights), and at 100% points the alias at the new version with no routing.
 * With `publish: true` the new version is published from $LATEST at capture, after preflight has passed.
 */
export function createLambdaProvider(target: LambdaTargetSpec, deps: LambdaProviderDeps): TrafficProvider {
  const label = labelFor(target);
  const api = new LambdaApi(deps.client, target.functionName, target.alias, label);
  let seen: Seen | undefined;
  const snapshotOf = (json: Json): LambdaSnapshot => parseSnapshot(json, label);
  const planPercents = deps.plan.steps.flatMap((step) => (step.type === 'setWeight' ? [step.weight] : []));
  const restorePolicy = { ...(deps.restore ?? DEFAULT_RESTORE), planPercents };

  return {
    kind: 'lambda',
    lockKey: lockKeyFor(target),
    label,
    async preflight(ctx) {
      const result = await preflightLambda(api, target, ctx.signal);
      seen = result.seen;
      return result.report;
    },
    async capture(ctx) {
      return snapshotJson(await captureLambda(api, target, seen, ctx, deps.wait ?? DEFAULT_WAIT));
    },
    setWeight: async (percent, ctx) => setWeight(api, snapshotOf(ctx.snapshot), percent, ctx),
    verifyWeight: async (percent, ctx) => verifyWeight(api, snapshotOf(ctx.snapshot), percent, ctx),
    restore: async (json, ctx) => restore(api, snapshotOf(json), ctx, restorePolicy),
    readWeight: async (json, ctx) => readWeight(api, snapshotOf(json), ctx),
    manualRestoreCommands: (json) => manualRestoreCommands(json, target, label),
  };
}
