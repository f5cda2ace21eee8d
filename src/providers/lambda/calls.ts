import { shortFunctionName, type LambdaTargetSpec } from './target.js';

/** Every read the provider makes: preflight, capture, read-before-write, read-back. */
export const lambdaReadCalls = ['lambda:GetAlias', 'lambda:GetFunctionConfiguration'] as const;

/** Every write: UpdateAlias, and PublishVersion when the target says `publish: true`. */
export const lambdaWriteCalls = ['lambda:UpdateAlias', 'lambda:PublishVersion'] as const;

export interface LambdaCalls {
  readonly read: readonly string[];
  readonly write: readonly string[];
}

/** The API operations one target needs (for `deployctl plan` and the IAM policy generator). */
export function lambdaCalls(target: LambdaTargetSpec): LambdaCalls {
  return { read: [...lambdaReadCalls], write: target.publish ? ['lambda:UpdateAlias', 'lambda:PublishVersion'] : ['lambda:UpdateAlias'] };
}

export interface LambdaResources {
  /** UpdateAlias is authorized on the alias ARN; PublishVersion on the unqualified function ARN. */
  readonly written: readonly string[];
  /** GetAlias on the alias ARN, GetFunctionConfiguration on the version ARNs (function ARN + `:<qualifier>`). */
  readonly read: readonly string[];
}

/**
 * ARNs of what one target touches. With a bare function name the Region and account are not known until the
 * client's are, so they are `*` here (an IAM policy may narrow them).
 */
export function lambdaResourceArns(target: LambdaTargetSpec): LambdaResources {
  const fn = target.functionName.startsWith('arn:') ? target.functionName : `arn:aws:lambda:*:*:function:${shortFunctionName(target.functionName)}`;
  const alias = `${fn}:${target.alias}`;
  return {
    written: target.publish ? [alias, fn] : [alias],
    read: [alias, `${fn}:*`, fn],
  };
}
