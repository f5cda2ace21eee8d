import { ChangeResourceRecordSetsCommand, GetChangeCommand, ListResourceRecordSetsCommand, Route53Client, type Change, type ResourceRecordSet } from '@aws-sdk/client-route-53';
import { describe, expect, it } from 'vitest';
import { parseFault } from '../../../../src/sim/faults.js';
import { route53Service } from '../../../../src/sim/services/route53/index.js';
import type { Route53State } from '../../../../src/sim/services/route53/index.js';
import type { Flow, SimService } from '../../../../src/sim/types.js';
import { World } from '../../../../src/sim/world.js';
import { clientConfig } from '../../simFixture.js';
import { exampleZoneId, route53World, T0, WEIGHTED_WORLD } from './fixture.js';

const MINUTE = 60_000;
const blue: ResourceRecordSet = { Name: 'api.example.com.', Type: 'CNAME', SetIdentifier: 'blue', Weight: 90, TTL: 60, ResourceRecords: [{ Value: 'blue.example.com' }] };
const green: ResourceRecordSet = { Name: 'api.example.com.', Type: 'CNAME', SetIdentifier: 'green', Weight: 10, TTL: 60, ResourceRecords: [{ Value: 'green.example.com' }] };

/** Clients resolve api.example.com for type A; the weighted CNAMEs answer it. */
const TRAFFIC_WORLD = { ...WEIGHTED_WORLD, traffic: [{ service: 'route53' as const, resource: '${zone:example.com.id}|api.example.com|A', rps: 100 }] };

function setup(seed: Parameters<typeof route53World>[0] = TRAFFIC_WORLD, extra: readonly SimService[] = []) {
  const env = route53World(seed, extra);
  const zoneId = exampleZoneId(env.state());
  const change = (...Changes: Change[]) => env.client.send(new ChangeResourceRecordSetsCommand({ HostedZoneId: zoneId, ChangeBatch: { Changes } }));
  /** Moves the clock and lets the world apply what fell due (the world records traffic at the time it looks). */
  const at = (ms: number) => {
    env.clock.advance(T0 + ms - env.clock.now());
    env.world.sync();
  };
  const series = (setIdentifier: string, metricName = 'RequestCount', stat = 'Sum', namespace = 'Sim/Route53Endpoint') => {
    const dimensions: Record<string, string> = namespace === 'Sim/Route53Endpoint' ? { RecordName: 'api.example.com.', SetIdentifier: setIdentifier } : { LoadBalancer: setIdentifier };
    const points = env.world.metrics.query({ namespace, metricName, dimensions, period: 60, stat, start: T0, end: env.clock.now() }, env.clock.now());
    return Object.fromEntries(points.map((p) => [(p.timestamp - T0) / MINUTE, p.value]));
  };
  return { ...env, zoneId, change, at, series };
}

describe('Route 53 traffic model', () => {
  it('splits requests across weighted records in proportion to weight, into per-record endpoint metrics', () => {
    const { at, series } = setup();
    at(2 * MINUTE);
    const blueCounts = series('blue');
    const greenCounts = series('green');
    expect(Object.keys(blueCounts)).toEqual(['0', '1']);
    for (const minute of [0, 1]) {
      expect(blueCounts[minute]).toBeGreaterThan(5200);
      expect(blueCounts[minute]).toBeLessThan(5600);
      expect(greenCounts[minute]).toBeGreaterThan(500);
      expect(greenCounts[minute]).toBeLessThan(700);
    }
    const greenErrors = series('green', '5XXError');
    expect(greenErrors[0]! / greenCounts[0]!).toBeGreaterThan(0.15);
    expect(series('green', 'Latency', 'Average')[0]).toBeGreaterThan(100);
    expect(series('blue', 'Latency', 'Average')[0]).toBeLessThan(60);
  });

  it('a weight change reaches traffic only when INSYNC plus the TTL resolvers cached the old answer for', async () => {
    const { at, change, series, state, zoneId } = setup();
    at(1 * MINUTE);
    await change({ Action: 'UPSERT', ResourceRecordSet: { ...blue, Weight: 0 } }, { Action: 'UPSERT', ResourceRecordSet: { ...green, Weight: 100 } });
    expect(state().zones[zoneId]?.answers['api.example.com.|CNAME']?.pending.map((p) => p.at - T0)).toEqual([3 * MINUTE]);
    at(2 * MINUTE); // INSYNC: resolvers still hold the old answer for its 60 s TTL
    at(3 * MINUTE);
    at(5 * MINUTE);
    const blueCounts = series('blue');
    const greenCounts = series('green');
    expect(Object.keys(blueCounts)).toEqual(['0', '1', '2']);
    expect(blueCounts[2]).toBeGreaterThan(5200);
    expect(greenCounts[2]).toBeLessThan(700);
    expect(greenCounts[3]).toBeGreaterThan(5700);
    expect(greenCounts[4]).toBeGreaterThan(5700);
  });

  it('the cached TTL is the old answer\'s: a 300 s TTL delays traffic 300 s after INSYNC; aliases count 60 s', async () => {
    const longTtl = { route53: { hostedZones: [{ name: 'example.com', records: [{ name: 'slow.example.com', type: 'A', ttl: 300, values: ['192.0.2.1'] }] }] } };
    const { change, state, zoneId } = setup(longTtl);
    await change({ Action: 'UPSERT', ResourceRecordSet: { Name: 'slow.example.com', Type: 'A', TTL: 10, ResourceRecords: [{ Value: '192.0.2.2' }] } });
    await change({ Action: 'UPSERT', ResourceRecordSet: { Name: 'alias.example.com', Type: 'A', AliasTarget: { DNSName: 'x.example.net', HostedZoneId: 'Z1', EvaluateTargetHealth: false } } });
    const pending = (key: string) => state().zones[zoneId]?.answers[key]?.pending.map((p) => (p.at - T0) / 1000);
    expect(pending('slow.example.com.|A')).toEqual([60 + 300]);
    expect(pending('alias.example.com.|A')).toEqual([60]);
    await change({ Action: 'UPSERT', ResourceRecordSet: { Name: 'alias.example.com', Type: 'A', AliasTarget: { DNSName: 'y.example.net', HostedZoneId: 'Z1', EvaluateTargetHealth: false } } });
    expect(pending('alias.example.com.|A')).toEqual([60, 60 + 60]);
  });

  it('all weights 0 means equal shares, not no traffic', async () => {
    const { at, change, series } = setup();
    await change({ Action: 'UPSERT', ResourceRecordSet: { ...blue, Weight: 0 } }, { Action: 'UPSERT', ResourceRecordSet: { ...green, Weight: 0 } });
    at(2 * MINUTE);
    at(4 * MINUTE);
    for (const id of ['blue', 'green']) {
      expect(series(id)[3]).toBeGreaterThan(2800);
      expect(series(id)[3]).toBeLessThan(3200);
    }
  });

  it('an unhealthy endpoint version fails every request', () => {
    const seed = { ...TRAFFIC_WORLD, versions: { ...WEIGHTED_WORLD.versions, v2: { healthy: false } } };
    const { at, series } = setup(seed);
    at(MINUTE);
    expect(series('green', '5XXError', 'Average')[0]).toBe(1);
    expect(series('blue', '5XXError', 'Average')[0]).toBeLessThan(0.05);
  });

  it('follows alias and value targets that are load balancers of the world into ELBv2 (dualstack., case and dot ignored)', () => {
    const routedTo: string[] = [];
    const fakeElb: SimService<object> = {
      name: 'elbv2',
      initialState: () => ({}),
      operations: { DescribeLoadBalancers: () => ({ LoadBalancers: [{ DNSName: 'web-1234567890.us-east-1.elb.amazonaws.com' }] }) },
      route: (_ctx, resource, rps, depend): Flow[] => {
        routedTo.push(resource);
        depend(`elb:${resource}`);
        return [{ rps, version: 'v3', errorRate: 0, latencyMs: 10, series: [{ namespace: 'AWS/ApplicationELB', dimensions: { LoadBalancer: 'app/web/1' }, requests: 'RequestCount' }] }];
      },
    };
    const seed = {
      versions: { v4: { latencyMs: 30 } },
      route53: {
        endpoints: { '192.0.2.10': 'v4' },
        hostedZones: [
          {
            name: 'example.com',
            records: [
              { name: 'www.example.com', type: 'A', setIdentifier: 'lb', weight: 3, aliasTarget: { dnsName: 'dualstack.WEB-1234567890.us-east-1.elb.amazonaws.com', hostedZoneId: 'Z35SXDOTRQ7X7K', evaluateTargetHealth: true } },
              { name: 'www.example.com', type: 'A', setIdentifier: 'ip', weight: 1, ttl: 60, values: ['192.0.2.10'] },
            ],
          },
        ],
      },
      traffic: [{ service: 'route53' as const, resource: '${zone:example.com.id}|www.example.com|A', rps: 100 }],
    };
    const { at, world, clock } = setup(seed, [fakeElb]);
    at(MINUTE);
    expect(routedTo[0]).toBe('web-1234567890.us-east-1.elb.amazonaws.com');
    const elb = world.metrics.query({ namespace: 'AWS/ApplicationELB', metricName: 'RequestCount', dimensions: { LoadBalancer: 'app/web/1' }, period: 60, stat: 'Sum', start: T0, end: clock.now() }, clock.now());
    expect(elb[0]?.value).toBeGreaterThan(4300);
    expect(elb[0]?.value).toBeLessThan(4700);
    const ipPoints = world.metrics.query({ namespace: 'Sim/Route53Endpoint', metricName: 'RequestCount', dimensions: { RecordName: 'www.example.com.', SetIdentifier: 'ip' }, period: 60, stat: 'Sum', start: T0, end: clock.now() }, clock.now());
    expect(ipPoints[0]?.value).toBeGreaterThan(1350);
    expect(ipPoints[0]?.value).toBeLessThan(1650);
  });

  it('a simple record with several values splits across them; a name without records gets no flows', () => {
    const seed = {
      route53: { hostedZones: [{ name: 'example.com', records: [{ name: 'rr.example.com', type: 'A', values: ['192.0.2.1', '192.0.2.2'] }] }] },
    };
    const { world, state, zoneId } = setup(seed);
    const flows = route53Service.route!(world.context('route53'), `${zoneId}|RR.example.com.|A`, 10, () => undefined);
    expect(flows.map((f) => [f.version, f.rps])).toEqual([
      ['192.0.2.1', 5],
      ['192.0.2.2', 5],
    ]);
    expect(flows[0]?.series[0]?.dimensions).toEqual({ RecordName: 'rr.example.com.' });
    expect(route53Service.route!(world.context('route53'), `${zoneId}:nothing.example.com:A`, 10, () => undefined)).toEqual([]);
    expect(route53Service.route!(world.context('route53'), 'ZNOPE|rr.example.com|A', 10, () => undefined)).toEqual([]);
    expect(Object.keys(state().zones)).toEqual([zoneId]);
  });
});

describe('Route 53 out-of-band writer (drift)', () => {
  it('a scheduled writer UPSERTs one weight: PENDING change, visible in the API at once, in traffic after INSYNC + TTL', async () => {
    const seed = { ...TRAFFIC_WORLD, faults: ['writer:route53@60s:name=api.example.com,type=CNAME,setIdentifier=green,weight=90'] };
    const { at, client, zoneId, state, series } = setup(seed);
    at(MINUTE);
    const records = await client.send(new ListResourceRecordSetsCommand({ HostedZoneId: zoneId, StartRecordName: 'api.example.com', StartRecordType: 'CNAME' }));
    expect(records.ResourceRecordSets?.filter((r) => r.SetIdentifier).map((r) => [r.SetIdentifier, r.Weight])).toEqual([
      ['blue', 90],
      ['green', 90],
    ]);
    const written = Object.values(state().changes).find((c) => c.comment === 'out-of-band writer');
    expect(written).toMatchObject({ status: 'PENDING', submittedAt: T0 + MINUTE });
    expect((await client.send(new GetChangeCommand({ Id: written!.id }))).ChangeInfo?.Status).toBe('PENDING');
    at(2 * MINUTE);
    at(3 * MINUTE);
    at(4 * MINUTE);
    expect(series('green')[2]).toBeLessThan(700);
    expect(series('green')[3]).toBeGreaterThan(2800);
  });

  it('returns a sentence saying what it did, or that it found nothing to change; malformed params are an error', () => {
    const { world } = setup();
    const drift = (params: Record<string, unknown>) => route53Service.drift!(world.context('route53'), params);
    expect(drift({ zoneName: 'example.com', name: 'api.example.com', type: 'CNAME', setIdentifier: 'blue', weight: 5 })).toMatch(
      /^An out-of-band writer set the weight of \[name='api\.example\.com\.', type='CNAME', set-identifier='blue'\] in zone example\.com\. from 90 to 5 \(change \/change\/C[0-9A-Z]+, PENDING\)\.$/,
    );
    expect(drift({ name: 'api.example.com', type: 'CNAME', setIdentifier: 'red', weight: 5 })).toContain('found no weighted record set');
    expect(drift({ hostedZoneId: '/hostedzone/ZNOPE', name: 'api.example.com', type: 'CNAME', setIdentifier: 'blue', weight: 5 })).toContain('found no hosted zone');
    expect(() => drift({ name: 'api.example.com', type: 'CNAME', setIdentifier: 'blue', weight: 300 })).toThrow(/weight 0\.\.255/);
  });

  it('parses the writer fault flag with a numeric-looking set identifier', () => {
    const fault = parseFault('writer:route53@90s:name=api.example.com,type=CNAME,setIdentifier=1,weight=0');
    expect(fault).toMatchObject({ type: 'writer', service: 'route53', at: 90, params: { setIdentifier: 1, weight: 0 } });
    const seed = {
      route53: { hostedZones: [{ name: 'example.com', records: [{ name: 'api.example.com', type: 'CNAME', setIdentifier: '1', weight: 5, values: ['a.example.com'] }] }] },
    };
    const { world } = setup(seed);
    expect(route53Service.drift!(world.context('route53'), fault.type === 'writer' ? fault.params : {})).toContain('from 5 to 0');
  });
});

describe('Route 53 world state', () => {
  it('is plain JSON: a saved world loads in a new World and keeps changes, answers and traffic timing', async () => {
    const { world, clock, change, zoneId } = setup();
    const out = await change({ Action: 'UPSERT', ResourceRecordSet: { ...green, Weight: 50 } });
    const saved = world.save();
    expect(JSON.parse(JSON.stringify(saved))).toEqual(saved);

    const loaded = new World({ clock, services: [route53Service], state: JSON.parse(JSON.stringify(saved)) });
    const client = new Route53Client(clientConfig(loaded));
    clock.advance(MINUTE);
    expect((await client.send(new GetChangeCommand({ Id: out.ChangeInfo!.Id! }))).ChangeInfo?.Status).toBe('INSYNC');
    expect(loaded.stateOf<Route53State>('route53').zones[zoneId]?.answers['api.example.com.|CNAME']?.pending).toHaveLength(1);
    clock.advance(MINUTE);
    loaded.sync();
    expect(loaded.stateOf<Route53State>('route53').zones[zoneId]?.answers['api.example.com.|CNAME']?.current.map((r) => r.Weight)).toEqual([90, 50]);
  });
});

describe('Route 53 world-file section', () => {
  it('rejects records Route 53 would reject, and unknown keys, naming where', () => {
    const zone = (records: unknown[]) => ({ route53: { hostedZones: [{ name: 'example.com', records }] } });
    expect(() => route53World(zone([{ name: 'w.example.com', type: 'A', weight: 1, values: ['192.0.2.1'] }]))).toThrow(
      /world: route53\.hostedZones\[0\]\.records\[0\].*Route 53 would reject it: Invalid request: Missing field 'SetIdentifier'/,
    );
    expect(() => route53World(zone([{ name: 'w.other.com', type: 'A', values: ['192.0.2.1'] }]))).toThrow(/is not permitted in zone example\.com\./);
    expect(() => route53World(zone([{ name: 'w.example.com', type: 'A', value: '192.0.2.1' }]))).toThrow(/records\[0\]\.value.*the keys here are/);
    expect(() => route53World({ route53: { propagationSeconds: -1, hostedZones: [] } })).toThrow(/propagationSeconds/);
    expect(() => route53World({ route53: { hostedZones: [{ name: 'example.com' }, { name: 'EXAMPLE.com.' }] } })).toThrow(/give each hosted zone once/);
  });

  it('registers zone:<name> with the bare id and the fully qualified name', () => {
    const { world, zoneId } = setup({
      ...WEIGHTED_WORLD,
      traffic: [{ service: 'route53', resource: '${zone:example.com.id} ${zone:example.com.name}', rps: 0 }],
    });
    expect(world.state.traffic[0]?.resource).toBe(`${zoneId} example.com.`);
  });
});
