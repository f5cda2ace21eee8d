import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { expect } from 'vitest';
import { elbv2Service } from '../../../../src/sim/services/elbv2/index.js';
import type { Elbv2State } from '../../../../src/sim/services/elbv2/state.js';
import type { WorldSeed } from '../../../../src/sim/seed.js';
import { clientConfig, simWorld, T0 } from '../../simFixture.js';

export { T0 };

/**
 * A blue/green ALB: `web` with listener 80 forwarding 100/0 to web-blue (3 targets of v1) and web-green
 * (3 targets of v2), a rule for /api/* and an unattached spare group. Health checks every 10 s, 3 to pass.
 */
export const BLUE_GREEN: WorldSeed = {
  apiLimits: false,
  versions: { v1: { errorRate: 0.01, latencyMs: 50, startSeconds: 20 }, v2: { errorRate: 0.2, latencyMs: 80, startSeconds: 30 }, broken: { healthy: false, startSeconds: 10 } },
  elbv2: {
    loadBalancers: [
      {
        name: 'web',
        targetGroups: [
          { name: 'web-blue', healthCheck: { intervalSeconds: 10, healthyThreshold: 3, unhealthyThreshold: 2 }, targets: { count: 3, version: 'v1' } },
          { name: 'web-green', healthCheck: { intervalSeconds: 10, healthyThreshold: 3, unhealthyThreshold: 2 }, deregistrationDelaySeconds: 30, targets: { count: 3, version: 'v2' } },
          { name: 'web-spare', targets: [{ id: '10.0.0.9', version: 'v1', port: 8080 }] },
        ],
        listeners: [{ port: 80, forward: { 'web-blue': 100, 'web-green': 0 }, rules: [{ priority: 10, pathPattern: '/api/*', forward: { 'web-blue': 1 } }] }],
      },
    ],
  },
};

export function elbWorld(seed: WorldSeed = BLUE_GREEN) {
  const { world, clock } = simWorld([elbv2Service], seed);
  const client = new ElasticLoadBalancingV2Client(clientConfig(world));
  const state = (): Elbv2State => world.stateOf<Elbv2State>('elbv2');
  const byName = <T extends { name: string }>(records: Record<string, T>, name: string): T => {
    const found = Object.values(records).find((r) => r.name === name);
    if (!found) throw new Error(`no ${name}`);
    return found;
  };
  const lb = (name = 'web') => byName(state().loadBalancers, name);
  const tg = (name: string) => byName(state().targetGroups, name);
  const listener = (port = 80, lbName = 'web') => {
    const found = Object.values(state().listeners).find((l) => l.port === port && l.loadBalancerArn === lb(lbName).arn);
    if (!found) throw new Error(`no listener ${port}`);
    return found;
  };
  return { world, clock, client, state, lb, tg, listener };
}

/** Asserts the SDK raised the modeled (or common) error with the HTTP status AWS uses. */
export async function expectAwsError(call: Promise<unknown>, name: string, status = 400, message?: RegExp): Promise<void> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, `expected ${name}`).toBeInstanceOf(Error);
  expect((error as Error).name).toBe(name);
  expect((error as { $metadata: { httpStatusCode?: number } }).$metadata.httpStatusCode).toBe(status);
  if (message) expect((error as Error).message).toMatch(message);
}

/** Weighted forward action to the given target groups. */
export function forward(weights: readonly [string, number][], stickiness?: { Enabled: boolean; DurationSeconds?: number }) {
  return [{ Type: 'forward' as const, ForwardConfig: { TargetGroups: weights.map(([TargetGroupArn, Weight]) => ({ TargetGroupArn, Weight })), ...(stickiness ? { TargetGroupStickinessConfig: stickiness } : {}) } }];
}
