/**
 * PublishVersion and ListVersionsByFunction. A version is an immutable snapshot of `$LATEST` (code and
 * settings) numbered 1, 2, 3...; "Lambda doesn't publish a version if the function's configuration and code
 * haven't changed since the last version" (PublishVersion API reference) — it returns that version instead.
 */
import { copy } from '../common.js';
import type { OperationHandler, ServiceContext } from '../../types.js';
import { configurationOf, fingerprintOf, newRevisionId } from './config.js';
import { invalidParameter, revisionMismatch } from './errors.js';
import { findFunction, LATEST } from './names.js';
import { pageOf } from './pages.js';
import { assertNotBusy, lastPublished, settleTime } from './resolve.js';
import type { FunctionRecord, LambdaState, VersionRecord } from './state.js';

/** "ListVersionsByFunction returns a maximum of 50 items in each response, even if you set the number higher." */
const VERSIONS_PER_PAGE = 50;

/** Publishes `$LATEST` as the next version, without guards (CreateFunction/UpdateFunctionCode with Publish). */
export function publishLatest(ctx: ServiceContext<LambdaState>, fn: FunctionRecord, description?: string): VersionRecord {
  const number = String(fn.nextVersion);
  fn.nextVersion += 1;
  const settlesAt = settleTime(ctx);
  const version: VersionRecord = {
    version: number,
    settings: { ...copy(fn.latest.settings), description: description ?? fn.latest.settings.description },
    code: copy(fn.latest.code),
    revisionId: newRevisionId(ctx),
    lastModified: ctx.now,
    state: settlesAt === undefined ? 'Active' : 'Pending',
    ...(settlesAt === undefined ? {} : { settlesAt }),
    sourceFingerprint: fingerprintOf(fn.latest),
  };
  fn.versions[number] = version;
  // Publishing changes $LATEST's RevisionId too (LocalStack's AWS-validated behaviour).
  fn.latest.revisionId = newRevisionId(ctx);
  return version;
}

const publishVersion: OperationHandler<LambdaState> = (ctx, input) => {
  const { fn } = findFunction(ctx, input.FunctionName);
  assertNotBusy(ctx, fn);
  if (typeof input.RevisionId === 'string' && input.RevisionId !== fn.latest.revisionId) revisionMismatch();
  if (typeof input.CodeSha256 === 'string' && input.CodeSha256 !== fn.latest.code.sha256) {
    invalidParameter(`CodeSHA256 (${input.CodeSha256}) is different from current CodeSHA256 in $LATEST (${fn.latest.code.sha256}). Please try again with the CodeSHA256 in $LATEST.`);
  }
  const last = lastPublished(fn);
  const unchanged = last !== undefined && last.sourceFingerprint === fingerprintOf(fn.latest);
  const version = unchanged ? last : publishLatest(ctx, fn, typeof input.Description === 'string' ? input.Description : undefined);
  return configurationOf(ctx, fn, version, version.version);
};

const listVersionsByFunction: OperationHandler<LambdaState> = (ctx, input) => {
  const { fn } = findFunction(ctx, input.FunctionName);
  const published = Object.values(fn.versions).sort((a, b) => Number(a.version) - Number(b.version));
  const all = [fn.latest, ...published].map((v) => configurationOf(ctx, fn, v, v.version === LATEST ? LATEST : v.version));
  const { page, nextMarker } = pageOf(all, input.Marker, input.MaxItems, VERSIONS_PER_PAGE);
  return { Versions: page, ...(nextMarker ? { NextMarker: nextMarker } : {}) };
};

export const versionOperations = { PublishVersion: publishVersion, ListVersionsByFunction: listVersionsByFunction };
