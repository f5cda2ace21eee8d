import { InvalidInput, ListResourceRecordSetsCommand, NoSuchHostedZone, type ListResourceRecordSetsCommandInput } from '@aws-sdk/client-route-53';
import { describe, expect, it } from 'vitest';
import { exampleZoneId, route53World } from './fixture.js';

const ip = (n: number) => [`192.0.2.${n}`];

/** Records given out of order, to see Route 53's order come back. */
const SEED = {
  route53: {
    hostedZones: [
      {
        name: 'example.com',
        records: [
          { name: 'x.example.com', type: 'A', values: ip(1) },
          { name: 'www.example.com', type: 'AAAA', values: ['2001:db8::1'] },
          { name: 'api.example.com', type: 'CNAME', setIdentifier: 'green', weight: 10, values: ['green.example.com'] },
          { name: 'x-y.example.com', type: 'A', values: ip(2) },
          { name: 'www.example.com', type: 'A', values: ip(3) },
          { name: 'api.example.com', type: 'CNAME', setIdentifier: 'blue', weight: 90, values: ['blue.example.com'] },
          { name: 'b.a.example.com', type: 'TXT', values: ['"hello"'] },
          { name: 'a.example.com', type: 'A', values: ip(4) },
          { name: 'example.com', type: 'MX', values: ['10 mail.example.com'] },
        ],
      },
    ],
  },
};

function setup() {
  const env = route53World(SEED);
  const zoneId = exampleZoneId(env.state());
  const list = (input: Omit<ListResourceRecordSetsCommandInput, 'HostedZoneId'> = {}) => env.client.send(new ListResourceRecordSetsCommand({ HostedZoneId: zoneId, ...input }));
  const keys = (sets: { Name?: string; Type?: string; SetIdentifier?: string }[] | undefined) => (sets ?? []).map((r) => [r.Name, r.Type, r.SetIdentifier].filter(Boolean).join(' '));
  return { ...env, zoneId, list, keys };
}

const ORDER = [
  'example.com. MX',
  'example.com. NS',
  'example.com. SOA',
  'a.example.com. A',
  'b.a.example.com. TXT',
  'api.example.com. CNAME blue',
  'api.example.com. CNAME green',
  'www.example.com. A',
  'www.example.com. AAAA',
  // "-" sorts before "." in ASCII: the trailing-dot effect the API reference warns about.
  'x-y.example.com. A',
  'x.example.com. A',
];

describe('Route 53 ListResourceRecordSets', () => {
  it('lists in AWS order: name with labels reversed, then type, then set identifier', async () => {
    const { list, keys } = setup();
    const out = await list();
    expect(keys(out.ResourceRecordSets)).toEqual(ORDER);
    expect(out).toMatchObject({ IsTruncated: false, MaxItems: 300 });
    expect(out.NextRecordName).toBeUndefined();
  });

  it('pages with MaxItems and NextRecordName / NextRecordType / NextRecordIdentifier until IsTruncated is false', async () => {
    const { list, keys } = setup();
    const seen: string[] = [];
    let page = await list({ MaxItems: 2 });
    const nexts: (string | undefined)[] = [];
    for (;;) {
      seen.push(...keys(page.ResourceRecordSets));
      expect(page.MaxItems).toBe(2);
      if (!page.IsTruncated) break;
      nexts.push(page.NextRecordIdentifier);
      page = await list({ MaxItems: 2, StartRecordName: page.NextRecordName, StartRecordType: page.NextRecordType, StartRecordIdentifier: page.NextRecordIdentifier });
    }
    expect(seen).toEqual(ORDER);
    // The page boundary between the weighted pair carries the next set identifier.
    expect(nexts).toContain('green');
  });

  it('starts at the first record at or after StartRecordName (and StartRecordType), names case-insensitive', async () => {
    const { list, keys } = setup();
    expect(keys((await list({ StartRecordName: 'WWW.example.com', MaxItems: 1 })).ResourceRecordSets)).toEqual(['www.example.com. A']);
    expect(keys((await list({ StartRecordName: 'www.example.com.', StartRecordType: 'AAAA', MaxItems: 1 })).ResourceRecordSets)).toEqual(['www.example.com. AAAA']);
    expect(keys((await list({ StartRecordName: 'b.example.com', MaxItems: 1 })).ResourceRecordSets)).toEqual(['www.example.com. A']);
    const single = await list({ StartRecordName: 'api.example.com', StartRecordType: 'CNAME', StartRecordIdentifier: 'green', MaxItems: 1 });
    expect(single.ResourceRecordSets).toEqual([{ Name: 'api.example.com.', Type: 'CNAME', SetIdentifier: 'green', Weight: 10, TTL: 60, ResourceRecords: [{ Value: 'green.example.com' }] }]);
    expect(single).toMatchObject({ IsTruncated: true, NextRecordName: 'www.example.com.', NextRecordType: 'A' });
    expect(single.NextRecordIdentifier).toBeUndefined();
  });

  it('rejects StartRecordType without StartRecordName, and a MaxItems below 1, with InvalidInput', async () => {
    const { list } = setup();
    await expect(list({ StartRecordType: 'A' })).rejects.toBeInstanceOf(InvalidInput);
    await expect(list({ MaxItems: 0 })).rejects.toMatchObject({ name: 'InvalidInput', $metadata: { httpStatusCode: 400 } });
  });

  it('returns at most 300 record sets per page', async () => {
    const many = Array.from({ length: 305 }, (_, i) => ({ name: `h${String(i).padStart(3, '0')}.example.com`, type: 'A', values: ip(i % 250) }));
    const { client, state } = route53World({ route53: { hostedZones: [{ name: 'example.com', records: many }] } });
    const out = await client.send(new ListResourceRecordSetsCommand({ HostedZoneId: exampleZoneId(state()), MaxItems: 1000 }));
    expect(out.ResourceRecordSets).toHaveLength(300);
    expect(out.IsTruncated).toBe(true);
  });

  it('NoSuchHostedZone for an unknown zone', async () => {
    const { client } = setup();
    await expect(client.send(new ListResourceRecordSetsCommand({ HostedZoneId: 'ZNOPE' }))).rejects.toBeInstanceOf(NoSuchHostedZone);
  });
});
