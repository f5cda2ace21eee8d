/**
 * Route 53's state: hosted zones with their record sets, changes (PENDING until propagated), and per record
 * name/type the DNS answer that resolvers actually see, which lags behind the API by propagation plus TTL.
 * Plain JSON only (epoch milliseconds, no Dates or Maps) so a world can be saved and loaded by another process.
 */

/** "Changes generally propagate to all Route 53 name servers within 60 seconds" (ChangeResourceRecordSets doc). */
export const DEFAULT_PROPAGATION_SECONDS = 60;
/** Resolvers cache alias answers for an ELB for a fixed 60 s (Route 53 FAQ; facts §2.5). */
export const ALIAS_TTL_SECONDS = 60;

export interface AliasTarget {
  HostedZoneId: string;
  DNSName: string;
  EvaluateTargetHealth: boolean;
}

/**
 * One record set, shaped like the SDK's ResourceRecordSet (so outputs are copies of it). Routing-policy members
 * this simulator does not route by (Region, Failover, GeoLocation...) are kept as given and returned as given.
 */
export interface RecordSet {
  Name: string;
  Type: string;
  SetIdentifier?: string;
  Weight?: number;
  TTL?: number;
  ResourceRecords?: { Value: string }[];
  AliasTarget?: AliasTarget;
  HealthCheckId?: string;
  [member: string]: unknown;
}

/** What resolvers answer for one name and type now, and the answers that will replace it (in time order). */
export interface ServedAnswer {
  current: RecordSet[];
  pending: { at: number; records: RecordSet[] }[];
}

export interface HostedZone {
  id: string;
  name: string;
  callerReference: string;
  comment?: string;
  privateZone: boolean;
  vpc?: { VPCRegion?: string; VPCId?: string };
  nameServers: string[];
  records: RecordSet[];
  /** `<name>|<type>` -> what resolvers see (see answers.ts). */
  answers: Record<string, ServedAnswer>;
}

export interface ChangeRecord {
  id: string;
  zoneId: string;
  status: 'PENDING' | 'INSYNC';
  submittedAt: number;
  insyncAt: number;
  comment?: string;
}

export interface Route53State {
  propagationSeconds: number;
  /** Record value (host name, lower case, no trailing dot; or IP) -> app version label. */
  endpoints: Record<string, string>;
  /** Zones by id (without the /hostedzone/ prefix), in creation order. */
  zones: Record<string, HostedZone>;
  changes: Record<string, ChangeRecord>;
  /** Ids of changes still PENDING, so time-driven events do not scan every change ever made. */
  pendingChanges: string[];
}

export function initialRoute53State(): Route53State {
  return { propagationSeconds: DEFAULT_PROPAGATION_SECONDS, endpoints: {}, zones: {}, changes: {}, pendingChanges: [] };
}
