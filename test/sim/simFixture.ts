import { VirtualClock } from '../../src/time/clock.js';
import { seedWorld, type WorldSeed } from '../../src/sim/seed.js';
import type { SimService } from '../../src/sim/types.js';
import type { World } from '../../src/sim/world.js';

export const T0 = Date.UTC(2026, 0, 1);

/** A seeded world on a virtual clock, with only the services a test names. */
export function simWorld(services: readonly SimService[], seed: WorldSeed = {}, clock = new VirtualClock(T0)): { world: World; clock: VirtualClock } {
  return { world: seedWorld(seed, { clock, services }), clock };
}

/** Options for a real SDK client that talks to the world through the wire layer. */
export function clientConfig(world: World): { region: string; credentials: { accessKeyId: string; secretAccessKey: string }; requestHandler: ReturnType<World['requestHandler']>; maxAttempts: number } {
  return { region: world.state.region, credentials: { accessKeyId: 'AKIDSIM', secretAccessKey: 'sim' }, requestHandler: world.requestHandler(), maxAttempts: 1 };
}
