import { DescribeScalingActivitiesCommand, InstanceRefreshInProgressFault, StartInstanceRefreshCommand, UpdateAutoScalingGroupCommand } from '@aws-sdk/client-auto-scaling';
import { describe, expect, it } from 'vitest';
import { parseFault } from '../../../../src/sim/faults.js';
import { failureOf, harness, TG_WEB, versionsOf, webGroup } from './fixture.js';

describe('Auto Scaling health checks', () => {
  it('replaces an instance whose target turns unhealthy only while the group uses ELB health checks', async () => {
    const h = harness([webGroup({ desiredCapacity: 2, targetGroups: [TG_WEB] })]);
    h.advance(60);
    const [sick, well] = Object.keys(h.state().instances).sort();
    h.elb.unhealthy.add(sick!);
    h.advance(120);
    expect(h.state().instances[sick!]).toMatchObject({ lifecycle: 'InService', health: 'Healthy' });
    await h.client.send(new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: 'web-asg', HealthCheckType: 'ELB' }));
    h.advance(30);
    expect(h.state().instances[sick!]).toMatchObject({ lifecycle: 'Terminating', health: 'Unhealthy' });
    expect(h.state().instances[well!]).toMatchObject({ lifecycle: 'InService', health: 'Healthy' });
    expect(h.elb.registered(TG_WEB)).not.toContain(sick);
    const activities = (await h.client.send(new DescribeScalingActivitiesCommand({ AutoScalingGroupName: 'web-asg' }))).Activities!;
    expect(activities[0]!.Description).toMatch(/^Launching a new EC2 instance: i-[0-9a-f]{17}$/);
    expect(activities[1]).toMatchObject({ Description: `Terminating EC2 instance: ${sick}`, StatusCode: 'InProgress' });
    expect(activities[1]!.Cause).toMatch(/^At 2026-01-01T00:03:30Z an instance was taken out of service in response to an ELB system health check failure\.$/);
    h.advance(60);
    expect(h.state().instances[sick!]).toBeUndefined();
    expect(versionsOf(h)).toEqual(['v1', 'v1']);
    expect(h.elb.registered(TG_WEB)).toHaveLength(2);
  });

  it('does not act on health before the grace period ends', () => {
    const h = harness([webGroup({ desiredCapacity: 1, targetGroups: [TG_WEB], healthCheckType: 'ELB', healthCheckGracePeriod: 300 })]);
    const [id] = Object.keys(h.state().instances);
    h.elb.unhealthy.add(id!);
    h.advance(299);
    expect(h.state().instances[id!]!.health).toBe('Healthy');
    h.advance(1);
    expect(h.state().instances[id!]!.health).toBe('Unhealthy');
  });

  it('answers a retried StartInstanceRefresh whose first attempt timed out after applying with InstanceRefreshInProgress', async () => {
    const h = harness([webGroup({ desiredCapacity: 2 })]);
    h.world.addFault(parseFault('timeout-after-apply:autoscaling:StartInstanceRefresh=x1'));
    const start = () => h.client.send(new StartInstanceRefreshCommand({ AutoScalingGroupName: 'web-asg', DesiredConfiguration: { LaunchTemplate: { LaunchTemplateName: 'web', Version: '2' } } }));
    await expect(start()).rejects.toThrow();
    expect((await h.refresh()).Status).toBe('Pending');
    expect(await failureOf(start())).toBeInstanceOf(InstanceRefreshInProgressFault);
    expect(h.state().refreshes).toHaveLength(1);
  });
});
