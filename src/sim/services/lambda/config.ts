/**
 * FunctionConfiguration as Lambda returns it, revision ids, and the fingerprint PublishVersion compares to decide
 * whether `$LATEST` changed since the last version.
 */
import { copy, stableId } from '../common.js';
import type { ServiceContext } from '../../types.js';
import { functionArn, LATEST } from './names.js';
import type { FunctionRecord, FunctionSettings, LambdaState, VersionRecord } from './state.js';

export const DEFAULT_TIMEOUT = 3;
export const DEFAULT_MEMORY = 128;

/** A fresh RevisionId (a UUID, as Lambda's are), from the world's deterministic randomness. */
export function newRevisionId(ctx: ServiceContext<LambdaState>): string {
  let hex = '';
  for (let i = 0; i < 4; i++) hex += Math.floor(ctx.random() * 0x1_0000_0000).toString(16).padStart(8, '0');
  return uuidFrom(hex);
}

/** The RevisionId of a seeded resource: the same every run. */
export function stableRevisionId(key: string): string {
  return uuidFrom(stableId('revision', key, 32));
}

function uuidFrom(hex: string): string {
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** Lambda's LastModified format: `2026-01-01T00:00:00.000+0000`. */
export function lambdaDate(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+0000');
}

/** What PublishVersion compares: the code and every setting a version freezes. */
export function fingerprintOf(latest: VersionRecord): string {
  const s = latest.settings;
  return JSON.stringify([latest.code.sha256, s.role, s.runtime, s.handler, s.description, s.timeout, s.memorySize, s.packageType, s.architectures, s.environment ?? {}, s.deadLetterTarget ?? '']);
}

/**
 * The FunctionConfiguration of a version. `qualifiedAs` qualifies the ARN (a version number or an alias name);
 * unqualified calls on `$LATEST` answer with the unqualified ARN, as AWS does.
 */
export function configurationOf(ctx: ServiceContext<LambdaState>, fn: FunctionRecord, v: VersionRecord, qualifiedAs?: string): Record<string, unknown> {
  const s = v.settings;
  return {
    FunctionName: fn.name,
    FunctionArn: functionArn(ctx, fn.name, qualifiedAs),
    ...(s.runtime ? { Runtime: s.runtime } : {}),
    Role: s.role,
    ...(s.handler ? { Handler: s.handler } : {}),
    CodeSize: v.code.size,
    Description: s.description,
    Timeout: s.timeout,
    MemorySize: s.memorySize,
    LastModified: lambdaDate(v.lastModified),
    CodeSha256: v.code.sha256,
    Version: v.version,
    ...(s.environment ? { Environment: { Variables: copy(s.environment) } } : {}),
    ...(s.deadLetterTarget ? { DeadLetterConfig: { TargetArn: s.deadLetterTarget } } : {}),
    TracingConfig: { Mode: 'PassThrough' },
    RevisionId: v.revisionId,
    ...stateMembers(v),
    PackageType: s.packageType,
    Architectures: [...s.architectures],
    EphemeralStorage: { Size: 512 },
    SnapStart: { ApplyOn: 'None', OptimizationStatus: 'Off' },
    LoggingConfig: { LogFormat: 'Text', LogGroup: `/aws/lambda/${fn.name}` },
  };
}

function stateMembers(v: VersionRecord): Record<string, unknown> {
  const members: Record<string, unknown> = { State: v.state };
  if (v.state === 'Pending') Object.assign(members, { StateReason: 'The function is being created.', StateReasonCode: 'Creating' });
  if (v.version === LATEST && v.lastUpdateStatus) {
    members.LastUpdateStatus = v.lastUpdateStatus;
    if (v.lastUpdateStatus === 'InProgress') Object.assign(members, { LastUpdateStatusReason: 'The function is being created.', LastUpdateStatusReasonCode: 'Creating' });
  }
  return members;
}

/** Settings from CreateFunction's input, with Lambda's defaults. */
export function settingsFromInput(input: Record<string, unknown>): FunctionSettings {
  const settings: FunctionSettings = {
    role: String(input.Role),
    description: typeof input.Description === 'string' ? input.Description : '',
    timeout: typeof input.Timeout === 'number' ? input.Timeout : DEFAULT_TIMEOUT,
    memorySize: typeof input.MemorySize === 'number' ? input.MemorySize : DEFAULT_MEMORY,
    packageType: input.PackageType === 'Image' ? 'Image' : 'Zip',
    architectures: Array.isArray(input.Architectures) && input.Architectures.length > 0 ? input.Architectures.map(String) : ['x86_64'],
  };
  applySettings(settings, input);
  return settings;
}

/** Applies the configuration members UpdateFunctionConfiguration (and CreateFunction) may carry. */
export function applySettings(settings: FunctionSettings, input: Record<string, unknown>): void {
  if (typeof input.Role === 'string') settings.role = input.Role;
  if (typeof input.Runtime === 'string') settings.runtime = input.Runtime;
  if (typeof input.Handler === 'string') settings.handler = input.Handler;
  if (typeof input.Description === 'string') settings.description = input.Description;
  if (typeof input.Timeout === 'number') settings.timeout = input.Timeout;
  if (typeof input.MemorySize === 'number') settings.memorySize = input.MemorySize;
  const environment = input.Environment as { Variables?: Record<string, string> } | undefined;
  if (environment) settings.environment = { ...(environment.Variables ?? {}) };
  const deadLetter = input.DeadLetterConfig as { TargetArn?: string } | undefined;
  if (deadLetter) {
    if (deadLetter.TargetArn) settings.deadLetterTarget = deadLetter.TargetArn;
    else delete settings.deadLetterTarget;
  }
}
