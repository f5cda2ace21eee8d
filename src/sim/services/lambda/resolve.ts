/**
 * Resolving qualifiers ($LATEST, a version number, an alias) to the versions they run, and the lifecycle
 * guards Lambda applies while a creation or update is still being applied.
 */
import type { ServiceContext } from '../../types.js';
import { functionNotFound, stillCreating, updateInProgress } from './errors.js';
import { functionArn, isVersionNumber, LATEST } from './names.js';
import type { AliasRecord, FunctionRecord, LambdaState, VersionRecord } from './state.js';

/** `$LATEST` or a published version by number; ResourceNotFoundException for an unknown one. */
export function versionNamed(ctx: ServiceContext<LambdaState>, fn: FunctionRecord, version: string): VersionRecord {
  const found = version === LATEST ? fn.latest : fn.versions[version];
  if (!found) functionNotFound(functionArn(ctx, fn.name, version));
  return found;
}

/** What a qualifier names: a version, or an alias and the primary version it points to. */
export function resolveQualifier(ctx: ServiceContext<LambdaState>, fn: FunctionRecord, qualifier: string | undefined): { version: VersionRecord; alias?: AliasRecord } {
  if (qualifier === undefined || qualifier === LATEST || isVersionNumber(qualifier)) return { version: versionNamed(ctx, fn, qualifier ?? LATEST) };
  const alias = fn.aliases[qualifier];
  if (!alias) functionNotFound(functionArn(ctx, fn.name, qualifier));
  return { version: versionNamed(ctx, fn, alias.functionVersion), alias };
}

/** The newest published version, if any. */
export function lastPublished(fn: FunctionRecord): VersionRecord | undefined {
  return fn.versions[String(fn.nextVersion - 1)];
}

/** Changes to `$LATEST` (and publishing it) wait until the previous creation or update has been applied. */
export function assertNotBusy(ctx: ServiceContext<LambdaState>, fn: FunctionRecord): void {
  const arn = functionArn(ctx, fn.name);
  if (fn.latest.state === 'Pending') stillCreating(arn);
  if (fn.latest.lastUpdateStatus === 'InProgress') updateInProgress(arn);
}

/** When something started now finishes being applied; undefined when the world applies changes at once. */
export function settleTime(ctx: ServiceContext<LambdaState>): number | undefined {
  return ctx.state.settleSeconds > 0 ? ctx.now + ctx.state.settleSeconds * 1000 : undefined;
}

/** The key traffic through a function's qualifier depends on (`touch`ed whenever what it runs changes). */
export function trafficKey(functionName: string, qualifier: string = LATEST): string {
  return `lambda:${functionName}:${qualifier}`;
}
