import type { Action } from '@aws-sdk/client-elastic-load-balancing-v2';
import { DeployError } from '../../errors.js';
import type { Json } from '../types.js';
import type { AlbRoles } from './target.js';
import { toJson } from '../../util/plainJson.js';

/** What a rule carries besides its actions, as DescribeRules returned it (kept for the record; never written). */
export interface CapturedRule {
  readonly Priority?: string;
  readonly IsDefault?: boolean;
  readonly Conditions?: Json;
  readonly Transforms?: Json;
}

/**
 * The exact original configuration, stored with the deployment. `actions` is the action list exactly as
 * DescribeListeners/DescribeRules returned it (Order, stickiness and all); the roles are fixed here, so a resumed
 * process and a rollback never have to work out again which group is the canary.
 */
export interface AlbSnapshot {
  readonly provider: 'alb';
  readonly version: 1;
  readonly resource: 'listener' | 'rule';
  readonly arn: string;
  readonly loadBalancerArn: string;
  readonly roles: AlbRoles;
  readonly actions: readonly Action[];
  readonly rule?: CapturedRule;
}

export function snapshotJson(snapshot: AlbSnapshot): Json {
  return toJson(snapshot);
}

/** Refuses anything that is not one of our snapshots: a write without the original would be a guess. */
export function parseSnapshot(json: Json, label: string): AlbSnapshot {
  const value = json as Partial<AlbSnapshot> | null;
  const valid =
    value !== null &&
    typeof value === 'object' &&
    value.provider === 'alb' &&
    value.version === 1 &&
    (value.resource === 'listener' || value.resource === 'rule') &&
    typeof value.arn === 'string' &&
    typeof value.roles?.stable === 'string' &&
    typeof value.roles?.canary === 'string' &&
    Array.isArray(value.actions);
  if (!valid) throw new DeployError('INTERNAL', `${label}: the captured configuration is missing or not an ALB snapshot; refusing to write without it`);
  return value as AlbSnapshot;
}
