import type { Json } from '../types.js';
import { writable } from './actions.js';
import { parseSnapshot } from './snapshot.js';
import { regionOf, type AlbTargetRef } from './target.js';

/** Single-quotes a word for a POSIX shell: `it's` → `'it'\''s'`. */
export function shellQuote(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

function regionFlag(arn: string): string {
  const region = regionOf(arn);
  return region ? ` --region ${shellQuote(region)}` : '';
}

/**
 * Copy-pasteable aws CLI commands that put the captured actions back (with UseExistingClientSecret on OIDC
 * actions, as ELB requires when the secret is not sent), then show what is live to check it by eye.
 */
export function manualRestoreCommands(snapshotJson: Json, ref: AlbTargetRef, label: string): string[] {
  let snapshot;
  try {
    snapshot = parseSnapshot(snapshotJson, label);
  } catch {
    return [`# ${label}: no captured configuration was recorded, so there is nothing exact to restore; inspect it with:`, describeCommand(ref)];
  }
  const actions = shellQuote(JSON.stringify(writable(snapshot.actions)));
  const region = regionFlag(snapshot.arn);
  const write =
    snapshot.resource === 'listener'
      ? `aws elbv2 modify-listener${region} --listener-arn ${shellQuote(snapshot.arn)} --default-actions ${actions}`
      : `aws elbv2 modify-rule${region} --rule-arn ${shellQuote(snapshot.arn)} --actions ${actions}`;
  return [write, describeCommand(snapshot)];
}

function describeCommand(where: { resource: 'listener' | 'rule'; arn: string }): string {
  const region = regionFlag(where.arn);
  return where.resource === 'listener'
    ? `aws elbv2 describe-listeners${region} --listener-arns ${shellQuote(where.arn)} --query 'Listeners[0].DefaultActions'`
    : `aws elbv2 describe-rules${region} --rule-arns ${shellQuote(where.arn)} --query 'Rules[0].Actions'`;
}
