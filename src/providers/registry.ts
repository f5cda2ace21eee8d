import type { ParsedDeploySpec, TargetSpec } from '../config/schema.js';
import type { DeploymentParts } from '../engine/deployment.js';
import type { PreflightGate } from '../engine/runtime.js';
import { NO_ANALYSES, NO_HOOKS } from '../engine/runtime.js';
import type { Environment } from '../environment.js';
import type { Plan } from '../strategies/types.js';
import type { CapacityProvider, TrafficProvider } from './types.js';

/**
 * Builds a deployment's providers, gates and hooks from its spec. Each provider module (and its SDK client)
 * loads only when a target of that kind is present.
 */
export async function buildDeploymentParts(spec: ParsedDeploySpec, plan: Plan, env: Environment): Promise<DeploymentParts> {
  const traffic: TrafficProvider[] = [];
  const capacity: CapacityProvider[] = [];
  for (const target of spec.targets) {
    const built = await providerFor(target, spec, plan, env);
    if ('setWeight' in built) traffic.push(built);
    else capacity.push(built);
  }
  return { traffic, capacity, gates: await gatesFor(spec, env), hooks: await hooksFor(spec, env), analyses: await analysesFor(spec, env) };
}

async function providerFor(target: TargetSpec, spec: ParsedDeploySpec, plan: Plan, env: Environment): Promise<TrafficProvider | CapacityProvider> {
  switch (target.type) {
    case 'alb': {
      const { createAlbProvider } = await import('./alb/index.js');
      return createAlbProvider(target, { client: await env.clients.get('elbv2'), plan });
    }
    case 'lambda': {
      const { createLambdaProvider } = await import('./lambda/index.js');
      return createLambdaProvider(target, { client: await env.clients.get('lambda'), plan });
    }
    case 'route53': {
      const { createRoute53Provider } = await import('./route53/index.js');
      return createRoute53Provider(target, { client: await env.clients.get('route53'), plan });
    }
    case 'ecs': {
      const { createEcsProvider } = await import('./ecs/index.js');
      return createEcsProvider(target, { client: await env.clients.get('ecs'), plan, spec, elbv2: () => env.clients.get('elbv2') });
    }
    case 'asg': {
      const { createAsgProvider } = await import('./asg/index.js');
      return createAsgProvider(target, { client: await env.clients.get('autoscaling'), plan, spec, elbv2: () => env.clients.get('elbv2') });
    }
    default: {
      const unknown: never = target;
      throw new Error(`unknown target ${JSON.stringify(unknown)}`);
    }
  }
}

async function gatesFor(spec: ParsedDeploySpec, env: Environment): Promise<PreflightGate[]> {
  const gates = spec.gates ?? {};
  const built: PreflightGate[] = [];
  if ((gates.alarms?.length ?? 0) > 0 || gates.alarmPrefix) {
    const { createAlarmGate } = await import('../gates/index.js');
    built.push(
      createAlarmGate(
        { ...(gates.alarms ? { alarms: gates.alarms } : {}), ...(gates.alarmPrefix ? { alarmPrefix: gates.alarmPrefix } : {}), ...(gates.ignoreFiringAlarms ? { ignoreFiringAlarms: true } : {}), ...(gates.onInsufficientData ? { onInsufficientData: gates.onInsufficientData } : {}) },
        { client: await env.clients.get('cloudwatch') },
      ),
    );
  }
  for (const metric of gates.metrics ?? []) {
    const { createMetricGate } = await import('../gates/index.js');
    built.push(createMetricGate(metric, { client: await env.clients.get('cloudwatch'), clock: env.clock }));
  }
  return built;
}

async function hooksFor(spec: ParsedDeploySpec, env: Environment): Promise<DeploymentParts['hooks']> {
  if (!spec.hooks || Object.keys(spec.hooks).length === 0) return NO_HOOKS;
  const { createHookRunner } = await import('../gates/index.js');
  return createHookRunner(spec.hooks, { lambda: () => env.clients.get('lambda'), clock: env.clock });
}

async function analysesFor(spec: ParsedDeploySpec, env: Environment): Promise<DeploymentParts['analyses']> {
  if (!spec.analyses || Object.keys(spec.analyses).length === 0) return NO_ANALYSES;
  const { createAnalysisRunner } = await import('../gates/index.js');
  return createAnalysisRunner(spec.analyses, { client: await env.clients.get('cloudwatch'), clock: env.clock });
}
