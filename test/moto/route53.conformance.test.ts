import {
  ChangeResourceRecordSetsCommand,
  CreateHostedZoneCommand,
  GetChangeCommand,
  GetHostedZoneCommand,
  ListResourceRecordSetsCommand,
  Route53Client,
  type Change,
  type ResourceRecordSet,
} from '@aws-sdk/client-route-53';
import { expect, it } from 'vitest';
import { route53Service } from '../../src/sim/services/route53/index.js';
import { expectConformance, motoSide, ok, runBoth, simSide, type Deviation, type TokenRule, type Transcript } from './conformance.js';
import { describeWithMoto } from './motoServer.js';

/** Zone and change ids, name servers. */
const TOKENS: readonly TokenRule[] = [
  { kind: 'zone', pattern: /(?<=\/hostedzone\/)[A-Z0-9]+/g },
  { kind: 'change', pattern: /(?<=\/change\/|^)C[A-Z0-9]{6,32}$/g },
  { kind: 'change', pattern: /(?<=\/change\/)[A-Z0-9]+/g },
  { kind: 'ns', pattern: /ns-\d+\.awsdns-\d+\.(?:com|net|org|co\.uk)/g },
];

/** Every difference between moto and the sim; docs/moto.md explains each (same ids) and which side AWS takes. */
const DEVIATIONS: readonly Deviation[] = [
  { id: 'r53-change-status', at: /^(CreateHostedZone|ChangeResourceRecordSets .+|GetChange after create) ChangeInfo\.Status$/ },
  { id: 'r53-change-comment', at: /^(ChangeResourceRecordSets create|GetChange after create) ChangeInfo\.Comment$/ },
  { id: 'r53-change-id', at: /^(GetChange [\w ]+|ChangeResourceRecordSets shift 90\/10) ChangeInfo\.Id$/ },
  { id: 'r53-delegation-set', at: /^(CreateHostedZone|GetHostedZone) DelegationSet\.(Id|CallerReference)$/ },
  { id: 'r53-ns-soa-values', at: /^ListResourceRecordSets all ResourceRecordSets\[[01]\]\.ResourceRecords\[\d\]\.Value$/ },
  { id: 'r53-delete-must-match', at: /^(DELETE that does not match|ListResourceRecordSets after rejected changes) / },
  { id: 'r53-weight-range', at: /^weight 256 / },
  { id: 'r53-recreate-refused', at: /^(ChangeResourceRecordSets back to the seeded records|ListResourceRecordSets back) / },
  { id: 'r53-unknown-change', at: /^GetChange unknown change (?!ChangeInfo\.Id$)/ },
];

function weighted(id: string, weight: number, ip: string): ResourceRecordSet {
  return { Name: 'api.example.com.', Type: 'A', SetIdentifier: id, Weight: weight, TTL: 60, ResourceRecords: [{ Value: ip }] };
}

const change = (Action: Change['Action'], set: ResourceRecordSet): Change => ({ Action, ResourceRecordSet: set });

/** Waits (without recording) until the change is INSYNC. */
async function insync(t: Transcript, c: Route53Client, id: string): Promise<void> {
  for (let i = 0; i < 120; i++) {
    if ((await c.send(new GetChangeCommand({ Id: id }))).ChangeInfo?.Status === 'INSYNC') return;
    await t.side.settle(5);
  }
  throw new Error(`${t.side.name}: change ${id} did not become INSYNC`);
}

/** The calls a Route 53 weighted-records provider makes: ListResourceRecordSets, ChangeResourceRecordSets (DELETE+CREATE), GetChange. */
async function scenario(t: Transcript): Promise<void> {
  const c = new Route53Client(t.side.config);
  const zone = (await t.call('CreateHostedZone', () => c.send(new CreateHostedZoneCommand({ Name: 'example.com', CallerReference: 'deployctl-conformance-1' })))).HostedZone!.Id!;
  await t.call('GetHostedZone', () => c.send(new GetHostedZoneCommand({ Id: zone })));
  const blue = weighted('blue', 100, '192.0.2.10');
  const green = weighted('green', 0, '192.0.2.20');
  const created = await t.call('ChangeResourceRecordSets create', () => c.send(new ChangeResourceRecordSetsCommand({ HostedZoneId: zone, ChangeBatch: { Comment: 'seed', Changes: [change('CREATE', blue), change('CREATE', green)] } })));
  await t.call('GetChange after create', () => c.send(new GetChangeCommand({ Id: created.ChangeInfo!.Id })));
  await insync(t, c, created.ChangeInfo!.Id!);
  await t.call('ListResourceRecordSets seeded', () => c.send(new ListResourceRecordSetsCommand({ HostedZoneId: zone, StartRecordName: 'api.example.com', StartRecordType: 'A' })));

  const shifted = await t.call('ChangeResourceRecordSets shift 90/10', () =>
    c.send(
      new ChangeResourceRecordSetsCommand({
        HostedZoneId: zone,
        ChangeBatch: { Changes: [change('DELETE', blue), change('CREATE', { ...blue, Weight: 90 }), change('DELETE', green), change('CREATE', { ...green, Weight: 10 })] },
      }),
    ),
  );
  await insync(t, c, shifted.ChangeInfo!.Id!);
  await t.call('GetChange shifted', () => c.send(new GetChangeCommand({ Id: shifted.ChangeInfo!.Id })));
  await t.call('ListResourceRecordSets shifted', () => c.send(new ListResourceRecordSetsCommand({ HostedZoneId: zone, StartRecordName: 'api.example.com', StartRecordType: 'A', MaxItems: 2 })));
  await t.call('ListResourceRecordSets all', () => c.send(new ListResourceRecordSetsCommand({ HostedZoneId: zone })));

  await t.attempt('DELETE that does not match', () => c.send(new ChangeResourceRecordSetsCommand({ HostedZoneId: zone, ChangeBatch: { Changes: [change('DELETE', blue), change('CREATE', { ...blue, Weight: 50 })] } })));
  await t.attempt('CREATE of an existing set', () => c.send(new ChangeResourceRecordSetsCommand({ HostedZoneId: zone, ChangeBatch: { Changes: [change('CREATE', { ...green, Weight: 10 })] } })));
  await t.attempt('weight 256', () => c.send(new ChangeResourceRecordSetsCommand({ HostedZoneId: zone, ChangeBatch: { Changes: [change('UPSERT', { ...green, Weight: 256 })] } })));
  await t.attempt('ListResourceRecordSets unknown zone', () => c.send(new ListResourceRecordSetsCommand({ HostedZoneId: 'Z0000000000000000000' })));
  await t.attempt('GetChange unknown change', () => c.send(new GetChangeCommand({ Id: 'C0000000000000000000' })));
  await t.call('ListResourceRecordSets after rejected changes', () => c.send(new ListResourceRecordSetsCommand({ HostedZoneId: zone, StartRecordName: 'api.example.com', StartRecordType: 'A', MaxItems: 2 })));

  // Back to the seeded records (what a restore does): a CREATE identical to a record that existed before.
  const current = ok<{ ResourceRecordSets: ResourceRecordSet[] }>(t.answerOf('ListResourceRecordSets after rejected changes')).ResourceRecordSets;
  await t.attempt('ChangeResourceRecordSets back to the seeded records', () =>
    c.send(new ChangeResourceRecordSetsCommand({ HostedZoneId: zone, ChangeBatch: { Changes: [change('DELETE', current[0]!), change('CREATE', blue), change('DELETE', current[1]!), change('CREATE', green)] } })),
  );
  await t.call('ListResourceRecordSets back', () => c.send(new ListResourceRecordSetsCommand({ HostedZoneId: zone, StartRecordName: 'api.example.com', StartRecordType: 'A', MaxItems: 2 })));
}

describeWithMoto('Route 53 conformance: moto and the simulated world answer the weighted-record calls alike', (moto) => {
  it('weighted records changed by DELETE+CREATE batches, change status, and the modeled errors', async () => {
    const { moto: m, sim: s } = await runBoth(motoSide(moto()), simSide([route53Service]), scenario);

    expectConformance(m, s, DEVIATIONS, { tokens: TOKENS });

    for (const t of [m, s]) {
      const sets = ok<{ ResourceRecordSets: ResourceRecordSet[] }>(t.answerOf('ListResourceRecordSets shifted')).ResourceRecordSets;
      expect(sets.map((r) => [r.SetIdentifier, r.Weight])).toEqual([['blue', 90], ['green', 10]]);
      expect(ok(t.answerOf('GetChange shifted'))).toMatchObject({ ChangeInfo: { Status: 'INSYNC' } });
      expect(t.answerOf('CREATE of an existing set')).toEqual({ error: 'InvalidChangeBatch', status: 400 });
      expect(t.answerOf('ListResourceRecordSets unknown zone')).toEqual({ error: 'NoSuchHostedZone', status: 404 });
    }
    // AWS rejects a DELETE that does not match the record exactly, and the whole batch with it; the sim does,
    // moto applies it (docs/moto.md, r53-delete-must-match).
    expect(s.answerOf('DELETE that does not match')).toEqual({ error: 'InvalidChangeBatch', status: 400 });
    expect(ok<{ ResourceRecordSets: ResourceRecordSet[] }>(s.answerOf('ListResourceRecordSets after rejected changes')).ResourceRecordSets.map((r) => [r.SetIdentifier, r.Weight])).toEqual([['blue', 90], ['green', 10]]);
    expect(m.answerOf('DELETE that does not match')).toMatchObject({ ok: expect.anything() });
    expect(s.answerOf('weight 256')).toEqual({ error: 'InvalidInput', status: 400 });
    expect(s.answerOf('GetChange unknown change')).toEqual({ error: 'NoSuchChange', status: 404 });
    // Going back to records that existed before works on AWS and the sim; moto refuses the CREATE (r53-recreate-refused).
    expect(ok<{ ResourceRecordSets: ResourceRecordSet[] }>(s.answerOf('ListResourceRecordSets back')).ResourceRecordSets.map((r) => [r.SetIdentifier, r.Weight])).toEqual([['blue', 100], ['green', 0]]);
    expect(m.answerOf('ChangeResourceRecordSets back to the seeded records')).toEqual({ error: 'InvalidChangeBatch', status: 400 });
  });
});
