import type { WorldSeed } from '../../src/sim/seed.js';
import { AWS_API_LIMITS } from '../../src/sim/apiLimits.js';
import { DEFAULT_BUDGETS } from '../../src/aws/rateLimit.js';
import type { SimCall } from '../../src/sim/protocol/index.js';
import { delegate, deploy, MemoryStore, simEnv, VirtualClock, TARGETS } from './sim.js';

/**
 * Benchmark 4: fleet scale. N canaries at once in one process, one per Lambda function of one world holding N
 * functions (each with its alias, its traffic and its own error alarm), all through one set of AWS clients — so one
 * client-side rate limiter — against a world that enforces AWS's published per-account API rates
 * (src/sim/apiLimits.ts) and throttles above them. Simulated time: the whole fleet runs on one virtual clock.
 * Measured: simulated and wall completion time, peak RSS and RSS per deployment (this process runs one size
 * only), calls per second per API budget at their busiest second against the limit, and calls the world throttled.
 */
export interface FleetResult {
  readonly deployments: number;
  readonly outcomes: Readonly<Record<string, number>>;
  /** From the first deployment starting to the last one finishing, simulated. */
  readonly simulatedMs: number;
  /** The plan's own minimum (its bakes). */
  readonly planMinimumMs: number;
  readonly wallMs: number;
  readonly baselineRssMb: number;
  readonly peakRssMb: number;
  readonly peakHeapMb: number;
  readonly rssPerDeploymentKb: number;
  readonly peaks: readonly { readonly key: string; readonly peak: number; readonly limit: number; readonly burst: number; readonly client: number }[];
  readonly worldThrottled: number;
  readonly calls: number;
}

export const FLEET_PLAN = { strategy: 'canary' as const, steps: '1,5,25,100', bake: '5m' };

function fleetSeed(n: number): WorldSeed {
  const names = Array.from({ length: n }, (_, i) => `fn-${String(i + 1).padStart(4, '0')}`);
  const alarm = (name: string) => ({ name: `errors-${name}`, namespace: 'AWS/Lambda', metric: 'Errors', dimensions: { FunctionName: name }, statistic: 'Sum', period: 60, evaluationPeriods: 1, threshold: 10_000, comparison: '>', treatMissingData: 'notBreaching' });
  return {
    versions: { v1: { errorRate: 0.001, latencyMs: 50 }, v2: { errorRate: 0.001, latencyMs: 45 } },
    lambda: { settleSeconds: 0, functions: names.map((name) => ({ name, versions: [{ version: 1, artifact: 'v1' }, { version: 2, artifact: 'v2' }], aliases: [{ name: 'live', version: 1 }] })) },
    cloudwatch: { alarms: names.map(alarm) },
    traffic: names.map((name) => ({ service: 'lambda' as const, resource: `${name}:live`, rps: 10 })),
  };
}

export async function fleet(n: number): Promise<FleetResult> {
  const clock = new VirtualClock(Date.UTC(2026, 0, 1));
  const sim = simEnv(fleetSeed(n), clock);
  let worldThrottled = 0;
  const check = sim.world.limits.check.bind(sim.world.limits);
  sim.world.limits.check = (call: SimCall) => {
    try {
      check(call);
    } catch (error) {
      worldThrottled += 1;
      throw error;
    }
  };
  // SDK clients loaded before measuring: the baseline holds the world, the modules and the clients.
  await sim.env.clients.get('lambda');
  await sim.env.clients.get('cloudwatch');
  global.gc?.();
  const baselineRss = process.memoryUsage().rss;
  let peakHeap = process.memoryUsage().heapUsed;
  const sampler = setInterval(() => {
    peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
  }, 100);
  const store = new MemoryStore();
  const started = performance.now();
  const start = clock.now();
  const runs = Array.from({ length: n }, (_, i) => {
    const name = `fn-${String(i + 1).padStart(4, '0')}`;
    return deploy(sim, { ...FLEET_PLAN, targets: [{ type: 'lambda', functionName: name, alias: 'live', toVersion: 2 }], gates: { alarms: [`errors-${name}`] } }, TARGETS.lambda, { id: `d-fleet-${name}`, store, clock: delegate(clock) });
  });
  const results = await clock.run(Promise.all(runs), { maxMs: 7 * 24 * 3600_000 });
  const wallMs = performance.now() - started;
  clearInterval(sampler);
  const peakRss = process.resourceUsage().maxRSS * 1024;
  const outcomes: Record<string, number> = {};
  for (const r of results) outcomes[r.result.outcome] = (outcomes[r.result.outcome] ?? 0) + 1;
  const end = Math.max(...results.map((r) => r.events.at(-1)!.at));
  const peaks = Object.entries(sim.world.limits.peaks())
    .map(([key, peak]) => ({ key, peak, limit: AWS_API_LIMITS[key]?.rate ?? Number.NaN, burst: AWS_API_LIMITS[key]?.burst ?? Number.NaN, client: DEFAULT_BUDGETS[key]?.ratePerSecond ?? Number.NaN }))
    .sort((a, b) => a.key.localeCompare(b.key));
  return {
    deployments: n,
    outcomes,
    simulatedMs: end - start,
    planMinimumMs: 3 * 5 * 60_000,
    wallMs,
    baselineRssMb: baselineRss / 2 ** 20,
    peakRssMb: peakRss / 2 ** 20,
    peakHeapMb: peakHeap / 2 ** 20,
    rssPerDeploymentKb: (peakRss - baselineRss) / 1024 / n,
    peaks,
    worldThrottled,
    calls: Object.values(sim.env.clients.callCounts()).reduce((a, b) => a + b, 0),
  };
}
