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

  it('a 4-step canary split at the ALB, re-run with the new service already up: no ECS write at all until the old side is retired', async () => {
    const seed = splitSeed({ alarms: [ALB_ERRORS] });
    const ecs = seed.ecs as { clusters: { services: { name: string; taskDefinition: string; desiredCount: number }[] }[] };
    const green = ecs.clusters[0]!.services[1]!;
    Object.assign(green, { taskDefinition: 'web:2', desiredCount: 3 });
    const spec = {
      strategy: 'canary',
      steps: '1,5,25,100',
      bake: '1m',
      targets: [
        { type: 'alb', listenerArn: '${listener}', targetGroupArns: ['${blue}', '${green}'] },
        { type: 'ecs', cluster: 'prod', service: 'web', canaryService: 'web-green', taskDefinition: 'web:2' },
      ],
      gates: { alarms: ['web-errors'] },
    };
    const env = await openEnvironment({ sim: { seed, virtualTime: true } });
    const elb = env.world!.stateOf<Elbv2State>('elbv2');
    const groups = Object.values(elb.targetGroups);
    const listener = Object.values(elb.listeners)[0]!.arn;
    const text = JSON.stringify(spec).replace('${listener}', listener).replace('${blue}', groups.find((g) => g.name === 'web-blue')!.arn).replace('${green}', groups.find((g) => g.name === 'web-green')!.arn);
    const parsed = parseSpec(JSON.parse(text));
    const plan = planFromSpec(parsed);
    const events: DeployEvent[] = [];
    const result = await startDeployment(parsed, plan, {
      store: new FileStore(mkdtempSync(join(tmpdir(), 'deployctl-ecs-'))),
      clock: env.clock,
      build: async (s) => buildDeploymentParts(s, plan, env),
      onEvent: (e) => events.push(e),
    });
    expect(result.outcome).toBe('succeeded');
    const ecsCalls = Object.fromEntries(Object.entries(env.clients.callCounts()).filter(([key]) => key.startsWith('ecs:')));
    expect(ecsCalls['ecs:UpdateService']).toBe(1); // retireOld: the old side to 0
    const elbCalls = Object.fromEntries(Object.entries(env.clients.callCounts()).filter(([key]) => key.startsWith('elbv2:')));
    expect(elbCalls['elbv2:ModifyListener']).toBe(4);
  });
});
