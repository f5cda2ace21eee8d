/**
 * CreateFunction, GetFunction, GetFunctionConfiguration, UpdateFunctionCode, UpdateFunctionConfiguration.
 * Creation leaves the function `Pending` and an update leaves `LastUpdateStatus: InProgress` for the world's
 * settle time (Lambda function states); further changes meanwhile fail with ResourceConflictException.
 */
import { copy, stableId } from '../common.js';
import type { OperationHandler, ServiceContext } from '../../types.js';
import { type CodeInput, codeFromInput } from './code.js';
import { applySettings, configurationOf, newRevisionId, settingsFromInput } from './config.js';
import { conflict, invalidParameter, revisionMismatch } from './errors.js';
import { findFunction, LATEST, parseFunctionName, qualifierOf } from './names.js';
import { assertNotBusy, resolveQualifier, settleTime, trafficKey } from './resolve.js';
import type { CodeIdentity, FunctionRecord, LambdaState, VersionRecord } from './state.js';
import { publishLatest } from './versions.js';

function requireCode(input: CodeInput, packageType: 'Zip' | 'Image'): CodeIdentity {
  const code = codeFromInput(input);
  if (!code) invalidParameter('Please provide a source for function code: ZipFile, S3Bucket and S3Key, or ImageUri.');
  if (packageType === 'Image' && !code.imageUri) invalidParameter('Source image is required for functions with PackageType Image: provide Code.ImageUri.');
  if (packageType === 'Zip' && code.imageUri) invalidParameter('Please don\'t provide ImageUri when updating a function with packageType Zip.');
  return code;
}

const createFunction: OperationHandler<LambdaState> = (ctx, input) => {
  const name = parseFunctionName(String(input.FunctionName)).name;
  if (ctx.state.functions[name]) conflict(`Function already exist: ${name}`);
  const settings = settingsFromInput(input);
  const code = requireCode((input.Code ?? {}) as CodeInput, settings.packageType);
  const settlesAt = settleTime(ctx);
  const latest: VersionRecord = {
    version: LATEST,
    settings,
    code,
    revisionId: newRevisionId(ctx),
    lastModified: ctx.now,
    ...(settlesAt === undefined ? { state: 'Active', lastUpdateStatus: 'Successful' } : { state: 'Pending', settlesAt }),
  };
  const fn: FunctionRecord = { name, latest, versions: {}, nextVersion: 1, aliases: {}, tags: { ...((input.Tags as Record<string, string>) ?? {}) } };
  ctx.state.functions[name] = fn;
  ctx.touch(trafficKey(name));
  if (input.Publish === true) return configurationOf(ctx, fn, publishLatest(ctx, fn), '1');
  return configurationOf(ctx, fn, latest);
};

/** Where GetFunction says the code can be downloaded from. */
function codeLocation(ctx: ServiceContext<LambdaState>, fn: FunctionRecord, v: VersionRecord): Record<string, unknown> {
  if (v.code.imageUri) return { RepositoryType: 'ECR', ImageUri: v.code.imageUri, ResolvedImageUri: v.code.imageUri };
  const { region, accountId } = ctx.world.state;
  const key = `${fn.name}-${stableId('code', v.code.sha256)}`;
  return { RepositoryType: 'S3', Location: `https://awslambda-${region}-tasks.s3.${region}.amazonaws.com/snapshots/${accountId}/${key}` };
}

/** The configuration a (possibly qualified) Get* call reads; an alias reads its primary version. */
function configurationFor(ctx: ServiceContext<LambdaState>, input: Record<string, unknown>): { fn: FunctionRecord; version: VersionRecord; configuration: Record<string, unknown> } {
  const { fn, ref } = findFunction(ctx, input.FunctionName);
  const qualifier = qualifierOf(ref, input.Qualifier);
  const { version } = resolveQualifier(ctx, fn, qualifier);
  return { fn, version, configuration: configurationOf(ctx, fn, version, qualifier) };
}

const getFunction: OperationHandler<LambdaState> = (ctx, input) => {
  const { fn, version, configuration } = configurationFor(ctx, input);
  const tags = Object.keys(fn.tags).length > 0 ? { Tags: copy(fn.tags) } : {};
  return { Configuration: configuration, Code: codeLocation(ctx, fn, version), ...tags };
};

const getFunctionConfiguration: OperationHandler<LambdaState> = (ctx, input) => configurationFor(ctx, input).configuration;

/** Common start of both updates: the function is idle and the caller read the latest revision. */
function beginUpdate(ctx: ServiceContext<LambdaState>, input: Record<string, unknown>): FunctionRecord {
  const { fn } = findFunction(ctx, input.FunctionName);
  assertNotBusy(ctx, fn);
  if (typeof input.RevisionId === 'string' && input.RevisionId !== fn.latest.revisionId) revisionMismatch();
  return fn;
}

/** `$LATEST` changed: new revision, and the update is applied over the settle time. */
function markUpdated(ctx: ServiceContext<LambdaState>, fn: FunctionRecord): void {
  const settlesAt = settleTime(ctx);
  fn.latest.revisionId = newRevisionId(ctx);
  fn.latest.lastModified = ctx.now;
  fn.latest.lastUpdateStatus = settlesAt === undefined ? 'Successful' : 'InProgress';
  if (settlesAt !== undefined) fn.latest.settlesAt = settlesAt;
  ctx.touch(trafficKey(fn.name));
}

const updateFunctionCode: OperationHandler<LambdaState> = (ctx, input) => {
  const fn = beginUpdate(ctx, input);
  const code = requireCode(input as CodeInput, fn.latest.settings.packageType);
  if (input.DryRun === true) return configurationOf(ctx, fn, fn.latest);
  fn.latest.code = code;
  if (Array.isArray(input.Architectures) && input.Architectures.length > 0) fn.latest.settings.architectures = input.Architectures.map(String);
  markUpdated(ctx, fn);
  if (input.Publish === true) {
    const version = publishLatest(ctx, fn);
    return configurationOf(ctx, fn, version, version.version);
  }
  return configurationOf(ctx, fn, fn.latest);
};

const updateFunctionConfiguration: OperationHandler<LambdaState> = (ctx, input) => {
  const fn = beginUpdate(ctx, input);
  applySettings(fn.latest.settings, input);
  markUpdated(ctx, fn);
  return configurationOf(ctx, fn, fn.latest);
};

export const functionOperations = {
  CreateFunction: createFunction,
  GetFunction: getFunction,
  GetFunctionConfiguration: getFunctionConfiguration,
  UpdateFunctionCode: updateFunctionCode,
  UpdateFunctionConfiguration: updateFunctionConfiguration,
};
