import type { z } from 'zod';
import type { Route53Target } from '../../config/schema.js';

export type Route53TargetSpec = z.output<typeof Route53Target>;

/**
 * A DNS name as Route 53 returns it: fully qualified with a trailing dot, letters in lower case ("Route 53 stores
 * alphabetic characters as lowercase letters") and `*` as its escape code `\052` (DNS domain name format).
 */
export function normalizeName(name: string): string {
  const lower = name.toLowerCase().replace(/\*/g, '\\052');
  return lower.endsWith('.') ? lower : `${lower}.`;
}

/** The SDK strips `/hostedzone/` from input ids, but ARNs, lock keys and messages need the bare id. */
export function bareZoneId(id: string): string {
  return id.replace(/^\/?hostedzone\//, '');
}

/** Stays the same for the whole deployment (the engine keys the captured configuration by it). */
export function labelFor(target: Route53TargetSpec): string {
  return `route53 ${normalizeName(target.recordName)} ${target.recordType} (stable '${target.stableSetIdentifier}', canary '${target.canarySetIdentifier}')`;
}

export function lockKeyFor(target: Route53TargetSpec): string {
  return `route53:${bareZoneId(target.hostedZoneId)}:${normalizeName(target.recordName)}:${target.recordType}`;
}
