/**
 * The `route53:` section of a world file (names in, stable zone ids out):
 *
 *   route53:
 *     propagationSeconds: 60            # optional; PENDING -> INSYNC delay of every change (default 60)
 *     endpoints:                        # optional; record value (host name or IP) -> version label
 *       blue.example.com: v1
 *       green.example.com: v2
 *     hostedZones:
 *       - name: example.com
 *         comment: optional
 *         records:
 *           - { name: api.example.com, type: CNAME, ttl: 60, setIdentifier: blue, weight: 90, values: [blue.example.com] }
 *           - name: api.example.com
 *             type: CNAME
 *             setIdentifier: green
 *             weight: 10
 *             values: [green.example.com]   # ttl defaults to 60 when values are given
 *           - name: www.example.com
 *             type: A
 *             aliasTarget: { dnsName: '${lb:web.dnsName}', hostedZoneId: Z35SXDOTRQ7X7K, evaluateTargetHealth: false }
 *
 * Records are created with the same validation as ChangeResourceRecordSets (weights, routing policies, CNAME
 * rules) and are what resolvers answer from the start. Zone ids are `Z` + 20 upper-case hex characters derived
 * from the zone name. References: `zone:<name>` -> { id (no /hostedzone/ prefix), name (with trailing dot) }.
 */
import { InputError } from '../../../errors.js';
import { SimServiceError } from '../../protocol/index.js';
import type { SeedRefs, ServiceContext } from '../../types.js';
import { stableId } from '../common.js';
import { serveNow } from './answers.js';
import { applyChangeBatch } from './changeBatch.js';
import { hostKey, normalizeName } from './names.js';
import type { RecordSet, Route53State } from './state.js';
import { normalizeChanges } from './validateChange.js';
import { addZone, isValidDomainName } from './zones.js';

type Ctx = ServiceContext<Route53State>;

const DEFAULT_SEED_TTL_SECONDS = 60;
const RECORD_TYPES = ['SOA', 'A', 'TXT', 'NS', 'CNAME', 'MX', 'NAPTR', 'PTR', 'SRV', 'SPF', 'AAAA', 'CAA', 'DS', 'TLSA', 'SSHFP', 'SVCB', 'HTTPS'];
const RECORD_KEYS = ['name', 'type', 'ttl', 'setIdentifier', 'weight', 'values', 'aliasTarget'];

interface SeedRecord {
  readonly name: string;
  readonly type: string;
  readonly ttl?: number;
  readonly setIdentifier?: string;
  readonly weight?: number;
  readonly values?: readonly string[];
  readonly aliasTarget?: { readonly dnsName: string; readonly hostedZoneId: string; readonly evaluateTargetHealth?: boolean };
}

interface SeedZone {
  readonly name: string;
  readonly comment?: string;
  readonly records?: readonly SeedRecord[];
}

export function seedRoute53(ctx: Ctx, spec: unknown, refs: SeedRefs): void {
  const where = 'world: route53';
  const section = objectOf(spec, where, ['propagationSeconds', 'endpoints', 'hostedZones']);
  if (section.propagationSeconds !== undefined) ctx.state.propagationSeconds = nonNegativeNumber(section.propagationSeconds, `${where}.propagationSeconds`);
  for (const [value, label] of Object.entries(objectOf(section.endpoints ?? {}, `${where}.endpoints`))) {
    if (typeof label !== 'string') throw new InputError(`${where}.endpoints.${value}`, label, 'map each record value to a version label (a string)');
    ctx.state.endpoints[hostKey(value)] = label;
  }
  const zones = section.hostedZones ?? [];
  if (!Array.isArray(zones)) throw new InputError(`${where}.hostedZones`, zones, 'give a list of hosted zones: [{ name, records: [...] }]');
  zones.forEach((zone, i) => seedZone(ctx, objectOf(zone, `${where}.hostedZones[${i}]`, ['name', 'comment', 'records']) as unknown as SeedZone, `${where}.hostedZones[${i}]`, refs));
}

function seedZone(ctx: Ctx, spec: SeedZone, where: string, refs: SeedRefs): void {
  if (typeof spec.name !== 'string' || !isValidDomainName(spec.name)) throw new InputError(`${where}.name`, spec.name, 'give a domain name like example.com');
  const name = normalizeName(spec.name);
  const id = `Z${stableId('route53-zone', name, 20).toUpperCase()}`;
  if (ctx.state.zones[id]) throw new InputError(`${where}.name`, spec.name, 'give each hosted zone once');
  const zone = addZone(ctx, { id, name, callerReference: `deployctl-world-${name}`, ...(typeof spec.comment === 'string' ? { comment: spec.comment } : {}) });
  const records = spec.records ?? [];
  if (!Array.isArray(records)) throw new InputError(`${where}.records`, records, 'give a list of records');
  records.forEach((record, i) => {
    const at = `${where}.records[${i}]`;
    try {
      zone.records = applyChangeBatch(zone, normalizeChanges([{ Action: 'CREATE', ResourceRecordSet: toRecordSet(record, at) }])).records;
    } catch (error) {
      if (error instanceof SimServiceError) throw new InputError(at, record, `Route 53 would reject it: ${error.message}`);
      throw error;
    }
  });
  serveNow(zone);
  refs.set(`zone:${name.replace(/\.$/, '')}`, { id, name });
}

function toRecordSet(spec: SeedRecord, where: string): RecordSet {
  objectOf(spec, where, RECORD_KEYS);
  if (typeof spec.name !== 'string') throw new InputError(`${where}.name`, spec.name, 'give the record name, like api.example.com');
  if (!RECORD_TYPES.includes(spec.type)) throw new InputError(`${where}.type`, spec.type, `use one of ${RECORD_TYPES.join(', ')}`);
  if (spec.weight !== undefined && !(Number.isInteger(spec.weight) && spec.weight >= 0 && spec.weight <= 255)) throw new InputError(`${where}.weight`, spec.weight, 'use an integer 0..255');
  if (spec.values !== undefined && !(Array.isArray(spec.values) && spec.values.length > 0 && spec.values.every((v) => typeof v === 'string'))) {
    throw new InputError(`${where}.values`, spec.values, 'give a non-empty list of strings');
  }
  const ttl = spec.ttl === undefined ? (spec.values ? DEFAULT_SEED_TTL_SECONDS : undefined) : nonNegativeNumber(spec.ttl, `${where}.ttl`);
  const alias = spec.aliasTarget;
  if (alias !== undefined && (typeof alias?.dnsName !== 'string' || typeof alias.hostedZoneId !== 'string')) {
    throw new InputError(`${where}.aliasTarget`, alias, 'give { dnsName, hostedZoneId, evaluateTargetHealth }');
  }
  return {
    Name: spec.name,
    Type: spec.type,
    ...(spec.setIdentifier !== undefined ? { SetIdentifier: String(spec.setIdentifier) } : {}),
    ...(spec.weight !== undefined ? { Weight: spec.weight } : {}),
    ...(ttl !== undefined ? { TTL: ttl } : {}),
    ...(spec.values ? { ResourceRecords: spec.values.map((Value) => ({ Value })) } : {}),
    ...(alias ? { AliasTarget: { DNSName: String(alias.dnsName), HostedZoneId: String(alias.hostedZoneId), EvaluateTargetHealth: alias.evaluateTargetHealth ?? false } } : {}),
  };
}

function objectOf(value: unknown, where: string, keys?: readonly string[]): Record<string, unknown> {
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new InputError(where, value, 'give a mapping');
  for (const key of Object.keys(value)) {
    if (keys && !keys.includes(key)) throw new InputError(`${where}.${key}`, key, `the keys here are ${keys.join(', ')}`);
  }
  return value as Record<string, unknown>;
}

function nonNegativeNumber(value: unknown, where: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw new InputError(where, value, 'give a number of seconds, 0 or more');
  return value;
}
