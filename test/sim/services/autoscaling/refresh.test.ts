import { DescribeInstanceRefreshesCommand, StartInstanceRefreshCommand, UpdateAutoScalingGroupCommand, SetDesiredCapacityCommand, InstanceRefreshInProgressFault } from '@aws-sdk/client-auto-scaling';
import type { RefreshPreferences, StartInstanceRefreshCommandInput } from '@aws-sdk/client-auto-scaling';
import { describe, expect, it } from 'vitest';
import { T0 } from '../../simFixture.js';
import { failureOf, harness, versionsOf, webGroup, type Harness } from './fixture.js';

function start(h: Harness, preferences: RefreshPreferences = {}, version: string | null = '2', extra: Partial<StartInstanceRefreshCommandInput> = {}) {
  return h.client.send(
    new StartInstanceRefreshCommand({
      AutoScalingGroupName: 'web-asg',
      ...(version ? { DesiredConfiguration: { LaunchTemplate: { LaunchTemplateName: 'web', Version: version } } } : {}),
      Preferences: preferences,
      ...extra,
    }),
  );
}

/** Instances of the group by state: old/new version and lifecycle, e.g. { 'v1:InService': 3, 'v2:Pending': 1 }. */
function census(h: Harness): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const i of Object.values(h.state().instances)) counts[`${i.version}:${i.lifecycle}`] = (counts[`${i.version}:${i.lifecycle}`] ?? 0) + 1;
  return counts;
}

describe('instance refresh', () => {
  it('replaces one instance at a time by default (MinHealthyPercentage 90 of 4), each after its warmup, then adopts the desired configuration', async () => {
    const h = harness([webGroup({ desiredCapacity: 4 })]);
    const { InstanceRefreshId } = await start(h);
    expect(InstanceRefreshId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(await h.refresh()).toMatchObject({ InstanceRefreshId, Status: 'Pending', PercentageComplete: 0, InstancesToUpdate: 4, StartTime: new Date(T0), Strategy: 'Rolling' });
    h.advance(5);
    expect(census(h)).toEqual({ 'v1:InService': 3, 'v1:Terminating': 1, 'v2:Pending': 1 });
    const warming = await h.refresh();
    expect(warming).toMatchObject({ Status: 'InProgress', PercentageComplete: 0, InstancesToUpdate: 4 });
    expect(warming.StatusReason).toMatch(/^Waiting for instances to warm up before continuing\. For example: i-[0-9a-f]{17} is warming up\.$/);
    h.advance(29); // t=34: InService since 25, warmup (the grace period, 10 s) not over
    expect(census(h)).toEqual({ 'v1:InService': 3, 'v2:InService': 1 });
    expect((await h.refresh()).PercentageComplete).toBe(0);
    h.advance(1); // t=35: the first replacement counts; the next one starts
    expect(await h.refresh()).toMatchObject({ PercentageComplete: 25, InstancesToUpdate: 3, ProgressDetails: { LivePoolProgress: { PercentageComplete: 25, InstancesToUpdate: 3 } } });
    expect(census(h)).toEqual({ 'v1:InService': 2, 'v1:Terminating': 1, 'v2:InService': 1, 'v2:Pending': 1 });
    h.advance(60);
    expect((await h.refresh()).PercentageComplete).toBe(75);
    expect((await h.group()).LaunchTemplate!.Version).toBe('1');
    h.advance(30); // t=125
    const done = await h.refresh();
    expect(done).toMatchObject({ Status: 'Successful', PercentageComplete: 100, InstancesToUpdate: 0, EndTime: new Date(T0 + 125_000) });
    expect(done.StatusReason).toBeUndefined();
    expect(done.Preferences).toEqual({ MinHealthyPercentage: 90, SkipMatching: false, AutoRollback: false, ScaleInProtectedInstances: 'Wait', StandbyInstances: 'Wait' });
    expect(done.DesiredConfiguration).toEqual({ LaunchTemplate: { LaunchTemplateId: (await h.group()).LaunchTemplate!.LaunchTemplateId, LaunchTemplateName: 'web', Version: '2' } });
    expect((await h.group()).LaunchTemplate!.Version).toBe('2');
    expect(versionsOf(h)).toEqual(['v2', 'v2', 'v2', 'v2']);
  });

  it('launches before terminating with MaxHealthyPercentage above 100, never dropping below desired healthy capacity', async () => {
    const h = harness([webGroup({ desiredCapacity: 4 })]);
    await start(h, { MinHealthyPercentage: 100, MaxHealthyPercentage: 150, InstanceWarmup: 10 });
    h.advance(5);
    expect(census(h)).toEqual({ 'v1:InService': 4, 'v2:Pending': 2 });
    h.advance(25); // t=30: new ones in service but warming, old ones all still serving
    expect(census(h)).toEqual({ 'v1:InService': 4, 'v2:InService': 2 });
    h.advance(5); // t=35: warmed up -> two old terminate, two more launch
    expect(census(h)).toEqual({ 'v1:InService': 2, 'v1:Terminating': 2, 'v2:InService': 2, 'v2:Pending': 2 });
    expect((await h.refresh()).PercentageComplete).toBe(50);
    h.advance(30);
    expect(await h.refresh()).toMatchObject({ Status: 'Successful', PercentageComplete: 100 });
    expect(versionsOf(h)).toEqual(['v2', 'v2', 'v2', 'v2']);
    expect((await h.refresh()).Preferences).toMatchObject({ MinHealthyPercentage: 100, MaxHealthyPercentage: 150, InstanceWarmup: 10 });
  });

  it('terminates and launches as many as MinHealthyPercentage allows when MaxHealthyPercentage is not given', async () => {
    const h = harness([webGroup({ desiredCapacity: 4 })]);
    await start(h, { MinHealthyPercentage: 50 });
    h.advance(5);
    expect(census(h)).toEqual({ 'v1:InService': 2, 'v1:Terminating': 2, 'v2:Pending': 2 });
    h.advance(30);
    expect(census(h)).toEqual({ 'v1:Terminating': 2, 'v2:InService': 2, 'v2:Pending': 2 });
    h.advance(30);
    expect((await h.refresh()).Status).toBe('Successful');
  });

  it('pauses at each checkpoint for CheckpointDelay, staying InProgress, and continues by itself', async () => {
    const h = harness([webGroup({ desiredCapacity: 4 })]);
    await start(h, { MinHealthyPercentage: 25, CheckpointPercentages: [50, 100], CheckpointDelay: 60 });
    h.advance(5);
    expect(census(h)).toEqual({ 'v1:InService': 2, 'v1:Terminating': 2, 'v2:Pending': 2 });
    h.advance(30); // t=35: 50% replaced
    const paused = await h.refresh();
    expect(paused).toMatchObject({ Status: 'InProgress', PercentageComplete: 50, InstancesToUpdate: 2 });
    expect(paused.StatusReason).toBe('Checkpoint 50% reached at 2026-01-01T00:00:35Z. Waiting 60 seconds (the checkpoint delay) before continuing.');
    expect(paused.Preferences).toMatchObject({ CheckpointPercentages: [50, 100], CheckpointDelay: 60 });
    h.advance(59);
    expect(census(h)).toEqual({ 'v1:InService': 2, 'v2:InService': 2 });
    h.advance(1); // t=95
    expect(census(h)).toEqual({ 'v1:Terminating': 2, 'v2:InService': 2, 'v2:Pending': 2 });
    expect((await h.refresh()).StatusReason).toMatch(/^Waiting for instances to warm up/);
    h.advance(30);
    expect(await h.refresh()).toMatchObject({ Status: 'Successful', PercentageComplete: 100 });
  });

  it('defaults CheckpointDelay to an hour and paces replacements to the checkpoint even when more would be allowed', async () => {
    const h = harness([webGroup({ desiredCapacity: 4 })]);
    await start(h, { MinHealthyPercentage: 0, CheckpointPercentages: [25, 100] });
    h.advance(5);
    expect(census(h)).toEqual({ 'v1:InService': 3, 'v1:Terminating': 1, 'v2:Pending': 1 });
    h.advance(30);
    expect((await h.refresh()).Preferences!.CheckpointDelay).toBe(3600);
    h.advance(3599);
    expect(census(h)).toEqual({ 'v1:InService': 3, 'v2:InService': 1 });
    h.advance(1);
    expect(census(h)).toEqual({ 'v1:Terminating': 3, 'v2:InService': 1, 'v2:Pending': 3 });
  });

  it('ends a partial refresh at its last checkpoint below 100 as Successful, leaving the rest on the old version', async () => {
    const h = harness([webGroup({ desiredCapacity: 4 })]);
    await start(h, { MinHealthyPercentage: 50, CheckpointPercentages: [50] });
    h.advance(35);
    expect(await h.refresh()).toMatchObject({ Status: 'Successful', PercentageComplete: 50, InstancesToUpdate: 2 });
    expect(versionsOf(h)).toEqual(['v1', 'v1', 'v2', 'v2']);
    expect((await h.group()).LaunchTemplate!.Version).toBe('2');
  });

  it('completes when a scale-in mid-refresh leaves nothing on the old version (a scaling policy lowering desired capacity)', async () => {
    const h = harness([webGroup({ desiredCapacity: 4 })]);
    await start(h, { MinHealthyPercentage: 50 });
    h.advance(35); // two replaced and warmed up, two old ones left
    expect(await h.refresh()).toMatchObject({ Status: 'InProgress', PercentageComplete: 50 });
    await h.client.send(new SetDesiredCapacityCommand({ AutoScalingGroupName: 'web-asg', DesiredCapacity: 2 }));
    h.advance(60);
    const after = await h.refresh();
    expect(versionsOf(h)).toEqual(['v2', 'v2']);
    expect(after).toMatchObject({ Status: 'Successful', PercentageComplete: 100, InstancesToUpdate: 0 });
    expect((await h.group()).LaunchTemplate!.Version).toBe('2');
  });

  it('bakes after the last replacement before succeeding', async () => {
    const h = harness([webGroup({ desiredCapacity: 2 })]);
    await start(h, { MinHealthyPercentage: 0, BakeTime: 120 });
    h.advance(35);
    expect(await h.refresh()).toMatchObject({ Status: 'Baking', PercentageComplete: 100, InstancesToUpdate: 0 });
    expect((await h.group()).LaunchTemplate!.Version).toBe('1');
    h.advance(119);
    expect((await h.refresh()).Status).toBe('Baking');
    h.advance(1);
    expect(await h.refresh()).toMatchObject({ Status: 'Successful', EndTime: new Date(T0 + 155_000) });
    expect((await h.group()).LaunchTemplate!.Version).toBe('2');
  });

  it('waits InstanceWarmup, else DefaultInstanceWarmup, else the grace period, before counting a replacement', async () => {
    for (const [group, prefs, readyAt] of [
      [webGroup({ desiredCapacity: 1, healthCheckGracePeriod: 10 }), {}, 35],
      [webGroup({ desiredCapacity: 1, healthCheckGracePeriod: 10, defaultInstanceWarmup: 40 }), {}, 65],
      [webGroup({ desiredCapacity: 1, defaultInstanceWarmup: 40 }), { InstanceWarmup: 0 }, 25],
    ] as const) {
      const h = harness([group]);
      await start(h, prefs);
      h.advance(readyAt - 1);
      expect((await h.refresh()).Status).toBe('InProgress');
      h.advance(1);
      expect((await h.refresh()).Status).toBe('Successful');
    }
  });

  it('skips instances that already match the desired configuration with SkipMatching', async () => {
    const h = harness([webGroup({ desiredCapacity: 2 })]);
    await h.client.send(new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: 'web-asg', LaunchTemplate: { LaunchTemplateName: 'web', Version: '2' } }));
    await h.client.send(new SetDesiredCapacityCommand({ AutoScalingGroupName: 'web-asg', DesiredCapacity: 4 }));
    h.advance(40);
    const v2Before = Object.values(h.state().instances).filter((i) => i.version === 'v2').map((i) => i.id).sort();
    await start(h, { SkipMatching: true, MinHealthyPercentage: 50 });
    expect((await h.refresh()).InstancesToUpdate).toBe(2);
    h.advance(35);
    expect(await h.refresh()).toMatchObject({ Status: 'Successful', PercentageComplete: 100 });
    expect(versionsOf(h)).toEqual(['v2', 'v2', 'v2', 'v2']);
    for (const id of v2Before) expect(h.state().instances[id]?.lifecycle).toBe('InService');
  });

  it('without a desired configuration replaces every instance with the group\'s own configuration', async () => {
    const h = harness([webGroup({ desiredCapacity: 2, version: '$Default' })]);
    const before = Object.keys(h.state().instances).sort();
    await start(h, { MinHealthyPercentage: 0 }, null);
    h.advance(35);
    const done = await h.refresh();
    expect(done.Status).toBe('Successful');
    expect(done.DesiredConfiguration).toBeUndefined();
    expect((await h.group()).LaunchTemplate!.Version).toBe('$Default');
    const after = Object.values(h.state().instances).filter((i) => i.lifecycle !== 'Terminating').map((i) => i.id);
    expect(after).toHaveLength(2);
    for (const id of after) expect(before).not.toContain(id);
    expect(versionsOf(h)).toEqual(['v1', 'v1']);
  });

  it('completes at once when there is nothing to replace', async () => {
    const h = harness([webGroup({ desiredCapacity: 0 })]);
    await start(h);
    h.advance(5);
    expect(await h.refresh()).toMatchObject({ Status: 'Successful', PercentageComplete: 100, InstancesToUpdate: 0 });
  });

  it('allows one active refresh per group', async () => {
    const h = harness([webGroup({ desiredCapacity: 2 }), { ...webGroup({ desiredCapacity: 1 }), name: 'api-asg' }]);
    await start(h);
    const error = await failureOf(start(h));
    expect(error).toBeInstanceOf(InstanceRefreshInProgressFault);
    expect(error.message).toBe('An Instance Refresh is already in progress and blocks the execution of this Instance Refresh.');
    expect(error.$metadata.httpStatusCode).toBe(400);
    await h.client.send(new StartInstanceRefreshCommand({ AutoScalingGroupName: 'api-asg' }));
    h.advance(200);
    await start(h);
    const all = await h.client.send(new DescribeInstanceRefreshesCommand({ AutoScalingGroupName: 'web-asg' }));
    expect(all.InstanceRefreshes!.map((r) => r.Status)).toEqual(['Pending', 'Successful']);
  });

  it('rejects preferences AWS rejects, before and after the model checks', async () => {
    const h = harness([webGroup({ desiredCapacity: 1 }), { ...webGroup({ desiredCapacity: 1, version: '$Default' }), name: 'floating' }]);
    const cases: [StartInstanceRefreshCommandInput, string][] = [
      [{ AutoScalingGroupName: 'web-asg', Preferences: { MaxHealthyPercentage: 120 } }, "The request isn't valid. You must specify MinHealthyPercentage when you specify MaxHealthyPercentage."],
      [{ AutoScalingGroupName: 'web-asg', Preferences: { MinHealthyPercentage: 20, MaxHealthyPercentage: 130 } }, "The request isn't valid. The difference between MaxHealthyPercentage and MinHealthyPercentage can't be greater than 100."],
      [{ AutoScalingGroupName: 'web-asg', Preferences: { CheckpointDelay: 60 } }, "The request isn't valid. You must specify CheckpointPercentages when you specify CheckpointDelay."],
      [{ AutoScalingGroupName: 'web-asg', Preferences: { CheckpointPercentages: [50, 20] } }, "The request isn't valid. CheckpointPercentages must be unique and in ascending order."],
      [{ AutoScalingGroupName: 'web-asg', Preferences: { CheckpointPercentages: [50, 50, 100] } }, "The request isn't valid. CheckpointPercentages must be unique and in ascending order."],
      [{ AutoScalingGroupName: 'web-asg', Preferences: { AlarmSpecification: { Alarms: Array.from({ length: 11 }, (_, i) => `a${i}`) } } }, "The request isn't valid. You can specify up to 10 alarms in AlarmSpecification."],
      [{ AutoScalingGroupName: 'web-asg', Preferences: { AutoRollback: true } }, "The request isn't valid. The AutoRollback parameter cannot be set to true when the DesiredConfiguration parameter is empty. Set AutoRollback to false or specify a desired configuration and try again."],
      [{ AutoScalingGroupName: 'web-asg', DesiredConfiguration: { LaunchTemplate: { LaunchTemplateName: 'web', Version: '$Latest' } }, Preferences: { AutoRollback: true } }, "The request isn't valid. The AutoRollback parameter cannot be set to true when the Auto Scaling group or the desired configuration uses the $Latest or $Default launch template version. Specify a launch template version number and try again."],
      [{ AutoScalingGroupName: 'floating', DesiredConfiguration: { LaunchTemplate: { LaunchTemplateName: 'web', Version: '2' } }, Preferences: { AutoRollback: true } }, "The request isn't valid. The AutoRollback parameter cannot be set to true when the Auto Scaling group or the desired configuration uses the $Latest or $Default launch template version. Specify a launch template version number and try again."],
      [{ AutoScalingGroupName: 'web-asg', DesiredConfiguration: { LaunchTemplate: { LaunchTemplateName: 'nope' } } }, 'You must use a valid fully-formed launch template. The specified launch template, with template name nope, does not exist.'],
      [{ AutoScalingGroupName: 'nope' }, "AutoScalingGroup name not found - AutoScalingGroup 'nope' not found"],
    ];
    for (const [input, message] of cases) {
      const error = await failureOf(h.client.send(new StartInstanceRefreshCommand(input)));
      expect({ name: error.name, message: error.message, status: error.$metadata.httpStatusCode }).toEqual({ name: 'ValidationError', message, status: 400 });
    }
    // Range checks come from the model, before the service sees the call.
    for (const preferences of [{ MinHealthyPercentage: 101 }, { MinHealthyPercentage: 90, MaxHealthyPercentage: 99 }, { MinHealthyPercentage: 90, MaxHealthyPercentage: 201 }, { CheckpointPercentages: [0, 100] }, { CheckpointPercentages: [50, 100], CheckpointDelay: 172801 }, { BakeTime: 172801 }]) {
      const error = await failureOf(start(h, preferences));
      expect({ name: error.name, status: error.$metadata.httpStatusCode }).toEqual({ name: 'ValidationError', status: 400 });
    }
    expect(h.state().refreshes).toEqual([]);
  });

  it('lists refreshes newest first, by id, a page at a time', async () => {
    const h = harness([webGroup({ desiredCapacity: 1 })]);
    const ids: string[] = [];
    for (let n = 0; n < 3; n++) {
      ids.push((await start(h, { MinHealthyPercentage: 0 }, n % 2 === 0 ? '2' : '1')).InstanceRefreshId!);
      h.advance(60);
    }
    const first = await h.client.send(new DescribeInstanceRefreshesCommand({ AutoScalingGroupName: 'web-asg', MaxRecords: 2 }));
    expect(first.InstanceRefreshes!.map((r) => r.InstanceRefreshId)).toEqual([ids[2], ids[1]]);
    const rest = await h.client.send(new DescribeInstanceRefreshesCommand({ AutoScalingGroupName: 'web-asg', MaxRecords: 2, NextToken: first.NextToken }));
    expect(rest.InstanceRefreshes!.map((r) => r.InstanceRefreshId)).toEqual([ids[0]]);
    expect(rest.NextToken).toBeUndefined();
    const picked = await h.client.send(new DescribeInstanceRefreshesCommand({ AutoScalingGroupName: 'web-asg', InstanceRefreshIds: [ids[1]!] }));
    expect(picked.InstanceRefreshes!.map((r) => r.InstanceRefreshId)).toEqual([ids[1]]);
    const missing = await failureOf(h.client.send(new DescribeInstanceRefreshesCommand({ AutoScalingGroupName: 'nope' })));
    expect(missing.name).toBe('ValidationError');
    h.advance(43 * 24 * 3600);
    expect((await h.client.send(new DescribeInstanceRefreshesCommand({ AutoScalingGroupName: 'web-asg' }))).InstanceRefreshes).toEqual([]);
  });
});
