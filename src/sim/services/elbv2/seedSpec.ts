import { InputError } from '../../../errors.js';

/** The shape of the `elbv2:` world-file section (documented in seed.ts and docs/worlds.md), checked on load. */
export interface ElbSeedSection {
  readonly loadBalancers: readonly LoadBalancerSeed[];
}

export interface LoadBalancerSeed {
  readonly name: string;
  readonly scheme?: string;
  readonly targetGroups: readonly TargetGroupSeed[];
  readonly listeners: readonly ListenerSeed[];
}

export interface TargetGroupSeed {
  readonly name: string;
  readonly port?: number;
  readonly protocol?: string;
  readonly healthCheck?: { readonly intervalSeconds?: number; readonly healthyThreshold?: number; readonly unhealthyThreshold?: number };
  readonly deregistrationDelaySeconds?: number;
  readonly targets: { readonly count: number; readonly version: string } | readonly { readonly id: string; readonly version: string; readonly port?: number }[];
}

export interface ListenerSeed {
  readonly port: number;
  readonly protocol?: string;
  readonly forward: Readonly<Record<string, number>>;
  readonly stickiness?: { readonly enabled: boolean; readonly durationSeconds?: number };
  readonly rules?: readonly { readonly priority: number; readonly pathPattern?: string | string[]; readonly hostHeader?: string | string[]; readonly forward: Readonly<Record<string, number>> }[];
}

type Obj = Record<string, unknown>;

export function parseSection(spec: unknown): ElbSeedSection {
  const section = object(spec, 'elbv2', 'an object with loadBalancers: [...]');
  return { loadBalancers: list(section.loadBalancers, 'elbv2.loadBalancers').map((lb, i) => parseLoadBalancer(lb, `elbv2.loadBalancers[${i}]`)) };
}

function parseLoadBalancer(value: unknown, where: string): LoadBalancerSeed {
  const lb = object(value, where, 'an object with name, targetGroups and listeners');
  return {
    name: text(lb.name, `${where}.name`),
    ...(lb.scheme !== undefined ? { scheme: oneOf(lb.scheme, `${where}.scheme`, ['internet-facing', 'internal']) } : {}),
    targetGroups: list(lb.targetGroups ?? [], `${where}.targetGroups`).map((g, i) => parseTargetGroup(g, `${where}.targetGroups[${i}]`)),
    listeners: list(lb.listeners ?? [], `${where}.listeners`).map((l, i) => parseListener(l, `${where}.listeners[${i}]`)),
  };
}

function parseTargetGroup(value: unknown, where: string): TargetGroupSeed {
  const g = object(value, where, 'an object with name and targets');
  const hc = g.healthCheck === undefined ? undefined : object(g.healthCheck, `${where}.healthCheck`, 'an object with intervalSeconds, healthyThreshold, unhealthyThreshold');
  return {
    name: text(g.name, `${where}.name`),
    ...(g.port !== undefined ? { port: integer(g.port, `${where}.port`, 1, 65535) } : {}),
    ...(g.protocol !== undefined ? { protocol: oneOf(g.protocol, `${where}.protocol`, ['HTTP', 'HTTPS']) } : {}),
    ...(hc
      ? {
          healthCheck: {
            ...(hc.intervalSeconds !== undefined ? { intervalSeconds: integer(hc.intervalSeconds, `${where}.healthCheck.intervalSeconds`, 5, 300) } : {}),
            ...(hc.healthyThreshold !== undefined ? { healthyThreshold: integer(hc.healthyThreshold, `${where}.healthCheck.healthyThreshold`, 2, 10) } : {}),
            ...(hc.unhealthyThreshold !== undefined ? { unhealthyThreshold: integer(hc.unhealthyThreshold, `${where}.healthCheck.unhealthyThreshold`, 2, 10) } : {}),
          },
        }
      : {}),
    ...(g.deregistrationDelaySeconds !== undefined ? { deregistrationDelaySeconds: integer(g.deregistrationDelaySeconds, `${where}.deregistrationDelaySeconds`, 0, 3600) } : {}),
    targets: parseTargets(g.targets ?? [], `${where}.targets`),
  };
}

function parseTargets(value: unknown, where: string): TargetGroupSeed['targets'] {
  if (!Array.isArray(value)) {
    const t = object(value, where, 'either { count, version } or a list of { id, version, port? }');
    return { count: integer(t.count, `${where}.count`, 0, 1000), version: text(t.version, `${where}.version`) };
  }
  return value.map((item, i) => {
    const t = object(item, `${where}[${i}]`, 'an object with id, version and an optional port');
    return { id: text(t.id, `${where}[${i}].id`), version: text(t.version, `${where}[${i}].version`), ...(t.port !== undefined ? { port: integer(t.port, `${where}[${i}].port`, 1, 65535) } : {}) };
  });
}

function parseListener(value: unknown, where: string): ListenerSeed {
  const l = object(value, where, 'an object with port and forward');
  const stickiness = l.stickiness === undefined ? undefined : object(l.stickiness, `${where}.stickiness`, 'an object with enabled and durationSeconds');
  return {
    port: integer(l.port, `${where}.port`, 1, 65535),
    ...(l.protocol !== undefined ? { protocol: oneOf(l.protocol, `${where}.protocol`, ['HTTP', 'HTTPS']) } : {}),
    forward: weights(l.forward, `${where}.forward`),
    ...(stickiness ? { stickiness: { enabled: stickiness.enabled === true, ...(stickiness.durationSeconds !== undefined ? { durationSeconds: integer(stickiness.durationSeconds, `${where}.stickiness.durationSeconds`, 1, 604_800) } : {}) } } : {}),
    rules: list(l.rules ?? [], `${where}.rules`).map((r, i) => {
      const rule = object(r, `${where}.rules[${i}]`, 'an object with priority, pathPattern and/or hostHeader, and forward');
      if (rule.pathPattern === undefined && rule.hostHeader === undefined) throw new InputError(`${where}.rules[${i}]`, r, 'a rule needs a pathPattern or a hostHeader');
      return {
        priority: integer(rule.priority, `${where}.rules[${i}].priority`, 1, 50_000),
        ...(rule.pathPattern !== undefined ? { pathPattern: texts(rule.pathPattern, `${where}.rules[${i}].pathPattern`) } : {}),
        ...(rule.hostHeader !== undefined ? { hostHeader: texts(rule.hostHeader, `${where}.rules[${i}].hostHeader`) } : {}),
        forward: weights(rule.forward, `${where}.rules[${i}].forward`),
      };
    }),
  };
}

function weights(value: unknown, where: string): Record<string, number> {
  const map = object(value, where, 'a map of target group name to weight (0..999)');
  if (Object.keys(map).length === 0) throw new InputError(where, value, 'name at least one target group');
  return Object.fromEntries(Object.entries(map).map(([name, w]) => [name, integer(w, `${where}.${name}`, 0, 999)]));
}

function object(value: unknown, where: string, expected: string): Obj {
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new InputError(where, value, `expected ${expected}`);
  return value as Obj;
}

function list(value: unknown, where: string): unknown[] {
  if (!Array.isArray(value)) throw new InputError(where, value, 'expected a list');
  return value;
}

function text(value: unknown, where: string): string {
  if (typeof value !== 'string' || value === '') throw new InputError(where, value, 'expected a non-empty string');
  return value;
}

function texts(value: unknown, where: string): string | string[] {
  return Array.isArray(value) ? value.map((v, i) => text(v, `${where}[${i}]`)) : text(value, where);
}

function integer(value: unknown, where: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) throw new InputError(where, value, `expected a whole number from ${min} to ${max}`);
  return value;
}

function oneOf(value: unknown, where: string, allowed: readonly string[]): string {
  if (typeof value !== 'string' || !allowed.includes(value)) throw new InputError(where, value, `expected one of ${allowed.join(', ')}`);
  return value;
}
