import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSpec, planFromSpec } from '../../../src/config/resolve.js';
import { startDeployment, type DeploymentDeps } from '../../../src/engine/deployment.js';
import type { DeployEvent } from '../../../src/engine/events.js';
import { openEnvironment } from '../../../src/environment.js';
import { buildDeploymentParts } from '../../../src/providers/registry.js';
import type { Elbv2State } from '../../../src/sim/services/elbv2/state.js';
import type { EcsState } from '../../../src/sim/services/ecs/state.js';
import type { WorldSeed } from '../../../src/sim/seed.js';
import { FileStore } from '../../../src/state/fileStore.js';
import { rollingSeed, splitSeed } from './simWorld.js';

/**
 * Whole deployments the way the CLI runs them: spec → plan → buildDeploymentParts (the registry builds the ECS
 * provider with the environment's clients) → startDeployment on a file state store, against the simulated world
 * with the real CloudWatch alarm gate. Measures how long after an alarm the rollback starts, and the AWS calls.
 */

/** Errors of the new version's tasks, per minute, as the simulated ECS counts them for a service without a load balancer. */
const ECS_ERRORS = { name: 'web-errors', namespace: 'Sim/ECSService', metric: '5XXError', dimensions: { ClusterName: 'prod', ServiceName: 'web' }, statistic: 'Sum', period: 60, evaluationPeriods: 1, threshold: 20, comparison: '>=', treatMissingData: 'notBreaching' };
/** Target 5xx of the ALB, for the split world. */
const ALB_ERRORS = { name: 'web-errors', namespace: 'AWS/ApplicationELB', metric: 'HTTPCode_Target_5XX_Count', dimensions: { LoadBalancer: '${lb:web.dimension}' }, statistic: 'Sum', period: 60, evaluationPeriods: 1, threshold: 20, comparison: '>=', treatMissingData: 'notBreaching' };

async function deploy(seed: WorldSeed, spec: unknown) {
  const env = await openEnvironment({ sim: { seed, virtualTime: true } });
  const parsed = parseSpec(spec);
  const plan = planFromSpec(parsed);
  const events: DeployEvent[] = [];
  const deps: DeploymentDeps = {
    store: new FileStore(mkdtempSync(join(tmpdir(), 'deployctl-ecs-'))),
    clock: env.clock,
    build: async (s) => ({ ...(await buildDeploymentParts(s, plan, env)), capacityPollMs: 15_000 }),
    onEvent: (e) => events.push(e),
  };
  const result = await startDeployment(parsed, plan, deps, { id: 'd-ecs', settings: { pollSeconds: 10 } });
  const alarmAt = events.find((e) => e.type === 'gate.checked' && e.result.type === 'alarm')?.at;
  const rollbackAt = events.find((e) => e.type === 'rollback.started')?.at;
  const ecsCalls = Object.fromEntries(Object.entries(env.clients.callCounts()).filter(([key]) => key.startsWith('ecs:')));
  return { env, result, events, alarmAt, rollbackAt, calls: env.clients.callCounts(), ecsCalls };
}

describe('whole ECS deployments through the engine, the registry and the real alarm gate', () => {
  it('rolling, healthy version: succeeds; ECS calls are one UpdateService to start, one to give the configuration back, and reads', async () => {
    const seed = { ...rollingSeed(), cloudwatch: { alarms: [ECS_ERRORS] } };
    const { result, ecsCalls } = await deploy(seed, { strategy: 'rolling', batch: '50%', targets: [{ type: 'ecs', cluster: 'prod', service: 'web', taskDefinition: 'web:2' }], gates: { alarms: ['web-errors'] } });
    expect(result.outcome).toBe('succeeded');
    expect(ecsCalls['ecs:UpdateService']).toBe(2);
    expect(ecsCalls['ecs:DescribeTaskDefinition']).toBe(1);
    expect(Object.keys(ecsCalls).sort()).toEqual(['ecs:DescribeServices', 'ecs:DescribeTaskDefinition', 'ecs:UpdateService']);
  });

  it('rolling, a version that serves errors: the alarm fires mid-rollout, the rollback starts at once and the captured version serves', async () => {
    const seed = { ...rollingSeed(), cloudwatch: { alarms: [ECS_ERRORS] } };
    const { env, result, alarmAt, rollbackAt } = await deploy(seed, { strategy: 'rolling', batch: '25%', targets: [{ type: 'ecs', cluster: 'prod', service: 'web', taskDefinition: 'web:4' }], gates: { alarms: ['web-errors'] } });
    expect(result.outcome).toBe('rolledBack');
    expect(result.failure).toMatchObject({ kind: 'gate', message: expect.stringContaining('web-errors') });
    expect(rollbackAt! - alarmAt!).toBe(0);
    const service = (env.world!.stateOf('ecs') as { services: Record<string, { taskDefinitionArn: string; deployments: { rolloutState: string }[]; deploymentConfiguration: unknown }> }).services['prod/web']!;
    expect(service.taskDefinitionArn).toMatch(/task-definition\/web:1$/);
    expect(service.deployments.map((d) => d.rolloutState)).toEqual(['COMPLETED']);
    expect(service.deploymentConfiguration).toEqual((result.record.snapshots as Record<string, { service: { deploymentConfiguration: unknown } }>)['ecs:prod/web']!.service.deploymentConfiguration);
  });

  it('a 4-step canary split at the ALB: the idle service comes up, four weights, the old side retired', async () => {
    const { result, ecsCalls, calls } = await splitCanary('web:2');
    expect(result.outcome).toBe('succeeded');
    expect(ecsCalls['ecs:UpdateService']).toBe(2); // the new side up, the old side to 0
    expect(calls['elbv2:ModifyListener']).toBe(4);
  });

  it('a 4-step canary split at the ALB, a version that serves errors: the ALB alarm fires, weights and the new service go back', async () => {
    const { env, result, alarmAt, rollbackAt } = await splitCanary('web:4');
    expect(result.outcome).toBe('rolledBack');
    expect(result.failure).toMatchObject({ kind: 'gate' });
    expect(rollbackAt! - alarmAt!).toBe(0);
    const snapshots = result.record.snapshots as Record<string, { actions?: unknown }>;
    const elb = env.world!.stateOf<Elbv2State>('elbv2');
    expect(Object.values(elb.listeners)[0]!.defaultActions).toEqual(Object.values(snapshots).find((s) => s.actions)!.actions);
    const services = env.world!.stateOf<EcsState>('ecs').services;
    expect([services['prod/web']!.desiredCount, services['prod/web-green']!.desiredCount]).toEqual([3, 0]);
    expect(services['prod/web-green']!.taskDefinitionArn).toMatch(/web:1$/);
  });
});

/** canary 1,5,25,100 with 1m bakes, ping-pong between web (web-blue) and web-green (web-green, idle), the ALB 5xx alarm as gate. */
async function splitCanary(taskDefinition: string) {
  const seed = splitSeed({ alarms: [ALB_ERRORS] });
  const probe = await openEnvironment({ sim: { seed, virtualTime: true } });
  const elb = probe.world!.stateOf<Elbv2State>('elbv2');
  const group = (name: string) => Object.values(elb.targetGroups).find((g) => g.name === name)!.arn;
  return deploy(seed, {
    strategy: 'canary',
    steps: '1,5,25,100',
    bake: '1m',
    targets: [
      { type: 'alb', listenerArn: Object.values(elb.listeners)[0]!.arn, targetGroupArns: [group('web-blue'), group('web-green')] },
      { type: 'ecs', cluster: 'prod', service: 'web', canaryService: 'web-green', taskDefinition },
    ],
    gates: { alarms: ['web-errors'] },
  });
}
