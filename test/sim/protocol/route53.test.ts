import { ChangeResourceRecordSetsCommand, GetChangeCommand, ListResourceRecordSetsCommand, Route53Client } from '@aws-sdk/client-route-53';
import type { ChangeBatch } from '@aws-sdk/client-route-53';
import { describe, expect, it } from 'vitest';
import { onlyCall, recorder, simClientConfig, withoutMetadata } from './simClient.js';

const changeInfo = { Id: '/change/C2682N5HXP0BZ4', Status: 'PENDING', SubmittedAt: new Date('2026-04-01T12:00:00.500Z'), Comment: 'canary 10%' };

const weightedBatch: ChangeBatch = {
  Comment: 'canary 10%',
  Changes: [
    {
      Action: 'UPSERT',
      ResourceRecordSet: { Name: 'api.example.com.', Type: 'CNAME', SetIdentifier: 'blue', Weight: 90, TTL: 60, ResourceRecords: [{ Value: 'blue.example.com' }] },
    },
    {
      Action: 'UPSERT',
      ResourceRecordSet: {
        Name: 'api.example.com.',
        Type: 'A',
        SetIdentifier: 'green',
        Weight: 10,
        AliasTarget: { HostedZoneId: 'Z35SXDOTRQ7X7K', DNSName: 'green-123.us-east-1.elb.amazonaws.com.', EvaluateTargetHealth: true },
      },
    },
  ],
};

describe('Route 53 over restXml', () => {
  it('ChangeResourceRecordSets takes HostedZoneId from the URI and the weighted change batch from the XML body', async () => {
    const world = recorder(() => ({ ChangeInfo: changeInfo }));
    const client = new Route53Client(simClientConfig(world.dispatch));

    // The SDK strips the "/hostedzone/" prefix itself (middleware-sdk-route53) before the request is built.
    const output = await client.send(new ChangeResourceRecordSetsCommand({ HostedZoneId: '/hostedzone/Z1D633PJN98FT9', ChangeBatch: weightedBatch }));

    expect(onlyCall(world)).toMatchObject({ service: 'route53', operation: 'ChangeResourceRecordSets', region: 'us-east-1' });
    expect(onlyCall(world).input).toEqual({ HostedZoneId: 'Z1D633PJN98FT9', ChangeBatch: weightedBatch });
    expect(withoutMetadata(output)).toEqual({ ChangeInfo: changeInfo });
  });

  it('ListResourceRecordSets maps query-string members and returns truncated pages with NextRecordIdentifier', async () => {
    const page = {
      ResourceRecordSets: [
        { Name: 'api.example.com.', Type: 'CNAME', SetIdentifier: 'blue', Weight: 90, TTL: 60, ResourceRecords: [{ Value: 'blue.example.com' }] },
        { Name: 'api.example.com.', Type: 'CNAME', SetIdentifier: 'green', Weight: 10, TTL: 60, ResourceRecords: [{ Value: 'green.example.com' }] },
      ],
      IsTruncated: true,
      NextRecordName: 'api.example.com.',
      NextRecordType: 'CNAME',
      NextRecordIdentifier: 'red',
      MaxItems: 2,
    };
    const world = recorder(() => page);
    const client = new Route53Client(simClientConfig(world.dispatch));
    const input = { HostedZoneId: 'Z1D633PJN98FT9', StartRecordName: 'api.example.com.', StartRecordType: 'CNAME' as const, StartRecordIdentifier: 'blue', MaxItems: 2 };

    const output = await client.send(new ListResourceRecordSetsCommand(input));

    expect(onlyCall(world).input).toEqual(input);
    expect(withoutMetadata(output)).toEqual(page);
  });

  it('GetChange strips /change/ on the way in and returns ChangeInfo.Id with it', async () => {
    const world = recorder(() => ({ ChangeInfo: { ...changeInfo, Status: 'INSYNC' } }));
    const client = new Route53Client(simClientConfig(world.dispatch));

    const output = await client.send(new GetChangeCommand({ Id: '/change/C2682N5HXP0BZ4' }));

    expect(onlyCall(world).input).toEqual({ Id: 'C2682N5HXP0BZ4' });
    expect(output.ChangeInfo).toEqual({ ...changeInfo, Status: 'INSYNC' });
  });
});
