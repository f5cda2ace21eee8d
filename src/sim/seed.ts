import { InputError } from '../errors.js';
import type { Clock } from '../time/clock.js';
import { parseFault, type Fault } from './faults.js';
import type { AppVersion, SeedRefs, ServiceName, TrafficSource } from './types.js';
import { DEFAULT_VERSION } from './types.js';
import { World, type WorldOptions } from './world.js';

/**
 * A world file's seed form (examples/worlds/*.yaml): names in, resources with stable ids out. Sections are
 * seeded in dependency order, and strings may refer to what earlier sections created as `${kind:name.field}`
 * (for example `${tg:web-green.dimension}` in an alarm, `${listener:web:80.arn}` in traffic).
 */
export interface WorldSeed {
  readonly region?: string;
  readonly accountId?: string;
  readonly seed?: number;
  readonly metrics?: { readonly delaySeconds?: number };
  readonly apiLimits?: boolean;
  readonly versions?: Readonly<Record<string, Partial<AppVersion>>>;
  readonly artifacts?: Readonly<Record<string, string>>;
  readonly traffic?: readonly { readonly service: ServiceName; readonly resource: string; readonly rps: number }[];
  readonly faults?: readonly (Fault | string)[];
  readonly [service: string]: unknown;
}

/** Seeding order: a section may refer only to resources of the sections before it. */
export const SEED_ORDER: readonly ServiceName[] = ['elbv2', 'lambda', 'route53', 'ecs', 'autoscaling', 'cloudwatch'];

const TOP_LEVEL = new Set(['region', 'accountId', 'seed', 'metrics', 'apiLimits', 'versions', 'artifacts', 'traffic', 'faults', ...SEED_ORDER]);

export function seedWorld(seed: WorldSeed, options: Omit<WorldOptions, 'state' | 'seed'> & { readonly where?: string }): World {
  const where = options.where ?? 'world';
  for (const key of Object.keys(seed)) {
    if (!TOP_LEVEL.has(key)) throw new InputError(`${where}: ${key}`, key, `world files have the sections ${[...TOP_LEVEL].join(', ')}`);
  }
  const world = new World({ ...options, seed: seed.seed ?? 1 });
  const state = world.state;
  if (seed.region) state.region = seed.region;
  if (seed.accountId) state.accountId = seed.accountId;
  if (seed.metrics?.delaySeconds !== undefined) state.settings.metricDelaySeconds = seed.metrics.delaySeconds;
  if (seed.apiLimits !== undefined) state.settings.apiLimits = { enabled: seed.apiLimits };
  for (const [label, version] of Object.entries(seed.versions ?? {})) state.versions[label] = { ...DEFAULT_VERSION, ...version };
  Object.assign(state.artifacts, seed.artifacts ?? {});

  const refs = new Refs();
  for (const name of SEED_ORDER) {
    const section = seed[name];
    if (section === undefined) continue;
    const service = world.hasService(name) ? world.service(name) : undefined;
    if (!service?.seed) throw new InputError(`${where}: ${name}`, name, `this build of the simulated world cannot seed ${name}`);
    service.seed(world.context(name), refs.resolve(section, `${where}: ${name}`), refs);
  }
  for (const source of seed.traffic ?? []) world.addTraffic(refs.resolve(source, `${where}: traffic`) as TrafficSource);
  for (const fault of seed.faults ?? []) world.addFault(typeof fault === 'string' ? parseFault(fault, `${where}: faults`) : fault);
  world.sync();
  return world;
}

class Refs implements SeedRefs {
  private readonly values = new Map<string, Readonly<Record<string, string>>>();

  set(name: string, fields: Readonly<Record<string, string>>): void {
    this.values.set(name, fields);
  }

  get(name: string): Readonly<Record<string, string>> | undefined {
    return this.values.get(name);
  }

  /** Replaces every `${kind:name.field}` in the strings of a section. */
  resolve(value: unknown, where: string): unknown {
    if (typeof value === 'string') {
      return value.replace(/\$\{([^}]+)\}/g, (_, ref: string) => {
        const dot = ref.lastIndexOf('.');
        const fields = this.values.get(ref.slice(0, dot));
        const field = fields?.[ref.slice(dot + 1)];
        if (dot < 0 || field === undefined) {
          throw new InputError(where, `\${${ref}}`, `refer to something an earlier section created, as \${kind:name.field}; known: ${[...this.values.keys()].join(', ') || 'nothing yet'}`);
        }
        return field;
      });
    }
    if (Array.isArray(value)) return value.map((v) => this.resolve(v, where));
    if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.resolve(v, where)]));
    return value;
  }
}

export type { Clock };
