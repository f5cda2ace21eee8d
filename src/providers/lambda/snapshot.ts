import { DeployError } from '../../errors.js';
import type { Json } from '../types.js';
import { toJson } from '../../util/plainJson.js';

/** An alias's routing as GetAlias returns it: version → weight (0..1). Empty means no weighted routing. */
export type VersionWeights = Readonly<Record<string, number>>;

/** The members of an alias deployctl may change and must put back, exactly as GetAlias returned them. */
export interface CapturedAlias {
  readonly FunctionVersion: string;
  /** Absent when GetAlias returned no RoutingConfig. */
  readonly RoutingConfig?: { readonly AdditionalVersionWeights?: VersionWeights };
  readonly Description?: string;
  /** For the record only: any update gives the alias a new RevisionId, so a restore cannot bring it back. */
  readonly RevisionId?: string;
}

/**
 * The exact original configuration, stored with the deployment. The versions are fixed here (a published
 * version is only known after capture), so a resumed process and a rollback never work them out again.
 */
export interface LambdaSnapshot {
  readonly provider: 'lambda';
  readonly version: 1;
  /** As the spec gives it (name or ARN): every call uses it, so the same function is addressed throughout. */
  readonly functionName: string;
  readonly alias: string;
  readonly aliasArn: string;
  /** The version the alias served before the rollout (its FunctionVersion). */
  readonly oldVersion: string;
  /** The version the rollout shifts to. */
  readonly newVersion: string;
  /** True when deployctl published newVersion from $LATEST during capture. */
  readonly published: boolean;
  readonly original: CapturedAlias;
}

export function snapshotJson(snapshot: LambdaSnapshot): Json {
  return toJson(snapshot);
}

/** Refuses anything that is not one of our snapshots: a write without the original would be a guess. */
export function parseSnapshot(json: Json, label: string): LambdaSnapshot {
  const value = json as Partial<LambdaSnapshot> | null;
  const valid =
    value !== null &&
    typeof value === 'object' &&
    value.provider === 'lambda' &&
    value.version === 1 &&
    typeof value.functionName === 'string' &&
    typeof value.alias === 'string' &&
    typeof value.oldVersion === 'string' &&
    typeof value.newVersion === 'string' &&
    typeof value.original?.FunctionVersion === 'string';
  if (!valid) throw new DeployError('INTERNAL', `${label}: the captured configuration is missing or not a Lambda alias snapshot; refusing to write without it`);
  return value as LambdaSnapshot;
}
