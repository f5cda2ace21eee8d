import type { RecordSet } from './state.js';

/**
 * DNS names as Route 53 keeps them: fully qualified with a trailing dot, alphabetic characters in lower case
 * ("Route 53 stores alphabetic characters as lowercase letters", DNS domain name format doc), and `*` as the
 * escape code `\052` (how Route 53 returns wildcard records).
 */
export function normalizeName(name: string): string {
  const lower = name.toLowerCase().replace(/\*/g, '\\052');
  return lower.endsWith('.') ? lower : `${lower}.`;
}

/** The sort key of ListResourceRecordSets / ListHostedZonesByName: labels reversed, e.g. `com.example.www.`. */
export function reversedLabels(name: string): string {
  const labels = name.replace(/\.$/, '').split('.');
  return `${labels.reverse().join('.')}.`;
}

/** Plain ASCII comparison (not locale-aware), as the API documents its sort order. */
export function compareAscii(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** AWS order of record sets: name with labels reversed, then type, then set identifier. */
export function compareRecordSets(a: Pick<RecordSet, 'Name' | 'Type' | 'SetIdentifier'>, b: Pick<RecordSet, 'Name' | 'Type' | 'SetIdentifier'>): number {
  return compareAscii(reversedLabels(a.Name), reversedLabels(b.Name)) || compareAscii(a.Type, b.Type) || compareAscii(a.SetIdentifier ?? '', b.SetIdentifier ?? '');
}

/** True when `name` is the zone's apex or below it (both normalized). */
export function isWithinZone(name: string, zoneName: string): boolean {
  return name === zoneName || name.endsWith(`.${zoneName}`);
}

/** Identity of a record set inside a zone: name, type and set identifier. */
export function recordKey(record: Pick<RecordSet, 'Name' | 'Type' | 'SetIdentifier'>): string {
  return `${record.Name}|${record.Type}|${record.SetIdentifier ?? ''}`;
}

/** Key of everything resolvers get for one name and type. */
export function answerKey(name: string, type: string): string {
  return `${name}|${type}`;
}

/** Name and type of an answer key (names may contain `|`, types never do). */
export function splitAnswerKey(key: string): { name: string; type: string } {
  const at = key.lastIndexOf('|');
  return { name: key.slice(0, at), type: key.slice(at + 1) };
}

/** The resource key traffic through a name and type depends on (touched when its answer changes). */
export function trafficKey(zoneId: string, name: string, type: string): string {
  return `route53:${zoneId}|${name}|${type}`;
}

/** The SDK strips these prefixes from input ids; callers that skip the SDK (seeding, tests) may still send them. */
export function bareZoneId(id: string): string {
  return id.replace(/^\/?hostedzone\//, '');
}

export function bareChangeId(id: string): string {
  return id.replace(/^\/?change\//, '');
}

/**
 * A host name for matching record values against load balancers and endpoints: lower case, no trailing dot,
 * no `dualstack.` prefix (Route 53 alias targets for ELB are often written `dualstack.<lb dns name>`).
 */
export function hostKey(value: string): string {
  return value.toLowerCase().replace(/\.$/, '').replace(/^dualstack\./, '');
}

/** `[name='api.example.com.', type='A', set-identifier='blue']` as Route 53 names a record set in messages. */
export function describeRecordSet(record: Pick<RecordSet, 'Name' | 'Type' | 'SetIdentifier'>): string {
  const id = record.SetIdentifier === undefined ? '' : `, set-identifier='${record.SetIdentifier}'`;
  return `[name='${record.Name}', type='${record.Type}'${id}]`;
}
