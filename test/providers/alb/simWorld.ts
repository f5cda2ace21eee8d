import { DescribeListenersCommand, DescribeRulesCommand, ElasticLoadBalancingV2Client, type Action } from '@aws-sdk/client-elastic-load-balancing-v2';
import { ClockRetryStrategy } from '../../../src/aws/retry.js';
import { createAlbProvider, type AlbTargetSpec } from '../../../src/providers/alb/index.js';
import { elbv2Service } from '../../../src/sim/services/elbv2/index.js';
import type { Elbv2State } from '../../../src/sim/services/elbv2/state.js';
import type { WorldSeed } from '../../../src/sim/seed.js';
import type { Plan } from '../../../src/strategies/types.js';
import { clientConfig, simWorld } from '../../sim/simFixture.js';
import { canaryPlan } from '../../fakes/plans.js';

/**
 * `web` ALB: listener 80 forwards 100/0 to web-blue (v1) and web-green (v2), both healthy; a rule /api/* forwards
 * 1/0 to the same pair; listener 8080 forwards to web-blue only, and web-test (attached to a /test rule there)
 * is the canary that is not yet in 8080's action. web-idle is attached to nothing (its targets are unused).
 */
export const ALB_WORLD: WorldSeed = {
  apiLimits: false,
  versions: { v1: { startSeconds: 10 }, v2: { startSeconds: 10 }, broken: { healthy: false, startSeconds: 10 } },
  elbv2: {
    loadBalancers: [
      {
        name: 'web',
        targetGroups: [
          { name: 'web-blue', healthCheck: { intervalSeconds: 10, healthyThreshold: 3, unhealthyThreshold: 2 }, targets: { count: 3, version: 'v1' } },
          { name: 'web-green', healthCheck: { intervalSeconds: 10, healthyThreshold: 3, unhealthyThreshold: 2 }, targets: { count: 3, version: 'v2' } },
          { name: 'web-test', targets: { count: 2, version: 'v2' } },
          { name: 'web-idle', targets: { count: 2, version: 'v2' } },
        ],
        listeners: [
          { port: 80, forward: { 'web-blue': 100, 'web-green': 0 }, rules: [{ priority: 10, pathPattern: '/api/*', forward: { 'web-blue': 1, 'web-green': 0 } }] },
          { port: 8080, forward: { 'web-blue': 1 }, rules: [{ priority: 5, pathPattern: '/test/*', forward: { 'web-test': 1 } }] },
        ],
      },
    ],
  },
};

export const CANARY: Plan = canaryPlan(60);

/** The world, a production-like client (retries on the world's clock), and lookups by name. */
export function albWorld(seed: WorldSeed = ALB_WORLD) {
  const { world, clock } = simWorld([elbv2Service], seed);
  const { maxAttempts: _one, ...config } = clientConfig(world);
  const client = new ElasticLoadBalancingV2Client({ ...config, retryStrategy: new ClockRetryStrategy(clock) });
  const state = (): Elbv2State => world.stateOf<Elbv2State>('elbv2');
  const tg = (name: string): string => {
    const found = Object.values(state().targetGroups).find((g) => g.name === name);
    if (!found) throw new Error(`no target group ${name}`);
    return found.arn;
  };
  const listener = (port: number): string => {
    const found = Object.values(state().listeners).find((l) => l.port === port);
    if (!found) throw new Error(`no listener ${port}`);
    return found.arn;
  };
  const rule = (port: number, priority: number): string => {
    const found = Object.values(state().rules).find((r) => r.listenerArn === listener(port) && r.priority === priority);
    if (!found) throw new Error(`no rule ${priority}`);
    return found.arn;
  };
  const listenerActions = async (port: number): Promise<Action[]> => (await client.send(new DescribeListenersCommand({ ListenerArns: [listener(port)] }))).Listeners![0]!.DefaultActions!;
  const ruleState = async (arn: string) => (await client.send(new DescribeRulesCommand({ RuleArns: [arn] }))).Rules![0]!;
  const blueGreen = (extra: Partial<AlbTargetSpec> = {}): AlbTargetSpec => ({ type: 'alb', listenerArn: listener(80), stableTargetGroupArn: tg('web-blue'), canaryTargetGroupArn: tg('web-green'), ...extra });
  const provider = (target: AlbTargetSpec = blueGreen(), plan: Plan = CANARY) => createAlbProvider(target, { client, plan });
  return { world, clock, client, state, tg, listener, rule, listenerActions, ruleState, blueGreen, provider };
}

/** Weights of the forward action by target group name. */
export function weightsByName(actions: readonly Action[], names: (arn: string) => string): Record<string, number> {
  const forward = actions.find((a) => a.Type === 'forward');
  return Object.fromEntries((forward?.ForwardConfig?.TargetGroups ?? []).map((t) => [names(t.TargetGroupArn!), t.Weight!]));
}
