import {
  AlreadyExistsFault,
  CreateAutoScalingGroupCommand,
  DeleteAutoScalingGroupCommand,
  DescribeAutoScalingGroupsCommand,
  DescribeAutoScalingInstancesCommand,
  DescribeScalingActivitiesCommand,
  ResourceInUseFault,
  ScalingActivityInProgressFault,
  SetDesiredCapacityCommand,
  UpdateAutoScalingGroupCommand,
} from '@aws-sdk/client-auto-scaling';
import { describe, expect, it } from 'vitest';
import { launchTemplateId } from '../../../../src/sim/services/autoscaling/launchTemplates.js';
import { T0 } from '../../simFixture.js';
import { failureOf, harness, TG_WEB, versionsOf, webGroup } from './fixture.js';

const LT = launchTemplateId('web');

describe('Auto Scaling groups', () => {
  it('describes a seeded group: stable ARN, launch template, InService instances registered with its target groups', async () => {
    const h = harness([webGroup({ desiredCapacity: 3, targetGroups: [TG_WEB] })]);
    const group = await h.group();
    expect(group.AutoScalingGroupARN).toMatch(/^arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}:autoScalingGroupName\/web-asg$/);
    expect(harness([webGroup({ desiredCapacity: 3, targetGroups: [TG_WEB] })]).state().groups['web-asg']!.arn).toBe(group.AutoScalingGroupARN);
    expect(LT).toMatch(/^lt-[0-9a-f]{17}$/);
    expect(group.LaunchTemplate).toEqual({ LaunchTemplateId: LT, LaunchTemplateName: 'web', Version: '1' });
    expect(group).toMatchObject({ MinSize: 0, MaxSize: 20, DesiredCapacity: 3, HealthCheckType: 'EC2', HealthCheckGracePeriod: 10, TargetGroupARNs: [TG_WEB], TrafficSources: [{ Identifier: TG_WEB, Type: 'elbv2' }] });
    expect(group.AvailabilityZones).toEqual(['us-east-1a', 'us-east-1b']);
    expect(group.Instances).toHaveLength(3);
    for (const instance of group.Instances!) {
      expect(instance).toMatchObject({ LifecycleState: 'InService', HealthStatus: 'Healthy', InstanceType: 't3.micro', ImageId: 'ami-web-1', LaunchTemplate: { LaunchTemplateId: LT, Version: '1' } });
      expect(instance.InstanceId).toMatch(/^i-[0-9a-f]{17}$/);
    }
    expect(group.Instances!.map((i) => i.AvailabilityZone).sort()).toEqual(['us-east-1a', 'us-east-1a', 'us-east-1b']);
    expect(h.elb.registered(TG_WEB)).toEqual(group.Instances!.map((i) => i.InstanceId).sort());
  });

  it('creates a group whose instances launch Pending and go InService after their version starts, with scaling activities', async () => {
    const h = harness([]);
    await h.client.send(new CreateAutoScalingGroupCommand({ AutoScalingGroupName: 'api', LaunchTemplate: { LaunchTemplateName: 'web', Version: '2' }, MinSize: 1, MaxSize: 4, DesiredCapacity: 2, AvailabilityZones: ['us-east-1c'], TargetGroupARNs: [TG_WEB] }));
    let group = await h.group('api');
    expect(group.Instances!.map((i) => i.LifecycleState)).toEqual(['Pending', 'Pending']);
    expect(group.Instances!.map((i) => i.InstanceType)).toEqual(['t3.small', 't3.small']);
    expect(h.elb.registered(TG_WEB)).toHaveLength(2);
    h.advance(19);
    expect((await h.group('api')).Instances!.every((i) => i.LifecycleState === 'Pending')).toBe(true);
    h.advance(1);
    group = await h.group('api');
    expect(group.Instances!.map((i) => i.LifecycleState)).toEqual(['InService', 'InService']);
    const activities = (await h.client.send(new DescribeScalingActivitiesCommand({ AutoScalingGroupName: 'api' }))).Activities!;
    expect(activities).toHaveLength(2);
    expect(activities[0]).toMatchObject({ StatusCode: 'Successful', Progress: 100, AutoScalingGroupARN: group.AutoScalingGroupARN });
    expect(activities.map((a) => a.Description).sort()).toEqual(group.Instances!.map((i) => `Launching a new EC2 instance: ${i.InstanceId}`).sort());
    expect(activities[1]!.Cause).toBe('At 2026-01-01T00:00:00Z an instance was started in response to a difference between desired and actual capacity, increasing the capacity from 0 to 1.');
  });

  it('derives availability zones from subnets and defaults desired capacity to the minimum', async () => {
    const h = harness([]);
    await h.client.send(new CreateAutoScalingGroupCommand({ AutoScalingGroupName: 'api', LaunchTemplate: { LaunchTemplateId: LT }, MinSize: 2, MaxSize: 4, VPCZoneIdentifier: 'subnet-aaa,subnet-bbb' }));
    const group = await h.group('api');
    expect(group.DesiredCapacity).toBe(2);
    expect(group.LaunchTemplate).toEqual({ LaunchTemplateId: LT, LaunchTemplateName: 'web' });
    expect(group.VPCZoneIdentifier).toBe('subnet-aaa,subnet-bbb');
    expect(group.AvailabilityZones!.length).toBeGreaterThan(0);
    for (const zone of group.AvailabilityZones!) expect(zone).toMatch(/^us-east-1[abc]$/);
  });

  it('rejects what AWS rejects when creating a group', async () => {
    const h = harness();
    const create = (input: Partial<ConstructorParameters<typeof CreateAutoScalingGroupCommand>[0]>) =>
      failureOf(h.client.send(new CreateAutoScalingGroupCommand({ AutoScalingGroupName: 'api', LaunchTemplate: { LaunchTemplateName: 'web' }, MinSize: 1, MaxSize: 2, AvailabilityZones: ['us-east-1a'], ...input })));
    const exists = await create({ AutoScalingGroupName: 'web-asg' });
    expect(exists).toBeInstanceOf(AlreadyExistsFault);
    expect(exists.message).toBe('AutoScalingGroup by this name already exists - A group with the name web-asg already exists');
    expect(exists.$metadata.httpStatusCode).toBe(400);
    const cases: [Partial<ConstructorParameters<typeof CreateAutoScalingGroupCommand>[0]>, string][] = [
      [{ MinSize: 5, MaxSize: 3 }, 'Max bound, 3, must be greater than or equal to min bound, 5'],
      [{ DesiredCapacity: 7 }, 'Desired capacity:7 must be between the specified min size:1 and max size:2'],
      [{ LaunchTemplate: undefined }, 'Valid requests must contain either LaunchTemplate, LaunchConfigurationName, InstanceId or MixedInstancesPolicy parameter.'],
      [{ LaunchTemplate: { LaunchTemplateName: 'nope' } }, 'You must use a valid fully-formed launch template. The specified launch template, with template name nope, does not exist.'],
      [{ LaunchTemplate: { LaunchTemplateId: LT, LaunchTemplateName: 'web' } }, 'Valid requests must contain either launchTemplateId or LaunchTemplateName'],
      [{ LaunchTemplate: { LaunchTemplateName: 'web', Version: '9' } }, `You must use a valid fully-formed launch template. The specified launch template version 9 for launch template ${LT} does not exist.`],
      [{ AvailabilityZones: undefined }, 'At least one Availability Zone or VPC Subnet is required.'],
      [{ TargetGroupARNs: ['arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/gone/1111111111111111'] }, 'Provided Target Groups may not be valid. Please ensure they exist and try again.'],
    ];
    for (const [input, message] of cases) {
      const error = await create(input);
      expect({ name: error.name, message: error.message, status: error.$metadata.httpStatusCode }).toEqual({ name: 'ValidationError', message, status: 400 });
    }
    expect(Object.keys(h.state().groups)).toEqual(['web-asg']);
  });

  it('updates sizes the documented way: a new minimum above desired capacity raises it, a new maximum below lowers it', async () => {
    const h = harness([webGroup({ desiredCapacity: 2, maxSize: 6 })]);
    await h.client.send(new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: 'web-asg', MinSize: 3 }));
    expect(await h.group()).toMatchObject({ MinSize: 3, DesiredCapacity: 3 });
    expect(versionsOf(h)).toEqual(['v1', 'v1', 'v1']);
    await h.client.send(new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: 'web-asg', MinSize: 0, MaxSize: 1 }));
    expect(await h.group()).toMatchObject({ MinSize: 0, MaxSize: 1, DesiredCapacity: 1 });
    expect(versionsOf(h)).toEqual(['v1']);
    const error = await failureOf(h.client.send(new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: 'web-asg', DesiredCapacity: 4 })));
    expect(error.message).toBe('Desired capacity:4 must be between the specified min size:0 and max size:1');
    const missing = await failureOf(h.client.send(new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: 'nope', MinSize: 1 })));
    expect({ name: missing.name, message: missing.message }).toEqual({ name: 'ValidationError', message: 'AutoScalingGroup name not found - null' });
  });

  it('launches new instances from a new launch template version while existing ones keep theirs', async () => {
    const h = harness([webGroup({ desiredCapacity: 2 })]);
    await h.client.send(new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: 'web-asg', LaunchTemplate: { LaunchTemplateName: 'web', Version: '$Latest' }, DefaultInstanceWarmup: 45, HealthCheckType: 'ELB' }));
    await h.client.send(new SetDesiredCapacityCommand({ AutoScalingGroupName: 'web-asg', DesiredCapacity: 3 }));
    const group = await h.group();
    expect(group).toMatchObject({ LaunchTemplate: { LaunchTemplateName: 'web', Version: '$Latest' }, DefaultInstanceWarmup: 45, HealthCheckType: 'ELB' });
    expect(versionsOf(h)).toEqual(['v1', 'v1', 'v3']);
    expect(group.Instances!.find((i) => i.LifecycleState === 'Pending')!.LaunchTemplate!.Version).toBe('3');
    await h.client.send(new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: 'web-asg', DefaultInstanceWarmup: -1 }));
    expect((await h.group()).DefaultInstanceWarmup).toBeUndefined();
  });

  it('sets desired capacity within the bounds and scales in oldest-configuration instances first', async () => {
    const h = harness([webGroup({ desiredCapacity: 2, maxSize: 4 })]);
    await h.client.send(new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: 'web-asg', LaunchTemplate: { LaunchTemplateName: 'web', Version: '2' } }));
    await h.client.send(new SetDesiredCapacityCommand({ AutoScalingGroupName: 'web-asg', DesiredCapacity: 4 }));
    h.advance(30);
    expect(versionsOf(h)).toEqual(['v1', 'v1', 'v2', 'v2']);
    await h.client.send(new SetDesiredCapacityCommand({ AutoScalingGroupName: 'web-asg', DesiredCapacity: 2 }));
    expect(versionsOf(h)).toEqual(['v2', 'v2']);
    expect((await h.group()).Instances!.filter((i) => i.LifecycleState === 'Terminating')).toHaveLength(2);
    h.advance(20);
    expect((await h.group()).Instances).toHaveLength(2);
    const above = await failureOf(h.client.send(new SetDesiredCapacityCommand({ AutoScalingGroupName: 'web-asg', DesiredCapacity: 5 })));
    expect({ name: above.name, message: above.message }).toEqual({ name: 'ValidationError', message: 'New SetDesiredCapacity value 5 is above max value 4 for the AutoScalingGroup.' });
    await h.client.send(new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: 'web-asg', MinSize: 2 }));
    const below = await failureOf(h.client.send(new SetDesiredCapacityCommand({ AutoScalingGroupName: 'web-asg', DesiredCapacity: 1 })));
    expect(below.message).toBe('New SetDesiredCapacity value 1 is below min value 2 for the AutoScalingGroup.');
  });

  it('refuses to delete a group with instances or activities in progress unless forced, then deletes it once its instances are gone', async () => {
    const h = harness([webGroup({ desiredCapacity: 2, targetGroups: [TG_WEB] })]);
    const inUse = await failureOf(h.client.send(new DeleteAutoScalingGroupCommand({ AutoScalingGroupName: 'web-asg' })));
    expect(inUse).toBeInstanceOf(ResourceInUseFault);
    expect(inUse.message).toBe('You cannot delete an AutoScalingGroup while there are instances or pending Spot instance request(s) still in the group.');
    await h.client.send(new SetDesiredCapacityCommand({ AutoScalingGroupName: 'web-asg', DesiredCapacity: 0 }));
    const busy = await failureOf(h.client.send(new DeleteAutoScalingGroupCommand({ AutoScalingGroupName: 'web-asg' })));
    expect(busy).toBeInstanceOf(ScalingActivityInProgressFault);
    expect(busy.$metadata.httpStatusCode).toBe(400);
    await h.client.send(new SetDesiredCapacityCommand({ AutoScalingGroupName: 'web-asg', DesiredCapacity: 1 }));
    await h.client.send(new DeleteAutoScalingGroupCommand({ AutoScalingGroupName: 'web-asg', ForceDelete: true }));
    const deleting = await h.group();
    expect(deleting.Status).toBe('Delete in progress');
    expect(deleting.Instances!.every((i) => i.LifecycleState === 'Terminating')).toBe(true);
    expect(h.elb.registered(TG_WEB)).toEqual([]);
    h.advance(20);
    expect((await h.client.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: ['web-asg'] }))).AutoScalingGroups).toEqual([]);
    expect(h.state().instances).toEqual({});
    const activities = await h.client.send(new DescribeScalingActivitiesCommand({ AutoScalingGroupName: 'web-asg' }));
    expect(activities.Activities).toEqual([]);
    const deleted = await h.client.send(new DescribeScalingActivitiesCommand({ AutoScalingGroupName: 'web-asg', IncludeDeletedGroups: true }));
    expect(deleted.Activities!.length).toBeGreaterThan(0);
    expect(deleted.Activities![0]!.AutoScalingGroupState).toBe('Deleted');
    const gone = await failureOf(h.client.send(new DeleteAutoScalingGroupCommand({ AutoScalingGroupName: 'web-asg' })));
    expect(gone.message).toBe("AutoScalingGroup name not found - AutoScalingGroup 'web-asg' not found");
  });

  it('deletes an empty group at once', async () => {
    const h = harness([webGroup({ desiredCapacity: 0 })]);
    await h.client.send(new DeleteAutoScalingGroupCommand({ AutoScalingGroupName: 'web-asg' }));
    expect(h.state().groups).toEqual({});
  });

  it('describes instances across groups with AWS upper-case health, paginated', async () => {
    const h = harness([webGroup({ desiredCapacity: 3 }), { ...webGroup({ desiredCapacity: 2 }), name: 'api-asg' }]);
    const first = await h.client.send(new DescribeAutoScalingInstancesCommand({ MaxRecords: 4 }));
    expect(first.AutoScalingInstances).toHaveLength(4);
    const second = await h.client.send(new DescribeAutoScalingInstancesCommand({ MaxRecords: 4, NextToken: first.NextToken }));
    expect(second.AutoScalingInstances).toHaveLength(1);
    expect(second.NextToken).toBeUndefined();
    const all = [...first.AutoScalingInstances!, ...second.AutoScalingInstances!];
    expect(all.map((i) => i.AutoScalingGroupName).sort()).toEqual(['api-asg', 'api-asg', 'web-asg', 'web-asg', 'web-asg']);
    expect(all.every((i) => i.HealthStatus === 'HEALTHY' && i.LifecycleState === 'InService')).toBe(true);
    const one = await h.client.send(new DescribeAutoScalingInstancesCommand({ InstanceIds: [all[0]!.InstanceId!, 'i-00000000000000000'] }));
    expect(one.AutoScalingInstances!.map((i) => i.InstanceId)).toEqual([all[0]!.InstanceId]);
    const bad = await failureOf(h.client.send(new DescribeAutoScalingInstancesCommand({ NextToken: 'bogus' })));
    expect(bad.name).toBe('InvalidNextToken');
  });

  it('pages groups and filters them by tag', async () => {
    const h = harness([webGroup({ desiredCapacity: 0 }), { ...webGroup({ desiredCapacity: 0 }), name: 'api-asg' }]);
    await h.client.send(new CreateAutoScalingGroupCommand({ AutoScalingGroupName: 'tagged', LaunchTemplate: { LaunchTemplateName: 'web' }, MinSize: 0, MaxSize: 1, AvailabilityZones: ['us-east-1a'], Tags: [{ Key: 'team', Value: 'payments', PropagateAtLaunch: true }] }));
    const page = await h.client.send(new DescribeAutoScalingGroupsCommand({ MaxRecords: 2 }));
    expect(page.AutoScalingGroups!.map((g) => g.AutoScalingGroupName)).toEqual(['api-asg', 'tagged']);
    const rest = await h.client.send(new DescribeAutoScalingGroupsCommand({ MaxRecords: 2, NextToken: page.NextToken }));
    expect(rest.AutoScalingGroups!.map((g) => g.AutoScalingGroupName)).toEqual(['web-asg']);
    const tagged = await h.client.send(new DescribeAutoScalingGroupsCommand({ Filters: [{ Name: 'tag:team', Values: ['payments'] }] }));
    expect(tagged.AutoScalingGroups!.map((g) => g.AutoScalingGroupName)).toEqual(['tagged']);
    expect(tagged.AutoScalingGroups![0]!.Tags).toEqual([{ ResourceId: 'tagged', ResourceType: 'auto-scaling-group', Key: 'team', Value: 'payments', PropagateAtLaunch: true }]);
    expect(tagged.AutoScalingGroups![0]!.CreatedTime).toEqual(new Date(T0));
  });
});
