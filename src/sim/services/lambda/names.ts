/**
 * Function names and ARNs: Lambda accepts a name, a `name:qualifier`, a partial ARN (`account:function:name`)
 * or a full ARN, and answers with `arn:aws:lambda:<region>:<account>:function:<name>[:<qualifier>]`.
 */
import type { ServiceContext } from '../../types.js';
import { functionNotFound, invalidParameter } from './errors.js';
import type { FunctionRecord, LambdaState } from './state.js';

export const LATEST = '$LATEST';

export interface FunctionRef {
  readonly name: string;
  /** Qualifier written into the name (`fn:live`, `arn:...:function:fn:3`). */
  readonly qualifier?: string;
  readonly account?: string;
  readonly region?: string;
}

export function functionArn(ctx: ServiceContext<LambdaState>, name: string, qualifier?: string): string {
  const { region, accountId } = ctx.world.state;
  return `arn:aws:lambda:${region}:${accountId}:function:${name}${qualifier ? `:${qualifier}` : ''}`;
}

/** Splits any accepted spelling of FunctionName into its parts. */
export function parseFunctionName(raw: string): FunctionRef {
  const parts = raw.split(':');
  if (parts[0] === 'arn') {
    // arn:aws:lambda:<region>:<account>:function:<name>[:<qualifier>]
    return withQualifier({ name: parts[6] ?? '', account: parts[4], region: parts[3] }, parts[7]);
  }
  // Partial ARN: [<region>:]<12-digit account>:function:<name>[:<qualifier>]
  const at = parts.findIndex((part, i) => part === 'function' && i > 0 && /^\d{12}$/.test(parts[i - 1] ?? ''));
  if (at > 0) return withQualifier({ name: parts[at + 1] ?? '', account: parts[at - 1], region: at > 1 ? parts[at - 2] : undefined }, parts[at + 2]);
  return withQualifier({ name: parts[0] ?? '' }, parts[1]);
}

function withQualifier(ref: FunctionRef, qualifier: string | undefined): FunctionRef {
  return qualifier === undefined ? ref : { ...ref, qualifier };
}

/** The function a FunctionName names, or ResourceNotFoundException with AWS's message. */
export function findFunction(ctx: ServiceContext<LambdaState>, raw: unknown): { fn: FunctionRecord; ref: FunctionRef } {
  const ref = parseFunctionName(String(raw));
  const { region, accountId } = ctx.world.state;
  const fn = ctx.state.functions[ref.name];
  const elsewhere = (ref.account !== undefined && ref.account !== accountId) || (ref.region !== undefined && ref.region !== region);
  if (!fn || elsewhere) functionNotFound(ref.account && ref.region ? `arn:aws:lambda:${ref.region}:${ref.account}:function:${ref.name}` : functionArn(ctx, ref.name));
  return { fn, ref };
}

/**
 * The qualifier of a call: from the name or the `Qualifier` parameter. When both are given they must agree
 * (AWS: "The derived qualifier from the function name does not match the specified qualifier.").
 */
export function qualifierOf(ref: FunctionRef, qualifier: unknown): string | undefined {
  const given = typeof qualifier === 'string' && qualifier !== '' ? qualifier : undefined;
  if (ref.qualifier !== undefined && given !== undefined && ref.qualifier !== given) {
    invalidParameter('The derived qualifier from the function name does not match the specified qualifier.');
  }
  return given ?? ref.qualifier;
}

export function isVersionNumber(qualifier: string): boolean {
  return /^[0-9]+$/.test(qualifier);
}
