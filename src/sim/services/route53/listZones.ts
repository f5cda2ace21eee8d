import type { ServiceContext } from '../../types.js';
import { fail } from '../common.js';
import { invalidInput } from './errors.js';
import { bareZoneId, compareAscii, normalizeName, reversedLabels } from './names.js';
import type { HostedZone, Route53State } from './state.js';
import { zoneOutput } from './zones.js';

type Ctx = ServiceContext<Route53State>;

/** "Route 53 returns up to 100 items in each response" (ListHostedZones, ListHostedZonesByName). */
const MAX_ZONES_PER_PAGE = 100;

/** Page size from MaxItems (a number in the JS SDK, a string on the wire), capped at the API's maximum. */
export function pageSize(maxItems: unknown, cap: number): { size: number; echo: number } {
  if (maxItems === undefined) return { size: cap, echo: cap };
  const requested = Number(maxItems);
  if (!Number.isInteger(requested) || requested < 1) invalidInput(`Invalid request: MaxItems must be a positive integer, not ${String(maxItems)}`);
  return { size: Math.min(requested, cap), echo: requested };
}

/** Zones in creation order; `Marker` is the id of the first zone of the page. */
export function listHostedZones(ctx: Ctx, input: Record<string, unknown>): unknown {
  // The simulator has no reusable delegation sets, so naming one is naming one that does not exist.
  if (input.DelegationSetId !== undefined) fail('NoSuchDelegationSet', `No reusable delegation set found with ID: ${String(input.DelegationSetId)}`);
  const zones = Object.values(ctx.state.zones).filter((z) => input.HostedZoneType !== 'PrivateHostedZone' || z.privateZone);
  const { size, echo } = pageSize(input.MaxItems, MAX_ZONES_PER_PAGE);
  const marker = input.Marker === undefined ? undefined : bareZoneId(String(input.Marker));
  const start = marker === undefined ? 0 : zones.findIndex((z) => z.id === marker);
  if (start < 0) invalidInput(`Invalid request: the marker ${String(input.Marker)} is not the id of a hosted zone`);
  const page = zones.slice(start, start + size);
  const next = zones[start + size];
  return {
    HostedZones: page.map(zoneOutput),
    ...(input.Marker !== undefined ? { Marker: input.Marker } : {}),
    IsTruncated: next !== undefined,
    ...(next ? { NextMarker: next.id } : {}),
    MaxItems: echo,
  };
}

function compareZones(a: HostedZone, b: HostedZone): number {
  return compareAscii(reversedLabels(a.name), reversedLabels(b.name)) || compareAscii(a.id, b.id);
}

/** Zones sorted by name with the labels reversed (`com.example.www.`), then by id. */
export function listHostedZonesByName(ctx: Ctx, input: Record<string, unknown>): unknown {
  if (input.HostedZoneId !== undefined && input.DNSName === undefined) invalidInput('Invalid request: HostedZoneId requires DNSName');
  const zones = Object.values(ctx.state.zones).sort(compareZones);
  const { size, echo } = pageSize(input.MaxItems, MAX_ZONES_PER_PAGE);
  const from = input.DNSName === undefined ? undefined : reversedLabels(normalizeName(String(input.DNSName)));
  const fromId = input.HostedZoneId === undefined ? undefined : bareZoneId(String(input.HostedZoneId));
  const atOrAfter = (z: HostedZone): boolean => {
    if (from === undefined) return true;
    const byName = compareAscii(reversedLabels(z.name), from);
    return byName > 0 || (byName === 0 && (fromId === undefined || compareAscii(z.id, fromId) >= 0));
  };
  const index = zones.findIndex(atOrAfter);
  const start = index < 0 ? zones.length : index;
  const page = zones.slice(start, start + size);
  const next = zones[start + size];
  return {
    HostedZones: page.map(zoneOutput),
    ...(input.DNSName !== undefined ? { DNSName: input.DNSName } : {}),
    ...(input.HostedZoneId !== undefined ? { HostedZoneId: input.HostedZoneId } : {}),
    IsTruncated: next !== undefined,
    ...(next ? { NextDNSName: next.name, NextHostedZoneId: next.id } : {}),
    MaxItems: echo,
  };
}
