import { describe, expect, it } from 'vitest';
import type { DeployEvent } from '../../../src/engine/events.js';
import { createAlarmGate } from '../../../src/gates/index.js';
import { FakeGate, alarmAtStep } from '../../fakes/fakeGate.js';
import { asgProvider, asgWorld, deployment, rollout, secondsBetween, type AsgWorld } from './simWorld.js';

/** Layer 2: whole rollouts through the machine against the simulated Auto Scaling, ELBv2 and CloudWatch. */

const TARGET = { type: 'asg', autoScalingGroupName: 'web', launchTemplateVersion: 2 } as const;
const ACTIVE = ['Pending', 'InProgress', 'Baking', 'Cancelling', 'RollbackInProgress'];

/** The group as captured: launch template field by field, sizes, every instance in service and healthy on v1. */
async function expectBackOnV1(w: AsgWorld, before: Awaited<ReturnType<AsgWorld['group']>>, why: string, name = 'web'): Promise<void> {
  expect(w.versions(name), why).toEqual(['v1', 'v1', 'v1', 'v1']);
  const after = await w.group(name);
  expect(after.LaunchTemplate, why).toEqual(before.LaunchTemplate);
  expect([after.MinSize, after.MaxSize, after.DesiredCapacity], why).toEqual([before.MinSize, before.MaxSize, before.DesiredCapacity]);
  expect(after.Instances!.filter((i) => i.LifecycleState === 'InService').every((i) => i.LaunchTemplate!.Version === '1' && i.HealthStatus === 'Healthy'), why).toBe(true);
  expect((await w.refreshes(name)).filter((r) => ACTIVE.includes(r.Status!)), why).toEqual([]);
}

const progress = (events: readonly DeployEvent[]) => [...new Set(events.flatMap((e) => (e.type === 'capacity.progress' ? [e.percent] : [])))];

describe('instance refresh in the simulated world', () => {
  it('rolling 25% with a 1m pause: the refresh stops at each checkpoint, the machine follows it, every instance ends on v2', async () => {
    const w = asgWorld();
    const d = deployment({ strategy: 'rolling', batch: '25%', pause: '1m', targets: [TARGET], gates: { alarms: ['web-blue-5xx'] } });
    const { result, events } = await rollout(w, d, { capacity: [asgProvider(w, d)], gates: [createAlarmGate({ alarms: ['web-blue-5xx'] }, { client: w.cloudwatch })] });
    expect(result.outcome).toBe('succeeded');
    expect(w.versions()).toEqual(['v2', 'v2', 'v2', 'v2']);
    expect((await w.group()).LaunchTemplate).toMatchObject({ LaunchTemplateName: 'web-lt', Version: '2' });
    const [refresh] = await w.refreshes();
    expect(refresh).toMatchObject({ Status: 'Successful', Preferences: { MinHealthyPercentage: 75, CheckpointPercentages: [25, 50, 75, 100], CheckpointDelay: 60, AlarmSpecification: { Alarms: ['web-blue-5xx'] }, AutoRollback: true } });
    expect(progress(events)).toEqual([0, 25, 50, 75, 100]);
    const writes = Object.keys(w.calls()).filter((op) => !op.startsWith('Describe'));
    expect(writes).toEqual(['StartInstanceRefresh']);
    expect(w.calls().StartInstanceRefresh).toBe(1);
  });

  it('a gate firing at each step of a capacity canary rolls back to v1 at once, with the group exactly as captured', async () => {
    const d = deployment({ strategy: 'canary', steps: '25,50,100', bake: '2m', targets: [TARGET] });
    for (const [step, s] of d.plan.steps.entries()) {
      const w = asgWorld();
      const before = await w.group();
      let onNewAtRollback = -1;
      const { result, events } = await rollout(w, d, { capacity: [asgProvider(w, d)], gates: [new FakeGate(alarmAtStep(step))] }, (e) => {
        if (e.type === 'rollback.started') onNewAtRollback = w.versions().filter((v) => v === 'v2').length;
      });
      const why = `gate at step ${step} (${s.type})`;
      expect(result.outcome, why).toBe('rolledBack');
      await expectBackOnV1(w, before, why);
      // A bake holds the refresh at its checkpoint: a gate firing in it finds exactly that share on the new version.
      if (s.type === 'bake') expect(onNewAtRollback, why).toBe(step === 1 ? 1 : 2);
      // Numbered versions: RollbackInstanceRefresh, never a second refresh.
      expect(w.calls(), why).toMatchObject({ StartInstanceRefresh: 1, RollbackInstanceRefresh: 1 });
      expect(secondsBetween(events, (e) => e.type === 'gate.checked' && e.result.type === 'alarm', (e) => e.type === 'rollback.started'), why).toBe(0);
    }
  });

  it('a version failing its health checks: Auto Scaling fails the refresh and rolls it back itself (AutoRollback); deployctl waits for it', async () => {
    const w = asgWorld();
    const before = await w.group();
    const d = deployment({ strategy: 'rolling', batch: '50%', targets: [{ ...TARGET, launchTemplateVersion: 3 }] });
    const { result } = await rollout(w, d, { capacity: [asgProvider(w, d)] });
    expect(result.outcome).toBe('rolledBack');
    expect(result.failure).toMatchObject({ kind: 'capacity' });
    expect(result.failure!.message).toMatch(/Auto Scaling rolled instance refresh .* back \(RollbackInProgress\): Instance refresh failed: instance i-\w+ failed its health check/);
    await expectBackOnV1(w, before, 'broken version');
    expect(Object.keys(w.calls()).filter((op) => !op.startsWith('Describe'))).toEqual(['StartInstanceRefresh']);
  });

  it('a version answering 5xx: the CloudWatch alarm stops the refresh (AlarmSpecification) and the gate rolls back; ends on v1', async () => {
    const w = asgWorld();
    const before = await w.group();
    const d = deployment({ strategy: 'canary', steps: '25,50,100', bake: '3m', targets: [{ ...TARGET, launchTemplateVersion: 4 }], gates: { alarms: ['web-blue-5xx'] } });
    const { result } = await rollout(w, d, { capacity: [asgProvider(w, d)], gates: [createAlarmGate({ alarms: ['web-blue-5xx'] }, { client: w.cloudwatch })] });
    expect(result.outcome).toBe('rolledBack');
    expect(result.failure!.message).toContain('web-blue-5xx is in ALARM');
    await expectBackOnV1(w, before, 'alarm');
  });

  it('$Latest (no AutoRollback, RollbackInstanceRefresh refused): cancel, refresh back to v1, the group pinned back as captured', async () => {
    const w = asgWorld();
    const before = await w.group('app');
    const d = deployment({ strategy: 'canary', steps: '25,50,100', bake: '2m', targets: [{ ...TARGET, autoScalingGroupName: 'app', launchTemplateVersion: '$Latest' }] });
    const { result } = await rollout(w, d, { capacity: [asgProvider(w, d)], gates: [new FakeGate(alarmAtStep(3))] });
    expect(result.outcome).toBe('rolledBack');
    await expectBackOnV1(w, before, '$Latest', 'app');
    expect(w.calls()).toMatchObject({ StartInstanceRefresh: 2, CancelInstanceRefresh: 1 });
    expect(w.calls()).not.toHaveProperty('RollbackInstanceRefresh');
    const [back, forward] = await w.refreshes('app');
    expect([forward!.Status, back!.Status, back!.DesiredConfiguration!.LaunchTemplate!.Version, back!.Preferences!.SkipMatching]).toEqual(['Cancelled', 'Successful', '1', true]);
  });

  it('big-bang: every instance at once, and the refresh stays Baking through the final bake so a gate there rolls back natively', async () => {
    const w = asgWorld();
    const before = await w.group();
    const d = deployment({ strategy: 'bigBang', finalBake: '5m', targets: [TARGET] });
    let atRollback: string[] = [];
    const { result, events } = await rollout(w, d, { capacity: [asgProvider(w, d)], gates: [new FakeGate(alarmAtStep(1))] }, (e) => {
      if (e.type === 'rollback.started') atRollback = w.versions();
    });
    expect(result.outcome).toBe('rolledBack');
    expect(atRollback).toEqual(['v2', 'v2', 'v2', 'v2']);
    expect(events.find((e) => e.type === 'capacity.progress' && e.percent === 100)).toMatchObject({ detail: 'every instance replaced; the refresh bakes (BakeTime) while the gates watch' });
    await expectBackOnV1(w, before, 'big-bang');
    expect(w.calls()).toMatchObject({ StartInstanceRefresh: 1, RollbackInstanceRefresh: 1 });
  });
});
