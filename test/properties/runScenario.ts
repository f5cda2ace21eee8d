import { startRollout, type RolloutOutcome, type RolloutResult, type RunningRollout, type Transition } from '../../src/engine/runRollout.js';
import type { RolloutContext } from '../../src/machines/context.js';
import { VirtualClock } from '../../src/time/clock.js';
import { PropertyWorld, type LogEntry, type WorldState } from '../fakes/propertyWorld.js';
import type { Control, Decision, Scenario } from './scenario.js';
import { stats } from './stats.js';

/** An external event that reached the deployment: a control at a time (`c<i>`), one tied to a step (`s<i>`), or the operator's answer to step n (`d<n>`). */
export interface Delivered {
  readonly key: string;
  readonly kind: Control['kind'] | Decision['kind'];
  readonly at: number;
}

/** One persisted transition, with the world as it was when it was stored: a place to crash. */
export interface Point {
  readonly phase: string;
  readonly context: RolloutContext;
  readonly snapshot: unknown;
  readonly waitingForApproval: boolean;
  readonly at: number;
  readonly world: WorldState;
  readonly logLength: number;
  readonly gateChecks: number;
  readonly delivered: readonly Delivered[];
  /** Operator answers decided (scheduled) so far; a person's intent survives the crash of a process. */
  readonly decided: readonly Delivered[];
}

/** One process's life: from a start (or a restored snapshot) to an end, a pause or a hang. */
export interface Segment {
  /** Clock time at which this process started, and the phase it was restored into (null for a fresh start). */
  readonly startedAt: number;
  readonly restoredInto: string | null;
  readonly world: PropertyWorld;
  readonly points: Point[];
  readonly delivered: Delivered[];
  readonly outcome: RolloutOutcome | 'hang';
  readonly error?: string;
  readonly result?: RolloutResult;
}

export interface Resume {
  readonly snapshot: unknown;
  readonly at: number;
  readonly world: WorldState;
  readonly delivered: readonly Delivered[];
  readonly decided: readonly Delivered[];
}

/** Virtual time after which a run that has not ended counts as hung. */
export const HANG_AFTER_MS = 4 * 3600_000;
export const WORLD_START = Date.UTC(2026, 0, 1);

/** Runs one segment of a scenario on its own virtual clock, delivering controls and operator answers on time. */
export async function runSegment(s: Scenario, resume?: Resume, noWait = s.noWait): Promise<Segment> {
  stats.runs += 1;
  const clock = new VirtualClock(resume?.at ?? WORLD_START);
  const world = new PropertyWorld(s.world, clock, WORLD_START, resume?.world);
  const points: Point[] = [];
  const delivered: Delivered[] = [...(resume?.delivered ?? [])];
  const decided: Delivered[] = [...(resume?.decided ?? [])];
  const answered = new Set(decided.map((d) => d.key));
  const done = new Set(delivered.map((d) => d.key));
  const value = (resume?.snapshot as { value?: unknown } | undefined)?.value;
  const base = { startedAt: clock.now(), restoredInto: value === undefined ? null : typeof value === 'string' ? value : Object.keys(value as object)[0] ?? null };

  // One delivery per quiet moment: timers due at the same instant fire back to back, so a second delivery waits
  // a virtual millisecond, until the first one's transitions have been persisted. A crash point then never holds
  // an event its snapshot has not seen.
  let busy = false;
  const deliver = (d: Delivered, control?: Omit<Control, 'at'>): void => {
    if (busy) return void at(clock.now() + 1, () => deliver(d, control));
    busy = true;
    queueMicrotask(() => {
      busy = false;
    });
    delivered.push(d);
    stats.events += 1;
    if (d.kind === 'outOfBand') world.outOfBand(control!.target!, control!.weight!);
    else if (d.kind === 'abort') rollout.abort('operator', 'property');
    else rollout.promote(d.kind === 'promoteFull', 'property');
  };
  const at = (time: number, fn: () => void) => clock.setTimeout(fn, Math.max(0, time - clock.now()));

  const onTransition = (t: Transition): void => {
    points.push({ ...t, snapshot: JSON.parse(JSON.stringify(t.snapshot)), at: clock.now(), world: structuredClone(world.state), logLength: world.log.length, gateChecks: world.gateChecks.length, delivered: [...delivered], decided: [...decided] });
    const step = t.context.stepIndex;
    // Due controls in the order their steps were reached (as the uninterrupted run scheduled them).
    const due = s.stepControls.map((c, i) => ({ c, i })).filter(({ c, i }) => t.phase === 'running' && step >= c.step && !answered.has(`s${i}`) && !done.has(`s${i}`));
    for (const { c, i } of due.sort((a, b) => a.c.step - b.c.step || a.i - b.i)) {
      answered.add(`s${i}`);
      at(clock.now(), () => deliver({ key: `s${i}`, kind: c.kind, at: clock.now() }, c));
    }
    if (!t.waitingForApproval || noWait || answered.has(`d${step}`) || s.decisions.length === 0) return;
    const decision = s.decisions[step % s.decisions.length]!;
    decide({ key: `d${step}`, kind: decision.kind, at: (t.context.stepStartedAt ?? clock.now()) + decision.delayMs });
  };
  const decide = (d: Delivered): void => {
    answered.add(d.key);
    decided.push(d);
    at(d.at, () => deliver({ ...d, at: clock.now() }));
  };

  // Used by the callbacks above, which only run once this returned (timers, and the persist chain).
  const rollout: RunningRollout = startRollout({ plan: s.plan, runtime: world.runtime(), settings: s.settings, persist: onTransition, ...(noWait ? { noWait } : {}), ...(resume ? { snapshot: resume.snapshot } : {}) });
  for (const d of resume?.decided ?? []) if (!done.has(d.key)) at(d.at, () => deliver({ ...d, at: clock.now() }));
  s.controls.forEach((c, i) => {
    if (!done.has(`c${i}`)) at(WORLD_START + c.at, () => deliver({ key: `c${i}`, kind: c.kind, at: clock.now() }, c));
  });
  try {
    const result = await drive(clock, rollout.result, HANG_AFTER_MS);
    return { ...base, world, points, delivered, outcome: result.outcome, result };
  } catch (error) {
    return { ...base, world, points, delivered, outcome: 'hang', error: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * VirtualClock.run, minus its grace of a few real seconds for untracked real I/O (these worlds do none): a run that
 * waits with nothing scheduled is a hang at once.
 */
async function drive<T>(clock: VirtualClock, work: Promise<T>, maxMs: number): Promise<T> {
  let settled = false;
  const watched = work.finally(() => {
    settled = true;
  });
  watched.catch(() => undefined);
  const deadline = clock.now() + maxMs;
  for (;;) {
    for (let quiet = 0; quiet < 2; quiet++) await new Promise<void>((resolve) => setImmediate(resolve));
    if (settled) return watched;
    if (clock.pending === 0) throw new Error('the run waits and nothing is scheduled: it can never end');
    if (!clock.advanceToNext() || clock.now() > deadline) throw new Error(`still running after ${maxMs} ms of virtual time`);
  }
}

/** The whole story of a deployment across processes (a crash, or a --no-wait pause and a promote). */
export interface Timeline {
  readonly log: readonly LogEntry[];
  readonly gateChecks: readonly number[];
  readonly points: readonly Point[];
  readonly delivered: readonly Delivered[];
  readonly outcome: RolloutOutcome | 'hang';
  readonly error?: string;
  readonly result?: RolloutResult;
  readonly world: PropertyWorld;
  /** Segments in order; invariants that hold per process are checked on each. */
  readonly segments: readonly Segment[];
}

export function timelineOf(segment: Segment): Timeline {
  return { log: segment.world.log, gateChecks: segment.world.gateChecks, points: segment.points, delivered: segment.delivered, outcome: segment.outcome, ...(segment.error ? { error: segment.error } : {}), ...(segment.result ? { result: segment.result } : {}), world: segment.world, segments: [segment] };
}

/** The first segment up to `cut` (a persisted point, or its end), then the segment that continued from there. */
export function join(first: Segment, cut: Point | 'end', rest: Segment): Timeline {
  const logLength = cut === 'end' ? first.world.log.length : cut.logLength;
  const gateChecks = cut === 'end' ? first.world.gateChecks.length : cut.gateChecks;
  const points = cut === 'end' ? first.points : first.points.slice(0, first.points.indexOf(cut) + 1);
  return {
    ...timelineOf(rest),
    log: [...first.world.log.slice(0, logLength), ...rest.world.log],
    gateChecks: [...first.world.gateChecks.slice(0, gateChecks), ...rest.world.gateChecks],
    points: [...points, ...rest.points],
    segments: [{ ...first, points }, rest],
  };
}

/** Runs a scenario to its end: a --no-wait pause is continued by a second process, as `deployctl promote` does. */
export async function runScenario(s: Scenario): Promise<{ first: Segment; timeline: Timeline }> {
  const first = await runSegment(s);
  if (first.outcome !== 'paused' || !first.result) return { first, timeline: timelineOf(first) };
  const rest = await runSegment(s, { snapshot: JSON.parse(JSON.stringify(first.result.snapshot)), at: first.world.clock.now(), world: first.world.state, delivered: first.delivered, decided: first.points.at(-1)?.decided ?? [] }, false);
  return { first, timeline: join(first, 'end', rest) };
}

/** Crashes the run after the persisted transition `point` and continues it in a new process against the same world. */
export async function crashAt(s: Scenario, first: Segment, point: Point): Promise<Timeline> {
  stats.crashes += 1;
  const rest = await runSegment(s, { snapshot: point.snapshot, at: point.at, world: point.world, delivered: point.delivered, decided: point.decided }, false);
  return join(first, point, rest);
}
