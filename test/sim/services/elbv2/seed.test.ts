import { DescribeListenersCommand, DescribeTargetHealthCommand, ElasticLoadBalancingV2Client, ModifyListenerCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../../src/errors.js';
import { elbv2Service } from '../../../../src/sim/services/elbv2/index.js';
import type { WorldSeed } from '../../../../src/sim/seed.js';
import { World } from '../../../../src/sim/world.js';
import { VirtualClock } from '../../../../src/time/clock.js';
import { clientConfig, simWorld } from '../../simFixture.js';
import { BLUE_GREEN, elbWorld, forward } from './fixture.js';

const REFS = ['${lb:web.arn}', '${lb:web.dimension}', '${lb:web.dnsName}', '${lb:web.name}', '${tg:web-blue.arn}', '${tg:web-blue.dimension}', '${tg:web-blue.name}', '${listener:web:80.arn}', '${rule:web:80:10.arn}', '${rule:web:80:default.arn}'];

describe('ELBv2 world-file section', () => {
  it('registers references for later sections, with ARNs that are the same in every run', () => {
    const seed: WorldSeed = { ...BLUE_GREEN, traffic: REFS.map((resource) => ({ service: 'elbv2', resource, rps: 0 })) };
    const first = elbWorld(seed);
    const resolved = first.world.state.traffic.map((t) => t.resource);
    const { lb, tg, listener, state } = first;
    const rules = Object.values(state().rules);
    expect(resolved).toEqual([
      lb().arn,
      `app/web/${lb().id}`,
      lb().dnsName,
      'web',
      tg('web-blue').arn,
      `targetgroup/web-blue/${tg('web-blue').id}`,
      'web-blue',
      listener().arn,
      rules.find((r) => r.priority === 10)!.arn,
      listener().defaultRuleArn,
    ]);
    expect(lb().arn).toMatch(/^arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer\/app\/web\/[0-9a-f]{16}$/);
    expect(lb().dnsName).toMatch(/^web-\d+\.us-east-1\.elb\.amazonaws\.com$/);
    const second = elbWorld(seed);
    expect(second.world.state.traffic.map((t) => t.resource)).toEqual(resolved);
  });

  it('seeded targets are healthy at once where traffic goes, unused elsewhere; the region and account shape the ARNs', async () => {
    const { client, tg, lb } = elbWorld({ ...BLUE_GREEN, region: 'eu-west-1', accountId: '210987654321' });
    expect(lb().arn).toMatch(/^arn:aws:elasticloadbalancing:eu-west-1:210987654321:loadbalancer\/app\/web\//);
    expect(lb().dnsName).toMatch(/\.eu-west-1\.elb\.amazonaws\.com$/);
    const states = async (name: string) => (await client.send(new DescribeTargetHealthCommand({ TargetGroupArn: tg(name).arn }))).TargetHealthDescriptions?.map((d) => d.TargetHealth?.State);
    expect(await states('web-blue')).toEqual(['healthy', 'healthy', 'healthy']);
    expect(await states('web-green')).toEqual(['healthy', 'healthy', 'healthy']);
    expect(await states('web-spare')).toEqual(['unused']);
    expect(tg('web-blue').targets.map((t) => t.id)).toEqual(expect.arrayContaining([expect.stringMatching(/^i-[0-9a-f]{17}$/)]));
    expect(tg('web-spare').targets).toMatchObject([{ id: '10.0.0.9', port: 8080, version: 'v1' }]);
  });

  it('seeds HTTPS listeners with a placeholder certificate, stickiness, host-header rules and the deregistration delay', async () => {
    const { client, listener, state, tg } = elbWorld({
      apiLimits: false,
      elbv2: {
        loadBalancers: [
          {
            name: 'shop',
            scheme: 'internal',
            targetGroups: [{ name: 'shop-a', protocol: 'HTTPS', port: 443, deregistrationDelaySeconds: 10, targets: [{ id: 'i-1', version: 'v1' }] }],
            listeners: [{ port: 443, protocol: 'HTTPS', forward: { 'shop-a': 1 }, stickiness: { enabled: true, durationSeconds: 120 }, rules: [{ priority: 1, hostHeader: ['a.example.com', 'b.example.com'], forward: { 'shop-a': 1 } }] }],
          },
        ],
      },
    });
    const [described] = (await client.send(new DescribeListenersCommand({ ListenerArns: [listener(443, 'shop').arn] }))).Listeners ?? [];
    expect(described).toMatchObject({ Protocol: 'HTTPS', SslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06', Certificates: [{ CertificateArn: expect.stringMatching(/^arn:aws:acm:us-east-1:123456789012:certificate\//) }] });
    expect(described?.DefaultActions?.[0]?.ForwardConfig?.TargetGroupStickinessConfig).toEqual({ Enabled: true, DurationSeconds: 120 });
    const rule = Object.values(state().rules).find((r) => r.priority === 1)!;
    expect(rule.conditions).toEqual([{ Field: 'host-header', Values: ['a.example.com', 'b.example.com'], HostHeaderConfig: { Values: ['a.example.com', 'b.example.com'] } }]);
    expect(tg('shop-a').attributes['deregistration_delay.timeout_seconds']).toBe('10');
    expect(Object.values(state().loadBalancers)[0]?.dnsName).toMatch(/^internal-shop-/);
  });

  it('reports what is wrong with a section, where', () => {
    const bad = (elbv2: unknown): (() => unknown) => () => simWorld([elbv2Service], { elbv2 });
    const lb = (extra: object) => ({ loadBalancers: [{ name: 'web', targetGroups: [{ name: 'g', targets: { count: 1, version: 'v1' } }], listeners: [{ port: 80, forward: { g: 1 } }], ...extra }] });
    expect(bad({})).toThrow(InputError);
    expect(bad(lb({ name: 'bad_name' }))).toThrow(/elbv2\.loadBalancers\[0\].*ValidationError/);
    expect(bad(lb({ listeners: [{ port: 80, forward: { nope: 1 } }] }))).toThrow(/elbv2\.loadBalancers\[0\]\.listeners\[0\]\.forward.*name a target group/);
    expect(bad(lb({ listeners: [{ port: 80, forward: { g: 1000 } }] }))).toThrow(/forward\.g.*0 to 999/);
    expect(bad(lb({ targetGroups: [{ name: 'g', healthCheck: { intervalSeconds: 1 }, targets: [] }] }))).toThrow(/healthCheck\.intervalSeconds/);
    expect(bad(lb({ listeners: [{ port: 80, forward: { g: 1 }, rules: [{ priority: 1, forward: { g: 1 } }] }] }))).toThrow(/pathPattern or a hostHeader/);
    const twoBalancers = { loadBalancers: [lb({}).loadBalancers[0], { name: 'other', targetGroups: [], listeners: [{ port: 80, forward: { g: 1 } }] }] };
    expect(bad(twoBalancers)).toThrow(/TargetGroupAssociationLimit/);
  });

  it('a saved world continues in another process: state is plain JSON and time-driven changes still happen', async () => {
    const { world, tg, listener } = elbWorld();
    const saved = JSON.parse(JSON.stringify(world.save())) as ReturnType<World['save']>;
    const clock = new VirtualClock(saved.now);
    const reloaded = new World({ clock, services: [elbv2Service], state: saved });
    const client = new ElasticLoadBalancingV2Client(clientConfig(reloaded));
    await client.send(new ModifyListenerCommand({ ListenerArn: listener().arn, DefaultActions: forward([[tg('web-blue').arn, 1], [tg('web-spare').arn, 1]]) }));
    const health = async () => (await client.send(new DescribeTargetHealthCommand({ TargetGroupArn: tg('web-spare').arn }))).TargetHealthDescriptions?.[0]?.TargetHealth?.State;
    expect(await health()).toBe('initial');
    clock.advance(20_000 + 150_000);
    expect(await health()).toBe('healthy');
  });
});
