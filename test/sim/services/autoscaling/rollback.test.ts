import { ActiveInstanceRefreshNotFoundFault, CancelInstanceRefreshCommand, DescribeScalingActivitiesCommand, IrreversibleInstanceRefreshFault, RollbackInstanceRefreshCommand, StartInstanceRefreshCommand } from '@aws-sdk/client-auto-scaling';
import type { RefreshPreferences } from '@aws-sdk/client-auto-scaling';
import { describe, expect, it } from 'vitest';
import { T0 } from '../../simFixture.js';
import { failureOf, harness, TG_WEB, versionsOf, webGroup, type Harness } from './fixture.js';

function start(h: Harness, preferences: RefreshPreferences = {}, version: string | null = '2') {
  return h.client.send(
    new StartInstanceRefreshCommand({
      AutoScalingGroupName: 'web-asg',
      ...(version ? { DesiredConfiguration: { LaunchTemplate: { LaunchTemplateName: 'web', Version: version } } } : {}),
      Preferences: preferences,
    }),
  );
}

const cancel = (h: Harness, wait?: boolean) => h.client.send(new CancelInstanceRefreshCommand({ AutoScalingGroupName: 'web-asg', ...(wait === undefined ? {} : { WaitForTransitioningInstances: wait }) }));
const rollback = (h: Harness) => h.client.send(new RollbackInstanceRefreshCommand({ AutoScalingGroupName: 'web-asg' }));

describe('cancelling an instance refresh', () => {
  it('waits for launching instances, ends Cancelled, and rolls nothing back', async () => {
    const h = harness([webGroup({ desiredCapacity: 4 })]);
    const { InstanceRefreshId } = await start(h, { MinHealthyPercentage: 50 });
    h.advance(10);
    expect(await cancel(h)).toEqual(expect.objectContaining({ InstanceRefreshId }));
    expect((await h.refresh()).Status).toBe('Cancelling');
    h.advance(14);
    expect((await h.refresh()).Status).toBe('Cancelling');
    h.advance(1); // t=25: the two replacements are in service
    expect(await h.refresh()).toMatchObject({ Status: 'Cancelled', EndTime: new Date(T0 + 25_000) });
    h.advance(600);
    expect(versionsOf(h)).toEqual(['v1', 'v1', 'v2', 'v2']);
    expect((await h.group()).LaunchTemplate!.Version).toBe('1');
    expect((await h.refresh()).RollbackDetails).toBeUndefined();
  });

  it('ends at once without WaitForTransitioningInstances', async () => {
    const h = harness([webGroup({ desiredCapacity: 4 })]);
    await start(h, { MinHealthyPercentage: 50 });
    h.advance(10);
    await cancel(h, false);
    expect(await h.refresh()).toMatchObject({ Status: 'Cancelled', EndTime: new Date(T0 + 10_000) });
  });

  it('answers ActiveInstanceRefreshNotFound when nothing is in progress', async () => {
    const h = harness([webGroup({ desiredCapacity: 1 })]);
    const none = await failureOf(cancel(h));
    expect(none).toBeInstanceOf(ActiveInstanceRefreshNotFoundFault);
    expect(none.message).toBe('No in progress or pending Instance Refresh found for Auto Scaling group web-asg');
    expect(none.$metadata.httpStatusCode).toBe(400);
    await start(h, { MinHealthyPercentage: 0 });
    await cancel(h);
    expect(await failureOf(cancel(h))).toBeInstanceOf(ActiveInstanceRefreshNotFoundFault);
    await start(h, { MinHealthyPercentage: 0 });
    h.advance(60);
    expect((await h.refresh()).Status).toBe('Successful');
    expect(await failureOf(cancel(h))).toBeInstanceOf(ActiveInstanceRefreshNotFoundFault);
    expect(await failureOf(rollback(h))).toBeInstanceOf(ActiveInstanceRefreshNotFoundFault);
  });
});

describe('rolling back an instance refresh', () => {
  it('replaces the instances the refresh deployed with the original configuration and reports RollbackDetails', async () => {
    const h = harness([webGroup({ desiredCapacity: 4 })]);
    const { InstanceRefreshId } = await start(h, { MinHealthyPercentage: 50, CheckpointPercentages: [50, 100], CheckpointDelay: 600 });
    h.advance(35);
    expect(await h.refresh()).toMatchObject({ Status: 'InProgress', PercentageComplete: 50 });
    expect(await rollback(h)).toEqual(expect.objectContaining({ InstanceRefreshId }));
    const rolling = await h.refresh();
    expect(rolling).toMatchObject({
      Status: 'RollbackInProgress',
      RollbackDetails: { RollbackReason: 'Rollback initiated by a RollbackInstanceRefresh request.', RollbackStartTime: new Date(T0 + 35_000), PercentageCompleteOnRollback: 50, InstancesToUpdateOnRollback: 2 },
    });
    expect(rolling.PercentageComplete).toBeLessThan(50);
    h.advance(29);
    expect((await h.refresh()).Status).toBe('RollbackInProgress');
    h.advance(1); // t=65: the v1 replacements warmed up
    expect(await h.refresh()).toMatchObject({ Status: 'RollbackSuccessful', PercentageComplete: 0, EndTime: new Date(T0 + 65_000) });
    expect(versionsOf(h)).toEqual(['v1', 'v1', 'v1', 'v1']);
    expect((await h.group()).LaunchTemplate!.Version).toBe('1');
  });

  it('is refused without a desired configuration or with a floating launch template version', async () => {
    const h = harness([webGroup({ desiredCapacity: 2 }), { ...webGroup({ desiredCapacity: 2, version: '$Latest' }), name: 'latest-asg' }]);
    await start(h, { MinHealthyPercentage: 50 }, null);
    const noDesired = await failureOf(rollback(h));
    expect(noDesired).toBeInstanceOf(IrreversibleInstanceRefreshFault);
    expect(noDesired.message).toBe('The request failed because a desired configuration was not found for the instance refresh.');
    expect(noDesired.$metadata.httpStatusCode).toBe(400);
    await h.client.send(new StartInstanceRefreshCommand({ AutoScalingGroupName: 'latest-asg', DesiredConfiguration: { LaunchTemplate: { LaunchTemplateName: 'web', Version: '2' } } }));
    const floating = await failureOf(h.client.send(new RollbackInstanceRefreshCommand({ AutoScalingGroupName: 'latest-asg' })));
    expect(floating).toBeInstanceOf(IrreversibleInstanceRefreshFault);
    expect(floating.message).toBe('The request failed because the Auto Scaling group or the desired configuration uses the launch template version $Latest or $Default.');
    expect(h.state().refreshes.map((r) => r.status)).toEqual(['Pending', 'Pending']);
  });

  it('ends RollbackFailed when the original configuration fails its health checks', async () => {
    const h = harness([webGroup({ desiredCapacity: 2, version: '3', healthCheckGracePeriod: 600 })]);
    await start(h, { MinHealthyPercentage: 0 });
    h.advance(30);
    await rollback(h);
    h.advance(619); // the v3 replacements launched at 30, in service at 50, checked at 650
    expect((await h.refresh()).Status).toBe('RollbackInProgress');
    h.advance(1);
    const failed = await h.refresh();
    expect(failed).toMatchObject({ Status: 'RollbackFailed', EndTime: new Date(T0 + 650_000) });
    expect(failed.StatusReason).toMatch(/^Instance refresh failed: instance i-[0-9a-f]{17} failed its health check after launch/);
  });
});

describe('alarms during an instance refresh', () => {
  it('fail the refresh when one goes into ALARM, leaving replaced instances as they are', async () => {
    const h = harness([webGroup({ desiredCapacity: 4 })]);
    h.alarms.states.set('web-5xx', 'OK');
    await start(h, { MinHealthyPercentage: 50, AlarmSpecification: { Alarms: ['web-5xx', 'missing-alarm'] } });
    h.advance(18);
    h.alarms.states.set('web-5xx', 'ALARM');
    h.advance(6); // polls every 10 s from t=5: the next one is at t=25
    expect((await h.refresh()).Status).toBe('InProgress');
    h.advance(1);
    const failed = await h.refresh();
    expect(failed).toMatchObject({ Status: 'Failed', StatusReason: 'The instance refresh failed because the CloudWatch alarm web-5xx is in the ALARM state.', EndTime: new Date(T0 + 25_000), PercentageComplete: 0 });
    expect(failed.RollbackDetails).toBeUndefined();
    h.advance(600);
    expect(versionsOf(h)).toEqual(['v1', 'v1', 'v2', 'v2']);
    expect((await h.group()).LaunchTemplate!.Version).toBe('1');
  });

  it('roll back automatically with AutoRollback', async () => {
    const h = harness([webGroup({ desiredCapacity: 4 })]);
    await start(h, { MinHealthyPercentage: 50, AutoRollback: true, AlarmSpecification: { Alarms: ['web-5xx'] } });
    h.advance(38);
    h.alarms.states.set('web-5xx', 'ALARM');
    h.advance(7);
    const rolling = await h.refresh();
    expect(rolling).toMatchObject({
      Status: 'RollbackInProgress',
      StatusReason: 'The instance refresh failed because the CloudWatch alarm web-5xx is in the ALARM state.',
      RollbackDetails: { RollbackReason: 'The instance refresh failed because the CloudWatch alarm web-5xx is in the ALARM state.', RollbackStartTime: new Date(T0 + 45_000), PercentageCompleteOnRollback: 50, InstancesToUpdateOnRollback: 2 },
    });
    h.advance(120);
    expect((await h.refresh()).Status).toBe('RollbackSuccessful');
    expect(versionsOf(h)).toEqual(['v1', 'v1', 'v1', 'v1']);
    expect((await h.group()).LaunchTemplate!.Version).toBe('1');
  });

  it('are watched during the bake time too', async () => {
    const h = harness([webGroup({ desiredCapacity: 2 })]);
    await start(h, { MinHealthyPercentage: 0, BakeTime: 600, AlarmSpecification: { Alarms: ['web-5xx'] } });
    h.advance(100);
    expect((await h.refresh()).Status).toBe('Baking');
    h.alarms.states.set('web-5xx', 'ALARM');
    h.advance(10);
    expect((await h.refresh()).Status).toBe('Failed');
    expect((await h.group()).LaunchTemplate!.Version).toBe('1');
  });
});

describe('replacements failing health checks', () => {
  it('fail the refresh (EC2 health: the version fails its status checks), and the group replaces them with its own configuration', async () => {
    const h = harness([webGroup({ desiredCapacity: 4 })]);
    await start(h, { MinHealthyPercentage: 50, InstanceWarmup: 30 }, '3');
    h.advance(34);
    expect((await h.refresh()).Status).toBe('InProgress');
    h.advance(1); // t=35: in service since 25, grace period 10 s over, health check fails
    const failed = await h.refresh();
    expect(failed.Status).toBe('Failed');
    expect(failed.StatusReason).toMatch(/^Instance refresh failed: instance i-[0-9a-f]{17} failed its health check after launch\. The new configuration is not healthy\.$/);
    const activities = (await h.client.send(new DescribeScalingActivitiesCommand({ AutoScalingGroupName: 'web-asg' }))).Activities!;
    expect(activities.some((a) => a.Cause!.endsWith('an instance was taken out of service in response to an EC2 instance status check failure.'))).toBe(true);
    expect(activities.some((a) => a.Cause!.includes('an instance was taken out of service in response to an instance refresh.'))).toBe(true);
    h.advance(60);
    expect(versionsOf(h)).toEqual(['v1', 'v1', 'v1', 'v1']);
  });

  it('roll back with AutoRollback when the target group reports them unhealthy (ELB health)', async () => {
    const h = harness([webGroup({ desiredCapacity: 4, targetGroups: [TG_WEB], healthCheckType: 'ELB' })]);
    await start(h, { MinHealthyPercentage: 50, InstanceWarmup: 30, AutoRollback: true }, '3');
    h.advance(35); // v3 targets turn unhealthy 30 s after registration; Auto Scaling checks at the end of the grace period
    const rolling = await h.refresh();
    expect(rolling.Status).toBe('RollbackInProgress');
    expect(rolling.RollbackDetails!.RollbackReason).toMatch(/failed its health check/);
    const activities = (await h.client.send(new DescribeScalingActivitiesCommand({ AutoScalingGroupName: 'web-asg' }))).Activities!;
    expect(activities.some((a) => a.Cause!.endsWith('in response to an ELB system health check failure.'))).toBe(true);
    h.advance(49);
    expect((await h.refresh()).Status).toBe('RollbackInProgress');
    h.advance(1); // the v1 replacements launched at 35 are in service at 55 and warmed up at 85
    expect((await h.refresh()).Status).toBe('RollbackSuccessful');
    expect(versionsOf(h)).toEqual(['v1', 'v1', 'v1', 'v1']);
    expect(h.elb.registered(TG_WEB)).toHaveLength(4);
  });
});
