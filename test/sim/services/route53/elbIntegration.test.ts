import { ChangeResourceRecordSetsCommand, ListResourceRecordSetsCommand } from '@aws-sdk/client-route-53';
import { DescribeLoadBalancersCommand, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { describe, expect, it } from 'vitest';
import { elbv2Service } from '../../../../src/sim/services/elbv2/index.js';
import { clientConfig } from '../../simFixture.js';
import { exampleZoneId, route53World, T0 } from './fixture.js';

/** Two ALBs of the real simulated ELBv2, blue (v1) and green (v2), behind weighted alias records. */
const SEED = {
  versions: { v1: { errorRate: 0.001 }, v2: { errorRate: 0.3 } },
  elbv2: {
    loadBalancers: [
      { name: 'blue', targetGroups: [{ name: 'blue-tg', targets: { count: 2, version: 'v1' } }], listeners: [{ port: 80, forward: { 'blue-tg': 1 } }] },
      { name: 'green', targetGroups: [{ name: 'green-tg', targets: { count: 2, version: 'v2' } }], listeners: [{ port: 80, forward: { 'green-tg': 1 } }] },
    ],
  },
  route53: {
    hostedZones: [
      {
        name: 'example.com',
        records: [
          { name: 'app.example.com', type: 'A', setIdentifier: 'blue', weight: 100, aliasTarget: { dnsName: 'dualstack.${lb:blue.dnsName}', hostedZoneId: 'Z35SXDOTRQ7X7K', evaluateTargetHealth: true } },
          { name: 'app.example.com', type: 'A', setIdentifier: 'green', weight: 0, aliasTarget: { dnsName: '${lb:green.dnsName}.', hostedZoneId: 'Z35SXDOTRQ7X7K', evaluateTargetHealth: true } },
        ],
      },
    ],
  },
  traffic: [{ service: 'route53' as const, resource: '${zone:example.com.id}|app.example.com|A', rps: 100 }],
};

describe('Route 53 with the simulated ELBv2', () => {
  it('sends each alias record\'s share into its load balancer, and shifts only after INSYNC + the alias TTL', async () => {
    const { world, client, clock, state } = route53World(SEED, [elbv2Service]);
    const zoneId = exampleZoneId(state());
    const perVersion = () => {
      const totals: Record<string, number> = {};
      for (const flow of world.route('route53', `${zoneId}|app.example.com|A`, 100, () => undefined)) totals[flow.version] = (totals[flow.version] ?? 0) + flow.rps;
      return totals;
    };
    expect(perVersion()).toEqual({ v1: 100 });

    const records = (await client.send(new ListResourceRecordSetsCommand({ HostedZoneId: zoneId, StartRecordName: 'app.example.com', StartRecordType: 'A' }))).ResourceRecordSets ?? [];
    const [blue, green] = records.filter((r) => r.Name === 'app.example.com.');
    expect(blue?.AliasTarget?.DNSName).toMatch(/^dualstack\.blue-\d+\.us-east-1\.elb\.amazonaws\.com\.$/);
    await client.send(
      new ChangeResourceRecordSetsCommand({
        HostedZoneId: zoneId,
        ChangeBatch: { Changes: [{ Action: 'UPSERT', ResourceRecordSet: { ...blue!, Weight: 75 } }, { Action: 'UPSERT', ResourceRecordSet: { ...green!, Weight: 25 } }] },
      }),
    );
    clock.advance(119_999);
    world.sync();
    expect(perVersion()).toEqual({ v1: 100 });
    clock.advance(1);
    world.sync();
    expect(perVersion()).toEqual({ v1: 75, v2: 25 });

    // The ELB metrics of the green load balancer start at the switch.
    const elb = new ElasticLoadBalancingV2Client(clientConfig(world));
    const greenArn = (await elb.send(new DescribeLoadBalancersCommand({ Names: ['green'] }))).LoadBalancers?.[0]?.LoadBalancerArn ?? '';
    clock.advance(120_000);
    world.sync();
    const points = world.metrics.query({ namespace: 'AWS/ApplicationELB', metricName: 'RequestCount', dimensions: { LoadBalancer: greenArn.split(':loadbalancer/')[1] ?? '' }, period: 60, stat: 'Sum', start: T0, end: clock.now() }, clock.now());
    expect(points.map((p) => (p.timestamp - T0) / 60_000)).toEqual([2, 3]);
    expect(points[0]!.value).toBeGreaterThan(1350);
    expect(points[0]!.value).toBeLessThan(1650);
  });
});
