import { copy } from '../common.js';
import { SimServiceError } from '../../protocol/index.js';
import type { ServiceContext } from '../../types.js';
import { commitChangeBatch } from './changes.js';
import { bareZoneId, describeRecordSet, isWithinZone, normalizeName, recordKey } from './names.js';
import type { HostedZone, Route53State } from './state.js';

type Ctx = ServiceContext<Route53State>;

/**
 * An out-of-band writer (another tool, a human in the console) changes the weight of one weighted record with an
 * ordinary UPSERT: the change is PENDING, propagates, and reaches traffic after the cached answers expire,
 * exactly like the orchestrator's own changes. Params: `{ hostedZoneId?, zoneName?, name, type, setIdentifier, weight }`.
 */
export function driftWeightedRecord(ctx: Ctx, params: Readonly<Record<string, unknown>>): string {
  const { name, type, setIdentifier, weight } = driftParams(params);
  const zone = findZone(ctx.state, params, name);
  if (!zone) return `An out-of-band writer found no hosted zone for ${name}; nothing changed.`;
  const wanted = { Name: name, Type: type, SetIdentifier: setIdentifier };
  const existing = zone.records.find((r) => recordKey(r) === recordKey(wanted));
  if (!existing || existing.Weight === undefined) return `An out-of-band writer found no weighted record set ${describeRecordSet(wanted)} in zone ${zone.name}; nothing changed.`;
  try {
    const change = commitChangeBatch(ctx, zone, [{ action: 'UPSERT', record: { ...copy(existing), Weight: weight } }], 'out-of-band writer');
    return `An out-of-band writer set the weight of ${describeRecordSet(wanted)} in zone ${zone.name} from ${existing.Weight} to ${weight} (change /change/${change.id}, ${change.status}).`;
  } catch (error) {
    if (error instanceof SimServiceError) return `An out-of-band writer's change of ${describeRecordSet(wanted)} was rejected: ${error.code}: ${error.message}`;
    throw error;
  }
}

/** Writer faults come from world files and --fault flags: a malformed one is a broken world, said plainly. */
function driftParams(params: Readonly<Record<string, unknown>>): { name: string; type: string; setIdentifier: string; weight: number } {
  const weight = Number(params.weight);
  if (typeof params.name !== 'string' || typeof params.type !== 'string' || params.setIdentifier === undefined || !Number.isInteger(weight) || weight < 0 || weight > 255) {
    throw new Error(`the simulated route53 writer needs name, type, setIdentifier and a weight 0..255; got ${JSON.stringify(params)}`);
  }
  // The --fault parser turns numeric-looking values into numbers; set identifiers like "1" stay strings here.
  return { name: normalizeName(params.name), type: params.type, setIdentifier: String(params.setIdentifier), weight };
}

function findZone(state: Route53State, params: Readonly<Record<string, unknown>>, name: string): HostedZone | undefined {
  const zones = Object.values(state.zones);
  if (params.hostedZoneId !== undefined) return state.zones[bareZoneId(String(params.hostedZoneId))];
  if (params.zoneName !== undefined) return zones.find((z) => z.name === normalizeName(String(params.zoneName)));
  // Without either, the most specific zone the name belongs to.
  return zones.filter((z) => isWithinZone(name, z.name)).sort((a, b) => b.name.length - a.name.length)[0];
}
