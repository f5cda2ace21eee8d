import { afterEach, describe, expect, it } from 'vitest';
import { checkpointPlan, collapsedCheckpoints, reachedPercent } from '../../../src/providers/asg/checkpoints.js';
import { minFromBatch } from '../../../src/providers/asg/request.js';
import type { Plan, Step } from '../../../src/strategies/types.js';
import { VirtualClock } from '../../../src/time/clock.js';
import { ASG_TARGET, build, contexts, FakeAsg, group, LISTENER, LT_GREEN, providerFor, TG_BLUE, TG_GREEN, type Built } from './fixtures.js';

let fake: FakeAsg | undefined;
afterEach(() => fake?.mock.restore());

async function preflight(built: Built, groups = [group('web')]) {
  const clock = new VirtualClock();
  fake = new FakeAsg(clock, groups);
  const report = await providerFor(fake, built).preflight(contexts(clock, built.plan).base);
  expect(fake.writes()).toEqual([]);
  return report;
}

const plan = (...steps: Step[]): Plan => ({ strategy: 'canary', steps });
const cap = (percent: number): Step => ({ type: 'deployCapacity', percent });
const bake = (seconds: number): Step => ({ type: 'bake', seconds });

describe('checkpoints from the plan', () => {
  it.each([
    ['canary 1,5,25,100 with 5m bakes', plan(cap(1), bake(300), cap(5), bake(300), cap(25), bake(300), cap(100)), [1, 5, 25, 100], 300, 0],
    ['rolling without pauses: no checkpoints', plan(cap(25), cap(50), cap(75), cap(100)), [], 0, 0],
    ['one capacity step and a final bake: BakeTime', plan(cap(100), bake(600)), [], 0, 600],
    ['a third of the group: whole percents, rounded up', plan(cap(33.333), bake(60), cap(66.667), bake(60), cap(100)), [34, 67, 100], 60, 0],
  ])('%s', (_name, p, aws, delay, bakeTime) => {
    const result = checkpointPlan(p);
    expect(result.errors).toEqual([]);
    expect(result.checkpoints.map((c) => c.aws)).toEqual(aws);
    expect(result.delaySeconds).toBe(delay);
    expect(result.bakeSeconds).toBe(bakeTime);
  });

  it('refuses bakes that differ: AWS has one CheckpointDelay', () => {
    expect(checkpointPlan(plan(cap(10), bake(300), cap(50), bake(600), cap(100))).errors).toEqual([
      'the plan waits 5m after 10%, 10m after 50%, but an instance refresh has one CheckpointDelay for all its checkpoints: bake the same time after each capacity step',
    ]);
  });

  it('refuses an approval between capacity steps and names the alternative', () => {
    const errors = checkpointPlan(plan(cap(10), bake(300), { type: 'approval' }, cap(100))).errors;
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^step 3 \(approval\) sits between deployCapacity 10 and deployCapacity 100: an instance refresh cannot hold at a checkpoint/);
    expect(errors[0]).toContain('use blue-green with two groups behind weighted target groups (newGroupName and an ALB target)');
  });

  it('refuses a plan not ending at 100, checkpoints that round together, and a delay AWS cannot hold', () => {
    expect(checkpointPlan(plan(cap(10), bake(60), cap(50))).errors).toContain('the last deployCapacity is 50%: an instance refresh replaces every instance, so the plan must end at deployCapacity 100');
    expect(checkpointPlan(plan(cap(0.2), bake(60), cap(0.7), bake(60), cap(100))).errors).toContain('deployCapacity 0.2 and 0.7 both become checkpoint 1%: Auto Scaling takes whole percents, ascending and unique');
    expect(checkpointPlan(plan(cap(10), bake(200_000), cap(100))).errors).toContain('the bake between capacity steps (2d7h33m20s) is longer than the longest CheckpointDelay, 2d');
  });

  it('warns about hooks and promotable pauses between capacity steps (the refresh does not wait for them)', () => {
    const result = checkpointPlan(plan(cap(10), { type: 'hook', name: 'smoke' }, { type: 'pause', seconds: 120 }, cap(100)));
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([
      'step 2 (hook smoke) between deployCapacity 10 and deployCapacity 100: the refresh does not wait for it; it continues after CheckpointDelay whatever the result (a failure still rolls back)',
      'step 3 (pause) between deployCapacity 10 and deployCapacity 100: promote cannot end it early, because the refresh continues only when CheckpointDelay has passed',
    ]);
    expect(result.delaySeconds).toBe(120);
  });

  it('says when one replacement passes two checkpoints (AWS waits once)', () => {
    const checkpoints = checkpointPlan(plan(cap(10), bake(60), cap(20), bake(60), cap(100))).checkpoints;
    expect(collapsedCheckpoints(checkpoints, 4)).toBe('with 4 instances each replacement is 25% of the group, so checkpoints 10% and 20% are reached by the same replacement and Auto Scaling waits only once there: the later step gets no bake of its own');
    expect(collapsedCheckpoints(checkpoints, 20)).toBeUndefined();
  });

  it('maps PercentageComplete back to the plan step reached', () => {
    const checkpoints = [{ percent: 33.333, aws: 34 }, { percent: 66.667, aws: 67 }, { percent: 100, aws: 100 }];
    expect([0, 33, 34, 50, 67, 99, 100].map((p) => reachedPercent(p, checkpoints, [], true))).toEqual([0, 0, 33.333, 33.333, 66.667, 66.667, 100]);
    expect([0, 33, 34, 50].map((p) => reachedPercent(p, [], [33.333, 66.667, 100], false))).toEqual([0, 33, 34, 50]);
  });

  it.each([
    [{ percent: 25 }, 8, 75],
    [{ percent: 33.333 }, 3, 66],
    [{ percent: 100 }, 8, 0],
    [{ count: 1 }, 4, 75],
    [{ count: 1 }, 3, 66],
    [{ count: 10 }, 4, 0],
  ] as const)('batch %j of %i instances keeps MinHealthyPercentage %i', (batch, desired, min) => {
    expect(minFromBatch(batch, desired)).toBe(min);
  });
});

describe('preflight findings', () => {
  it('reports a missing group, and a group without a launch template', async () => {
    expect((await preflight(build({ strategy: 'rolling', batch: '25%', targets: [ASG_TARGET] }), [])).errors).toEqual(['Auto Scaling group web not found']);
    const lc = { ...group('web'), LaunchTemplate: undefined, LaunchConfigurationName: 'web-lc-3' };
    expect((await preflight(build({ strategy: 'rolling', batch: '25%', targets: [ASG_TARGET] }), [lc])).errors).toEqual([
      'Auto Scaling group web uses launch configuration web-lc-3: deployctl rolls out launch template versions, so the group needs a launch template',
    ]);
  });

  it('a group on $Latest whose instances run two versions cannot be rolled back exactly: refused', async () => {
    const mixed = group('web', { version: '$Latest', instances: [['i-1', '6'], ['i-2', '7']] });
    const report = await preflight(build({ strategy: 'rolling', batch: '25%', targets: [ASG_TARGET] }), [mixed]);
    expect(report.errors).toContain('web follows $Latest and its instances run 6, 7: deployctl cannot tell which version a rollback must return to; finish or undo that change first, or pin the group to a version number');
    expect(report.warnings).toContainEqual(expect.stringContaining('web follows $Latest: every instance it launches'));
  });

  it('an ALB traffic split without newGroupName is refused (an instance refresh has no second group)', async () => {
    const alb = { type: 'alb', listenerArn: LISTENER, stableTargetGroupArn: TG_BLUE, canaryTargetGroupArn: TG_GREEN };
    const report = await preflight(build({ strategy: 'canary', steps: '10,50', bake: '5m', targets: [alb, ASG_TARGET] }));
    expect(report.errors).toEqual([expect.stringMatching(/^the plan moves traffic on an ALB target, but the Auto Scaling target has no newGroupName/)]);
  });

  it('maxHealthyPercentage more than 100 above the minimum is refused before AWS would', async () => {
    const report = await preflight(build({ strategy: 'bigBang', targets: [{ ...ASG_TARGET, maxHealthyPercentage: 200 }] }));
    expect(report.errors).toEqual(['maxHealthyPercentage 200 and minHealthyPercentage 0 are more than 100 apart, which Auto Scaling refuses; raise minHealthyPercentage to at least 100']);
  });

  it('warns when every instance already runs the new version, and when a group behind target groups ignores their health', async () => {
    const report = await preflight(build({ strategy: 'rolling', batch: '25%', targets: [ASG_TARGET] }), [group('web', { healthCheckType: 'EC2', instances: [['i-1', '7'], ['i-2', '7']] })]);
    expect(report.warnings).toContain('every instance of web already runs v7: the refresh replaces them all (skipMatching: true would skip them)');
    expect(report.warnings).toContain("web sits behind target groups but uses EC2 health checks: the refresh counts a replacement healthy without the load balancer's view; use ELB health checks");
  });

  it('unhealthy instances are a warning: the rollback waits for every instance', async () => {
    const report = await preflight(build({ strategy: 'rolling', batch: '25%', targets: [ASG_TARGET] }), [group('web', { instances: [['i-1', '6'], ['i-2', '6', 'Pending']] })]);
    expect(report.warnings).toContain('web has instances not in service and healthy (i-2 Pending): a rollback waits until every instance is');
  });
});

describe('preflight for blue-green with two groups', () => {
  const alb = { type: 'alb', listenerArn: LISTENER, stableTargetGroupArn: TG_BLUE, canaryTargetGroupArn: TG_GREEN };
  const blueGreen = (extra: Record<string, unknown> = {}) => build({ strategy: 'blueGreen', bake: '10m', targets: [alb, { ...ASG_TARGET, newGroupName: 'web-green', ...extra }] });
  const green = (options: Parameters<typeof group>[1] = {}) => group('web-green', { template: LT_GREEN, version: '1', min: 0, max: 0, instances: [], targetGroups: [TG_GREEN], ...options });

  it('passes with an empty new group behind the canary target group, reading both groups in one call', async () => {
    const report = await preflight(blueGreen(), [group('web'), green()]);
    expect(report.errors).toEqual([]);
    expect(fake!.inputs('DescribeAutoScalingGroups')).toEqual([{ AutoScalingGroupNames: ['web', 'web-green'] }]);
    expect(fake!.sent()).toEqual(['DescribeAutoScalingGroups', 'DescribeInstanceRefreshes', 'DescribeInstanceRefreshes']);
  });

  it('refuses a new group that is not behind the canary target group, or that runs another version', async () => {
    const report = await preflight(blueGreen(), [group('web'), green({ targetGroups: [TG_BLUE], instances: [['g-1', '5', 'InService']] })]);
    expect(report.errors).toEqual([
      'web-green runs 1 instances not on the new version (v5 ×1): blue-green brings the new version up in an empty group; scale web-green to 0 first',
      'web-green is not attached to the canary target group targetgroup/web-green/a1b2c3d4e5f60718 (it is attached to targetgroup/web-blue/73e2d6bc24d8a067): traffic moved there would reach none of its instances',
    ]);
  });

  it('refuses newGroupName without an ALB target, and says refresh-only settings are ignored', async () => {
    const report = await preflight(build({ strategy: 'rolling', batch: '25%', targets: [{ ...ASG_TARGET, newGroupName: 'web-green', skipMatching: true }] }), [group('web'), green()]);
    expect(report.errors).toContain('newGroupName web-green makes this a blue-green with two groups, which needs an ALB target (and a strategy that moves traffic) to send traffic to web-green');
    expect(report.errors).toContain('blue-green brings the whole new group up at once; deployCapacity 25, 50, 75 cannot be taken in steps with two groups');
    expect(report.warnings).toContain('skipMatching apply to instance refresh; blue-green with two groups runs none, so they are ignored');
  });

  it('warns when the new group does not use ELB health checks', async () => {
    const report = await preflight(blueGreen(), [group('web'), green({ healthCheckType: 'EC2' })]);
    expect(report.warnings).toContain('web-green uses EC2 health checks: its instances count as healthy before the load balancer says so; use ELB health checks so traffic waits for healthy targets');
  });
});

describe('calls and resources for plan and IAM', () => {
  it('instance refresh: Describe to follow, Start once, Rollback/Cancel/Update on the way back; blue-green: Update and target health', async () => {
    const { asgCallsFor, asgResources } = await import('../../../src/providers/asg/index.js');
    expect(asgCallsFor({ type: 'asg', autoScalingGroupName: 'web', launchTemplateVersion: 7 })).toEqual({
      read: ['autoscaling:DescribeAutoScalingGroups', 'autoscaling:DescribeInstanceRefreshes'],
      write: ['autoscaling:StartInstanceRefresh', 'autoscaling:RollbackInstanceRefresh', 'autoscaling:CancelInstanceRefresh', 'autoscaling:UpdateAutoScalingGroup'],
    });
    expect(asgCallsFor({ type: 'asg', autoScalingGroupName: 'web', newGroupName: 'web-green', launchTemplateVersion: 7 }).write).toEqual(['autoscaling:UpdateAutoScalingGroup']);
    expect(asgResources({ type: 'asg', autoScalingGroupName: 'web', newGroupName: 'web-green', launchTemplateVersion: 7 }).groupArnPatterns).toEqual([
      'arn:aws:autoscaling:*:*:autoScalingGroup:*:autoScalingGroupName/web',
      'arn:aws:autoscaling:*:*:autoScalingGroup:*:autoScalingGroupName/web-green',
    ]);
  });
});
