import { ChangeResourceRecordSetsCommand, ListResourceRecordSetsCommand, type ResourceRecordSet } from '@aws-sdk/client-route-53';
import { afterEach, describe, expect, it } from 'vitest';
import { DeployError } from '../../../src/errors.js';
import { route53Calls, route53ResourceArns } from '../../../src/providers/route53/index.js';
import type { Json } from '../../../src/providers/types.js';
import { BLUE, contexts, countsOf, GREEN, mockRoute53, OTHER_NAME, provider, sent, setOf, TARGET, ZONE } from './fixtures.js';

/** Layer 1: the exact requests, against aws-sdk-client-mock. */

let active: ReturnType<typeof mockRoute53> | undefined;
function route53(...args: Parameters<typeof mockRoute53>) {
  active = mockRoute53(...args);
  return active;
}
afterEach(() => active?.mock.restore());

const batches = (mock: ReturnType<typeof mockRoute53>['mock']) => mock.commandCalls(ChangeResourceRecordSetsCommand).map((c) => c.args[0].input);
const at = (record: ResourceRecordSet, Weight: number) => ({ ...record, Weight });

describe('Route 53 provider requests', () => {
  it('preflight only reads: GetHostedZone, then ListResourceRecordSets from the record name', async () => {
    const { mock, client } = route53();
    const report = await provider(client).preflight(contexts().base);
    expect(report).toMatchObject({ errors: [], warnings: [] });
    expect(sent(mock)).toEqual(['GetHostedZone', 'ListResourceRecordSets']);
    expect(mock.calls().map((c) => c.args[0].input)).toEqual([{ Id: ZONE }, { HostedZoneId: ZONE, StartRecordName: 'api.example.com.' }]);
    expect(report.facts).toEqual({
      hostedZoneId: ZONE,
      zoneName: 'example.com.',
      privateZone: false,
      recordName: 'api.example.com.',
      recordType: 'CNAME',
      ttlSeconds: 60,
      weights: { blue: 100, green: 0 },
      livePercent: 0,
      healthChecks: ['hc-blue'],
    });
  });

  it('a 4-step canary: one DELETE+CREATE batch per shift with the exact current records, then INSYNC', async () => {
    const { mock, client, zone } = route53();
    const r53 = provider(client);
    const ctx = contexts();
    await r53.preflight(ctx.base);
    const snapshot = await r53.capture(ctx.base);
    let from = 0;
    for (const percent of [1, 5, 25, 100]) {
      await ctx.clock.run(r53.setWeight(percent, ctx.shift(snapshot, from)));
      expect(await r53.verifyWeight(percent, ctx.shift(snapshot, from))).toEqual({ status: 'ok' });
      from = percent;
    }
    const swapTo = (stableBefore: number, canaryBefore: number, stable: number, canary: number) => [
      { Action: 'DELETE', ResourceRecordSet: at(BLUE, stableBefore) },
      { Action: 'CREATE', ResourceRecordSet: at(BLUE, stable) },
      { Action: 'DELETE', ResourceRecordSet: at(GREEN, canaryBefore) },
      { Action: 'CREATE', ResourceRecordSet: at(GREEN, canary) },
    ];
    expect(batches(mock)).toEqual([
      { HostedZoneId: ZONE, ChangeBatch: { Comment: 'deployctl d-1: canary 1%', Changes: swapTo(100, 0, 99, 1) } },
      { HostedZoneId: ZONE, ChangeBatch: { Comment: 'deployctl d-1: canary 5%', Changes: swapTo(99, 1, 95, 5) } },
      { HostedZoneId: ZONE, ChangeBatch: { Comment: 'deployctl d-1: canary 25%', Changes: swapTo(95, 5, 75, 25) } },
      { HostedZoneId: ZONE, ChangeBatch: { Comment: 'deployctl d-1: canary 100%', Changes: swapTo(75, 25, 0, 100) } },
    ]);
    // 100% keeps both records: stable at weight 0, canary with all of it.
    expect([setOf(zone, 'blue'), setOf(zone, 'green')]).toEqual([at(BLUE, 0), at(GREEN, 100)]);
    expect(zone.records).toContainEqual(OTHER_NAME);
    // GetChange: one PENDING, one INSYNC per shift (the fake stays PENDING for one poll).
    expect(countsOf(sent(mock))).toEqual({ GetHostedZone: 1, ListResourceRecordSets: 10, ChangeResourceRecordSets: 4, GetChange: 8 });
    expect(mock.commandCalls(ListResourceRecordSetsCommand)[2]!.args[0].input).toEqual({ HostedZoneId: ZONE, StartRecordName: 'api.example.com.', StartRecordType: 'CNAME' });
  });

  it('alias targets, TTL, values and health checks pass through byte for byte; restore brings back the captured weights', async () => {
    const aliasBlue = { Name: 'www.example.com.', Type: 'A', SetIdentifier: 'blue', Weight: 7, AliasTarget: { HostedZoneId: 'Z35SXDOTRQ7X7K', DNSName: 'blue-123.eu-west-1.elb.amazonaws.com.', EvaluateTargetHealth: true } } as ResourceRecordSet;
    const aliasGreen = { ...aliasBlue, SetIdentifier: 'green', Weight: 0, AliasTarget: { ...aliasBlue.AliasTarget!, DNSName: 'green-456.eu-west-1.elb.amazonaws.com.' } } as ResourceRecordSet;
    const { mock, client, zone } = route53([aliasBlue, aliasGreen]);
    const r53 = provider(client, { ...TARGET, recordName: 'WWW.example.com.', recordType: 'A' });
    const ctx = contexts();
    const snapshot = await r53.capture(ctx.base);
    await ctx.clock.run(r53.setWeight(12.5, ctx.shift(snapshot, 0)));
    expect(batches(mock)[0]!.ChangeBatch!.Changes).toEqual([
      { Action: 'DELETE', ResourceRecordSet: aliasBlue },
      { Action: 'CREATE', ResourceRecordSet: at(aliasBlue, 175) },
      { Action: 'DELETE', ResourceRecordSet: aliasGreen },
      { Action: 'CREATE', ResourceRecordSet: at(aliasGreen, 25) },
    ]);
    await ctx.clock.run(r53.restore(snapshot, ctx.base));
    expect(batches(mock)[1]!.ChangeBatch!.Changes).toEqual([
      { Action: 'DELETE', ResourceRecordSet: at(aliasBlue, 175) },
      { Action: 'CREATE', ResourceRecordSet: aliasBlue },
      { Action: 'DELETE', ResourceRecordSet: at(aliasGreen, 25) },
      { Action: 'CREATE', ResourceRecordSet: aliasGreen },
    ]);
    // Field by field as captured (stable weight 7, not a "100" of our own making).
    expect(zone.records).toEqual([aliasBlue, aliasGreen]);
    expect(await r53.readWeight(snapshot, ctx.base)).toBe(0);
  });

  it('setWeight is idempotent: already there, nothing is written', async () => {
    const { mock, client } = route53();
    const r53 = provider(client);
    const ctx = contexts();
    const snapshot = await r53.capture(ctx.base);
    await ctx.clock.run(r53.setWeight(5, ctx.shift(snapshot, 0)));
    await r53.setWeight(5, ctx.shift(snapshot, 0));
    await r53.setWeight(5, ctx.shift(snapshot, 5));
    expect(batches(mock)).toHaveLength(1);
  });

  it('a foreign weight change is DRIFT, says from what to what, and nothing is written', async () => {
    const { mock, client, zone } = route53();
    const r53 = provider(client);
    const ctx = contexts();
    const snapshot = await r53.capture(ctx.base);
    await ctx.clock.run(r53.setWeight(5, ctx.shift(snapshot, 0)));
    setOf(zone, 'green')!.Weight = 50;
    const error = (await r53.setWeight(25, ctx.shift(snapshot, 5)).catch((e: unknown) => e)) as DeployError;
    expect(error).toBeInstanceOf(DeployError);
    expect(error.code).toBe('DRIFT');
    expect(error.message).toContain("expected stable/canary weights 95/5 (5%) or 75/25 (25%), found stable 'blue' 95, canary 'green' 50 (34.4828%)");
    expect(batches(mock)).toHaveLength(1);
    expect(await r53.verifyWeight(25, ctx.shift(snapshot, 5))).toEqual({ status: 'drift', detail: expect.stringContaining("canary 'green' 50") });
  });

  it('the same share written as other weights, or the stable weight changed before the first shift, is someone else write too', async () => {
    const { client, zone } = route53();
    const r53 = provider(client);
    const ctx = contexts();
    const snapshot = await r53.capture(ctx.base);
    setOf(zone, 'blue')!.Weight = 50;
    await expect(r53.setWeight(1, ctx.shift(snapshot, 0))).rejects.toThrow("expected stable/canary weights 100/0 (0%) or 99/1 (1%), found stable 'blue' 50, canary 'green' 0 (0%)");
    setOf(zone, 'blue')!.Weight = 198;
    setOf(zone, 'green')!.Weight = 2;
    expect(await r53.verifyWeight(1, ctx.shift(snapshot, 0))).toEqual({ status: 'drift', detail: "expected stable/canary weights 100/0 (0%) or 99/1 (1%), found stable 'blue' 198, canary 'green' 2 (1%)" });
    expect(await r53.readWeight(snapshot, ctx.base)).toBe(1);
  });

  it('a foreign change to anything but the weights (TTL) is drift too', async () => {
    const { client, zone } = route53();
    const r53 = provider(client);
    const ctx = contexts();
    const snapshot = await r53.capture(ctx.base);
    setOf(zone, 'blue')!.TTL = 300;
    await expect(r53.setWeight(1, ctx.shift(snapshot, 0))).rejects.toThrow(/changed: 'blue' TTL 60 → 300/);
  });

  it('a record changed between our read and our batch: AWS refuses the DELETE, the provider reads again and reports drift', async () => {
    const { mock, client, zone } = route53();
    const r53 = provider(client);
    const ctx = contexts();
    const snapshot = await r53.capture(ctx.base);
    zone.beforeChange = () => {
      zone.beforeChange = undefined;
      setOf(zone, 'green')!.Weight = 10;
    };
    const error = (await ctx.clock.run(r53.setWeight(1, ctx.shift(snapshot, 0))).catch((e: unknown) => e)) as DeployError;
    expect(error.code).toBe('DRIFT');
    expect(error.message).toContain('the change batch was refused: InvalidChangeBatch');
    expect(error.message).toContain("canary 'green' 10");
    expect(batches(mock)).toHaveLength(1);
    expect(setOf(zone, 'green')!.Weight).toBe(10);
  });

  it('our own batch applied but the answer was lost: the retry is refused, the read shows our weights, and we wait out propagation', async () => {
    const { mock, client, zone } = route53();
    const r53 = provider(client);
    const ctx = contexts();
    const snapshot = await r53.capture(ctx.base);
    // Play the SDK's retry after a timeout: the first batch lands, the one we see fails with InvalidChangeBatch.
    zone.beforeChange = () => {
      zone.beforeChange = undefined;
      setOf(zone, 'blue')!.Weight = 99;
      setOf(zone, 'green')!.Weight = 1;
    };
    const started = ctx.clock.now();
    await ctx.clock.run(r53.setWeight(1, ctx.shift(snapshot, 0)));
    expect(ctx.clock.now() - started).toBe(60_000);
    expect(ctx.events).toEqual([expect.objectContaining({ type: 'warning', message: expect.stringContaining('its id was lost with the response') })]);
    expect(sent(mock).filter((op) => op === 'GetChange')).toEqual([]);
  });

  it('never writes both weights 0, and refuses percents 0–255 weights cannot express, in preflight', async () => {
    const { client, mock } = route53();
    const plan = { strategy: 'canary' as const, steps: [{ type: 'setWeight' as const, weight: 0.1 }, { type: 'setWeight' as const, weight: 33.33 }, { type: 'setWeight' as const, weight: 99.9 }] };
    const report = await provider(client, TARGET, { plan }).preflight(contexts().base);
    expect(report.errors).toEqual([
      'step 1 (setWeight 0.1): Route 53 weights are integers 0–255, so 0.1% cannot be written within 0.5% of itself (the finest share is 1 of 255 = 0.39%); use for example 0.5',
      'step 3 (setWeight 99.9): Route 53 weights are integers 0–255, so 99.9% cannot be written within 0.5% of itself (the finest share is 1 of 255 = 0.39%); use for example 99.5',
    ]);
    expect(report.warnings).toEqual(['step 2 (setWeight 33.33): Route 53 weights are integers, so the canary gets weight 1 of 3 = 33.3333%']);
    expect(sent(mock)).toEqual(['GetHostedZone', 'ListResourceRecordSets']);
  });

  it('restore creates a record someone deleted, warns about what it replaces, and verifies field by field', async () => {
    const { client, zone } = route53();
    const r53 = provider(client);
    const ctx = contexts();
    const snapshot = await r53.capture(ctx.base);
    await ctx.clock.run(r53.setWeight(5, ctx.shift(snapshot, 0)));
    zone.records = zone.records.filter((r) => r.SetIdentifier !== 'green');
    await ctx.clock.run(r53.restore(snapshot, ctx.base));
    expect([setOf(zone, 'blue'), setOf(zone, 'green')]).toEqual([BLUE, GREEN]);
    expect(ctx.events).toEqual([expect.objectContaining({ type: 'warning', message: expect.stringContaining("'green' was deleted") })]);
  });

  it('restore retries a batch refused because a record changed under it', async () => {
    const { mock, client, zone } = route53();
    const r53 = provider(client);
    const ctx = contexts();
    const snapshot = await r53.capture(ctx.base);
    await ctx.clock.run(r53.setWeight(25, ctx.shift(snapshot, 0)));
    zone.beforeChange = () => {
      zone.beforeChange = undefined;
      setOf(zone, 'green')!.Weight = 40;
    };
    await ctx.clock.run(r53.restore(snapshot, ctx.base));
    expect(batches(mock)).toHaveLength(3);
    expect([setOf(zone, 'blue'), setOf(zone, 'green')]).toEqual([BLUE, GREEN]);
  });

  it('gives up on a change that never goes INSYNC, with a clear error', async () => {
    const { client, zone } = route53();
    zone.pendingPolls = Infinity;
    const r53 = provider(client);
    const ctx = contexts();
    const snapshot = await r53.capture(ctx.base);
    const error = (await ctx.clock.run(r53.setWeight(1, ctx.shift(snapshot, 0))).catch((e: unknown) => e)) as DeployError;
    expect(error.code).toBe('AWS_ERROR');
    expect(error.message).toContain('change /change/C1 is still PENDING after 1 min (Route 53 normally propagates a change within 60 s)');
  });

  it('follows ListResourceRecordSets pages through a large weighted group', async () => {
    const many = Array.from({ length: 7 }, (_, i) => ({ ...GREEN, SetIdentifier: `a${i}`, ResourceRecords: [{ Value: `a${i}.example.com` }] }));
    const { mock, client } = route53([...many, BLUE, GREEN, OTHER_NAME]);
    active!.zone.pageSize = 3;
    const r53 = provider(client);
    const report = await r53.preflight(contexts().base);
    expect(report.errors).toEqual([]);
    expect(mock.commandCalls(ListResourceRecordSetsCommand).map((c) => c.args[0].input.StartRecordIdentifier)).toEqual([undefined, 'a3', 'a6']);
    // The third page ends with green; the next record (www) is past the name, so no fourth page is read.
  });

  it('every call carries the abort signal', async () => {
    const { mock, client } = route53();
    const r53 = provider(client);
    const ctx = contexts();
    await r53.preflight(ctx.base);
    const snapshot = await r53.capture(ctx.base);
    await ctx.clock.run(r53.setWeight(5, ctx.shift(snapshot, 0)));
    await ctx.clock.run(r53.restore(snapshot, ctx.base));
    for (const call of mock.calls()) expect((call.args as unknown[])[1]).toEqual({ abortSignal: ctx.base.signal });
  });

  it('manual restore commands: one batch of two UPSERTs of the captured records, shell-quoted', async () => {
    const quoted = { ...BLUE, ResourceRecords: [{ Value: '"v=spf1 it\'s"' }], Type: 'TXT' } as ResourceRecordSet;
    const { client } = route53([quoted, { ...GREEN, Type: 'TXT' }]);
    const r53 = provider(client, { ...TARGET, recordType: 'TXT' });
    const snapshot = await r53.capture(contexts().base);
    const [change, list] = r53.manualRestoreCommands(snapshot);
    const batch = JSON.stringify({ Comment: 'restore api.example.com. TXT as captured by deployctl', Changes: [{ Action: 'UPSERT', ResourceRecordSet: quoted }, { Action: 'UPSERT', ResourceRecordSet: { ...GREEN, Type: 'TXT' } }] });
    expect(change).toBe(`aws route53 change-resource-record-sets --hosted-zone-id '${ZONE}' --change-batch '${batch.replaceAll("'", "'\\''")}'`);
    expect(list).toBe(`aws route53 list-resource-record-sets --hosted-zone-id '${ZONE}' --start-record-name 'api.example.com.' --start-record-type 'TXT' --query 'ResourceRecordSets[?Name=='\\''api.example.com.'\\'' && Type=='\\''TXT'\\'']'`);
    expect(r53.manualRestoreCommands(null)[0]).toMatch(/^# .*no captured configuration/);
  });

  it('refuses to write without a Route 53 snapshot, or with one whose weights are both 0', async () => {
    const { mock, client } = route53();
    const r53 = provider(client);
    const ctx = contexts();
    await expect(r53.setWeight(5, ctx.shift({ provider: 'lambda' } as Json, 0))).rejects.toThrow(/not a Route 53 snapshot/);
    const zero = { provider: 'route53', version: 1, hostedZoneId: ZONE, recordName: 'api.example.com.', recordType: 'CNAME', stable: at(BLUE, 0), canary: GREEN } as unknown as Json;
    await expect(r53.restore(zero, ctx.base)).rejects.toThrow(/both 0/);
    expect(sent(mock)).toEqual([]);
  });
});

describe('Route 53 preflight findings', () => {
  const findings = async (records: ResourceRecordSet[], target = TARGET) => {
    const fake = route53(records);
    const report = await provider(fake.client, target).preflight(contexts().base);
    expect(sent(fake.mock).every((op) => op.startsWith('Get') || op.startsWith('List'))).toBe(true);
    return report;
  };

  it('says which set is missing and what was found instead', async () => {
    expect((await findings([BLUE])).errors).toEqual([`no record set 'green' (the canary set) in api.example.com. CNAME in zone example.com. (${ZONE}); found 'blue' (CNAME, weight 100)`]);
    expect((await findings([BLUE, { ...GREEN, Type: 'TXT' }])).errors).toEqual(["the canary set 'green' of api.example.com. is a TXT record, not CNAME"]);
    expect((await findings([OTHER_NAME])).errors).toEqual([
      `no record set 'blue' (the stable set) in api.example.com. CNAME in zone example.com. (${ZONE}); there is no record of that name`,
      `no record set 'green' (the canary set) in api.example.com. CNAME in zone example.com. (${ZONE}); there is no record of that name`,
    ]);
  });

  it('refuses a set that is not weighted, a canary already carrying weight, and all-zero weights', async () => {
    const failover = { ...GREEN, Weight: undefined, Failover: 'SECONDARY' } as ResourceRecordSet;
    expect((await findings([BLUE, failover])).errors).toEqual([`the canary set 'green' of api.example.com. CNAME in zone example.com. (${ZONE}) is not a weighted record (it uses failover SECONDARY routing)`]);
    expect((await findings([at(BLUE, 90), at(GREEN, 10)])).errors).toEqual([expect.stringContaining("the canary set 'green' (CNAME, weight 10) of api.example.com. CNAME in zone example.com. (Z0123456789ABCDEFGHIJ) already has weight 10 of 100")]);
    expect((await findings([at(BLUE, 0), GREEN])).errors).toEqual([expect.stringContaining('every weighted set of api.example.com. CNAME in zone example.com. (Z0123456789ABCDEFGHIJ) has weight 0, so Route 53 answers them all with equal probability')]);
  });

  it('refuses a zone that does not exist and a name outside the zone', async () => {
    expect((await findings([], { ...TARGET, hostedZoneId: '/hostedzone/ZNOPE' })).errors).toEqual(['hosted zone ZNOPE not found (NoSuchHostedZone: No hosted zone found with ID: ZNOPE)']);
    expect((await findings([], { ...TARGET, recordName: 'api.example.org' })).errors).toEqual([`api.example.org. is not in hosted zone example.com. (${ZONE})`]);
  });

  it('warns when a bake is shorter than the TTL, when other weighted sets answer, and when both sets answer the same', async () => {
    const fake = route53([{ ...BLUE, TTL: 300 }, { ...GREEN, TTL: 300, ResourceRecords: [{ Value: 'blue.example.com' }] }, { ...GREEN, TTL: 300, SetIdentifier: 'dr', Weight: 20, ResourceRecords: [{ Value: 'dr.example.com' }] }]);
    const plan = { strategy: 'canary' as const, steps: [{ type: 'setWeight' as const, weight: 10 }, { type: 'bake' as const, seconds: 120 }, { type: 'pause' as const, seconds: 600 }, { type: 'setWeight' as const, weight: 100 }] };
    const report = await provider(fake.client, TARGET, { plan }).preflight(contexts().base);
    expect(report.errors).toEqual([]);
    expect(report.warnings).toEqual([
      `api.example.com. CNAME in zone example.com. (${ZONE}) has other weighted sets that answer too ('dr' (CNAME, weight 20)): the rollout splits only the share of 'blue' between stable and canary, and leaves those sets as they are (weight 20 of 120 today)`,
      `the stable and canary sets of api.example.com. CNAME in zone example.com. (${ZONE}) answer the same ["blue.example.com"]: shifting weight between them moves no traffic`,
      `step 2 (bake 120s) is shorter than the TTL of api.example.com. CNAME in zone example.com. (${ZONE}), 300 s: resolvers keep the old answer for up to 300 s after a change is INSYNC, so the gates would judge traffic that has not moved yet; bake at least 300 s`,
    ]);
  });
});

describe('Route 53 calls and resources', () => {
  it('lists what a target calls and touches', () => {
    expect(route53Calls(TARGET)).toEqual({ read: ['route53:GetHostedZone', 'route53:ListResourceRecordSets', 'route53:GetChange'], write: ['route53:ChangeResourceRecordSets'] });
    expect(route53ResourceArns({ ...TARGET, recordName: 'API.example.com.' })).toEqual({
      written: [`arn:aws:route53:::hostedzone/${ZONE}`],
      read: [`arn:aws:route53:::hostedzone/${ZONE}`, 'arn:aws:route53:::change/*'],
      record: { normalizedName: 'api.example.com', type: 'CNAME' },
    });
  });
});
