import { AutoScalingClient, DescribeInstanceRefreshesCommand, StartInstanceRefreshCommand } from '@aws-sdk/client-auto-scaling';
import type { StartInstanceRefreshCommandInput } from '@aws-sdk/client-auto-scaling';
import { describe, expect, it } from 'vitest';
import { onlyCall, recorder, simClientConfig, withoutMetadata } from './simClient.js';

describe('Auto Scaling over awsQuery', () => {
  it('StartInstanceRefresh delivers preferences, checkpoints, alarms and the desired configuration', async () => {
    const input: StartInstanceRefreshCommandInput = {
      AutoScalingGroupName: 'web-asg',
      Strategy: 'Rolling',
      DesiredConfiguration: {
        LaunchTemplate: { LaunchTemplateId: 'lt-0abc', Version: '7' },
        MixedInstancesPolicy: {
          LaunchTemplate: {
            LaunchTemplateSpecification: { LaunchTemplateId: 'lt-0abc', Version: '7' },
            Overrides: [{ InstanceType: 'm7g.large' }, { InstanceType: 'm6g.large', WeightedCapacity: '2' }],
          },
          InstancesDistribution: { OnDemandBaseCapacity: 1, OnDemandPercentageAboveBaseCapacity: 50, SpotAllocationStrategy: 'price-capacity-optimized' },
        },
      },
      Preferences: {
        MinHealthyPercentage: 90,
        MaxHealthyPercentage: 120,
        InstanceWarmup: 60,
        CheckpointPercentages: [10, 50, 100],
        CheckpointDelay: 600,
        SkipMatching: true,
        AutoRollback: true,
        ScaleInProtectedInstances: 'Refresh',
        StandbyInstances: 'Ignore',
        AlarmSpecification: { Alarms: ['web-5xx', 'web-latency'] },
        BakeTime: 300,
      },
    };
    const world = recorder(() => ({ InstanceRefreshId: '08b91cf7-8fa6-48af-b6a6-d227f40f1b9b' }));
    const client = new AutoScalingClient(simClientConfig(world.dispatch));

    const output = await client.send(new StartInstanceRefreshCommand(input));

    expect(onlyCall(world)).toMatchObject({ service: 'autoscaling', operation: 'StartInstanceRefresh', input });
    expect(onlyCall(world).input).toEqual(input);
    expect(output.InstanceRefreshId).toBe('08b91cf7-8fa6-48af-b6a6-d227f40f1b9b');
  });

  it('DescribeInstanceRefreshes returns timestamps as Dates and nested progress', async () => {
    const refreshes = {
      InstanceRefreshes: [
        {
          InstanceRefreshId: 'r-1',
          AutoScalingGroupName: 'web-asg',
          Status: 'RollbackSuccessful',
          StatusReason: 'Alarm web-5xx went into ALARM',
          StartTime: new Date('2026-03-01T10:00:00Z'),
          EndTime: new Date('2026-03-01T10:42:17.250Z'),
          PercentageComplete: 100,
          InstancesToUpdate: 0,
          ProgressDetails: { LivePoolProgress: { PercentageComplete: 100, InstancesToUpdate: 0 } },
          Preferences: { MinHealthyPercentage: 90, CheckpointPercentages: [10, 50, 100], AlarmSpecification: { Alarms: ['web-5xx'] }, AutoRollback: true },
          RollbackDetails: { RollbackReason: 'alarm', RollbackStartTime: new Date('2026-03-01T10:20:00Z'), PercentageCompleteOnRollback: 100 },
        },
      ],
      NextToken: 'token-2',
    };
    const world = recorder(() => refreshes);
    const client = new AutoScalingClient(simClientConfig(world.dispatch));

    const output = await client.send(new DescribeInstanceRefreshesCommand({ AutoScalingGroupName: 'web-asg', InstanceRefreshIds: ['r-1'], MaxRecords: 50 }));

    expect(withoutMetadata(output)).toEqual(refreshes);
    expect(output.InstanceRefreshes?.[0]?.StartTime).toBeInstanceOf(Date);
    expect(onlyCall(world).input).toEqual({ AutoScalingGroupName: 'web-asg', InstanceRefreshIds: ['r-1'], MaxRecords: 50 });
  });
});
