import { DescribeListenersCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { describe, expect, it } from 'vitest';
import { createAlbProvider, type AlbTargetSpec } from '../../../src/providers/alb/index.js';
import type { TrafficProvider } from '../../../src/providers/types.js';
import { targetRegistry } from '../../../src/sim/services/contracts.js';
import { FakeGate, alarmAtStep } from '../../fakes/fakeGate.js';
import { asgProvider, asgWorld, deployment, rollout, type AsgWorld, type Deployment } from './simWorld.js';

/** Layer 2: blue-green with two groups, the real ALB provider moving the traffic, against the simulated world. */

/**
 * The ALB provider's preflight refuses a canary target group without registered targets, but with capacity the
 * group is filled by deployCapacity 100 before any weight moves (reported to the lead as a change to the ALB
 * provider). Until then this drops exactly that one finding; every other ALB check stays.
 */
function albAfterCapacity(provider: TrafficProvider): TrafficProvider {
  return {
    ...provider,
    preflight: async (ctx) => {
      const report = await provider.preflight(ctx);
      return { ...report, errors: report.errors.filter((e) => !e.endsWith('has no registered targets')) };
    },
  };
}

function blueGreen(w: AsgWorld, version = 2, options: Record<string, unknown> = {}): { d: Deployment; alb: TrafficProvider } {
  const alb: AlbTargetSpec = { type: 'alb', listenerArn: w.listener(), stableTargetGroupArn: w.tg('web-blue'), canaryTargetGroupArn: w.tg('web-green') };
  const d = deployment({ strategy: 'blueGreen', bake: '5m', targets: [alb, { type: 'asg', autoScalingGroupName: 'web', newGroupName: 'web-green', launchTemplateVersion: version }], ...options });
  return { d, alb: albAfterCapacity(createAlbProvider(alb, { client: w.elb, plan: d.plan })) };
}

/** ELB target health of web's live instances in web-blue, read from the world (no call, so usable inside an event). */
function webTargetHealth(w: AsgWorld): (string | undefined)[] {
  const registry = targetRegistry(w.world)!;
  return Object.values(w.state().instances)
    .filter((i) => i.group === 'web' && i.lifecycle !== 'Terminating')
    .map((i) => registry.health(w.world, w.tg('web-blue'), i.id));
}

async function weights(w: AsgWorld): Promise<number[]> {
  const listener = (await w.elb.send(new DescribeListenersCommand({ ListenerArns: [w.listener()] }))).Listeners![0]!;
  return listener.DefaultActions![0]!.ForwardConfig!.TargetGroups!.map((t) => t.Weight!);
}

describe('blue-green with two Auto Scaling groups in the simulated world', () => {
  it('brings web-green up on v2, waits for the load balancer to call it healthy, moves traffic, bakes, retires web', async () => {
    const w = asgWorld();
    const { d, alb } = blueGreen(w);
    let greenWhenReady: string[] = [];
    const { result, events } = await rollout(w, d, { capacity: [asgProvider(w, d)], traffic: [alb], gates: [new FakeGate()] }, (e) => {
      if (e.type === 'capacity.progress' && e.percent === 100) greenWhenReady = w.versions('web-green');
    });
    expect(result.outcome).toBe('succeeded');
    expect(greenWhenReady).toEqual(['v2', 'v2', 'v2', 'v2']);
    // Traffic moved only after the load balancer called every new instance healthy.
    const waitedForElb = events.findIndex((e) => e.type === 'capacity.progress' && e.percent === 99 && e.detail!.includes('initial (Elb.InitialHealthChecking)'));
    const ready = events.findIndex((e) => e.type === 'capacity.progress' && e.percent === 100);
    const firstWeight = events.findIndex((e) => e.type === 'weight.set');
    expect(waitedForElb).toBeGreaterThanOrEqual(0);
    expect(waitedForElb < ready && ready < firstWeight).toBe(true);
    expect(await weights(w)).toEqual([0, 100]);
    const [web, green] = [await w.group('web'), await w.group('web-green')];
    expect([web.MinSize, web.MaxSize, web.DesiredCapacity]).toEqual([0, 12, 0]);
    expect([green.LaunchTemplate!.Version, green.MinSize, green.MaxSize, green.DesiredCapacity]).toEqual(['2', 2, 12, 4]);
    expect(w.calls()).toMatchObject({ UpdateAutoScalingGroup: 2 });
    expect(w.calls()).not.toHaveProperty('StartInstanceRefresh');
  });

  it.each([
    [0, 'deployCapacity'],
    [1, 'setWeight'],
    [2, 'bake'],
    [3, 'retireOld'],
  ])('a gate firing at step %i (%s): old group serving at its captured size, traffic back on it, web-green empty as captured', async (step) => {
    const w = asgWorld();
    const before = { web: await w.group('web'), green: await w.group('web-green') };
    const { d, alb } = blueGreen(w);
    // When traffic goes back to web, the load balancer must already call every web instance healthy.
    let webTargetsWhenTrafficReturned: (string | undefined)[] = [];
    const { result, events } = await rollout(w, d, { capacity: [asgProvider(w, d)], traffic: [alb], gates: [new FakeGate(alarmAtStep(step))] }, (e) => {
      if (e.type === 'target.restored' && e.target.startsWith('alb')) webTargetsWhenTrafficReturned = webTargetHealth(w);
    });
    expect(result.outcome).toBe('rolledBack');
    if (step > 0) expect(webTargetsWhenTrafficReturned).toEqual(['healthy', 'healthy', 'healthy', 'healthy']);
    expect(await weights(w)).toEqual([100, 0]);
    expect(w.versions('web')).toEqual(['v1', 'v1', 'v1', 'v1']);
    expect(w.versions('web-green')).toEqual([]);
    for (const [name, was] of [['web', before.web], ['web-green', before.green]] as const) {
      const after = await w.group(name);
      expect([after.LaunchTemplate, after.MinSize, after.MaxSize, after.DesiredCapacity], name).toEqual([was.LaunchTemplate, was.MinSize, was.MaxSize, was.DesiredCapacity]);
    }
    // Undone in reverse: the old side first (when it was retired), then the traffic, then the new group.
    const restored = events.flatMap((e) => (e.type === 'target.restored' ? [e.target.startsWith('alb') ? 'alb' : e.target.endsWith('(old side)') ? 'old side' : 'new group'] : []));
    expect(restored).toEqual(step === 3 ? ['old side', 'alb', 'new group'] : step === 0 ? ['new group'] : ['alb', 'new group']);
    expect(events.filter((e) => e.type === 'warning')).toEqual([]);
  });

  it('a version failing its health checks never gets traffic: the new group is rolled back before any weight moves', async () => {
    const w = asgWorld();
    const { d, alb } = blueGreen(w, 3);
    const { result } = await rollout(w, d, { capacity: [asgProvider(w, d)], traffic: [alb], gates: [new FakeGate()] });
    expect(result.outcome).toBe('rolledBack');
    expect(result.failure!.message).toMatch(/web-green: an instance of the new version failed its health check \(Terminating EC2 instance: i-\w+: .* ELB system health check failure\.\)/);
    expect(await weights(w)).toEqual([100, 0]);
    expect(w.versions('web-green')).toEqual([]);
    expect(w.versions('web')).toEqual(['v1', 'v1', 'v1', 'v1']);
  });

  it('without an ELBv2 client the grace period stands in for the load balancer, and still stops a failing version', async () => {
    const w = asgWorld();
    const { d, alb } = blueGreen(w, 3);
    const { result } = await rollout(w, d, { capacity: [asgProvider(w, d, { withElb: false })], traffic: [alb], gates: [new FakeGate()] });
    expect(result.outcome).toBe('rolledBack');
    expect(await weights(w)).toEqual([100, 0]);
  });
});
