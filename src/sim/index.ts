import { resolve as resolvePath } from 'node:path';
import { RealClock, ScaledClock, VirtualClock, type Clock } from '../time/clock.js';
import { parseFault } from './faults.js';
import { seedWorld, type WorldSeed } from './seed.js';
import type { SimService } from './types.js';
import { World } from './world.js';
import { readWorldFile, WorldFileSync } from './worldFile.js';
import { autoscalingService } from './services/autoscaling/index.js';
import { cloudwatchService } from './services/cloudwatch/index.js';
import { ecsService } from './services/ecs/index.js';
import { elbv2Service } from './services/elbv2/index.js';
import { lambdaService } from './services/lambda/index.js';
import { route53Service } from './services/route53/index.js';

/** Every service of the simulated world. */
export const SIM_SERVICES: readonly SimService[] = [elbv2Service, lambdaService, route53Service, ecsService, autoscalingService, cloudwatchService];

export interface OpenWorldOptions {
  readonly file?: string;
  readonly seed?: WorldSeed;
  readonly virtualTime?: boolean;
  /** Real time sped up this many times (the demo). */
  readonly speed?: number;
  readonly faults?: readonly string[];
}

export interface OpenedWorld {
  readonly world: World;
  readonly clock: Clock;
  readonly file?: string;
  save(): void;
}

/**
 * Opens a world from a file (seed or saved state) or an embedded seed, on a real or virtual clock. A saved world
 * continues at its own time in simulated-time mode, so a second process carries on where the first stopped.
 */
export function openWorld(options: OpenWorldOptions): OpenedWorld {
  const file = options.file ? resolvePath(options.file) : undefined;
  const content = file ? readWorldFile(file) : { kind: 'seed' as const, seed: options.seed ?? {} };
  const start = content.kind === 'state' ? content.state.now : Date.now();
  const clock = options.virtualTime ? new VirtualClock(start) : options.speed && options.speed !== 1 ? new ScaledClock(options.speed) : new RealClock();
  const sync = file ? new WorldFileSync(file) : undefined;
  // Only a process that changed the world writes it back: a reader (status, a deployment refused by its lock)
  // must not overwrite what another process wrote meanwhile.
  let changed = false;
  const hooks = sync
    ? {
        onChange: (w: World) => {
          changed = true;
          sync.save(w);
        },
        beforeCall: (w: World) => sync.beforeCall(w),
      }
    : {};
  const world =
    content.kind === 'state'
      ? new World({ clock, services: SIM_SERVICES, state: content.state, ...hooks })
      : seedWorld(content.seed, { clock, services: SIM_SERVICES, where: options.file ?? 'world', ...hooks });
  for (const fault of options.faults ?? []) world.addFault(parseFault(fault));
  if (sync) {
    if (content.kind === 'seed' || (options.faults?.length ?? 0) > 0) sync.save(world);
    else sync.beforeCall(world);
  }
  return { world, clock, ...(file ? { file } : {}), save: () => (changed ? sync?.save(world) : undefined) };
}

export { World, seedWorld, parseFault };
export type { WorldSeed };
export { RealClock };
