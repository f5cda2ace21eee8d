/** Route 53 worlds for the tests: a seeded world on a virtual clock and a real SDK v3 client talking to it. */
import { Route53Client } from '@aws-sdk/client-route-53';
import type { WorldSeed } from '../../../../src/sim/seed.js';
import { route53Service } from '../../../../src/sim/services/route53/index.js';
import type { Route53State } from '../../../../src/sim/services/route53/index.js';
import type { SimService } from '../../../../src/sim/types.js';
import { clientConfig, simWorld, T0 } from '../../simFixture.js';

export { T0 };

/** API rate limits are off unless the seed turns them on: these tests are about Route 53's semantics. */
export function route53World(seed: WorldSeed = {}, extraServices: readonly SimService[] = []) {
  const { world, clock } = simWorld([route53Service, ...extraServices], { apiLimits: false, ...seed });
  const client = new Route53Client(clientConfig(world));
  const state = (): Route53State => world.stateOf<Route53State>('route53');
  return { world, clock, client, state };
}

/** A zone with a weighted pair blue/green on api.example.com, 90/10, TTL 60, values that name endpoints. */
export const WEIGHTED_WORLD: WorldSeed = {
  versions: { v1: { errorRate: 0.01, latencyMs: 50 }, v2: { errorRate: 0.2, latencyMs: 120 } },
  route53: {
    endpoints: { 'blue.example.com': 'v1', 'green.example.com': 'v2' },
    hostedZones: [
      {
        name: 'example.com',
        records: [
          { name: 'api.example.com', type: 'CNAME', ttl: 60, setIdentifier: 'blue', weight: 90, values: ['blue.example.com'] },
          { name: 'api.example.com', type: 'CNAME', ttl: 60, setIdentifier: 'green', weight: 10, values: ['green.example.com'] },
        ],
      },
    ],
  },
};

/** The id (no prefix) of the seeded example.com zone. */
export function exampleZoneId(state: Route53State): string {
  const zone = Object.values(state.zones).find((z) => z.name === 'example.com.');
  if (!zone) throw new Error('no example.com zone');
  return zone.id;
}
