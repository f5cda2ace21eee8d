import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import { describe, expect, it } from 'vitest';
import { parseSpec, planFromSpec } from '../../../src/config/resolve.js';
import { startDeployment } from '../../../src/engine/deployment.js';
import type { DeployEvent } from '../../../src/engine/events.js';
import { openEnvironment } from '../../../src/environment.js';
import { buildDeploymentParts } from '../../../src/providers/registry.js';
import type { AutoScalingState } from '../../../src/sim/services/autoscaling/index.js';
import type { Fault } from '../../../src/sim/faults.js';
import { FileStore } from '../../../src/state/fileStore.js';
import { asgSeed } from './simWorld.js';

/** The provider as the engine builds it (registry, client factory, file store), against a simulated world. */

async function deploy(options: Record<string, unknown>, faults: readonly string[] = [], later: readonly Fault[] = []) {
  const env = await openEnvironment({ sim: { seed: asgSeed(), virtualTime: true, faults } });
  for (const fault of later) env.world!.addFault(fault);
  const spec = parseSpec({ targets: [{ type: 'asg', autoScalingGroupName: 'web', launchTemplateVersion: 2 }], ...options });
  const plan = planFromSpec(spec);
  const events: DeployEvent[] = [];
  const store = new FileStore(mkdtempSync(join(tmpdir(), 'deployctl-asg-')));
  const result = await startDeployment(spec, plan, { store, clock: env.clock, build: (s) => buildDeploymentParts(s, plan, env), onEvent: (e) => events.push(e) }, { id: 'd-asg' });
  const world = env.world!;
  world.sync();
  const versions = Object.values(world.stateOf<AutoScalingState>('autoscaling').instances)
    .filter((i) => i.group === 'web' && i.lifecycle !== 'Terminating')
    .map((i) => i.version)
    .sort();
  const client = await env.clients.get('autoscaling');
  const group = (await client.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: ['web'] }))).AutoScalingGroups![0]!;
  return { result, events, versions, group, calls: env.clients.callCounts(), store };
}

describe('the Auto Scaling provider built by the registry, run by startDeployment', () => {
  it('a capacity canary with a CloudWatch alarm gate succeeds; the record holds the captured group; the lock is released', async () => {
    const { result, versions, group, calls, store } = await deploy({ strategy: 'canary', steps: '25,50,100', bake: '2m', gates: { alarms: ['web-blue-5xx'] } });
    expect(result.outcome).toBe('succeeded');
    expect(versions).toEqual(['v2', 'v2', 'v2', 'v2']);
    expect(group.LaunchTemplate!.Version).toBe('2');
    expect(result.record.snapshots!['asg:web']).toMatchObject({ provider: 'asg', group: { name: 'web', launchTemplate: { Version: '1' }, desiredCapacity: 4 }, restoreVersion: '1' });
    expect(await store.holderOf('asg:web')).toBeUndefined();
    expect(calls['autoscaling:StartInstanceRefresh']).toBe(1);
  });

  it('a broken version: Auto Scaling rolls the refresh back, the deployment ends rolled back on v1, exit code material intact', async () => {
    const { result, versions, group } = await deploy({ strategy: 'rolling', batch: '50%', targets: [{ type: 'asg', autoScalingGroupName: 'web', launchTemplateVersion: 3 }] });
    expect(result.outcome).toBe('rolledBack');
    expect(result.failure).toMatchObject({ kind: 'capacity' });
    expect(result.rollbackCommands).toEqual([]);
    expect(versions).toEqual(['v1', 'v1', 'v1', 'v1']);
    expect(group.LaunchTemplate!.Version).toBe('1');
  });

  it('RollbackInstanceRefresh refused again and again: once the refresh has ended, the provider refreshes back instead', async () => {
    // The alarm fires at 90s; ignoreFiringAlarms keeps it out of the refresh, so only deployctl rolls back.
    const faults = ['throttle:autoscaling:RollbackInstanceRefresh=1', 'alarm:web-blue-5xx@90s=ALARM/10m'];
    const { result, versions, calls } = await deploy({ strategy: 'canary', steps: '25,50,100', bake: '2m', gates: { alarms: ['web-blue-5xx'], ignoreFiringAlarms: true } }, faults);
    expect(result.outcome).toBe('rolledBack');
    expect(versions).toEqual(['v1', 'v1', 'v1', 'v1']);
    expect(calls['autoscaling:StartInstanceRefresh']).toBe(2);
  });

  it('a way back AWS keeps refusing: rollback failed after its deadline, with the aws commands that restore the group by hand', async () => {
    const faults = ['throttle:autoscaling:RollbackInstanceRefresh=1', 'alarm:web-blue-5xx@90s=ALARM/10m'];
    const blocked: Fault = { type: 'throttle', service: 'autoscaling', operation: 'StartInstanceRefresh', rate: 1, from: 60 };
    const { result, versions } = await deploy({ strategy: 'canary', steps: '25,50,100', bake: '2m', gates: { alarms: ['web-blue-5xx'], ignoreFiringAlarms: true } }, faults, [blocked]);
    expect(result.outcome).toBe('rollbackFailed');
    expect(result.record.status).toBe('rollbackFailed');
    expect(result.failure!.message).toContain('web-blue-5xx is in ALARM');
    expect(versions).toEqual(['v2', 'v2', 'v2', 'v2']);
    expect(result.rollbackCommands[1]).toBe("aws autoscaling rollback-instance-refresh --region 'us-east-1' --auto-scaling-group-name 'web'");
    expect(result.rollbackCommands[4]).toMatch(/^aws autoscaling start-instance-refresh --region 'us-east-1' --auto-scaling-group-name 'web' --desired-configuration '\{"LaunchTemplate":\{"LaunchTemplateId":"lt-\w+","Version":"1"\}\}' --preferences '\{"SkipMatching":true\}'$/);
  });
});
