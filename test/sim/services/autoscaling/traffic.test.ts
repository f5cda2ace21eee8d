import { AutoScalingClient, DescribeInstanceRefreshesCommand, SetDesiredCapacityCommand, StartInstanceRefreshCommand } from '@aws-sdk/client-auto-scaling';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../../src/errors.js';
import { autoscalingService, GROUP_NAMESPACE, type AutoScalingState } from '../../../../src/sim/services/autoscaling/index.js';
import type { SimService } from '../../../../src/sim/types.js';
import { World } from '../../../../src/sim/world.js';
import { VirtualClock } from '../../../../src/time/clock.js';
import { clientConfig, simWorld, T0 } from '../../simFixture.js';
import { ARTIFACTS, harness, StubAlarms, StubElb, VERSIONS, versionsOf, WEB_TEMPLATE, webGroup, type Harness } from './fixture.js';

const TRAFFIC = [{ service: 'autoscaling' as const, resource: '${asg:web-asg.name}', rps: 100 }];

/** Counts carry deterministic Poisson-like noise: compare within a few standard deviations. */
function expectNear(actual: number, expected: number): void {
  expect(Math.abs(actual - expected)).toBeLessThan(4 * Math.sqrt(expected) + 1);
}

function minute(h: Harness, metricName: string, fromSeconds: number): number {
  const points = h.world.metrics.query({ namespace: GROUP_NAMESPACE, metricName, dimensions: { AutoScalingGroupName: 'web-asg' }, period: 60, stat: metricName === 'Latency' ? 'Average' : 'Sum', start: T0 + fromSeconds * 1000, end: T0 + (fromSeconds + 60) * 1000 }, h.clock.now());
  return points[0]?.value ?? 0;
}

describe('Auto Scaling traffic, drift, seeding and persistence', () => {
  it('routes requests to the in-service instances of a group without target groups, per version, into Sim/AutoScalingGroup', async () => {
    const h = harness([webGroup({ desiredCapacity: 4 })], { traffic: TRAFFIC });
    h.advance(120);
    expectNear(minute(h, 'RequestCount', 0), 6000);
    expect(minute(h, '5XXError', 0) / minute(h, 'RequestCount', 0)).toBeCloseTo(0.01, 2);
    expect(minute(h, 'Latency', 0)).toBeGreaterThan(30);
    expect(minute(h, 'Latency', 0)).toBeLessThan(80);
    await h.client.send(new StartInstanceRefreshCommand({ AutoScalingGroupName: 'web-asg', DesiredConfiguration: { LaunchTemplate: { LaunchTemplateName: 'web', Version: '2' } }, Preferences: { MinHealthyPercentage: 50 } }));
    h.advance(600);
    expect((await h.refresh()).Status).toBe('Successful');
    expectNear(minute(h, 'RequestCount', 660), 6000);
    expect(minute(h, '5XXError', 660) / minute(h, 'RequestCount', 660)).toBeCloseTo(0.02, 2);
    expect(minute(h, 'Latency', 660)).toBeGreaterThan(60);
  });

  it('fails every request when no instance can serve, and never routes to a version that fails health checks', async () => {
    const h = harness([webGroup({ desiredCapacity: 1, version: '3', healthCheckGracePeriod: 600 })], { traffic: TRAFFIC });
    h.advance(120);
    expectNear(minute(h, 'RequestCount', 0), 6000);
    expectNear(minute(h, '5XXError', 0), 6000);
    await h.client.send(new SetDesiredCapacityCommand({ AutoScalingGroupName: 'web-asg', DesiredCapacity: 0 }));
    h.advance(120);
    expectNear(minute(h, '5XXError', 180), 6000);
  });

  it('lets an out-of-band writer change desired capacity and the launch template version', () => {
    const h = harness([webGroup({ desiredCapacity: 2 })], { faults: ['writer:autoscaling@60s:group=web-asg,desiredCapacity=3,launchTemplateVersion=2', 'writer:autoscaling@90s:group=nope,desiredCapacity=1'] });
    h.advance(59);
    expect(versionsOf(h)).toEqual(['v1', 'v1']);
    h.advance(1);
    const group = h.state().groups['web-asg']!;
    expect(group.desiredCapacity).toBe(3);
    expect(group.template.version).toBe('2');
    const launched = Object.values(h.state().instances).find((i) => i.version === 'v2')!;
    expect(launched.launchedAt).toBe(T0 + 60_000);
    expect(launched.inServiceAt).toBe(T0 + 80_000);
    h.advance(60);
    expect(versionsOf(h)).toEqual(['v1', 'v1', 'v2']);
    const service = autoscalingService;
    expect(service.drift!(h.world.context<AutoScalingState>('autoscaling'), { group: 'web-asg', desiredCapacity: 99 })).toBe("someone else set Auto Scaling group web-asg's desired capacity to 20");
    expect(service.drift!(h.world.context<AutoScalingState>('autoscaling'), { group: 'nope' })).toBe('no Auto Scaling group "nope" to change; nothing happened');
  });

  it('gives later sections stable references and the same ids every run', () => {
    let seen: unknown;
    const capture: SimService = { name: 'cloudwatch', initialState: () => ({}), operations: {}, seed: (_ctx, spec) => void (seen = spec) };
    const seed = { versions: VERSIONS, artifacts: ARTIFACTS, autoscaling: { launchTemplates: [WEB_TEMPLATE], groups: [webGroup({ desiredCapacity: 2 })] }, cloudwatch: { template: '${lt:web.id}', group: '${asg:web-asg.arn}' } };
    const first = simWorld([autoscalingService, capture], seed).world;
    const state = first.stateOf<AutoScalingState>('autoscaling');
    expect(seen).toEqual({ template: Object.keys(state.launchTemplates)[0], group: state.groups['web-asg']!.arn });
    const second = simWorld([autoscalingService, capture], seed).world.stateOf<AutoScalingState>('autoscaling');
    expect(Object.keys(second.instances)).toEqual(Object.keys(state.instances));
    expect(second.groups['web-asg']!.arn).toBe(state.groups['web-asg']!.arn);
  });

  it('reports world-file mistakes as input errors naming the entry', () => {
    const build = (autoscaling: unknown) => () => simWorld([autoscalingService, new StubElb().service()], { autoscaling });
    expect(build({ launchTemplates: [{ name: 'web', versions: [] }] })).toThrow(InputError);
    expect(build({ launchTemplates: [{ name: 'web', versions: [{ imageId: 'a' }], defaultVersion: 2 }] })).toThrow(/world: autoscaling.launchTemplates\[0\].defaultVersion/);
    expect(build({ launchTemplates: [WEB_TEMPLATE], groups: [{ ...webGroup(), launchTemplate: { name: 'nope' } }] })).toThrow(/world: autoscaling.groups\[0\].*The specified launch template, with template name nope, does not exist/);
    expect(build({ launchTemplates: [WEB_TEMPLATE], groups: [{ ...webGroup(), targetGroups: ['arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/x/1'] }] })).toThrow(/Provided Target Groups may not be valid/);
    expect(build({ launchTemplates: [WEB_TEMPLATE], groups: [{ ...webGroup(), minSize: 3, maxSize: 1 }] })).toThrow(/Max bound, 1, must be greater than or equal to min bound, 3/);
    expect(build({ launchTemplates: [WEB_TEMPLATE], groups: [{ ...webGroup(), maxSize: -1 }] })).toThrow(/maxSize/);
  });

  it('continues a refresh in a second process from the saved world', async () => {
    const h = harness([webGroup({ desiredCapacity: 4 })], {}, { withElb: false });
    await h.client.send(new StartInstanceRefreshCommand({ AutoScalingGroupName: 'web-asg', DesiredConfiguration: { LaunchTemplate: { LaunchTemplateName: 'web', Version: '2' } }, Preferences: { MinHealthyPercentage: 50 } }));
    h.advance(30);
    const saved = JSON.parse(JSON.stringify(h.world.save()));
    const clock = new VirtualClock(h.clock.now());
    const world = new World({ clock, services: [autoscalingService, new StubAlarms().service()], state: saved });
    const client = new AutoScalingClient(clientConfig(world));
    clock.advance(60_000);
    const refresh = (await client.send(new DescribeInstanceRefreshesCommand({ AutoScalingGroupName: 'web-asg' }))).InstanceRefreshes![0]!;
    expect(refresh).toMatchObject({ Status: 'Successful', EndTime: new Date(T0 + 65_000) });
    expect(Object.values(world.stateOf<AutoScalingState>('autoscaling').instances).map((i) => i.version)).toEqual(['v2', 'v2', 'v2', 'v2']);
  });
});
