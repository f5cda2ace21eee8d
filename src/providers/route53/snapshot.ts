import type { ResourceRecordSet } from '@aws-sdk/client-route-53';
import { DeployError } from '../../errors.js';
import type { Json } from '../types.js';
import { toJson } from '../../util/plainJson.js';

/**
 * The exact original configuration, stored with the deployment: both weighted record sets exactly as
 * ListResourceRecordSets returned them (TTL, values, alias target, health check and all).
 */
export interface Route53Snapshot {
  readonly provider: 'route53';
  readonly version: 1;
  /** Without the `/hostedzone/` prefix. */
  readonly hostedZoneId: string;
  /** As Route 53 returns it: lower case, trailing dot, `*` as `\052`. */
  readonly recordName: string;
  readonly recordType: string;
  readonly stable: ResourceRecordSet;
  readonly canary: ResourceRecordSet;
}

export type Role = 'stable' | 'canary';
export const ROLES: readonly Role[] = ['stable', 'canary'];

export function snapshotJson(snapshot: Route53Snapshot): Json {
  return toJson(snapshot);
}

function isWeightedRecord(value: unknown): value is ResourceRecordSet {
  const record = value as ResourceRecordSet | undefined;
  return typeof record?.Name === 'string' && typeof record.Type === 'string' && typeof record.SetIdentifier === 'string' && typeof record.Weight === 'number';
}

/**
 * Refuses anything that is not one of our snapshots (a write without the original would be a guess), and one
 * whose weights are both 0: writing that back would make Route 53 split traffic equally.
 */
export function parseSnapshot(json: Json, label: string): Route53Snapshot {
  const value = json as Partial<Route53Snapshot> | null;
  const valid =
    value !== null &&
    typeof value === 'object' &&
    value.provider === 'route53' &&
    value.version === 1 &&
    typeof value.hostedZoneId === 'string' &&
    typeof value.recordName === 'string' &&
    typeof value.recordType === 'string' &&
    isWeightedRecord(value.stable) &&
    isWeightedRecord(value.canary);
  if (!valid) throw new DeployError('INTERNAL', `${label}: the captured configuration is missing or not a Route 53 snapshot; refusing to write without it`);
  if (value.stable!.Weight === 0 && value.canary!.Weight === 0) throw new DeployError('INTERNAL', `${label}: the captured weights are both 0; refusing to write them (Route 53 would split traffic equally)`);
  return value as Route53Snapshot;
}
