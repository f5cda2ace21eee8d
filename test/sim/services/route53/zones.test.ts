import {
  CreateHostedZoneCommand,
  GetChangeCommand,
  GetHostedZoneCommand,
  HostedZoneAlreadyExists,
  InvalidDomainName,
  InvalidInput,
  ListHostedZonesByNameCommand,
  ListHostedZonesCommand,
  ListResourceRecordSetsCommand,
  NoSuchDelegationSet,
  NoSuchHostedZone,
} from '@aws-sdk/client-route-53';
import { describe, expect, it } from 'vitest';
import { route53World, T0 } from './fixture.js';

describe('Route 53 hosted zones', () => {
  it('CreateHostedZone returns the zone with /hostedzone/ id, a PENDING change, name servers and the Location header', async () => {
    const { client, clock } = route53World();
    const out = await client.send(new CreateHostedZoneCommand({ Name: 'Example.COM', CallerReference: 'ref-1', HostedZoneConfig: { Comment: 'main' } }));

    expect(out.$metadata.httpStatusCode).toBe(201);
    expect(out.HostedZone?.Id).toMatch(/^\/hostedzone\/Z[0-9A-Z]{20}$/);
    expect(out.HostedZone).toMatchObject({ Name: 'example.com.', CallerReference: 'ref-1', Config: { Comment: 'main', PrivateZone: false }, ResourceRecordSetCount: 2 });
    expect(out.ChangeInfo).toMatchObject({ Status: 'PENDING', SubmittedAt: new Date(T0) });
    expect(out.ChangeInfo?.Id).toMatch(/^\/change\/C[0-9A-Z]{20}$/);
    expect(out.DelegationSet?.NameServers).toHaveLength(4);
    expect(out.DelegationSet?.NameServers?.[3]).toMatch(/^ns-\d+\.awsdns-\d{2}\.co\.uk$/);
    expect(out.Location).toBe(`https://route53.amazonaws.com/2013-04-01/hostedzone/${out.HostedZone?.Id?.replace('/hostedzone/', '')}`);

    clock.advance(60_000);
    const change = await client.send(new GetChangeCommand({ Id: out.ChangeInfo!.Id! }));
    expect(change.ChangeInfo?.Status).toBe('INSYNC');
  });

  it('a new zone holds the NS and SOA records Route 53 creates', async () => {
    const { client } = route53World();
    const out = await client.send(new CreateHostedZoneCommand({ Name: 'example.com', CallerReference: 'ref-1' }));
    const records = await client.send(new ListResourceRecordSetsCommand({ HostedZoneId: out.HostedZone!.Id! }));
    expect(records.ResourceRecordSets?.map((r) => [r.Name, r.Type, r.TTL])).toEqual([
      ['example.com.', 'NS', 172800],
      ['example.com.', 'SOA', 900],
    ]);
    expect(records.ResourceRecordSets?.[0]?.ResourceRecords?.map((r) => r.Value)).toEqual(out.DelegationSet?.NameServers?.map((ns) => `${ns}.`));
  });

  it('rejects a reused CallerReference with HostedZoneAlreadyExists (409) and a malformed name with InvalidDomainName', async () => {
    const { client, state } = route53World();
    await client.send(new CreateHostedZoneCommand({ Name: 'example.com', CallerReference: 'same' }));
    const again = client.send(new CreateHostedZoneCommand({ Name: 'other.com', CallerReference: 'same' }));
    await expect(again).rejects.toBeInstanceOf(HostedZoneAlreadyExists);
    await expect(again).rejects.toMatchObject({ message: 'A hosted zone has already been created with the specified caller reference.', $metadata: { httpStatusCode: 409 } });
    await expect(client.send(new CreateHostedZoneCommand({ Name: 'bad..example.com', CallerReference: 'x' }))).rejects.toBeInstanceOf(InvalidDomainName);
    expect(Object.values(state().zones).map((z) => z.name)).toEqual(['example.com.']);
  });

  it('creates a private zone when a VPC is given', async () => {
    const { client } = route53World();
    const out = await client.send(new CreateHostedZoneCommand({ Name: 'internal.example', CallerReference: 'p', VPC: { VPCRegion: 'us-east-1', VPCId: 'vpc-1' } }));
    expect(out.HostedZone?.Config?.PrivateZone).toBe(true);
    expect(out.VPC).toEqual({ VPCRegion: 'us-east-1', VPCId: 'vpc-1' });
    const got = await client.send(new GetHostedZoneCommand({ Id: out.HostedZone!.Id! }));
    expect(got.VPCs).toEqual([{ VPCRegion: 'us-east-1', VPCId: 'vpc-1' }]);
    expect(got.DelegationSet).toBeUndefined();
  });

  it('GetHostedZone accepts the id with or without /hostedzone/ and 404s for an unknown zone', async () => {
    const { client } = route53World();
    const created = await client.send(new CreateHostedZoneCommand({ Name: 'example.com', CallerReference: 'r' }));
    const bare = created.HostedZone!.Id!.replace('/hostedzone/', '');
    const got = await client.send(new GetHostedZoneCommand({ Id: bare }));
    expect(got.HostedZone).toEqual(created.HostedZone);
    expect(got.DelegationSet).toEqual(created.DelegationSet);

    const missing = client.send(new GetHostedZoneCommand({ Id: '/hostedzone/ZNOPE' }));
    await expect(missing).rejects.toBeInstanceOf(NoSuchHostedZone);
    await expect(missing).rejects.toMatchObject({ message: 'No hosted zone found with ID: ZNOPE', $metadata: { httpStatusCode: 404 } });
  });

  it('ListHostedZones pages with Marker / NextMarker and MaxItems', async () => {
    const { client } = route53World();
    const ids: string[] = [];
    for (const name of ['a.com', 'b.com', 'c.com']) ids.push((await client.send(new CreateHostedZoneCommand({ Name: name, CallerReference: name }))).HostedZone!.Id!);

    const first = await client.send(new ListHostedZonesCommand({ MaxItems: 2 }));
    expect(first.HostedZones?.map((z) => z.Id)).toEqual(ids.slice(0, 2));
    expect(first).toMatchObject({ IsTruncated: true, NextMarker: ids[2]!.replace('/hostedzone/', ''), MaxItems: 2 });
    const second = await client.send(new ListHostedZonesCommand({ MaxItems: 2, Marker: first.NextMarker }));
    expect(second.HostedZones?.map((z) => z.Id)).toEqual([ids[2]]);
    expect(second).toMatchObject({ IsTruncated: false, Marker: first.NextMarker });
    expect(second.NextMarker).toBeUndefined();
  });

  it('has no reusable delegation sets: naming one is NoSuchDelegationSet', async () => {
    const { client } = route53World();
    await expect(client.send(new ListHostedZonesCommand({ DelegationSetId: 'N123' }))).rejects.toBeInstanceOf(NoSuchDelegationSet);
    await expect(client.send(new CreateHostedZoneCommand({ Name: 'example.com', CallerReference: 'r', DelegationSetId: 'N123' }))).rejects.toMatchObject({ name: 'NoSuchDelegationSet' });
  });

  it('ListHostedZones filters private zones and caps pages at 100', async () => {
    const { client } = route53World();
    await client.send(new CreateHostedZoneCommand({ Name: 'public.com', CallerReference: 'pub' }));
    await client.send(new CreateHostedZoneCommand({ Name: 'private.com', CallerReference: 'priv', VPC: { VPCRegion: 'us-east-1', VPCId: 'vpc-1' } }));
    const privates = await client.send(new ListHostedZonesCommand({ HostedZoneType: 'PrivateHostedZone' }));
    expect(privates.HostedZones?.map((z) => z.Name)).toEqual(['private.com.']);
    for (let i = 0; i < 100; i++) await client.send(new CreateHostedZoneCommand({ Name: `z${i}.com`, CallerReference: `z${i}` }));
    const page = await client.send(new ListHostedZonesCommand({ MaxItems: 500 }));
    expect(page.HostedZones).toHaveLength(100);
    expect(page.IsTruncated).toBe(true);
  });

  it('ListHostedZonesByName sorts by reversed labels, then id, and pages with NextDNSName / NextHostedZoneId', async () => {
    const { client } = route53World();
    for (const name of ['www.example.com', 'example.org', 'example.com', 'a.example.com']) await client.send(new CreateHostedZoneCommand({ Name: name, CallerReference: name }));

    const all = await client.send(new ListHostedZonesByNameCommand({}));
    expect(all.HostedZones?.map((z) => z.Name)).toEqual(['example.com.', 'a.example.com.', 'www.example.com.', 'example.org.']);

    const page = await client.send(new ListHostedZonesByNameCommand({ DNSName: 'A.Example.com', MaxItems: 1 }));
    expect(page.HostedZones?.map((z) => z.Name)).toEqual(['a.example.com.']);
    expect(page).toMatchObject({ IsTruncated: true, NextDNSName: 'www.example.com.', DNSName: 'A.Example.com', MaxItems: 1 });
    const next = await client.send(new ListHostedZonesByNameCommand({ DNSName: page.NextDNSName, HostedZoneId: page.NextHostedZoneId, MaxItems: 5 }));
    expect(next.HostedZones?.map((z) => z.Name)).toEqual(['www.example.com.', 'example.org.']);
    expect(next.IsTruncated).toBe(false);
  });

  it('ListHostedZonesByName rejects HostedZoneId without DNSName with InvalidInput', async () => {
    const { client } = route53World();
    const call = client.send(new ListHostedZonesByNameCommand({ HostedZoneId: 'Z123' }));
    await expect(call).rejects.toBeInstanceOf(InvalidInput);
    await expect(call).rejects.toMatchObject({ $metadata: { httpStatusCode: 400 } });
  });

  it('seeds zones with stable ids and registers zone:<name> references', () => {
    const seed = { route53: { hostedZones: [{ name: 'example.com', records: [] }] } };
    const one = route53World(seed).state();
    const two = route53World(seed).state();
    const [zone] = Object.values(one.zones);
    expect(zone?.id).toMatch(/^Z[0-9A-F]{20}$/);
    expect(Object.keys(two.zones)).toEqual([zone?.id]);
  });
});
