import {
  ChangeResourceRecordSetsCommand,
  GetChangeCommand,
  InvalidChangeBatch,
  InvalidInput,
  ListResourceRecordSetsCommand,
  NoSuchChange,
  NoSuchHostedZone,
  PriorRequestNotComplete,
  type Change,
  type ResourceRecordSet,
} from '@aws-sdk/client-route-53';
import { describe, expect, it } from 'vitest';
import { exampleZoneId, route53World, T0, WEIGHTED_WORLD } from './fixture.js';

const blue: ResourceRecordSet = { Name: 'api.example.com.', Type: 'CNAME', SetIdentifier: 'blue', Weight: 90, TTL: 60, ResourceRecords: [{ Value: 'blue.example.com' }] };
const green: ResourceRecordSet = { Name: 'api.example.com.', Type: 'CNAME', SetIdentifier: 'green', Weight: 10, TTL: 60, ResourceRecords: [{ Value: 'green.example.com' }] };

function setup(seed = WEIGHTED_WORLD) {
  const env = route53World(seed);
  const zoneId = exampleZoneId(env.state());
  const change = (...Changes: Change[]) => env.client.send(new ChangeResourceRecordSetsCommand({ HostedZoneId: `/hostedzone/${zoneId}`, ChangeBatch: { Changes } }));
  const records = async () => (await env.client.send(new ListResourceRecordSetsCommand({ HostedZoneId: zoneId }))).ResourceRecordSets ?? [];
  const weights = async () => Object.fromEntries((await records()).filter((r) => r.SetIdentifier).map((r) => [r.SetIdentifier, r.Weight]));
  return { ...env, zoneId, change, records, weights };
}

async function batchError(call: Promise<unknown>): Promise<InvalidChangeBatch> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(InvalidChangeBatch);
  expect((error as InvalidChangeBatch).$metadata.httpStatusCode).toBe(400);
  return error as InvalidChangeBatch;
}

describe('Route 53 ChangeResourceRecordSets and GetChange', () => {
  it('applies an UPSERT at once for the API (PENDING) and reports INSYNC after propagationSeconds', async () => {
    const { change, weights, client, clock } = setup({ ...WEIGHTED_WORLD, route53: { ...(WEIGHTED_WORLD.route53 as object), propagationSeconds: 30 } });
    clock.advance(5_000);
    const out = await change({ Action: 'UPSERT', ResourceRecordSet: { ...blue, Weight: 50 } }, { Action: 'UPSERT', ResourceRecordSet: { ...green, Weight: 50 } });
    expect(out.ChangeInfo).toMatchObject({ Status: 'PENDING', SubmittedAt: new Date(T0 + 5_000) });
    expect(out.ChangeInfo?.Id).toMatch(/^\/change\/C[0-9A-Z]{20}$/);
    expect(await weights()).toEqual({ blue: 50, green: 50 });

    clock.advance(29_999);
    expect((await client.send(new GetChangeCommand({ Id: out.ChangeInfo!.Id! }))).ChangeInfo?.Status).toBe('PENDING');
    clock.advance(1);
    expect((await client.send(new GetChangeCommand({ Id: out.ChangeInfo!.Id! }))).ChangeInfo).toMatchObject({ Status: 'INSYNC', SubmittedAt: new Date(T0 + 5_000) });
  });

  it('keeps the batch Comment on the change and 404s an unknown change id', async () => {
    const { client, zoneId } = setup();
    const out = await client.send(new ChangeResourceRecordSetsCommand({ HostedZoneId: zoneId, ChangeBatch: { Comment: 'canary 50%', Changes: [{ Action: 'UPSERT', ResourceRecordSet: { ...green, Weight: 50 } }] } }));
    expect((await client.send(new GetChangeCommand({ Id: out.ChangeInfo!.Id! }))).ChangeInfo?.Comment).toBe('canary 50%');
    const missing = client.send(new GetChangeCommand({ Id: '/change/CNOPE' }));
    await expect(missing).rejects.toBeInstanceOf(NoSuchChange);
    await expect(missing).rejects.toMatchObject({ $metadata: { httpStatusCode: 404 } });
  });

  it('rejects a CREATE of an existing set with InvalidChangeBatch in the modern bracketed form', async () => {
    const { change } = setup();
    const error = await batchError(change({ Action: 'CREATE', ResourceRecordSet: blue }));
    expect(error.message).toBe("[Tried to create resource record set [name='api.example.com.', type='CNAME', set-identifier='blue'] but it already exists]");
  });

  it('DELETE must match the current values exactly (weight, TTL, values), and names what was not found', async () => {
    const { change, weights } = setup();
    const stale = await batchError(change({ Action: 'DELETE', ResourceRecordSet: { ...blue, Weight: 80 } }));
    expect(stale.message).toBe("[Tried to delete resource record set [name='api.example.com.', type='CNAME', set-identifier='blue'] but the values provided do not match the current values]");
    await batchError(change({ Action: 'DELETE', ResourceRecordSet: { ...blue, TTL: 300 } }));
    await batchError(change({ Action: 'DELETE', ResourceRecordSet: { ...blue, ResourceRecords: [{ Value: 'other.example.com' }] } }));
    const missing = await batchError(change({ Action: 'DELETE', ResourceRecordSet: { ...blue, SetIdentifier: 'red' } }));
    expect(missing.message).toBe("[Tried to delete resource record set [name='api.example.com.', type='CNAME', set-identifier='red'] but it was not found]");
    expect(await weights()).toEqual({ blue: 90, green: 10 });

    await change({ Action: 'DELETE', ResourceRecordSet: { ...blue, Name: 'API.example.com' } });
    expect(await weights()).toEqual({ green: 10 });
  });

  it('DELETE old + CREATE new in one batch is a compare-and-swap: it fails whole when the old values are stale', async () => {
    const { change, weights } = setup();
    await change({ Action: 'DELETE', ResourceRecordSet: blue }, { Action: 'CREATE', ResourceRecordSet: { ...blue, Weight: 70 } });
    expect(await weights()).toEqual({ blue: 70, green: 10 });

    const error = await batchError(change({ Action: 'DELETE', ResourceRecordSet: blue }, { Action: 'CREATE', ResourceRecordSet: { ...blue, Weight: 0 } }));
    expect(error.message).toBe(
      "[Tried to delete resource record set [name='api.example.com.', type='CNAME', set-identifier='blue'] but the values provided do not match the current values, " +
        "Tried to create resource record set [name='api.example.com.', type='CNAME', set-identifier='blue'] but it already exists]",
    );
    expect(await weights()).toEqual({ blue: 70, green: 10 });
  });

  it('is all-or-nothing: one bad change leaves every other change of the batch unapplied', async () => {
    const { change, weights, state } = setup();
    const changesBefore = Object.keys(state().changes).length;
    await batchError(change({ Action: 'UPSERT', ResourceRecordSet: { ...green, Weight: 100 } }, { Action: 'DELETE', ResourceRecordSet: { ...blue, Weight: 1 } }));
    expect(await weights()).toEqual({ blue: 90, green: 10 });
    expect(Object.keys(state().changes)).toHaveLength(changesBefore);
  });

  it('rejects two changes to the same set in one batch, including two DELETEs', async () => {
    const { change } = setup();
    const twice = await batchError(change({ Action: 'UPSERT', ResourceRecordSet: { ...green, Weight: 20 } }, { Action: 'UPSERT', ResourceRecordSet: { ...green, Weight: 30 } }));
    expect(twice.message).toBe("[The request contains an invalid set of changes for a resource record set 'CNAME api.example.com.']");
    await batchError(change({ Action: 'DELETE', ResourceRecordSet: green }, { Action: 'DELETE', ResourceRecordSet: green }));
  });

  it('reports every problem of a batch in one message', async () => {
    const { change } = setup();
    const error = await batchError(change({ Action: 'CREATE', ResourceRecordSet: blue }, { Action: 'UPSERT', ResourceRecordSet: { ...green, Name: 'api.other.com' } }));
    expect(error.message).toBe("[Tried to create resource record set [name='api.example.com.', type='CNAME', set-identifier='blue'] but it already exists, RRSet with DNS name api.other.com. is not permitted in zone example.com.]");
  });

  it('treats names case-insensitively, stores them fully qualified in lower case, and wildcards as \\052', async () => {
    const { change, records } = setup();
    await change({ Action: 'UPSERT', ResourceRecordSet: { ...green, Name: 'API.Example.COM', Weight: 40 } });
    await change({ Action: 'CREATE', ResourceRecordSet: { Name: '*.Example.com', Type: 'A', TTL: 300, ResourceRecords: [{ Value: '192.0.2.1' }] } });
    const all = await records();
    expect(all.filter((r) => r.SetIdentifier === 'green')).toEqual([{ ...green, Weight: 40 }]);
    expect(all.map((r) => r.Name)).toContain('\\052.example.com.');
  });
});

describe('Route 53 change validation', () => {
  it('InvalidInput when a weighted record has no SetIdentifier, or a SetIdentifier has no routing policy', async () => {
    const { change } = setup();
    const noId = change({ Action: 'CREATE', ResourceRecordSet: { Name: 'w.example.com', Type: 'A', Weight: 10, TTL: 60, ResourceRecords: [{ Value: '192.0.2.1' }] } });
    await expect(noId).rejects.toBeInstanceOf(InvalidInput);
    await expect(noId).rejects.toMatchObject({ message: "Invalid request: Missing field 'SetIdentifier' in Change with [Action=CREATE, Name=w.example.com, Type=A, SetIdentifier=null]", $metadata: { httpStatusCode: 400 } });
    const noWeight = change({ Action: 'UPSERT', ResourceRecordSet: { Name: 'w.example.com.', Type: 'A', SetIdentifier: 'x', TTL: 60, ResourceRecords: [{ Value: '192.0.2.1' }] } });
    await expect(noWeight).rejects.toMatchObject({
      name: 'InvalidInput',
      message: 'Invalid request: Expected exactly one of [Weight, Region, Failover, GeoLocation, MultiValueAnswer, GeoProximityLocation, or CidrRoutingConfig], but found none in Change with [Action=UPSERT, Name=w.example.com., Type=A, SetIdentifier=x]',
    });
  });

  it('InvalidInput when values are missing (even for DELETE), or given together with an alias target', async () => {
    const { change } = setup();
    const none = change({ Action: 'DELETE', ResourceRecordSet: { Name: 'api.example.com.', Type: 'CNAME', SetIdentifier: 'blue', Weight: 90 } });
    await expect(none).rejects.toMatchObject({
      name: 'InvalidInput',
      message: 'Invalid request: Expected exactly one of [AliasTarget, all of [TTL, and ResourceRecords], or TrafficPolicyInstanceId], but found none in Change with [Action=DELETE, Name=api.example.com., Type=CNAME, SetIdentifier=blue]',
    });
    const both = change({ Action: 'CREATE', ResourceRecordSet: { Name: 'x.example.com', Type: 'A', TTL: 60, AliasTarget: { DNSName: 'lb.example.net', HostedZoneId: 'Z35SXDOTRQ7X7K', EvaluateTargetHealth: false } } });
    await expect(both).rejects.toMatchObject({ name: 'InvalidInput', message: expect.stringContaining('but found more than one in Change with [Action=CREATE, Name=x.example.com, Type=A, SetIdentifier=null]') });
  });

  it('weights outside 0..255 are rejected as InvalidInput before any change', async () => {
    const { change, weights } = setup();
    await expect(change({ Action: 'UPSERT', ResourceRecordSet: { ...green, Weight: 256 } })).rejects.toMatchObject({ name: 'InvalidInput', $metadata: { httpStatusCode: 400 } });
    await expect(change({ Action: 'UPSERT', ResourceRecordSet: { ...green, Weight: -1 } })).rejects.toBeInstanceOf(InvalidInput);
    expect(await weights()).toEqual({ blue: 90, green: 10 });
  });

  it('allows at most 100 weighted records with the same name and type', async () => {
    const { change } = setup({ route53: { hostedZones: [{ name: 'example.com' }] } });
    const weighted = (i: number): Change => ({ Action: 'CREATE', ResourceRecordSet: { Name: 'w.example.com', Type: 'A', SetIdentifier: `s${i}`, Weight: 1, TTL: 60, ResourceRecords: [{ Value: `192.0.2.${i % 250}` }] } });
    await change(...Array.from({ length: 100 }, (_, i) => weighted(i)));
    const error = await batchError(change(weighted(100)));
    expect(error.message).toBe('[Exceeded limit on number of weighted RRSets for w.example.com., type A in this zone.]');
  });

  it('routing policies cannot share a name and type', async () => {
    const { change } = setup();
    const simple = await batchError(change({ Action: 'CREATE', ResourceRecordSet: { Name: 'api.example.com', Type: 'CNAME', TTL: 60, ResourceRecords: [{ Value: 'x.example.com' }] } }));
    expect(simple.message).toBe('[RRSet with DNS name api.example.com., type CNAME cannot be created as other RRSets exist with the same name and type.]');
    const latency = await batchError(change({ Action: 'CREATE', ResourceRecordSet: { Name: 'api.example.com', Type: 'CNAME', SetIdentifier: 'east', Region: 'us-east-1', TTL: 60, ResourceRecords: [{ Value: 'x.example.com' }] } }));
    expect(latency.message).toBe('[RRSet with DNS name api.example.com., type CNAME, SetIdentifier east, and Region Name=us-east-1 cannot be created because a non-latency RRSet with the same name and type already exists.]');

    await change({ Action: 'CREATE', ResourceRecordSet: { Name: 'solo.example.com', Type: 'A', TTL: 60, ResourceRecords: [{ Value: '192.0.2.1' }] } });
    const weighted = await batchError(change({ Action: 'CREATE', ResourceRecordSet: { Name: 'solo.example.com', Type: 'A', SetIdentifier: 'w', Weight: 1, TTL: 60, ResourceRecords: [{ Value: '192.0.2.2' }] } }));
    expect(weighted.message).toBe('[RRSet with DNS name solo.example.com., type A, SetIdentifier w cannot be created as a non-weighted set exists with the same name and type.]');
  });

  it('converting a simple record to weighted works in one batch (rules apply to the zone after the batch)', async () => {
    const { change, records } = setup();
    const simple: ResourceRecordSet = { Name: 'solo.example.com.', Type: 'A', TTL: 60, ResourceRecords: [{ Value: '192.0.2.1' }] };
    await change({ Action: 'CREATE', ResourceRecordSet: simple });
    await change({ Action: 'DELETE', ResourceRecordSet: simple }, { Action: 'CREATE', ResourceRecordSet: { ...simple, SetIdentifier: 'a', Weight: 1 } }, { Action: 'CREATE', ResourceRecordSet: { ...simple, SetIdentifier: 'b', Weight: 1 } });
    expect((await records()).filter((r) => r.Name === 'solo.example.com.').map((r) => r.SetIdentifier)).toEqual(['a', 'b']);
  });

  it('CNAME cannot coexist with other types at a name, nor sit at the zone apex', async () => {
    const { change } = setup();
    const aOnCname = await batchError(change({ Action: 'CREATE', ResourceRecordSet: { Name: 'api.example.com', Type: 'A', TTL: 60, ResourceRecords: [{ Value: '192.0.2.1' }] } }));
    expect(aOnCname.message).toBe('[RRSet of type A with DNS name api.example.com. is not permitted because a conflicting RRSet of type  CNAME with the same DNS name already exists in zone example.com.]');
    await change({ Action: 'CREATE', ResourceRecordSet: { Name: 'www.example.com', Type: 'A', TTL: 60, ResourceRecords: [{ Value: '192.0.2.1' }] } });
    const cnameOnA = await batchError(change({ Action: 'CREATE', ResourceRecordSet: { Name: 'www.example.com', Type: 'CNAME', TTL: 60, ResourceRecords: [{ Value: 'x.example.com' }] } }));
    expect(cnameOnA.message).toBe('[RRSet of type CNAME with DNS name www.example.com. is not permitted as it conflicts with other records with the same DNS name in zone example.com.]');
    const apex = await batchError(change({ Action: 'CREATE', ResourceRecordSet: { Name: 'example.com', Type: 'CNAME', TTL: 60, ResourceRecords: [{ Value: 'x.example.net' }] } }));
    expect(apex.message).toContain('RRSet of type CNAME with DNS name example.com. is not permitted at apex in zone example.com.');
  });

  it('weighted sets must share one TTL; changing every TTL in one batch is fine', async () => {
    const { change, records } = setup();
    const one = await batchError(change({ Action: 'UPSERT', ResourceRecordSet: { ...green, TTL: 300 } }));
    expect(one.message).toBe('[RRSet with DNS name api.example.com. and type CNAME, SetIdentifier green cannot be created as weighted sets must contain the same TTL.]');
    await change({ Action: 'UPSERT', ResourceRecordSet: { ...green, TTL: 300 } }, { Action: 'UPSERT', ResourceRecordSet: { ...blue, TTL: 300 } });
    expect((await records()).filter((r) => r.SetIdentifier).map((r) => r.TTL)).toEqual([300, 300]);
  });

  it('limits a request to 1000 ResourceRecord elements, counting UPSERT twice', async () => {
    const { change } = setup();
    const values = Array.from({ length: 501 }, (_, i) => ({ Value: `10.0.${Math.floor(i / 250)}.${i % 250}` }));
    const error = await batchError(change({ Action: 'UPSERT', ResourceRecordSet: { Name: 'many.example.com', Type: 'A', TTL: 60, ResourceRecords: values } }));
    expect(error.message).toBe('[Number of records limit of 1000 exceeded.]');
    await change({ Action: 'CREATE', ResourceRecordSet: { Name: 'many.example.com', Type: 'A', TTL: 60, ResourceRecords: values } });
  });

  it('NoSuchHostedZone (404) for an unknown zone', async () => {
    const { client } = setup();
    const call = client.send(new ChangeResourceRecordSetsCommand({ HostedZoneId: 'ZNOPE', ChangeBatch: { Changes: [{ Action: 'UPSERT', ResourceRecordSet: green }] } }));
    await expect(call).rejects.toBeInstanceOf(NoSuchHostedZone);
    await expect(call).rejects.toMatchObject({ $metadata: { httpStatusCode: 404 } });
  });
});

describe('Route 53 per-zone serialization (PriorRequestNotComplete)', () => {
  it('rejects a change while an earlier change of the same zone is PENDING, only when the fault is on', async () => {
    const { change, clock, weights } = setup({ ...WEIGHTED_WORLD, faults: ['prior-request-not-complete:route53'] });
    await change({ Action: 'UPSERT', ResourceRecordSet: { ...green, Weight: 20 } });
    const busy = change({ Action: 'UPSERT', ResourceRecordSet: { ...green, Weight: 30 } });
    await expect(busy).rejects.toBeInstanceOf(PriorRequestNotComplete);
    await expect(busy).rejects.toMatchObject({ message: 'The request was rejected because Route 53 was still processing a prior request', $metadata: { httpStatusCode: 400 } });
    expect(await weights()).toEqual({ blue: 90, green: 20 });

    clock.advance(60_000);
    await change({ Action: 'UPSERT', ResourceRecordSet: { ...green, Weight: 30 } });
    expect(await weights()).toEqual({ blue: 90, green: 30 });
  });

  it('without the fault, back-to-back changes of one zone are accepted', async () => {
    const { change, weights } = setup();
    await change({ Action: 'UPSERT', ResourceRecordSet: { ...green, Weight: 20 } });
    await change({ Action: 'UPSERT', ResourceRecordSet: { ...green, Weight: 30 } });
    expect(await weights()).toEqual({ blue: 90, green: 30 });
  });
});
