import {
  ChangeResourceRecordSetsCommand,
  GetChangeCommand,
  GetHostedZoneCommand,
  ListResourceRecordSetsCommand,
  Route53Client,
  type Change,
  type ResourceRecordSet,
} from '@aws-sdk/client-route-53';
import { mockClient } from 'aws-sdk-client-mock';
import type { DeployEvent } from '../../../src/engine/events.js';
import { createRoute53Provider, type Route53ProviderDeps, type Route53TargetSpec } from '../../../src/providers/route53/index.js';
import type { Json, ProviderContext, ShiftContext } from '../../../src/providers/types.js';
import type { Plan } from '../../../src/strategies/types.js';
import { VirtualClock } from '../../../src/time/clock.js';
import { canaryPlan } from '../../fakes/plans.js';

export const ZONE = 'Z0123456789ABCDEFGHIJ';

export const CANARY_PLAN: Plan = canaryPlan(120);

export const TARGET: Route53TargetSpec = { type: 'route53', hostedZoneId: ZONE, recordName: 'api.example.com', recordType: 'CNAME', stableSetIdentifier: 'blue', canarySetIdentifier: 'green' };

export const BLUE: ResourceRecordSet = { Name: 'api.example.com.', Type: 'CNAME', SetIdentifier: 'blue', Weight: 100, TTL: 60, ResourceRecords: [{ Value: 'blue.example.com' }], HealthCheckId: 'hc-blue' };
export const GREEN: ResourceRecordSet = { Name: 'api.example.com.', Type: 'CNAME', SetIdentifier: 'green', Weight: 0, TTL: 60, ResourceRecords: [{ Value: 'green.example.com' }] };
export const OTHER_NAME: ResourceRecordSet = { Name: 'www.example.com.', Type: 'A', TTL: 300, ResourceRecords: [{ Value: '192.0.2.1' }] };

export interface FakeZone {
  records: ResourceRecordSet[];
  /** GetChange answers PENDING this many times per change before INSYNC. */
  pendingPolls: number;
  /** Page size of ListResourceRecordSets. */
  pageSize: number;
  /** Runs before a change batch is checked (to play a concurrent writer). */
  beforeChange?: () => void;
  changes: number;
}

function named(name: string, message: string): Error {
  return Object.assign(new Error(message), { name });
}

const key = (r: ResourceRecordSet) => `${r.Name}|${r.Type}|${r.SetIdentifier ?? ''}`;
const reversed = (name = '') => name.replace(/\.$/, '').split('.').reverse().join('.');
const order = (a: ResourceRecordSet, b: ResourceRecordSet) => reversed(a.Name).localeCompare(reversed(b.Name)) || String(a.Type).localeCompare(String(b.Type)) || (a.SetIdentifier ?? '').localeCompare(b.SetIdentifier ?? '');

/** Route 53's batch rules that matter here: all or nothing, DELETE must match exactly, CREATE must be new. */
export function applyBatch(zone: FakeZone, changes: readonly Change[]): void {
  const working = new Map(zone.records.map((r) => [key(r), r]));
  const problems: string[] = [];
  for (const { Action, ResourceRecordSet: record } of changes) {
    const existing = working.get(key(record!));
    if (Action === 'DELETE') {
      if (!existing || JSON.stringify(existing) !== JSON.stringify(record)) problems.push(`Tried to delete resource record set [name='${record!.Name}', type='${record!.Type}', set-identifier='${record!.SetIdentifier}'] but the values provided do not match the current values`);
      else working.delete(key(record!));
    } else if (Action === 'CREATE') {
      if (existing) problems.push(`Tried to create resource record set [name='${record!.Name}'] but it already exists`);
      else working.set(key(record!), structuredClone(record!));
    } else working.set(key(record!), structuredClone(record!));
  }
  if (problems.length > 0) throw named('InvalidChangeBatch', `[${problems.join(', ')}]`);
  zone.records = [...working.values()].sort(order);
}

/** aws-sdk-client-mock standing in for Route 53: one zone in memory, its records, its changes. */
export function mockRoute53(records: ResourceRecordSet[] = [BLUE, GREEN, OTHER_NAME]) {
  const mock = mockClient(Route53Client);
  const zone: FakeZone = { records: structuredClone(records).sort(order), pendingPolls: 1, pageSize: 300, changes: 0 };
  const polls = new Map<string, number>();
  mock.on(GetHostedZoneCommand).callsFake((input: { Id?: string }) => {
    if (input.Id !== ZONE) throw named('NoSuchHostedZone', `No hosted zone found with ID: ${input.Id}`);
    return { HostedZone: { Id: `/hostedzone/${ZONE}`, Name: 'example.com.', CallerReference: 'x', Config: { PrivateZone: false } } };
  });
  mock.on(ListResourceRecordSetsCommand).callsFake((input: { StartRecordName?: string; StartRecordType?: string; StartRecordIdentifier?: string }) => {
    const start = { Name: input.StartRecordName ?? '', Type: input.StartRecordType ?? '', SetIdentifier: input.StartRecordIdentifier ?? '' };
    const from = zone.records.findIndex((r) => order(r, start as ResourceRecordSet) >= 0);
    const rest = from < 0 ? [] : zone.records.slice(from);
    const page = rest.slice(0, zone.pageSize);
    const next = rest[zone.pageSize];
    return { ResourceRecordSets: structuredClone(page), IsTruncated: next !== undefined, MaxItems: String(zone.pageSize), ...(next ? { NextRecordName: next.Name, NextRecordType: next.Type, NextRecordIdentifier: next.SetIdentifier } : {}) };
  });
  mock.on(ChangeResourceRecordSetsCommand).callsFake((input: { ChangeBatch?: { Changes?: Change[] } }) => {
    zone.beforeChange?.();
    applyBatch(zone, input.ChangeBatch?.Changes ?? []);
    zone.changes += 1;
    return { ChangeInfo: { Id: `/change/C${zone.changes}`, Status: 'PENDING', SubmittedAt: new Date(0) } };
  });
  mock.on(GetChangeCommand).callsFake((input: { Id?: string }) => {
    const id = String(input.Id);
    const seen = (polls.get(id) ?? 0) + 1;
    polls.set(id, seen);
    return { ChangeInfo: { Id: `/change/${id}`, Status: seen > zone.pendingPolls ? 'INSYNC' : 'PENDING', SubmittedAt: new Date(0) } };
  });
  const client = new Route53Client({ region: 'us-east-1', credentials: { accessKeyId: 'AKID', secretAccessKey: 'secret' } });
  return { mock, client, zone };
}

export function contexts(clock = new VirtualClock()) {
  const events: DeployEvent[] = [];
  const base: ProviderContext = { deploymentId: 'd-1', signal: new AbortController().signal, clock, emit: (e) => events.push(e) };
  const shift = (snapshot: Json, fromPercent: number): ShiftContext => ({ ...base, snapshot, fromPercent });
  return { base, shift, events, clock };
}

export function provider(client: Route53Client, target: Route53TargetSpec = TARGET, extra: Partial<Route53ProviderDeps> = {}) {
  return createRoute53Provider(target, { client, plan: CANARY_PLAN, pollMs: 1000, restore: { attempts: 3, backoffMs: 10 }, sync: { timeoutMs: 60_000, unknownChangeWaitMs: 60_000 }, ...extra });
}

/** Names of the commands sent, in order. */
export function sent(mock: ReturnType<typeof mockRoute53>['mock']): string[] {
  return mock.calls().map((call) => (call.args[0] as { constructor: { name: string } }).constructor.name.replace(/Command$/, ''));
}

export function countsOf(names: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const name of names) counts[name] = (counts[name] ?? 0) + 1;
  return counts;
}

export const setOf = (zone: FakeZone, id: string) => zone.records.find((r) => r.SetIdentifier === id);
