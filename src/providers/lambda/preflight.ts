import type { FunctionConfiguration } from '@aws-sdk/client-lambda';
import { messageOf } from '../../errors.js';
import type { Json, PreflightReport } from '../types.js';
import { isNotFound, type LambdaApi } from './api.js';
import { describeRouting, type AliasView } from './routing.js';
import { formatPercent, requestedVersion, shortFunctionName, type LambdaTargetSpec } from './target.js';

export const LATEST = '$LATEST';

/** What preflight found, for capture to check against (moments may pass between the two). */
export interface Seen {
  readonly oldVersion: string;
  readonly oldRole: string | undefined;
  readonly oldDeadLetter: string | undefined;
  /** publish: the code of $LATEST that preflight checked; PublishVersion is refused if it changed. */
  readonly latestCodeSha256?: string;
  /** The new version (or $LATEST, to publish) is still being created or updated: capture waits. */
  readonly newBusy: boolean;
}

export interface LambdaPreflightResult {
  readonly report: PreflightReport;
  readonly seen?: Seen;
}

/** The alias must serve one published version and route nothing else. */
export function aliasProblems(alias: AliasView, where: string): string[] {
  if (alias.functionVersion === LATEST) {
    return [`${where} points at $LATEST: Lambda routes weighted traffic only between published versions; point it at a published version first`];
  }
  const routed = Object.entries(alias.weights);
  if (routed.length === 0) return [];
  const [version, weight] = routed[0]!;
  return [
    `${where} already routes ${formatPercent(weight * 100)} to version ${version} (AdditionalVersionWeights ${JSON.stringify(alias.weights)}): another rollout is in progress ` +
      `or was left half-shifted; finish it or clear the routing first (aws lambda update-alias … --routing-config '{"AdditionalVersionWeights":{}}')`,
  ];
}

/** Lambda refuses weighted routing between versions with another execution role or dead-letter queue: say it first. */
export function compatibilityProblems(oldConfig: FunctionConfiguration, newConfig: FunctionConfiguration, names: { old: string; new: string }): string[] {
  const problems: string[] = [];
  if (oldConfig.Role !== newConfig.Role) {
    problems.push(`${names.new} runs as ${String(newConfig.Role)}, ${names.old} as ${String(oldConfig.Role)}: Lambda refuses weighted alias routing between versions with different execution roles`);
  }
  const oldDlq = oldConfig.DeadLetterConfig?.TargetArn;
  const newDlq = newConfig.DeadLetterConfig?.TargetArn;
  if ((oldDlq ?? '') !== (newDlq ?? '')) {
    problems.push(`${names.new} sends failed events to ${newDlq ?? 'no dead-letter queue'}, ${names.old} to ${oldDlq ?? 'no dead-letter queue'}: Lambda refuses weighted alias routing between versions with different dead-letter queue configurations`);
  }
  return problems;
}

/** Failed versions cannot serve; Pending ones are waited for in capture; Inactive ones start cold. */
function stateFindings(config: FunctionConfiguration, name: string, errors: string[], warnings: string[]): boolean {
  const reason = config.StateReason ? ` (${config.StateReason})` : '';
  if (config.State === 'Failed') errors.push(`${name} is in state Failed${reason}: it cannot serve traffic`);
  if (config.LastUpdateStatus === 'Failed') errors.push(`${name}: its last update failed${config.LastUpdateStatusReason ? ` (${config.LastUpdateStatusReason})` : ''}`);
  if (config.State === 'Inactive') warnings.push(`${name} is Inactive (unused for a while): its first invocations are slow or fail while Lambda reactivates it`);
  const busy = config.State === 'Pending' || config.LastUpdateStatus === 'InProgress';
  if (busy) warnings.push(`${name} is still being ${config.State === 'Pending' ? 'created' : 'updated'}; deployctl waits until it is ready before the first shift`);
  return busy;
}

/** Read-only: GetAlias and GetFunctionConfiguration of the alias's version and of the new one (or $LATEST). */
export async function preflightLambda(api: LambdaApi, target: LambdaTargetSpec, signal: AbortSignal): Promise<LambdaPreflightResult> {
  const fn = shortFunctionName(target.functionName);
  const where = `alias ${fn}:${target.alias}`;
  let alias: AliasView;
  try {
    alias = await api.readAliasRaw(signal);
  } catch (error) {
    if (!isNotFound(error)) throw api.failure('GetAlias', error);
    return { report: { errors: [`${where} not found (${messageOf(error)})`], warnings: [] } };
  }
  const errors = aliasProblems(alias, where);
  if (alias.functionVersion === LATEST) return { report: { errors, warnings: [], facts: factsOf(target, alias) } };
  const to = requestedVersion(target);
  const newName = to === undefined ? `$LATEST of ${fn} (to be published)` : `version ${to} of ${fn}`;
  if (to === alias.functionVersion) errors.push(`${where} already points at version ${to}: there is nothing to shift (give the version to roll out)`);
  const [oldConfig, newConfig] = await Promise.all([api.version(alias.functionVersion, signal), readNew(api, to ?? LATEST, signal)]);
  if (newConfig === undefined) return { report: { errors: [...errors, `${newName} does not exist`], warnings: [], facts: factsOf(target, alias) } };
  const warnings: string[] = [];
  errors.push(...compatibilityProblems(oldConfig, newConfig, { old: `version ${alias.functionVersion} (the alias's version)`, new: newName }));
  const newBusy = stateFindings(newConfig, newName, errors, warnings);
  if (to === undefined && newConfig.CodeSha256 === oldConfig.CodeSha256) {
    warnings.push(`$LATEST of ${fn} has the same code as version ${alias.functionVersion} (CodeSha256 ${String(newConfig.CodeSha256)}): the published version differs only if its configuration changed`);
  }
  const report = { errors, warnings, facts: factsOf(target, alias, oldConfig) };
  if (errors.length > 0) return { report };
  const seen: Seen = {
    oldVersion: alias.functionVersion,
    oldRole: oldConfig.Role,
    oldDeadLetter: oldConfig.DeadLetterConfig?.TargetArn,
    ...(to === undefined && newConfig.CodeSha256 ? { latestCodeSha256: newConfig.CodeSha256 } : {}),
    newBusy,
  };
  return { report, seen };
}

async function readNew(api: LambdaApi, qualifier: string, signal: AbortSignal): Promise<FunctionConfiguration | undefined> {
  try {
    return await api.versionRaw(qualifier, signal);
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw api.failure(`GetFunctionConfiguration (version ${qualifier})`, error);
  }
}

function factsOf(target: LambdaTargetSpec, alias: AliasView, oldConfig?: FunctionConfiguration): Record<string, Json> {
  const to = requestedVersion(target);
  return {
    functionName: target.functionName,
    alias: target.alias,
    ...(alias.arn ? { aliasArn: alias.arn } : {}),
    functionVersion: alias.functionVersion,
    routing: describeRouting(alias),
    toVersion: to ?? 'published from $LATEST at capture',
    ...(oldConfig?.Role ? { role: oldConfig.Role } : {}),
    livePercent: Object.keys(alias.weights).length === 0 ? 0 : null,
  };
}
