import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RequestHandler } from '@smithy/types';
import { AwsClients } from '../../src/aws/clients.js';
import { parseSpec, planFromSpec, settingsFromSpec } from '../../src/config/resolve.js';
import type { DeploySpec } from '../../src/config/schema.js';
import { startDeployment, type DeployResult } from '../../src/engine/deployment.js';
import type { DeployEvent } from '../../src/engine/events.js';
import type { Environment } from '../../src/environment.js';
import { buildDeploymentParts } from '../../src/providers/registry.js';
import { SIM_SERVICES } from '../../src/sim/index.js';
import { parseFault } from '../../src/sim/faults.js';
import { seedWorld, type WorldSeed } from '../../src/sim/seed.js';
import type { World } from '../../src/sim/world.js';
import { FileStore } from '../../src/state/fileStore.js';
import type { DeploymentStore } from '../../src/state/types.js';
import type { Plan } from '../../src/strategies/types.js';
import { VirtualClock, type Clock } from '../../src/time/clock.js';
import { MemoryStore } from '../../test/reliability/memoryStore.js';
import { TARGETS, type TargetCase, type TargetKind } from '../../test/reliability/targets.js';

/**
 * What every benchmark shares: the reliability suite's worlds (one per kind of target, the new version healthy, an
 * alarm `errors` watching it), a simulated world on a real or virtual clock, the AWS clients the CLI builds for
 * --sim (real SDK clients, retries and the client-side rate limiter), and one deployment run through the engine.
 */
export { TARGETS, type TargetCase, type TargetKind };
export const TRAFFIC_KINDS: readonly TargetKind[] = ['alb', 'lambda', 'route53'];

/** The target's world; Route 53 changes propagate in `propagationSeconds` (the real service: up to 60 s). */
export function seedOf(target: TargetCase, options: { propagationSeconds?: number } = {}): WorldSeed {
  const seed = target.seed() as Record<string, unknown>;
  if (target.kind === 'route53' && options.propagationSeconds !== undefined) seed.route53 = { ...(seed.route53 as object), propagationSeconds: options.propagationSeconds };
  return seed as WorldSeed;
}

export interface SimEnv {
  readonly world: World;
  readonly clock: Clock;
  readonly env: Environment;
}

export function simEnv(seed: WorldSeed, clock: Clock, faults: readonly string[] = []): SimEnv {
  const world = seedWorld(seed, { clock, services: SIM_SERVICES });
  for (const fault of faults) world.addFault(parseFault(fault));
  const requestHandler = world.requestHandler() as unknown as RequestHandler<unknown, unknown>;
  const clients = new AwsClients({ region: world.state.region, clock, requestHandler, credentials: { accessKeyId: 'AKIDBENCH', secretAccessKey: 'simulated' } });
  return { world, clock, env: { clock, clients, world, close: () => undefined } };
}

export interface Deployment {
  readonly result: DeployResult;
  readonly events: DeployEvent[];
  readonly plan: Plan;
  /** Wall-clock milliseconds from the call to the result. */
  readonly wallMs: number;
}

export interface DeployOptions {
  readonly id?: string;
  readonly store?: DeploymentStore;
  /** Clock handed to the engine (a delegate of a VirtualClock lets the caller drive time for many deployments). */
  readonly clock?: Clock;
}

/** One deployment through the engine, the provider registry and the real providers, as the CLI runs it. */
export async function deploy(sim: SimEnv, options: Omit<DeploySpec, 'targets'> & { targets?: DeploySpec['targets'] }, target: TargetCase, run: DeployOptions = {}): Promise<Deployment> {
  const spec = parseSpec({ ...options, targets: options.targets ?? [target.target(sim.world)] });
  const plan = planFromSpec(spec);
  const events: DeployEvent[] = [];
  const store = run.store ?? new FileStore(mkdtempSync(join(tmpdir(), 'deployctl-bench-')));
  const started = performance.now();
  const result = await startDeployment(
    spec,
    plan,
    { store, clock: run.clock ?? sim.clock, build: (s) => buildDeploymentParts(s, plan, sim.env), onEvent: (e) => events.push(e), leaseMs: 3_600_000, controlPollMs: 3_600_000 },
    { id: run.id ?? `d-bench-${Math.random().toString(16).slice(2, 8)}`, settings: settingsFromSpec(spec) },
  );
  return { result, events, plan, wallMs: performance.now() - started };
}

/** A VirtualClock the engine only awaits on (it drives a VirtualClock itself otherwise): the caller drives it. */
export function delegate(clock: VirtualClock): Clock {
  return { now: () => clock.now(), setTimeout: (fn, ms) => clock.setTimeout(fn, ms), clearTimeout: (id) => clock.clearTimeout(id), sleep: (ms, signal) => clock.sleep(ms, signal), track: (work) => clock.track(work) };
}

export { MemoryStore, VirtualClock };

/** Math.random from a seed, for the SDK's retry jitter: a benchmark with faults is the same run every time. */
export { withSeededMathRandom as withSeededRandom } from '../../src/sim/random.js';

export function median(values: readonly number[]): number {
  return quantile(values, 0.5);
}

/** Nearest-rank quantile. */
export function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}
