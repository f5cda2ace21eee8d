/**
 * Runs one sequence of real SDK calls against moto and against the simulated world, records what each answered
 * (outputs, or the modeled error class and HTTP status), normalises what is generated (ids, ARNs' random parts,
 * timestamps, request ids) and compares the two transcripts leaf by leaf. Every difference must be one the
 * deviation list names (and docs/moto.md explains); every listed deviation must still be observed, so the list and
 * the note stay true when moto or the simulator changes.
 */
import { writeFileSync } from 'node:fs';
import { expect } from 'vitest';
import { SIM_SERVICES } from '../../src/sim/index.js';
import type { WorldSeed } from '../../src/sim/seed.js';
import type { SimService } from '../../src/sim/types.js';
import type { World } from '../../src/sim/world.js';
import type { VirtualClock } from '../../src/time/clock.js';
import { clientConfig, simWorld } from '../sim/simFixture.js';
import { motoClientConfig, type MotoServer } from './motoServer.js';

/** One side of the comparison: how to build its clients, and how to let time pass on it. */
export interface Side {
  readonly name: 'moto' | 'sim';
  /** Options for any SDK v3 client. */
  readonly config: Record<string, unknown> & { region: string };
  /** Lets `seconds` pass for the side's own dynamics (the sim's virtual clock; moto changes nothing over time). */
  settle(seconds: number): Promise<void>;
  /** The side's current time (moto: the wall clock; the sim: its virtual clock). */
  now(): number;
}

export function motoSide(moto: MotoServer): Side {
  return { name: 'moto', config: motoClientConfig(moto), settle: async () => undefined, now: () => Date.now() };
}

export function simSide(services: readonly SimService[] = SIM_SERVICES, seed: WorldSeed = { apiLimits: false }): Side & { world: World; clock: VirtualClock } {
  const { world, clock } = simWorld(services, seed);
  return {
    name: 'sim',
    world,
    clock,
    config: clientConfig(world),
    settle: async (seconds) => clock.advance(seconds * 1000),
    now: () => clock.now(),
  };
}

/** What a call answered: its output (the SDK's `$metadata` reduced to the HTTP status), or its error. */
export type Answer = { readonly ok: unknown } | { readonly error: string; readonly status: number | undefined };

export class Transcript {
  readonly steps: { readonly step: string; readonly answer: Answer }[] = [];

  constructor(readonly side: Side) {}

  /** Sends, records the output under `step`, and returns it (throws if the call failed). */
  async call<T>(step: string, send: () => Promise<T>): Promise<T> {
    try {
      const output = await send();
      this.steps.push({ step, answer: { ok: output } });
      return output;
    } catch (error) {
      this.steps.push({ step, answer: errorAnswer(error) });
      const { name, message, $metadata } = error as Error & { $metadata?: { httpStatusCode?: number } };
      // eslint-disable-next-line preserve-caught-error -- the SDK error carries the raw HTTP response, which floods the report
      throw new Error(`${this.side.name}: ${step} failed: ${name} (HTTP ${$metadata?.httpStatusCode ?? '-'}): ${message}`, { cause: { name, message, status: $metadata?.httpStatusCode } });
    }
  }

  /** Sends a call that may fail; records either answer. */
  async attempt(step: string, send: () => Promise<unknown>): Promise<Answer> {
    let answer: Answer;
    try {
      answer = { ok: await send() };
    } catch (error) {
      answer = errorAnswer(error);
    }
    this.steps.push({ step, answer });
    return answer;
  }

  /** Records a value computed by the scenario (for example a read-back after a helper ran). */
  note(step: string, value: unknown): void {
    this.steps.push({ step, answer: { ok: value } });
  }

  answerOf(step: string): Answer {
    const found = this.steps.find((s) => s.step === step);
    if (!found) throw new Error(`no step ${step}`);
    return found.answer;
  }
}

function errorAnswer(error: unknown): Answer {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  if (e.$metadata?.httpStatusCode === undefined) throw error;
  return { error: e.name ?? 'Error', status: e.$metadata.httpStatusCode };
}

/** A generated value: every distinct match becomes `<kind#n>` in order of first appearance in the transcript. */
export interface TokenRule {
  readonly kind: string;
  readonly pattern: RegExp;
  /** Every match becomes `<kind>` (no numbering): for values whose identity does not matter, like times. */
  readonly same?: boolean;
}

/** Values that are generated on every side: ISO and AWS date strings, UUIDs. */
export const COMMON_TOKENS: readonly TokenRule[] = [
  { kind: 'time', pattern: /\b\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:?\d\d)/g, same: true },
  { kind: 'uuid', pattern: /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/g },
];

export interface NormaliseOptions {
  readonly tokens?: readonly TokenRule[];
  /** Object members dropped everywhere (e.g. response members that are random on both sides). */
  readonly drop?: readonly string[];
}

/** The transcript as plain JSON with generated values replaced by stable tokens. */
export function normalise(transcript: Transcript, options: NormaliseOptions = {}): Record<string, unknown> {
  const rules = [...COMMON_TOKENS, ...(options.tokens ?? [])];
  const drop = new Set(options.drop ?? []);
  const seen = new Map<string, Map<string, string>>();
  const token = (kind: string, value: string): string => {
    const byValue = seen.get(kind) ?? new Map<string, string>();
    seen.set(kind, byValue);
    if (!byValue.has(value)) byValue.set(value, `<${kind}#${byValue.size + 1}>`);
    return byValue.get(value)!;
  };
  const walk = (value: unknown): unknown => {
    if (value instanceof Date) return '<time>';
    if (value instanceof Uint8Array) return `<bytes ${value.length}>`;
    if (typeof value === 'string') return rules.reduce((s, rule) => s.replace(rule.pattern, (m) => (rule.same ? `<${rule.kind}>` : token(rule.kind, m))), value);
    if (Array.isArray(value)) return value.map(walk);
    if (value && typeof value === 'object') {
      const out: Record<string, unknown> = {};
      for (const [key, member] of Object.entries(value)) {
        if (drop.has(key) || member === undefined) continue;
        if (key === '$metadata') out.$status = (member as { httpStatusCode?: number }).httpStatusCode;
        else out[key] = walk(member);
      }
      return out;
    }
    return value;
  };
  const result: Record<string, unknown> = {};
  for (const { step, answer } of transcript.steps) {
    if (step in result) throw new Error(`step ${step} recorded twice`);
    result[step] = 'ok' in answer ? walk(answer.ok) : answer;
  }
  return result;
}

/** Leaf paths of a JSON value; empty arrays and objects are leaves too (so `[]` differs from absent). */
export function leaves(value: unknown, path = ''): Map<string, unknown> {
  const out = new Map<string, unknown>();
  const visit = (v: unknown, p: string): void => {
    if (Array.isArray(v)) {
      if (v.length === 0) out.set(p, '[]');
      v.forEach((item, i) => visit(item, `${p}[${i}]`));
    } else if (v && typeof v === 'object') {
      const entries = Object.entries(v);
      if (entries.length === 0) out.set(p, '{}');
      for (const [k, member] of entries) visit(member, p ? `${p}.${k}` : k);
    } else out.set(p, v);
  };
  visit(value, path);
  return out;
}

/** A known difference between moto and the sim, explained in docs/moto.md under the same id. */
export interface Deviation {
  readonly id: string;
  /** Matched against `<step> <leaf path>` of each differing leaf. */
  readonly at: RegExp;
  /** Not always observed (moto's own randomness decides), so its absence is no failure. */
  readonly sometimes?: boolean;
}

export interface Difference {
  readonly where: string;
  readonly moto: unknown;
  readonly sim: unknown;
}

export function differences(moto: Record<string, unknown>, sim: Record<string, unknown>): Difference[] {
  const steps = [...new Set([...Object.keys(moto), ...Object.keys(sim)])];
  const found: Difference[] = [];
  for (const step of steps) {
    const m = leaves(moto[step]);
    const s = leaves(sim[step]);
    for (const path of new Set([...m.keys(), ...s.keys()])) {
      const mv = m.has(path) ? m.get(path) : '<absent>';
      const sv = s.has(path) ? s.get(path) : '<absent>';
      if (mv !== sv) found.push({ where: `${step} ${path}`, moto: mv, sim: sv });
    }
  }
  return found;
}

/**
 * Asserts that the transcripts differ only where a listed deviation says so, and that each listed deviation
 * is observed. Returns the differences per deviation id (for tests that check the values themselves).
 */
export function expectConformance(moto: Transcript, sim: Transcript, deviations: readonly Deviation[], options: NormaliseOptions = {}): Map<string, Difference[]> {
  expect(sim.steps.map((s) => s.step)).toEqual(moto.steps.map((s) => s.step));
  const found = differences(normalise(moto, options), normalise(sim, options));
  const byId = new Map<string, Difference[]>(deviations.map((d) => [d.id, []]));
  const unexplained: Difference[] = [];
  for (const difference of found) {
    const deviation = deviations.find((d) => d.at.test(difference.where));
    if (deviation) byId.get(deviation.id)!.push(difference);
    else unexplained.push(difference);
  }
  if (process.env.MOTO_DUMP) writeFileSync(process.env.MOTO_DUMP, JSON.stringify({ moto: normalise(moto, options), sim: normalise(sim, options) }, null, 1));
  if (process.env.MOTO_REPORT) for (const [id, list] of byId) console.log(`${id}: ${list.length} leaves, e.g. ${JSON.stringify(list[0])}`);
  expect(unexplained, 'differences between moto and the sim that no deviation explains').toEqual([]);
  const unobserved = [...byId].filter(([id, list]) => list.length === 0 && !deviations.find((d) => d.id === id)?.sometimes).map(([id]) => id);
  expect(unobserved, 'deviations listed (and documented in docs/moto.md) but no longer observed').toEqual([]);
  return byId;
}

/** Runs the scenario on both sides, one after the other. */
export async function runBoth(moto: Side, sim: Side, scenario: (t: Transcript) => Promise<void>): Promise<{ moto: Transcript; sim: Transcript }> {
  const m = new Transcript(moto);
  await scenario(m);
  const s = new Transcript(sim);
  await scenario(s);
  return { moto: m, sim: s };
}

/** The `ok` output of an answer (fails the test if the call failed). */
export function ok<T = Record<string, unknown>>(answer: Answer): T {
  if (!('ok' in answer)) throw new Error(`expected success, got ${answer.error} (${answer.status})`);
  return answer.ok as T;
}
