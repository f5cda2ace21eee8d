import {
  DeregisterTargetsCommand,
  DescribeTargetHealthCommand,
  ModifyListenerCommand,
  ModifyTargetGroupCommand,
  RegisterTargetsCommand,
  TargetGroupNotFoundException,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { describe, expect, it } from 'vitest';
import { targetRegistry } from '../../../../src/sim/services/contracts.js';
import { elbWorld, expectAwsError, forward } from './fixture.js';

describe('ELBv2 target health over time', () => {
  it('a registered target is initial (registration, then initial checks) until startSeconds + interval x healthy threshold', async () => {
    const { client, clock, tg } = elbWorld();
    const TargetGroupArn = tg('web-blue').arn;
    await client.send(new RegisterTargetsCommand({ TargetGroupArn, Targets: [{ Id: 'i-new' }] }));
    const health = async () => (await client.send(new DescribeTargetHealthCommand({ TargetGroupArn, Targets: [{ Id: 'i-new' }] }))).TargetHealthDescriptions?.[0];

    expect(await health()).toEqual({ Target: { Id: 'i-new', Port: 80 }, HealthCheckPort: '80', TargetHealth: { State: 'initial', Reason: 'Elb.RegistrationInProgress', Description: 'Target registration is in progress' } });
    clock.advance(10_000);
    expect((await health())?.TargetHealth).toMatchObject({ State: 'initial', Reason: 'Elb.InitialHealthChecking' });
    // i-new has no version of its own: it runs the artifact "i-new", i.e. the default version (startSeconds 20).
    clock.advance(39_999);
    expect((await health())?.TargetHealth?.State).toBe('initial');
    clock.advance(1);
    expect((await health())?.TargetHealth).toEqual({ State: 'healthy' });
  });

  it('a target whose version fails health checks turns unhealthy after interval x unhealthy threshold', async () => {
    const { world, clock, tg } = elbWorld();
    const registry = targetRegistry(world)!;
    registry.register(world, tg('web-blue').arn, [{ id: 'i-bad', version: 'broken' }]);
    expect(registry.health(world, tg('web-blue').arn, 'i-bad')).toBe('initial');
    clock.advance(29_999); // broken: startSeconds 10 + 10 s x 2 checks
    world.sync();
    expect(registry.health(world, tg('web-blue').arn, 'i-bad')).toBe('initial');
    clock.advance(1);
    world.sync();
    expect(registry.health(world, tg('web-blue').arn, 'i-bad')).toBe('unhealthy');
  });

  it('reports the unhealthy reason of an HTTP group as a response code mismatch', async () => {
    const { world, client, clock, tg } = elbWorld();
    targetRegistry(world)!.register(world, tg('web-blue').arn, [{ id: 'i-bad', version: 'broken', port: 8080 }]);
    clock.advance(60_000);
    const out = await client.send(new DescribeTargetHealthCommand({ TargetGroupArn: tg('web-blue').arn, Targets: [{ Id: 'i-bad', Port: 8080 }] }));
    expect(out.TargetHealthDescriptions?.[0]?.TargetHealth).toEqual({ State: 'unhealthy', Reason: 'Target.ResponseCodeMismatch', Description: 'Health checks failed with these codes: [500]' });
  });

  it('targets of a group nothing forwards to are unused, and start initial checks when a listener forwards to it', async () => {
    const { client, clock, tg, listener } = elbWorld();
    const TargetGroupArn = tg('web-spare').arn;
    const health = async () => (await client.send(new DescribeTargetHealthCommand({ TargetGroupArn }))).TargetHealthDescriptions?.[0]?.TargetHealth;
    expect(await health()).toEqual({ State: 'unused', Reason: 'Target.NotInUse', Description: 'Target group is not configured to receive traffic from the load balancer' });

    clock.advance(100_000);
    await client.send(new ModifyListenerCommand({ ListenerArn: listener().arn, DefaultActions: forward([[tg('web-blue').arn, 100], [TargetGroupArn, 0]]) }));
    expect((await health())?.State).toBe('initial');
    clock.advance(20_000 + 5 * 30_000); // v1 startSeconds 20, default health checks: 30 s x 5
    expect((await health())?.State).toBe('healthy');

    await client.send(new ModifyListenerCommand({ ListenerArn: listener().arn, DefaultActions: forward([[tg('web-blue').arn, 1]]) }));
    expect((await health())?.State).toBe('unused');
  });

  it('a deregistered target drains for the deregistration delay, then is gone', async () => {
    const { client, clock, tg, state } = elbWorld();
    const TargetGroupArn = tg('web-green').arn; // deregistrationDelaySeconds: 30
    const id = tg('web-green').targets[0]!.id;
    await client.send(new DeregisterTargetsCommand({ TargetGroupArn, Targets: [{ Id: id }] }));
    const out = await client.send(new DescribeTargetHealthCommand({ TargetGroupArn, Targets: [{ Id: id }] }));
    expect(out.TargetHealthDescriptions?.[0]?.TargetHealth).toEqual({ State: 'draining', Reason: 'Target.DeregistrationInProgress', Description: 'Target deregistration is in progress' });
    clock.advance(29_999);
    expect((await client.send(new DescribeTargetHealthCommand({ TargetGroupArn }))).TargetHealthDescriptions).toHaveLength(3);
    clock.advance(1);
    const after = await client.send(new DescribeTargetHealthCommand({ TargetGroupArn }));
    expect(after.TargetHealthDescriptions).toHaveLength(2);
    expect(state().targetGroups[TargetGroupArn]?.targets.map((t) => t.id)).not.toContain(id);
    // Naming a target that is not registered reports it unused / NotRegistered instead of dropping it.
    const named = await client.send(new DescribeTargetHealthCommand({ TargetGroupArn, Targets: [{ Id: id }] }));
    expect(named.TargetHealthDescriptions).toEqual([{ Target: { Id: id, Port: 80 }, TargetHealth: { State: 'unused', Reason: 'Target.NotRegistered', Description: 'Target is not registered to the target group' } }]);
  });

  it('the default deregistration delay is 300 s', async () => {
    const { world, clock, tg } = elbWorld();
    const registry = targetRegistry(world)!;
    const id = tg('web-blue').targets[0]!.id;
    registry.deregister(world, tg('web-blue').arn, [id]);
    expect(registry.health(world, tg('web-blue').arn, id)).toBe('draining');
    clock.advance(299_000);
    world.sync();
    expect(registry.health(world, tg('web-blue').arn, id)).toBe('draining');
    clock.advance(1_000);
    world.sync();
    expect(registry.health(world, tg('web-blue').arn, id)).toBeUndefined();
  });

  it('DeregisterTargets without a port means the group port, and a target that matches nothing is ignored', async () => {
    const { client, tg } = elbWorld();
    const TargetGroupArn = tg('web-spare').arn; // its target listens on 8080, the group on 80
    await client.send(new DeregisterTargetsCommand({ TargetGroupArn, Targets: [{ Id: '10.0.0.9' }, { Id: 'i-unknown' }] }));
    expect(tg('web-spare').targets[0]?.state).not.toBe('draining');
    await client.send(new DeregisterTargetsCommand({ TargetGroupArn, Targets: [{ Id: '10.0.0.9', Port: 8080 }] }));
    expect(tg('web-spare').targets[0]?.state).toBe('draining');
  });

  it('registering a registered target again changes nothing; re-registering a draining one starts over', async () => {
    const { client, clock, tg } = elbWorld();
    const TargetGroupArn = tg('web-blue').arn;
    const id = tg('web-blue').targets[0]!.id;
    await client.send(new RegisterTargetsCommand({ TargetGroupArn, Targets: [{ Id: id }] }));
    expect(tg('web-blue').targets.find((t) => t.id === id)?.state).toBe('healthy');
    await client.send(new DeregisterTargetsCommand({ TargetGroupArn, Targets: [{ Id: id }] }));
    clock.advance(1_000);
    await client.send(new RegisterTargetsCommand({ TargetGroupArn, Targets: [{ Id: id }] }));
    const target = tg('web-blue').targets.find((t) => t.id === id);
    // The id keeps the version it had (v1), so it is ready after 20 s + 10 s x 3.
    expect(target).toMatchObject({ state: 'initial', version: 'v1' });
    clock.advance(50_000);
    const out = await client.send(new DescribeTargetHealthCommand({ TargetGroupArn, Targets: [{ Id: id }] }));
    expect(out.TargetHealthDescriptions?.[0]?.TargetHealth?.State).toBe('healthy');
  });

  it('ModifyTargetGroup moves pending verdicts with the new interval and thresholds', async () => {
    const { client, clock, tg } = elbWorld();
    const TargetGroupArn = tg('web-blue').arn;
    await client.send(new RegisterTargetsCommand({ TargetGroupArn, Targets: [{ Id: 'i-late' }] }));
    await client.send(new ModifyTargetGroupCommand({ TargetGroupArn, HealthCheckIntervalSeconds: 30, HealthyThresholdCount: 10 }));
    clock.advance(20_000 + 299_000);
    const state = async () => (await client.send(new DescribeTargetHealthCommand({ TargetGroupArn, Targets: [{ Id: 'i-late' }] }))).TargetHealthDescriptions?.[0]?.TargetHealth?.State;
    expect(await state()).toBe('initial');
    clock.advance(1_000);
    expect(await state()).toBe('healthy');
  });

  it('health checks disabled: targets are unavailable / HealthCheckDisabled', async () => {
    const { client, tg } = elbWorld();
    const TargetGroupArn = tg('web-blue').arn;
    await client.send(new ModifyTargetGroupCommand({ TargetGroupArn, HealthCheckEnabled: false }));
    const out = await client.send(new DescribeTargetHealthCommand({ TargetGroupArn }));
    expect(out.TargetHealthDescriptions?.map((d) => d.TargetHealth)).toEqual(Array(3).fill({ State: 'unavailable', Reason: 'Target.HealthCheckDisabled', Description: 'Health checks are disabled' }));
  });

  it('the target registry: exists, health of unknown targets, and ignoring unknown groups', async () => {
    const { world, client, tg } = elbWorld();
    const registry = targetRegistry(world)!;
    const missing = tg('web-blue').arn.replace(/[0-9a-f]{16}$/, '0000000000000000');
    expect(registry.exists(world, tg('web-blue').arn)).toBe(true);
    expect(registry.exists(world, missing)).toBe(false);
    expect(registry.health(world, tg('web-blue').arn, 'i-nobody')).toBeUndefined();
    expect(registry.health(world, missing, 'i-nobody')).toBeUndefined();
    registry.register(world, missing, [{ id: 'i-x', version: 'v1' }]);
    registry.deregister(world, missing, ['i-x']);
    expect(registry.health(world, tg('web-blue').arn, tg('web-blue').targets[0]!.id)).toBe('healthy');
    // Ids registered through the registry keep their version when also registered through the API elsewhere.
    registry.register(world, tg('web-blue').arn, [{ id: 'i-asg', version: 'v2', port: 80 }]);
    await client.send(new RegisterTargetsCommand({ TargetGroupArn: tg('web-green').arn, Targets: [{ Id: 'i-asg' }] }));
    expect(tg('web-green').targets.find((t) => t.id === 'i-asg')?.version).toBe('v2');
  });

  it('DescribeTargetHealth, RegisterTargets and DeregisterTargets on an unknown group are TargetGroupNotFound', async () => {
    const { client, tg } = elbWorld();
    const TargetGroupArn = tg('web-blue').arn.replace(/[0-9a-f]{16}$/, '0000000000000000');
    await expectAwsError(client.send(new DescribeTargetHealthCommand({ TargetGroupArn })), 'TargetGroupNotFoundException');
    await expect(client.send(new RegisterTargetsCommand({ TargetGroupArn, Targets: [{ Id: 'i-1' }] }))).rejects.toBeInstanceOf(TargetGroupNotFoundException);
    await expectAwsError(client.send(new DeregisterTargetsCommand({ TargetGroupArn, Targets: [{ Id: 'i-1' }] })), 'TargetGroupNotFoundException');
  });
});
