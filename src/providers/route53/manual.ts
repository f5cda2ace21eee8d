import type { Json } from '../types.js';
import { parseSnapshot } from './snapshot.js';
import { bareZoneId, normalizeName, type Route53TargetSpec } from './target.js';

/** Single-quotes a word for a POSIX shell: `it's` → `'it'\''s'`. */
export function shellQuote(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

/**
 * Copy-pasteable aws CLI commands that put both captured records back (one batch of two UPSERTs, all or nothing),
 * then list them to check by eye. Route 53 is global, so no Region is needed.
 */
export function manualRestoreCommands(json: Json, target: Route53TargetSpec, label: string): string[] {
  let snapshot;
  try {
    snapshot = parseSnapshot(json, label);
  } catch {
    return [`# ${label}: no captured configuration was recorded, so there is nothing exact to restore; inspect it with:`, listCommand(bareZoneId(target.hostedZoneId), normalizeName(target.recordName), target.recordType)];
  }
  const batch = {
    Comment: `restore ${snapshot.recordName} ${snapshot.recordType} as captured by deployctl`,
    Changes: [
      { Action: 'UPSERT', ResourceRecordSet: snapshot.stable },
      { Action: 'UPSERT', ResourceRecordSet: snapshot.canary },
    ],
  };
  return [
    `aws route53 change-resource-record-sets --hosted-zone-id ${shellQuote(snapshot.hostedZoneId)} --change-batch ${shellQuote(JSON.stringify(batch))}`,
    listCommand(snapshot.hostedZoneId, snapshot.recordName, snapshot.recordType),
  ];
}

function listCommand(zoneId: string, name: string, type: string): string {
  const query = `ResourceRecordSets[?Name=='${name.replaceAll('\\', '\\\\')}' && Type=='${type}']`;
  return `aws route53 list-resource-record-sets --hosted-zone-id ${shellQuote(zoneId)} --start-record-name ${shellQuote(name)} --start-record-type ${shellQuote(type)} --query ${shellQuote(query)}`;
}
