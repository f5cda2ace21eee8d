/**
 * Invoke, for CodeDeploy-style lifecycle hooks and smoke tests: the function "returns" what the world file
 * declares for the executed version (or the function), by default `{"status":"Succeeded"}`. A weighted alias
 * picks its primary or additional version at random by weight; `ExecutedVersion` says which ran.
 */
import type { OperationHandler, ServiceContext } from '../../types.js';
import { versionLabel } from './code.js';
import { newRevisionId } from './config.js';
import { conflict } from './errors.js';
import { findFunction, qualifierOf } from './names.js';
import { resolveQualifier, versionNamed } from './resolve.js';
import type { AliasRecord, FunctionRecord, LambdaState, VersionRecord } from './state.js';

export const DEFAULT_INVOKE_PAYLOAD = { status: 'Succeeded' };

/** The version a call through a weighted alias runs. */
function pickVersion(ctx: ServiceContext<LambdaState>, fn: FunctionRecord, alias: AliasRecord): VersionRecord {
  const [additional, weight] = Object.entries(alias.routing)[0] ?? [];
  if (additional !== undefined && weight !== undefined && ctx.random() < weight) return versionNamed(ctx, fn, additional);
  return versionNamed(ctx, fn, alias.functionVersion);
}

/** A `LogType: Tail` log excerpt, base64 as Lambda returns it. */
function logTail(ctx: ServiceContext<LambdaState>, version: VersionRecord): string {
  const requestId = newRevisionId(ctx);
  const duration = ctx.world.version(versionLabel(ctx.world, version.code)).latencyMs.toFixed(2);
  const text = [`START RequestId: ${requestId} Version: ${version.version}`, `END RequestId: ${requestId}`, `REPORT RequestId: ${requestId}\tDuration: ${duration} ms\tBilled Duration: ${Math.ceil(Number(duration))} ms\tMemory Size: ${version.settings.memorySize} MB`].join('\n');
  return Buffer.from(`${text}\n`).toString('base64');
}

const invoke: OperationHandler<LambdaState> = (ctx, input) => {
  const { fn, ref } = findFunction(ctx, input.FunctionName);
  const { version, alias } = resolveQualifier(ctx, fn, qualifierOf(ref, input.Qualifier));
  const executed = alias ? pickVersion(ctx, fn, alias) : version;
  if (executed.state === 'Pending') conflict('The operation cannot be performed at this time. The function is currently in the following state: Pending');
  if (input.InvocationType === 'DryRun') return { StatusCode: 204 };
  if (input.InvocationType === 'Event') return { StatusCode: 202 };
  const behaviour = executed.invoke ?? fn.invoke ?? {};
  const payload = behaviour.payload === undefined ? DEFAULT_INVOKE_PAYLOAD : behaviour.payload;
  return {
    StatusCode: 200,
    ExecutedVersion: executed.version,
    ...(behaviour.functionError ? { FunctionError: behaviour.functionError } : {}),
    ...(input.LogType === 'Tail' ? { LogResult: logTail(ctx, executed) } : {}),
    Payload: new TextEncoder().encode(JSON.stringify(payload)),
  };
};

export const invokeOperations = { Invoke: invoke };
