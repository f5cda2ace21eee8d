import { bareZoneId, type Route53TargetSpec } from './target.js';

/** Every read the provider makes: preflight, capture, read-before-write, INSYNC polling, read-back. */
export const route53ReadCalls = ['route53:GetHostedZone', 'route53:ListResourceRecordSets', 'route53:GetChange'] as const;

/** The one write: a DELETE+CREATE batch per shift (and per restore). */
export const route53WriteCalls = ['route53:ChangeResourceRecordSets'] as const;

export interface Route53Calls {
  readonly read: readonly string[];
  readonly write: readonly string[];
}

/** The API operations one target needs (for `deployctl plan` and the IAM policy generator). */
export function route53Calls(_target: Route53TargetSpec): Route53Calls {
  return { read: [...route53ReadCalls], write: [...route53WriteCalls] };
}

export interface Route53Resources {
  /** ChangeResourceRecordSets is authorized on the hosted zone (narrowable by record name and type conditions). */
  readonly written: readonly string[];
  /** GetHostedZone and ListResourceRecordSets on the zone; GetChange on `change/*` (change ids are not known before). */
  readonly read: readonly string[];
  /** The record the writes are limited to, for route53:ChangeResourceRecordSetsNormalizedRecordNames / RecordTypes. */
  readonly record: { readonly normalizedName: string; readonly type: string };
}

export function route53ResourceArns(target: Route53TargetSpec): Route53Resources {
  const zone = `arn:aws:route53:::hostedzone/${bareZoneId(target.hostedZoneId)}`;
  // The IAM condition key compares names in lower case without the trailing dot.
  const normalizedName = target.recordName.replace(/\.$/, '').toLowerCase();
  return { written: [zone], read: [zone, 'arn:aws:route53:::change/*'], record: { normalizedName, type: target.recordType } };
}
