import type { Action } from '@aws-sdk/client-elastic-load-balancing-v2';
import { groupsOf, inOrder } from './actions.js';
import { shortGroup, type AlbRoles } from './target.js';

/**
 * Field-by-field comparison of two action lists, as readable differences (`from → to`). Only representations
 * ALB documents as the same configuration are treated as equal: TargetGroupArn vs a one-group ForwardConfig,
 * a group listed without Weight (1), stickiness absent vs disabled, action order in the list vs Order, and the
 * write-only UseExistingClientSecret flag.
 */

export interface CompareOptions {
  /** The roles whose weights (and the canary's presence) are the rollout's to change: left out of the comparison. */
  readonly ignoreWeightsOf?: AlbRoles;
}

const MAX_DIFFERENCES = 8;

export function differences(expected: readonly Action[], live: readonly Action[], options: CompareOptions = {}): string[] {
  const a = inOrder(expected);
  const b = inOrder(live);
  if (a.length !== b.length) return [`actions ${a.map((x) => String(x.Type)).join(', ')} → ${b.map((x) => String(x.Type)).join(', ') || 'none'}`];
  const out: string[] = [];
  a.forEach((action, i) => {
    const other = b[i]!;
    const where = `action ${i + 1} (${String(action.Type)})`;
    if (action.Type !== other.Type) out.push(`${where}: type ${String(action.Type)} → ${String(other.Type)}`);
    else if (action.Type === 'forward') out.push(...forwardDifferences(action, other, options).map((d) => `${where}: ${d}`));
    else jsonDifferences(comparable(action), comparable(other), where, out);
  });
  return out.slice(0, MAX_DIFFERENCES);
}

function forwardDifferences(expected: Action, live: Action, options: CompareOptions): string[] {
  const out: string[] = [];
  if (expected.Order !== live.Order) out.push(`Order ${String(expected.Order)} → ${String(live.Order)}`);
  const before = new Map(groupsOf(expected).map((t) => [t.TargetGroupArn!, t.Weight!]));
  const after = new Map(groupsOf(live).map((t) => [t.TargetGroupArn!, t.Weight!]));
  const roles = options.ignoreWeightsOf;
  for (const arn of new Set([...before.keys(), ...after.keys()])) {
    const was = before.get(arn);
    const now = after.get(arn);
    const isRole = roles !== undefined && (arn === roles.stable || arn === roles.canary);
    // The canary appears with the first write and may stay at 0 after; only the stable group must stay listed.
    const canaryComesOrGoes = roles !== undefined && arn === roles.canary && (was === undefined || now === undefined);
    if (was === now || canaryComesOrGoes) continue;
    if (now === undefined) out.push(`target group ${shortGroup(arn)} removed (had weight ${was})`);
    else if (was === undefined) out.push(`target group ${shortGroup(arn)} added with weight ${now}`);
    else if (!isRole) out.push(`target group ${shortGroup(arn)} weight ${was} → ${now}`);
  }
  const stickyBefore = describeStickiness(expected);
  const stickyAfter = describeStickiness(live);
  if (stickyBefore !== stickyAfter) out.push(`stickiness ${stickyBefore} → ${stickyAfter}`);
  return out;
}

function describeStickiness(action: Action): string {
  const config = action.ForwardConfig?.TargetGroupStickinessConfig;
  return config?.Enabled === true ? `enabled for ${String(config.DurationSeconds)}s` : 'disabled';
}

/** Drops the write-only secret flag, which DescribeListeners never returns. */
function comparable(action: Action): unknown {
  if (!action.AuthenticateOidcConfig) return action;
  const { UseExistingClientSecret: _flag, ...oidc } = action.AuthenticateOidcConfig;
  return { ...action, AuthenticateOidcConfig: oidc };
}

/** Differences of two JSON values; `path` is the field path under `where` (`AuthenticateOidcConfig.Scope`). */
function jsonDifferences(a: unknown, b: unknown, where: string, out: string[], path = ''): void {
  if (out.length >= MAX_DIFFERENCES) return;
  if (isObject(a) && isObject(b)) {
    for (const key of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) jsonDifferences(a[key], b[key], where, out, path ? `${path}.${key}` : key);
    return;
  }
  if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
    a.forEach((item, i) => jsonDifferences(item, b[i], where, out, `${path}[${i}]`));
    return;
  }
  if (JSON.stringify(a) !== JSON.stringify(b)) out.push(`${where}: ${path || 'value'} ${show(a)} → ${show(b)}`);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function show(value: unknown): string {
  return value === undefined ? '(absent)' : JSON.stringify(value);
}
