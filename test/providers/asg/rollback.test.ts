import { afterEach, describe, expect, it } from 'vitest';
import type { DeployError } from '../../../src/errors.js';
import type { Json } from '../../../src/providers/types.js';
import { VirtualClock } from '../../../src/time/clock.js';
import { ASG_TARGET, build, contexts, FakeAsg, group, instance, LISTENER, LT, LT_GREEN, providerFor, TG_BLUE, TG_GREEN, type Built } from './fixtures.js';

/** Layer 1: what the way back sends, against aws-sdk-client-mock. */

let fake: FakeAsg | undefined;
afterEach(() => fake?.mock.restore());

async function started(built: Built, groups = [group('web')]) {
  const clock = new VirtualClock();
  fake = new FakeAsg(clock, groups);
  const provider = providerFor(fake, built);
  const ctx = contexts(clock, built.plan);
  const snapshot = await provider.capture(ctx.base);
  const first = built.plan.steps.find((s) => s.type === 'deployCapacity');
  const handle = await provider.start(first?.type === 'deployCapacity' ? first.percent : 100, undefined, ctx.capacity(snapshot));
  const f = fake;
  // What follows is the way back only.
  f.mock.resetHistory();
  const rollback = (h: Json | undefined = handle) => clock.run(provider.rollback(snapshot, h, ctx.capacity(snapshot)));
  return { clock, fake: f, provider, ctx, snapshot, handle, rollback };
}

const rolling = (version: number | string = 7) => build({ strategy: 'rolling', batch: '25%', targets: [{ ...ASG_TARGET, launchTemplateVersion: version }] });

describe('rollback of an instance refresh', () => {
  it('while our refresh runs with numbered versions: RollbackInstanceRefresh, then every instance verified back on v6', async () => {
    const { fake, rollback } = await started(rolling());
    fake.refreshes[0]!.Status = 'InProgress';
    fake.groups.web!.Instances = [instance('i-1', '6'), instance('i-2', '6'), instance('i-5', '7'), instance('i-6', '7')];
    await rollback();
    expect(fake.writes()).toEqual(['RollbackInstanceRefresh']);
    expect(fake.inputs('RollbackInstanceRefresh')).toEqual([{ AutoScalingGroupName: 'web' }]);
    expect(fake.groups.web!.Instances!.map((i) => i.LaunchTemplate!.Version)).toEqual(['6', '6', '6', '6']);
  });

  it('$Latest: Cancel, then a refresh back to the captured version (only instances not on it), never RollbackInstanceRefresh', async () => {
    const { fake, rollback } = await started(rolling('$Latest'));
    fake.refreshes[0]!.Status = 'InProgress';
    fake.groups.web!.Instances = [instance('i-1', '6'), instance('i-2', '6'), instance('i-5', '8'), instance('i-6', '8')];
    fake.onStart = (back) => fake.finish(back.InstanceRefreshId!, 'Successful');
    await rollback();
    expect(fake.writes()).toEqual(['CancelInstanceRefresh', 'StartInstanceRefresh']);
    expect(fake.inputs('StartInstanceRefresh')[0]).toEqual({
      AutoScalingGroupName: 'web',
      DesiredConfiguration: { LaunchTemplate: { LaunchTemplateId: LT, Version: '6' } },
      Preferences: { MinHealthyPercentage: 75, SkipMatching: true },
    });
    expect(fake.groups.web!.LaunchTemplate).toEqual({ LaunchTemplateId: LT, LaunchTemplateName: 'web-lt', Version: '6' });
  });

  it('a group on $Latest goes back to the version its instances ran, then follows $Latest again as captured', async () => {
    const { fake, rollback } = await started(rolling(7), [group('web', { version: '$Latest' })]);
    fake.finish(fake.refreshes[0]!.InstanceRefreshId!, 'Successful');
    fake.onStart = (back) => fake.finish(back.InstanceRefreshId!, 'Successful');
    await rollback();
    expect(fake.writes()).toEqual(['StartInstanceRefresh', 'UpdateAutoScalingGroup']);
    expect(fake.inputs('StartInstanceRefresh')[0]).toMatchObject({ DesiredConfiguration: { LaunchTemplate: { LaunchTemplateId: LT, Version: '6' } } });
    expect(fake.inputs('UpdateAutoScalingGroup')).toEqual([{ AutoScalingGroupName: 'web', LaunchTemplate: { LaunchTemplateId: LT, Version: '$Latest' } }]);
    expect(fake.groups.web!.LaunchTemplate!.Version).toBe('$Latest');
    expect(fake.groups.web!.Instances!.every((i) => i.LaunchTemplate!.Version === '6')).toBe(true);
  });

  it('Auto Scaling already rolling back (AutoRollback on an alarm): waits for it, sends nothing', async () => {
    const { fake, rollback, clock } = await started(rolling());
    const refresh = fake.refreshes[0]!;
    refresh.Status = 'RollbackInProgress';
    fake.groups.web!.Instances = [instance('i-1', '6'), instance('i-2', '6'), instance('i-5', '7'), instance('i-6', '7')];
    clock.setTimeout(() => {
      refresh.Status = 'RollbackSuccessful';
      fake.putOn('web', '6', false);
    }, 30_000);
    await rollback();
    expect(fake.writes()).toEqual([]);
  });

  it('a rollback refused as irreversible falls back to cancel and a refresh back', async () => {
    const { fake, rollback } = await started(rolling());
    fake.refreshes[0]!.Status = 'InProgress';
    fake.groups.web!.Instances = [instance('i-1', '6'), instance('i-2', '6'), instance('i-5', '7'), instance('i-6', '7')];
    fake.failNext.set('RollbackInstanceRefresh', { error: Object.assign(new Error('The request failed because the launch template uses an SSM parameter.'), { name: 'IrreversibleInstanceRefreshFault' }) });
    fake.onStart = (back) => fake.finish(back.InstanceRefreshId!, 'Successful');
    await rollback();
    expect(fake.writes()).toEqual(['RollbackInstanceRefresh', 'CancelInstanceRefresh', 'StartInstanceRefresh']);
  });

  it('never cancels a refresh someone else started during the rollout: the rollback fails and says whose', async () => {
    const { fake, rollback } = await started(rolling());
    fake.finish(fake.refreshes[0]!.InstanceRefreshId!, 'Successful');
    fake.addRefresh({ AutoScalingGroupName: 'web', Status: 'InProgress', DesiredConfiguration: { LaunchTemplate: { LaunchTemplateId: LT, Version: '9' } } });
    const error = (await rollback().catch((e: unknown) => e)) as DeployError;
    expect(error.code).toBe('CAPACITY_FAILED');
    expect(error.message).toMatch(/another instance refresh r-2 \(InProgress since .*\) is active on web; deployctl does not cancel a refresh it did not start/);
    expect(fake.writes()).toEqual([]);
  });

  it('nothing was started (crash before the handle was saved, no refresh found): verifies and writes nothing', async () => {
    const clock = new VirtualClock();
    fake = new FakeAsg(clock, [group('web')]);
    const built = rolling();
    const provider = providerFor(fake, built);
    const ctx = contexts(clock, built.plan);
    const snapshot = await provider.capture(ctx.base);
    await clock.run(provider.rollback(snapshot, undefined, ctx.capacity(snapshot)));
    expect(fake.writes()).toEqual([]);
  });

  it('retries failed reads on the way back instead of giving up', async () => {
    const { fake, rollback } = await started(rolling());
    fake.refreshes[0]!.Status = 'InProgress';
    fake.failNext.set('DescribeInstanceRefreshes', { error: Object.assign(new Error('Rate exceeded'), { name: 'Throttling' }) });
    await rollback();
    expect(fake.writes()).toEqual(['RollbackInstanceRefresh']);
  });
});

describe('blue-green with two groups: requests', () => {
  const alb = { type: 'alb', listenerArn: LISTENER, stableTargetGroupArn: TG_BLUE, canaryTargetGroupArn: TG_GREEN };
  const built = build({ strategy: 'blueGreen', bake: '10m', targets: [alb, { ...ASG_TARGET, newGroupName: 'web-green' }] });
  const groups = () => [group('web', { min: 2, max: 8 }), group('web-green', { template: LT_GREEN, version: '1', min: 0, max: 1, desired: 0, instances: [], targetGroups: [TG_GREEN] })];

  async function setup() {
    const clock = new VirtualClock();
    fake = new FakeAsg(clock, groups());
    const provider = providerFor(fake, built);
    const ctx = contexts(clock, built.plan);
    const snapshot = await provider.capture(ctx.base);
    return { clock, fake, provider, ctx, snapshot, cap: ctx.capacity(snapshot) };
  }

  it('start sets the new group to v7 at the old group sizes, once; status follows its instances until all are ready', async () => {
    const { fake, provider, cap } = await setup();
    const handle = await provider.start(100, undefined, cap);
    expect(fake.inputs('UpdateAutoScalingGroup')).toEqual([{ AutoScalingGroupName: 'web-green', LaunchTemplate: { LaunchTemplateId: LT_GREEN, Version: '7' }, MinSize: 2, MaxSize: 8, DesiredCapacity: 4 }]);
    expect(await providerFor(fake, built).start(100, undefined, cap)).toMatchObject({ mode: 'twoGroups', group: 'web-green' });
    expect(fake.writes()).toEqual(['UpdateAutoScalingGroup']);
    fake.groups['web-green']!.Instances = [instance('g-1', '7', LT_GREEN), instance('g-2', '7', LT_GREEN, 'Pending')];
    expect(await provider.status(handle, cap)).toEqual({ state: 'inProgress', percent: 25, detail: '1 of 4 instances ready on v7; not yet: g-2 Pending' });
    fake.scaleToDesired('web-green');
    expect(await provider.status(handle, cap)).toEqual({ state: 'succeeded', percent: 100, detail: '4 of 4 instances ready on v7' });
  });

  it('a new instance failing its health check fails the deployment (from the scaling activities)', async () => {
    const { fake, provider, cap, clock } = await setup();
    const handle = await provider.start(100, undefined, cap);
    fake.activities = [{ ActivityId: 'a-1', AutoScalingGroupName: 'web-green', Description: 'Terminating EC2 instance: i-9', Cause: 'At 2026-01-01T00:01:00Z an instance was taken out of service in response to an ELB system health check failure.', StartTime: new Date(clock.now() + 1000), StatusCode: 'InProgress' }];
    expect(await provider.status(handle, cap)).toEqual({
      state: 'failed',
      reason: 'web-green: an instance of the new version failed its health check (Terminating EC2 instance: i-9: At 2026-01-01T00:01:00Z an instance was taken out of service in response to an ELB system health check failure.)',
    });
  });

  it('retireOld scales the old group to zero; restoreOld puts its captured sizes back and waits until it serves; rollback empties the new group', async () => {
    const { fake, provider, cap, snapshot, clock } = await setup();
    const handle = await provider.start(100, undefined, cap);
    fake.scaleToDesired('web-green');
    await provider.retireOld(cap);
    expect(fake.inputs('UpdateAutoScalingGroup')[1]).toEqual({ AutoScalingGroupName: 'web', MinSize: 0, DesiredCapacity: 0 });
    fake.scaleToDesired('web');
    fake.onUpdate = (name) => fake.scaleToDesired(name);
    await clock.run(provider.restoreOld(snapshot, cap));
    expect(fake.inputs('UpdateAutoScalingGroup')[2]).toEqual({ AutoScalingGroupName: 'web', MinSize: 2, MaxSize: 8, DesiredCapacity: 4 });
    await clock.run(provider.rollback(snapshot, handle, cap));
    expect(fake.inputs('UpdateAutoScalingGroup')[3]).toEqual({ AutoScalingGroupName: 'web-green', LaunchTemplate: { LaunchTemplateId: LT_GREEN, Version: '1' }, MinSize: 0, MaxSize: 1, DesiredCapacity: 0 });
    expect(fake.groups['web-green']).toMatchObject({ MinSize: 0, MaxSize: 1, DesiredCapacity: 0, Instances: [] });
  });

  it('start refuses a new group someone else changed since the capture', async () => {
    const { fake, provider, cap } = await setup();
    fake.groups['web-green']!.DesiredCapacity = 1;
    const error = (await provider.start(100, undefined, cap).catch((e: unknown) => e)) as DeployError;
    expect(error.code).toBe('DRIFT');
    expect(error.message).toBe('asg web → web-green (launch template v7): web-green was changed by someone else since the capture (desired 0 → 1); not scaling it up');
    expect(fake.writes()).toEqual([]);
  });
});

describe('manual restore commands', () => {
  it('instance refresh: rollback, or cancel and refresh back, quoted for a POSIX shell, with the Region of the group', async () => {
    const { provider, snapshot } = await started(rolling('$Latest'), [group('web', { version: '$Latest' })]);
    expect(provider.manualRestoreCommands(snapshot)).toEqual([
      "# asg web (launch template $Latest): if this deployment's instance refresh is still active, roll it back (AWS allows it with numbered versions on both sides):",
      "aws autoscaling rollback-instance-refresh --region 'eu-west-1' --auto-scaling-group-name 'web'",
      '# otherwise, or if that is refused: cancel it, wait until describe-instance-refreshes shows Cancelled, and refresh back to v6:',
      "aws autoscaling cancel-instance-refresh --region 'eu-west-1' --auto-scaling-group-name 'web'",
      `aws autoscaling start-instance-refresh --region 'eu-west-1' --auto-scaling-group-name 'web' --desired-configuration '{"LaunchTemplate":{"LaunchTemplateId":"${LT}","Version":"6"}}' --preferences '{"MinHealthyPercentage":75,"SkipMatching":true}'`,
      '# once that refresh is Successful, the group follows $Latest again as captured:',
      `aws autoscaling update-auto-scaling-group --region 'eu-west-1' --auto-scaling-group-name 'web' --launch-template '{"LaunchTemplateId":"${LT}","Version":"$Latest"}'`,
      "aws autoscaling describe-instance-refreshes --region 'eu-west-1' --auto-scaling-group-name 'web' --max-records 1",
      "aws autoscaling describe-auto-scaling-groups --region 'eu-west-1' --auto-scaling-group-names 'web' --query 'AutoScalingGroups[].[AutoScalingGroupName,MinSize,MaxSize,DesiredCapacity,LaunchTemplate.Version,Instances[].[InstanceId,LifecycleState,HealthStatus,LaunchTemplate.Version]]'",
    ]);
  });

  it('blue-green: the old group back to its size first, then the new group as captured', async () => {
    const alb = { type: 'alb', listenerArn: LISTENER, stableTargetGroupArn: TG_BLUE, canaryTargetGroupArn: TG_GREEN };
    const bg = build({ strategy: 'blueGreen', targets: [alb, { ...ASG_TARGET, newGroupName: "it's-green" }] });
    const clock = new VirtualClock();
    fake = new FakeAsg(clock, [group('web'), group("it's-green", { template: LT_GREEN, version: '1', min: 0, max: 0, instances: [], targetGroups: [TG_GREEN] })]);
    const provider = providerFor(fake, bg);
    const snapshot = await provider.capture(contexts(clock, bg.plan).base);
    const commands = provider.manualRestoreCommands(snapshot);
    expect(commands[1]).toBe("aws autoscaling update-auto-scaling-group --region 'eu-west-1' --auto-scaling-group-name 'web' --min-size 2 --max-size 8 --desired-capacity 4");
    expect(commands[3]).toBe(
      `aws autoscaling update-auto-scaling-group --region 'eu-west-1' --auto-scaling-group-name 'it'\\''s-green' --launch-template '{"LaunchTemplateId":"${LT_GREEN}","Version":"1"}' --min-size 0 --max-size 0 --desired-capacity 0`,
    );
  });

  it('without a captured configuration: says so and prints how to look', () => {
    const clock = new VirtualClock();
    fake = new FakeAsg(clock, []);
    expect(providerFor(fake, rolling()).manualRestoreCommands(null)).toEqual([
      '# asg web (launch template v7): no captured configuration was recorded, so there is nothing exact to restore; inspect it with:',
      "aws autoscaling describe-auto-scaling-groups --auto-scaling-group-names 'web' --query 'AutoScalingGroups[].[AutoScalingGroupName,MinSize,MaxSize,DesiredCapacity,LaunchTemplate.Version,Instances[].[InstanceId,LifecycleState,HealthStatus,LaunchTemplate.Version]]'",
    ]);
  });
});
