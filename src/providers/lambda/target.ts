import type { z } from 'zod';
import type { LambdaTarget } from '../../config/schema.js';

export type LambdaTargetSpec = z.output<typeof LambdaTarget>;

/** `arn:aws:lambda:eu-west-1:111122223333:function:checkout` → `checkout`; a plain name stays as it is. */
export function shortFunctionName(functionName: string): string {
  const match = /:function:([^:]+)/.exec(functionName);
  return match ? match[1]! : functionName;
}

/** The version the spec asks for, as Lambda spells versions (a string of digits); undefined with `publish`. */
export function requestedVersion(target: LambdaTargetSpec): string | undefined {
  return target.toVersion === undefined ? undefined : String(target.toVersion);
}

/** Stays the same for the whole deployment (the engine keys the captured configuration by it). */
export function labelFor(target: LambdaTargetSpec): string {
  const to = requestedVersion(target);
  return `lambda alias ${shortFunctionName(target.functionName)}:${target.alias} (${to === undefined ? 'to a version published from $LATEST' : `to version ${to}`})`;
}

export function lockKeyFor(target: LambdaTargetSpec): string {
  return `lambda:${target.functionName}:${target.alias}`;
}

/** The Region in an ARN, for the manual commands (so they work whatever the shell's default Region is). */
export function regionOf(arn: string | undefined): string | undefined {
  const region = arn?.startsWith('arn:') ? arn.split(':')[3] : undefined;
  return region ? region : undefined;
}

/** For messages: `12.5%`, `1%`. */
export function formatPercent(percent: number): string {
  return `${Number(percent.toFixed(4))}%`;
}
