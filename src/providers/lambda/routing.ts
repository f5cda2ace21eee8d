import type { AliasConfiguration } from '@aws-sdk/client-lambda';
import type { CapturedAlias, LambdaSnapshot, VersionWeights } from './snapshot.js';
import { formatPercent } from './target.js';

/**
 * Pure functions over alias states. An alias serves its FunctionVersion, except the share w of each version in
 * AdditionalVersionWeights (at most one, Lambda developer guide "Alias routing configuration"); a weight of 0
 * sends nothing, so for traffic it is the same as no entry.
 */

const EPSILON = 1e-9;

/** The live alias as this provider reads it. */
export interface AliasView {
  readonly functionVersion: string;
  readonly weights: VersionWeights;
  readonly description: string | undefined;
  readonly revisionId: string | undefined;
  readonly arn: string | undefined;
}

/** What the alias routes: the part a rollout changes. */
export interface Routing {
  readonly functionVersion: string;
  readonly weights: VersionWeights;
}

export function viewOf(alias: AliasConfiguration): AliasView {
  return {
    functionVersion: alias.FunctionVersion ?? '',
    weights: { ...(alias.RoutingConfig?.AdditionalVersionWeights ?? {}) },
    description: alias.Description,
    revisionId: alias.RevisionId,
    arn: alias.AliasArn,
  };
}

export function capturedWeights(original: CapturedAlias): VersionWeights {
  return original.RoutingConfig?.AdditionalVersionWeights ?? {};
}

/**
 * The alias at `percent`: 0% is the captured routing; between, the old version with the new one at p/100; 100%
 * is the new version with the routing cleared ("points at the new version with no routing config").
 */
export function routingAt(snapshot: LambdaSnapshot, percent: number): Routing {
  if (percent <= 0) return { functionVersion: snapshot.oldVersion, weights: capturedWeights(snapshot.original) };
  if (percent >= 100) return { functionVersion: snapshot.newVersion, weights: {} };
  return { functionVersion: snapshot.oldVersion, weights: { [snapshot.newVersion]: percent / 100 } };
}

function trafficWeights(weights: VersionWeights): Map<string, number> {
  return new Map(Object.entries(weights).filter(([, w]) => Math.abs(w) > EPSILON));
}

/** Same traffic: same primary version and the same non-zero additional weights. */
export function sameRouting(a: Routing, b: Routing): boolean {
  if (a.functionVersion !== b.functionVersion) return false;
  const left = trafficWeights(a.weights);
  const right = trafficWeights(b.weights);
  if (left.size !== right.size) return false;
  return [...left].every(([version, w]) => right.has(version) && Math.abs(right.get(version)! - w) <= EPSILON);
}

export function isAt(snapshot: LambdaSnapshot, live: Routing, percent: number): boolean {
  return sameRouting(live, routingAt(snapshot, percent));
}

/** `version 1 with 5% to version 2`, `version 2 with no weighted routing`. */
export function describeRouting(routing: Routing): string {
  const entries = Object.entries(routing.weights);
  if (entries.length === 0) return `version ${routing.functionVersion} with no weighted routing`;
  return `version ${routing.functionVersion} with ${entries.map(([v, w]) => `${formatPercent(w * 100)} to version ${v}`).join(' and ')}`;
}

/** The new version's share of the alias's traffic, percent; undefined when the alias routes to neither pattern. */
export function shareOf(snapshot: LambdaSnapshot, live: Routing): number | undefined {
  const extra = trafficWeights(live.weights);
  if (live.functionVersion === snapshot.newVersion) return extra.size === 0 ? 100 : undefined;
  if (live.functionVersion !== snapshot.oldVersion) return undefined;
  if (extra.size === 0) return 0;
  const w = extra.get(snapshot.newVersion);
  return extra.size === 1 && w !== undefined ? w * 100 : undefined;
}

/** Field by field, the captured alias against the live one; RevisionId is left out (every update changes it). */
export function restoreDifferences(original: CapturedAlias, live: AliasView): string[] {
  const out: string[] = [];
  if (live.functionVersion !== original.FunctionVersion) out.push(`FunctionVersion ${original.FunctionVersion} → ${live.functionVersion}`);
  const before = JSON.stringify(sortedWeights(capturedWeights(original)));
  const after = JSON.stringify(sortedWeights(live.weights));
  if (before !== after) out.push(`AdditionalVersionWeights ${before} → ${after}`);
  if ((original.Description ?? '') !== (live.description ?? '')) out.push(`Description ${JSON.stringify(original.Description ?? '')} → ${JSON.stringify(live.description ?? '')}`);
  return out;
}

function sortedWeights(weights: VersionWeights): Record<string, number> {
  return Object.fromEntries(Object.entries(weights).sort(([a], [b]) => a.localeCompare(b)));
}
