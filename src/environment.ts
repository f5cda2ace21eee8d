import type { RequestHandler } from '@smithy/types';
import { AwsClients, roleSessionName } from './aws/clients.js';
import type { WorldSeed } from './sim/seed.js';
import type { World } from './sim/world.js';
import { RealClock, VirtualClock, type Clock } from './time/clock.js';

export interface EnvironmentOptions {
  readonly aws?: { readonly region?: string; readonly profile?: string; readonly endpointUrl?: string; readonly roleArn?: string };
  /** Run against a simulated world instead of AWS. */
  readonly sim?: {
    /** A world file (seed or saved state); saved back after every change. */
    readonly file?: string;
    /** An embedded seed (the demo). */
    readonly seed?: WorldSeed;
    /** Simulated time: a two-hour canary runs in milliseconds. */
    readonly virtualTime?: boolean;
    /** Real time sped up this many times (the demo). */
    readonly speed?: number;
    /** --fault specs. */
    readonly faults?: readonly string[];
  };
  /** Names the session of an assumed role (the deployment id). */
  readonly sessionName?: string;
}

/** Where a command runs: the clock, the AWS clients, and the simulated world when there is one. */
export interface Environment {
  readonly clock: Clock;
  readonly clients: AwsClients;
  readonly world?: World;
  readonly worldFile?: string;
  /** Saves the simulated world (if any). */
  close(): void;
}

const SIM_CREDENTIALS = { accessKeyId: 'AKIDSIMULATEDWORLD', secretAccessKey: 'simulated' };

export async function openEnvironment(options: EnvironmentOptions = {}): Promise<Environment> {
  if (!options.sim) {
    const clock = new RealClock();
    const aws = options.aws ?? {};
    return {
      clock,
      clients: new AwsClients({ ...aws, clock, sessionName: roleSessionName(options.sessionName) }),
      close: () => undefined,
    };
  }
  const { openWorld } = await import('./sim/index.js');
  const opened = openWorld({ ...options.sim });
  const region = options.aws?.region ?? opened.world.state.region;
  const requestHandler = opened.world.requestHandler() as unknown as RequestHandler<unknown, unknown>;
  const clients = new AwsClients({ region, clock: opened.clock, requestHandler, credentials: SIM_CREDENTIALS });
  return { clock: opened.clock, clients, world: opened.world, ...(opened.file ? { worldFile: opened.file } : {}), close: () => opened.save() };
}

export { RealClock, VirtualClock };
