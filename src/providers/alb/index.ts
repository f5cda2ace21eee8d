import type { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { Plan } from '../../strategies/types.js';
import type { Json, ProviderContext, TrafficProvider } from '../types.js';
import { AlbApi } from './live.js';
import { manualRestoreCommands } from './manual.js';
import { checkCapturable, preflightAlb } from './preflight.js';
import { DEFAULT_RESTORE, readWeight, restore, setWeight, verifyWeight, type RestorePolicy } from './shift.js';
import { parseSnapshot, snapshotJson, type AlbSnapshot } from './snapshot.js';
import { labelFor, resolveTargetRef, type AlbRoles, type AlbTargetSpec } from './target.js';

export { albCallsFor, albReadCalls, albResourceArns, albWriteCalls } from './calls.js';
export type { AlbCallsFor, AlbResources } from './calls.js';
export type { AlbSnapshot } from './snapshot.js';
export type { AlbRoles, AlbTargetSpec } from './target.js';

export interface AlbProviderDeps {
  /** Built by the engine's client factory (region, credentials, retries, rate limits); never built here. */
  readonly client: ElasticLoadBalancingV2Client;
  /** The rollout's plan: its setWeight values are checked against what ALB weights can express. */
  readonly plan: Plan;
  /** How hard restore tries before it reports failure (tests shorten the waits). */
  readonly restore?: RestorePolicy;
}

export interface AlbTrafficProvider extends TrafficProvider {
  /** Stable and canary, once known: from the spec, or found by preflight/capture for targetGroupArns (ping-pong). */
  roles(): AlbRoles | undefined;
}

/**
 * Shifts traffic between two target groups of an ALB listener's default action (listenerArn) or of a rule
 * (ruleArn) by their forward weights. The label stays the same for the whole deployment (the engine keys the
 * captured configuration by it, and a resumed process builds the provider before reading AWS); with
 * targetGroupArns the roles found at preflight are in the preflight facts, the snapshot and `roles()`.
 */
export function createAlbProvider(target: AlbTargetSpec, deps: AlbProviderDeps): AlbTrafficProvider {
  const ref = resolveTargetRef(target);
  const label = labelFor(ref);
  const api = new AlbApi(deps.client, label);
  let found: AlbRoles | undefined = ref.groups.type === 'roles' ? ref.groups.roles : undefined;
  const snapshotOf = (json: Json): AlbSnapshot => {
    const snapshot = parseSnapshot(json, label);
    found ??= snapshot.roles;
    return snapshot;
  };

  return {
    kind: 'alb',
    lockKey: `alb:${ref.arn}`,
    label,
    roles: () => found,
    async preflight(ctx) {
      const result = await preflightAlb(api, ref, deps.plan, ctx.signal);
      if (result.roles) found = result.roles;
      return result.report;
    },
    async capture(ctx) {
      const live = await api.read(ref, ctx.signal);
      const { roles } = checkCapturable(ref, live, found);
      found = roles;
      const snapshot: AlbSnapshot = {
        provider: 'alb',
        version: 1,
        resource: ref.resource,
        arn: ref.arn,
        loadBalancerArn: live.loadBalancerArn ?? '',
        roles,
        actions: live.actions,
        ...(live.rule ? { rule: live.rule } : {}),
      };
      return snapshotJson(snapshot);
    },
    setWeight: (percent, ctx) => setWeight(api, snapshotOf(ctx.snapshot), percent, ctx),
    verifyWeight: (percent, ctx) => verifyWeight(api, snapshotOf(ctx.snapshot), percent, ctx),
    restore: (json: Json, ctx: ProviderContext) => restore(api, snapshotOf(json), ctx, label, deps.restore ?? DEFAULT_RESTORE),
    async readWeight(json, ctx) {
      return readWeight(api, snapshotOf(json), ctx);
    },
    manualRestoreCommands: (json) => manualRestoreCommands(json, ref, label),
  };
}

