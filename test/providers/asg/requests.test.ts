import { afterEach, describe, expect, it } from 'vitest';
import { DeployError } from '../../../src/errors.js';
import type { Json } from '../../../src/providers/types.js';
import { VirtualClock } from '../../../src/time/clock.js';
import { ASG_TARGET, build, contexts, FakeAsg, group, LT, providerFor, type Built } from './fixtures.js';

/** Layer 1: the exact requests, against aws-sdk-client-mock. */

let fake: FakeAsg | undefined;
afterEach(() => fake?.mock.restore());

function setup(built: Built, groups = [group('web')]) {
  const clock = new VirtualClock();
  fake = new FakeAsg(clock, groups);
  const provider = providerFor(fake, built);
  const ctx = contexts(clock, built.plan);
  return { clock, fake, provider, ctx };
}

const ALARMS = { alarms: ['web-5xx', 'web-latency'] };

describe('instance refresh requests', () => {
  it('preflight only reads (DescribeAutoScalingGroups, DescribeInstanceRefreshes) and shows the request it will send', async () => {
    const { fake, provider, ctx } = setup(build({ strategy: 'rolling', batch: '25%', targets: [ASG_TARGET], gates: ALARMS }));
    const report = await provider.preflight(ctx.base);
    expect(report.errors).toEqual([]);
    expect(fake.sent()).toEqual(['DescribeAutoScalingGroups', 'DescribeInstanceRefreshes']);
    expect(fake.inputs('DescribeAutoScalingGroups')).toEqual([{ AutoScalingGroupNames: ['web'] }]);
    expect(fake.inputs('DescribeInstanceRefreshes')).toEqual([{ AutoScalingGroupName: 'web', MaxRecords: 10 }]);
    expect(report.facts).toMatchObject({
      web: { launchTemplate: 'web-lt v6', minSize: 2, maxSize: 8, desiredCapacity: 4, instances: { v6: 4 } },
      startInstanceRefresh: {
        AutoScalingGroupName: 'web',
        DesiredConfiguration: { LaunchTemplate: { LaunchTemplateId: LT, Version: '7' } },
        Preferences: { MinHealthyPercentage: 75, AlarmSpecification: { Alarms: ['web-5xx', 'web-latency'] }, AutoRollback: true },
      },
      nativeRollback: 'AutoRollback on (numbered versions)',
    });
  });

  it('rolling 25% with a 2m pause: one StartInstanceRefresh, MinHealthy 75, checkpoints 25/50/75/100 with the pause as the delay', async () => {
    const built = build({ strategy: 'rolling', batch: '25%', pause: '2m', targets: [{ ...ASG_TARGET, instanceWarmup: '90s', maxHealthyPercentage: 150 }], gates: ALARMS });
    const { fake, provider, ctx } = setup(built);
    const snapshot = await provider.capture(ctx.base);
    let handle: Json | undefined;
    for (const percent of [25, 50, 75, 100]) handle = await provider.start(percent, handle, ctx.capacity(snapshot));
    expect(fake.inputs('StartInstanceRefresh')).toEqual([
      {
        AutoScalingGroupName: 'web',
        DesiredConfiguration: { LaunchTemplate: { LaunchTemplateId: LT, Version: '7' } },
        Preferences: {
          MinHealthyPercentage: 75,
          MaxHealthyPercentage: 150,
          InstanceWarmup: 90,
          CheckpointPercentages: [25, 50, 75, 100],
          CheckpointDelay: 120,
          AlarmSpecification: { Alarms: ['web-5xx', 'web-latency'] },
          AutoRollback: true,
        },
      },
    ]);
    expect(handle).toMatchObject({ mode: 'refresh', refreshId: 'r-1', group: 'web' });
  });

  it('a 4-step capacity canary: one refresh with CheckpointPercentages 1/5/25/100 and the bake as CheckpointDelay; status reports the checkpoint reached', async () => {
    const built = build({ strategy: 'canary', steps: '1,5,25,100', bake: '5m', targets: [ASG_TARGET] });
    const { fake, provider, ctx } = setup(built);
    const snapshot = await provider.capture(ctx.base);
    const cap = ctx.capacity(snapshot);
    const handle = await provider.start(1, undefined, cap);
    expect(fake.inputs('StartInstanceRefresh')[0]).toMatchObject({ Preferences: { CheckpointPercentages: [1, 5, 25, 100], CheckpointDelay: 300, AutoRollback: true } });
    const refresh = fake.refreshes[0]!;
    const at = async (status: string, percent: number, reason?: string) => {
      Object.assign(refresh, { Status: status, PercentageComplete: percent, ...(reason ? { StatusReason: reason } : {}) });
      return provider.status(handle, cap);
    };
    expect(await at('Pending', 0)).toMatchObject({ state: 'inProgress', percent: 0 });
    expect(await at('InProgress', 0)).toMatchObject({ state: 'inProgress', percent: 0 });
    expect(await at('InProgress', 25, 'Checkpoint 25% reached')).toEqual({ state: 'inProgress', percent: 25, detail: '25% of instances replaced: Checkpoint 25% reached' });
    expect(await at('InProgress', 50)).toMatchObject({ state: 'inProgress', percent: 25 });
    expect(await at('Baking', 100)).toMatchObject({ state: 'inProgress', percent: 100 });
    expect(await at('Successful', 100)).toMatchObject({ state: 'succeeded', percent: 100 });
    for (const percent of [5, 25, 100]) expect(await provider.start(percent, handle, cap)).toBe(handle);
    expect(fake.sent().filter((op) => op === 'StartInstanceRefresh')).toHaveLength(1);
  });

  it('big-bang launches the whole new fleet before terminating the old one (min 100%, max 200%) and keeps the refresh baking through the final bake', async () => {
    const { fake, provider, ctx } = setup(build({ strategy: 'bigBang', finalBake: '10m', targets: [ASG_TARGET] }));
    const snapshot = await provider.capture(ctx.base);
    await provider.start(100, undefined, ctx.capacity(snapshot));
    expect(fake.inputs('StartInstanceRefresh')[0]).toEqual({
      AutoScalingGroupName: 'web',
      DesiredConfiguration: { LaunchTemplate: { LaunchTemplateId: LT, Version: '7' } },
      Preferences: { MinHealthyPercentage: 100, MaxHealthyPercentage: 200, BakeTime: 600, AutoRollback: true },
    });
  });

  it('rolling by count: a batch of 1 instance of 4 keeps 75% healthy; the target may override it and skip matching instances', async () => {
    const one = setup(build({ strategy: 'rolling', batch: 1, targets: [ASG_TARGET] }));
    await one.provider.start(100, undefined, one.ctx.capacity(await one.provider.capture(one.ctx.base)));
    expect(fake!.inputs('StartInstanceRefresh')[0]).toMatchObject({ Preferences: { MinHealthyPercentage: 75 } });
    fake!.mock.restore();
    const overridden = setup(build({ strategy: 'rolling', batch: 1, targets: [{ ...ASG_TARGET, minHealthyPercentage: 50, skipMatching: true }] }));
    await overridden.provider.start(100, undefined, overridden.ctx.capacity(await overridden.provider.capture(overridden.ctx.base)));
    expect(fake!.inputs('StartInstanceRefresh')[0]).toMatchObject({ Preferences: { MinHealthyPercentage: 50, SkipMatching: true } });
  });

  it('$Latest: no AutoRollback (AWS refuses it), said in preflight before any call; the alarms still stop the refresh', async () => {
    const built = build({ strategy: 'rolling', batch: '50%', targets: [{ ...ASG_TARGET, launchTemplateVersion: '$Latest' }], gates: ALARMS });
    const { fake, provider, ctx } = setup(built);
    const report = await provider.preflight(ctx.base);
    expect(report.errors).toEqual([]);
    expect(report.warnings).toContainEqual(expect.stringContaining("Auto Scaling's AutoRollback is off: AWS refuses it for $Latest/$Default and the new launch template version is $Latest"));
    await provider.start(50, undefined, ctx.capacity(await provider.capture(ctx.base)));
    expect(fake.inputs('StartInstanceRefresh')[0]).toEqual({
      AutoScalingGroupName: 'web',
      DesiredConfiguration: { LaunchTemplate: { LaunchTemplateId: LT, Version: '$Latest' } },
      Preferences: { MinHealthyPercentage: 50, AlarmSpecification: { Alarms: ['web-5xx', 'web-latency'] } },
    });
  });

  it('more than 10 alarms: the first 10 go to AlarmSpecification, the rest are named as left to our gates', async () => {
    const alarms = Array.from({ length: 12 }, (_, i) => `alarm-${i + 1}`);
    const { provider, ctx } = setup(build({ strategy: 'rolling', batch: '50%', targets: [ASG_TARGET], gates: { alarms } }));
    const report = await provider.preflight(ctx.base);
    expect(report.warnings).toContain("an instance refresh watches at most 10 alarms; alarm-11, alarm-12 are watched by deployctl's gates only");
    expect(report.facts!.startInstanceRefresh).toMatchObject({ Preferences: { AlarmSpecification: { Alarms: alarms.slice(0, 10) } } });
  });

  it('ignoreFiringAlarms keeps the alarms out of the refresh (AWS would fail it at once on one already in ALARM)', async () => {
    const { provider, ctx } = setup(build({ strategy: 'rolling', batch: '50%', targets: [ASG_TARGET], gates: { ...ALARMS, ignoreFiringAlarms: true } }));
    const report = await provider.preflight(ctx.base);
    expect(report.facts!.startInstanceRefresh).not.toHaveProperty('Preferences.AlarmSpecification');
    expect(report.warnings.join('\n')).toContain('ignoreFiringAlarms is set');
  });
});

describe('one refresh at a time', () => {
  it('a refresh started by someone else is reported in preflight with its id, status and start time, and never touched', async () => {
    const { fake, provider, ctx, clock } = setup(build({ strategy: 'rolling', batch: '25%', targets: [ASG_TARGET] }));
    fake.addRefresh({ AutoScalingGroupName: 'web', Status: 'InProgress', StartTime: new Date(clock.now() - 600_000), DesiredConfiguration: { LaunchTemplate: { LaunchTemplateId: LT, Version: '9' } } });
    const report = await provider.preflight(ctx.base);
    expect(report.errors).toEqual([
      'an instance refresh r-1 (InProgress since 2025-12-31T23:50:00Z) is already active on web; deployctl never overwrites or cancels it: wait for it to end, or cancel it yourself',
    ]);
    expect(fake.writes()).toEqual([]);
  });

  it('start refuses (DRIFT) when someone else started a refresh after the capture, and neither starts nor cancels', async () => {
    const { fake, provider, ctx } = setup(build({ strategy: 'rolling', batch: '25%', targets: [ASG_TARGET] }));
    const snapshot = await provider.capture(ctx.base);
    fake.addRefresh({ AutoScalingGroupName: 'web', Status: 'InProgress', DesiredConfiguration: { LaunchTemplate: { LaunchTemplateId: LT, Version: '9' } } });
    const error = await provider.start(25, undefined, ctx.capacity(snapshot)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeployError);
    expect((error as DeployError).code).toBe('DRIFT');
    expect((error as DeployError).message).toContain('another instance refresh r-1 (InProgress since');
    expect(fake.writes()).toEqual([]);
  });

  it('after a crash (no handle saved) start adopts the refresh this deployment started instead of starting a second', async () => {
    const built = build({ strategy: 'rolling', batch: '25%', targets: [ASG_TARGET] });
    const { fake, provider, ctx } = setup(built);
    const snapshot = await provider.capture(ctx.base);
    const first = await provider.start(25, undefined, ctx.capacity(snapshot));
    const again = await providerFor(fake, built).start(50, undefined, ctx.capacity(snapshot));
    expect(again).toMatchObject({ mode: 'refresh', refreshId: (first as { refreshId: string }).refreshId });
    expect(fake.writes()).toEqual(['StartInstanceRefresh']);
  });

  it('a start that timed out after AWS accepted it is recognised by its desired configuration, not sent twice', async () => {
    const { fake, provider, ctx } = setup(build({ strategy: 'rolling', batch: '25%', targets: [ASG_TARGET] }));
    const snapshot = await provider.capture(ctx.base);
    fake.failNext.set('StartInstanceRefresh', { error: Object.assign(new Error('socket hang up'), { name: 'TimeoutError' }), applied: true });
    const handle = await provider.start(25, undefined, ctx.capacity(snapshot));
    expect(handle).toMatchObject({ refreshId: 'r-1' });
    expect(fake.writes()).toEqual(['StartInstanceRefresh']);
  });

  it('someone changed the launch template after the capture: DRIFT, nothing started', async () => {
    const { fake, provider, ctx } = setup(build({ strategy: 'rolling', batch: '25%', targets: [ASG_TARGET] }));
    const snapshot = await provider.capture(ctx.base);
    fake.groups.web!.LaunchTemplate!.Version = '8';
    const error = (await provider.start(25, undefined, ctx.capacity(snapshot)).catch((e: unknown) => e)) as DeployError;
    expect(error.code).toBe('DRIFT');
    expect(error.message).toBe("asg web (launch template v7): web's launch template was changed by someone else since the capture, from web-lt v6 to web-lt v8");
    expect(fake.writes()).toEqual([]);
  });
});

describe('progress reads', () => {
  const throttled = () => ({ error: Object.assign(new Error('Rate exceeded'), { name: 'Throttling' }) });

  it('a progress read failing after the SDK retries reports the last status seen, a few times in a row, then fails', async () => {
    const { fake, provider, ctx } = setup(build({ strategy: 'rolling', batch: '25%', targets: [ASG_TARGET] }));
    const snapshot = await provider.capture(ctx.base);
    const cap = ctx.capacity(snapshot);
    const handle = await provider.start(25, undefined, cap);
    Object.assign(fake.refreshes[0]!, { Status: 'InProgress', PercentageComplete: 50 });
    expect(await provider.status(handle, cap)).toMatchObject({ state: 'inProgress', percent: 50 });
    for (let n = 1; n < 5; n++) {
      fake.failNext.set('DescribeInstanceRefreshes', throttled());
      expect(await provider.status(handle, cap)).toEqual({ state: 'inProgress', percent: 50, detail: 'progress not read (DescribeInstanceRefreshes failed: Throttling: Rate exceeded); last seen: 50% of instances replaced' });
    }
    fake.failNext.set('DescribeInstanceRefreshes', throttled());
    await expect(provider.status(handle, cap)).rejects.toMatchObject({ code: 'AWS_ERROR' });
  });

  it('a read that succeeds in between starts the count again; an error no retry fixes fails at once', async () => {
    const { fake, provider, ctx } = setup(build({ strategy: 'rolling', batch: '25%', targets: [ASG_TARGET] }));
    const snapshot = await provider.capture(ctx.base);
    const cap = ctx.capacity(snapshot);
    const handle = await provider.start(25, undefined, cap);
    for (let n = 0; n < 8; n++) {
      if (n % 2 === 0) fake.failNext.set('DescribeInstanceRefreshes', throttled());
      expect(await provider.status(handle, cap)).toMatchObject({ state: 'inProgress' });
    }
    fake.failNext.set('DescribeInstanceRefreshes', { error: Object.assign(new Error('User is not authorized'), { name: 'AccessDenied' }) });
    await expect(provider.status(handle, cap)).rejects.toMatchObject({ code: 'AWS_ERROR', message: expect.stringContaining('AccessDenied') });
  });
});
