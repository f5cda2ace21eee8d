/** Layer 2 set-up: the Route 53 provider against the simulated world, through a real SDK client and the engine. */
import { ListResourceRecordSetsCommand, Route53Client, type ResourceRecordSet } from '@aws-sdk/client-route-53';
import { ClockRetryStrategy } from '../../../src/aws/retry.js';
import type { Gate } from '../../../src/gates/types.js';
import { createRoute53Provider, type Route53TargetSpec } from '../../../src/providers/route53/index.js';
import { parseFault } from '../../../src/sim/faults.js';
import type { WorldSeed } from '../../../src/sim/seed.js';
import { route53Service, type Route53State } from '../../../src/sim/services/route53/index.js';
import type { Plan } from '../../../src/strategies/types.js';
import { harness } from '../../fakes/harness.js';
import { clientConfig, simWorld, T0 } from '../../sim/simFixture.js';
import { canaryPlan } from '../../fakes/plans.js';

export { T0 };
export const MINUTE = 60_000;

export const CANARY: Plan = canaryPlan(120);

export type SeedRecord = Record<string, unknown>;

/** blue (weight 100) and green (weight 0) CNAMEs for api.example.com, TTL 60, plus a record that is not ours. */
export const RECORDS: readonly SeedRecord[] = [
  { name: 'api.example.com', type: 'CNAME', ttl: 60, setIdentifier: 'blue', weight: 100, values: ['blue.example.com'] },
  { name: 'api.example.com', type: 'CNAME', ttl: 60, setIdentifier: 'green', weight: 0, values: ['green.example.com'] },
  { name: 'www.example.com', type: 'A', ttl: 300, values: ['192.0.2.10'] },
];

export interface Route53SimOptions {
  readonly records?: readonly SeedRecord[];
  readonly target?: Partial<Route53TargetSpec>;
  readonly faults?: readonly string[];
  readonly gates?: readonly Gate[];
  readonly plan?: Plan;
  readonly propagationSeconds?: number;
}

/**
 * A world with Route 53 only (API limits off; faults as given), clients resolving api.example.com at 100 rps, an
 * SDK client that retries like production (on the world's clock, jitter fixed), the provider and the engine.
 */
export function route53Sim(options: Route53SimOptions = {}) {
  const seed: WorldSeed = {
    apiLimits: false,
    versions: { v1: { errorRate: 0.01, latencyMs: 50 }, v2: { errorRate: 0.01, latencyMs: 60 } },
    route53: {
      propagationSeconds: options.propagationSeconds ?? 60,
      endpoints: { 'blue.example.com': 'v1', 'green.example.com': 'v2' },
      hostedZones: [{ name: 'example.com', records: options.records ?? RECORDS }],
    },
    traffic: [{ service: 'route53', resource: '${zone:example.com.id}|api.example.com|A', rps: 100 }],
  } as WorldSeed;
  const { world, clock } = simWorld([route53Service], seed);
  const { maxAttempts: _one, ...config } = clientConfig(world);
  const client = new Route53Client({ ...config, retryStrategy: new ClockRetryStrategy(clock, { forward: 3, rollback: 10 }, () => 0.5) });
  for (const fault of options.faults ?? []) world.addFault(parseFault(fault));
  const zoneId = Object.values(world.stateOf<Route53State>('route53').zones).find((z) => z.name === 'example.com.')!.id;
  const target: Route53TargetSpec = { type: 'route53', hostedZoneId: zoneId, recordName: 'api.example.com', recordType: 'CNAME', stableSetIdentifier: 'blue', canarySetIdentifier: 'green', ...options.target };
  const provider = createRoute53Provider(target, { client, plan: options.plan ?? CANARY, restore: { attempts: 5, backoffMs: 1000 } });
  const h = harness({ traffic: [provider], clock, gates: options.gates ?? [], settings: { pollSeconds: 10 } });
  /** Every record of the zone as Route 53 lists it now (not through the provider). */
  const zone = async (): Promise<ResourceRecordSet[]> => (await client.send(new ListResourceRecordSetsCommand({ HostedZoneId: zoneId }))).ResourceRecordSets ?? [];
  /** Calls the world answered since the `from`th, per operation (every attempt, whatever its outcome). */
  const calls = (from = 0) => {
    const counts: Record<string, number> = {};
    for (const call of world.state.calls.slice(from).filter((c) => c.service === 'route53')) counts[call.operation] = (counts[call.operation] ?? 0) + 1;
    return counts;
  };
  /** Requests resolvers sent to one weighted set in the minute starting at `minute` (since T0). */
  const requestsIn = (setIdentifier: string, minute: number): number => {
    world.sync();
    const points = world.metrics.query(
      { namespace: 'Sim/Route53Endpoint', metricName: 'RequestCount', dimensions: { RecordName: 'api.example.com.', SetIdentifier: setIdentifier }, period: 60, stat: 'Sum', start: T0, end: clock.now() },
      clock.now(),
    );
    return points.find((p) => p.timestamp === T0 + minute * MINUTE)?.value ?? 0;
  };
  return { world, clock, client, provider, h, zone, zoneId, calls, requestsIn };
}
