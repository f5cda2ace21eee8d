import type { Applied } from '../../src/machines/context.js';
import type { DeployEvent } from '../../src/engine/events.js';
import { DEFAULT_VERIFY } from '../../src/engine/shiftTraffic.js';
import { NEW_VERSION, ORIGINAL_VERSION, originalConfig, type LogEntry, type WorldOp } from '../fakes/propertyWorld.js';
import { KNOWN_BUGS, tolerance, type KnownBug } from './knownBugs.js';
import { WORLD_START, type Segment, type Timeline } from './runScenario.js';
import type { Scenario } from './scenario.js';
import { ensure, stats } from './stats.js';

type Op = Extract<LogEntry, { op: WorldOp['op'] }>;
const FINAL = ['succeeded', 'rolledBack', 'rollbackFailed', 'rejected'];
const UNDO_OPS = new Set(['restore', 'capacity.rollback', 'restoreOld']);
const FORWARD_OPS = new Set(['write', 'capacity.start', 'retire']);

const opsOf = (log: readonly LogEntry[]): Op[] => log.filter((e): e is Op => e.op !== 'event');
const eventsOf = (log: readonly LogEntry[]): DeployEvent[] => log.flatMap((e) => (e.op === 'event' ? [e.event] : []));
const firstEvent = (log: readonly LogEntry[], type: DeployEvent['type']) => log.findIndex((e) => e.op === 'event' && e.event.type === type);
const dedup = (values: readonly number[]) => values.filter((v, i) => i === 0 || v !== values[i - 1]);
const show = (value: unknown) => JSON.stringify(value);

/** A check that a known, not yet fixed bug may break when `applies`: then counted (and shown in the summary line), unless strict. */
function tolerate(bug: KnownBug, applies: boolean, condition: boolean, message: () => string): void {
  if (!condition && applies && KNOWN_BUGS[bug] && tolerance.strict !== bug) {
    stats.knownBugHits[bug] = (stats.knownBugHits[bug] ?? 0) + 1;
    return;
  }
  ensure(condition, message);
}

interface Facts {
  readonly weights: readonly number[];
  readonly caps: readonly number[];
  readonly labels: readonly string[];
  readonly capLabel: string | null;
  readonly fullPromoted: boolean;
  readonly aborted: boolean;
  readonly outOfBand: ReadonlySet<string>;
}

const outOfBandTargets = (log: readonly LogEntry[]) => new Set(opsOf(log).flatMap((o) => (o.op === 'outOfBand' ? [o.target] : [])));

function factsOf(s: Scenario, t: Timeline): Facts {
  return {
    weights: s.plan.steps.flatMap((x) => (x.type === 'setWeight' ? [x.weight] : [])),
    caps: s.plan.steps.flatMap((x) => (x.type === 'deployCapacity' ? [x.percent] : [])),
    labels: s.world.traffic.map((x) => x.label),
    capLabel: s.world.capacity?.label ?? null,
    fullPromoted: t.delivered.some((d) => d.kind === 'promoteFull'),
    aborted: t.delivered.some((d) => d.kind === 'abort'),
    outOfBand: outOfBandTargets(t.log),
  };
}

/** Every invariant of one deployment's story (across processes when it was crashed or paused). */
export function checkRun(s: Scenario, t: Timeline): void {
  const f = factsOf(s, t);
  ensure(t.outcome !== 'hang', () => `the run never ended: ${t.error}`);
  ensure(FINAL.includes(t.outcome), () => `ended as ${t.outcome}, not a final state`);
  if (faultFree(s)) ensure(t.outcome === 'succeeded', () => `no fault, no abort, but ${t.outcome}: ${show(t.result?.context.failure)}`);
  checkPoints(t, f);
  checkMoves(t, f);
  checkNothingAfterRollback(t);
  checkOutcome(s, t, f);
  checkAttribution(s, t, f);
}

/** Nothing can go wrong: no fault injected, no abort, gates always pass, every analysis passes. */
function faultFree(s: Scenario): boolean {
  const faults = s.world.traffic.every((x) => Object.values(x.faults).every((v) => v === undefined));
  const capacity = !s.world.capacity || Object.entries(s.world.capacity.faults).every(([k, v]) => k === 'ratePerSecond' || v === undefined);
  const events = [...s.controls, ...s.stepControls].every((c) => c.kind === 'promote' || c.kind === 'promoteFull') && s.decisions.every((d) => d.kind !== 'abort');
  const gates = s.world.gateWindows.length === 0 && s.world.stepVerdicts.length === 0;
  return faults && capacity && events && gates && s.world.failingHooks.length === 0 && Object.values(s.world.analyses).every((v) => v === 'pass');
}

/** At every persisted transition: the context and the live traffic are defined, in range, and a plan value. */
function checkPoints(t: Timeline, f: Facts): void {
  for (const p of t.points) {
    ensure([0, ...f.weights].includes(p.context.weight), () => `context weight ${p.context.weight} is not 0 or a plan weight`);
    ensure([0, ...f.caps].includes(p.context.capacityPercent), () => `capacity ${p.context.capacityPercent} is not 0 or a plan checkpoint`);
    for (const label of f.labels) {
      const live = p.world.traffic[label]!.config.weights.canary;
      ensure(Number.isFinite(live) && live >= 0 && live <= 100, () => `${label} live weight ${live} undefined`);
      if (!f.outOfBand.has(label)) ensure([0, ...f.weights].includes(live), () => `${label} live ${live} is neither the original nor a plan weight (phase ${p.phase})`);
    }
  }
}

/** Writes go up one plan weight at a time per target; a full promotion may jump to 100 and nowhere else. */
function checkMoves(t: Timeline, f: Facts): void {
  const ops = opsOf(t.log);
  for (const label of f.labels) {
    const written = ops.flatMap((o) => (o.op === 'write' && o.target === label ? [o.weight] : []));
    ensure(written.every((w) => f.weights.includes(w)), () => `${label} got a weight outside the plan: ${show(written)}`);
    checkSequence(`${label} weights`, dedup(written), f.weights, f.fullPromoted);
  }
  if (f.capLabel && f.weights.length === 0) {
    const started = ops.flatMap((o) => (o.op === 'capacity.start' ? [o.percent] : []));
    checkSequence('capacity checkpoints', dedup(started), f.caps, f.fullPromoted);
  }
}

function checkSequence(what: string, seq: readonly number[], plan: readonly number[], full: boolean): void {
  seq.forEach((v, i) => {
    const expected = plan[i === 0 ? 0 : plan.indexOf(seq[i - 1]!) + 1];
    ensure(v === expected || (full && v === 100), () => `${what} ${show(seq)} skip or repeat a step of ${show(plan)}${full ? ' (a full promotion may only jump to 100)' : ''}`);
  });
}

/** After a rollback began, nothing moves forward: only restores. */
function checkNothingAfterRollback(t: Timeline): void {
  const start = firstEvent(t.log, 'rollback.started');
  if (start < 0) return;
  const before = opsOf(t.log.slice(0, start));
  const lastWrite = before.filter((o) => o.op === 'write').at(-1);
  for (const o of opsOf(t.log.slice(start))) {
    if (!FORWARD_OPS.has(o.op)) continue;
    const retry = o.op === 'write' && lastWrite?.op === 'write' && o.target === lastWrite.target && o.weight === lastWrite.weight;
    tolerate('retryWriteAfterRollback', retry, false, () => `${o.op} ${show(o)} after the rollback started`);
  }
}

function checkOutcome(s: Scenario, t: Timeline, f: Facts): void {
  const context = t.result!.context;
  const ops = opsOf(t.log);
  const preflightErrors = [...s.world.traffic.map((x) => x.faults.preflightErrors), s.world.capacity?.faults.preflightErrors].some((e) => e && e.length > 0);
  ensure(preflightErrors === (t.outcome === 'rejected'), () => `preflight errors ${preflightErrors} but outcome ${t.outcome}`);
  if (t.outcome === 'rejected') return ensure(ops.every((o) => o.op === 'outOfBand'), () => `a rejected run wrote: ${show(ops)}`);
  ensure((t.outcome === 'succeeded') === (context.failure === null), () => `outcome ${t.outcome} with failure ${show(context.failure)}`);
  if (t.outcome === 'succeeded') return checkSucceeded(s, t, f);
  checkUndo(s, t, f, context.applied);
  if (t.outcome === 'rolledBack') checkRestored(t, f);
  else ensure(context.rollbackCommands.length > 0 && context.rollbackError !== null, () => 'rollbackFailed without the commands to restore by hand');
}

function checkSucceeded(s: Scenario, t: Timeline, f: Facts): void {
  const context = t.result!.context;
  const state = t.world.state;
  ensure(!f.aborted, () => 'succeeded although an ABORT was delivered');
  ensure(opsOf(t.log).every((o) => !UNDO_OPS.has(o.op)), () => 'succeeded but something was restored');
  if (f.weights.length > 0) ensure(context.weight === 100, () => `succeeded at weight ${context.weight}`);
  for (const label of f.labels) {
    if (!f.outOfBand.has(label)) ensure(state.traffic[label]!.config.weights.canary === 100, () => `succeeded with ${label} at ${state.traffic[label]!.config.weights.canary}`);
  }
  if (f.capLabel && f.caps.length > 0) {
    const c = state.capacity[f.capLabel]!;
    ensure(c.version === NEW_VERSION && c.target === 100 && context.capacityPercent === 100, () => `succeeded with capacity ${show(c)}`);
  }
  if (f.capLabel && s.plan.steps.some((x) => x.type === 'retireOld')) ensure(!state.capacity[f.capLabel]!.oldSideUp, () => 'succeeded with the old side still up');
  const inconclusive = eventsOf(t.log).some((e) => e.type === 'analysis.finished' && e.verdict === 'inconclusive');
  tolerate('inconclusiveAnalysisPassesUnderFail', true, !(inconclusive && s.settings.onInconclusive === 'fail'), () => 'an inconclusive analysis passed under onInconclusive=fail');
}

/** The rollback undid what ran, in reverse order, each target once (in the process that finished it). */
function checkUndo(s: Scenario, t: Timeline, f: Facts, applied: readonly Applied[]): void {
  const expected = [...applied].reverse().flatMap((a) => {
    if (a.type === 'traffic') return [...f.labels].reverse().map((l) => `restore:${l}`);
    if (!f.capLabel) return [];
    return [a.type === 'capacity' ? `capacity.rollback:${f.capLabel}` : `restoreOld:${f.capLabel}`];
  });
  const failing = new Set([...s.world.traffic.filter((x) => x.faults.restoreFails).map((x) => `restore:${x.label}`), ...(s.world.capacity?.faults.rollbackFails ? [`capacity.rollback:${s.world.capacity.label}`] : [])]);
  const last = t.segments.at(-1)!.world.log;
  const undone = opsOf(last.slice(Math.max(0, firstEvent(last, 'rollback.started')))).flatMap((o) => (UNDO_OPS.has(o.op) ? [`${o.op}:${o.target}`] : []));
  ensure(show(undone) === show(expected.filter((e) => !failing.has(e))), () => `undid ${show(undone)}, expected ${show(expected)} minus failing ${show([...failing])}`);
  ensure((t.outcome === 'rollbackFailed') === expected.some((e) => failing.has(e)), () => `outcome ${t.outcome} but failing undos ${show(expected.filter((e) => failing.has(e)))}`);
  const ops = opsOf(t.log);
  const touched = [...new Set(ops.flatMap((o) => (o.op === 'write' ? [`restore:${o.target}`] : o.op === 'capacity.start' ? [`capacity.rollback:${o.target}`] : o.op === 'retire' ? [`restoreOld:${o.target}`] : [])))];
  ensure(touched.every((x) => expected.includes(x)), () => `touched ${show(touched)} but the rollback undoes only ${show(expected)}`);
}

/** rolledBack: every target the rollout changed is exactly as captured; the others were left alone. */
function checkRestored(t: Timeline, f: Facts): void {
  const state = t.world.state;
  const shifted = t.result!.context.applied.some((a) => a.type === 'traffic');
  for (const label of f.labels) {
    const config = state.traffic[label]!.config;
    if (shifted || !f.outOfBand.has(label)) ensure(show(config) === show(originalConfig(label)), () => `${label} is ${show(config)} after the rollback`);
  }
  if (f.capLabel) {
    const c = state.capacity[f.capLabel]!;
    ensure(c.version === ORIGINAL_VERSION && c.deployment === null && c.oldSideUp, () => `capacity ${show(c)} after the rollback`);
  }
}

/** A failure names what happened, and something did happen. */
/** What could have caused each kind of failure in this scenario. */
function causesOf(s: Scenario, t: Timeline, f: Facts): Record<string, boolean> {
  const traffic = s.world.traffic.map((x) => x.faults);
  const cap = s.world.capacity?.faults;
  const verdicts = [...s.world.gateWindows, ...s.world.stepVerdicts].map((w) => w.verdict);
  const analyses = Object.values(s.world.analyses);
  return {
    abort: f.aborted,
    gate: verdicts.includes('alarm') || (verdicts.includes('inconclusive') && s.settings.onInconclusive === 'fail'),
    gateErrors: verdicts.includes('error'),
    drift: f.outOfBand.size > 0 || traffic.some((x) => x.driftAt !== undefined),
    effect: traffic.some((x) => x.throwAt !== undefined || x.neverTakesAt !== undefined),
    hook: s.world.failingHooks.length > 0,
    analysis: analyses.includes('fail') || (analyses.includes('inconclusive') && s.settings.onInconclusive === 'fail'),
    capacity: !!cap && (cap.startThrows === true || cap.failAbove !== undefined || cap.retireThrows === true),
    preflight: t.outcome === 'rejected',
  };
}

function checkAttribution(s: Scenario, t: Timeline, f: Facts): void {
  const failure = t.result!.context.failure;
  if (!failure) return;
  const causes = causesOf(s, t, f);
  ensure(causes[failure.kind] === true, () => `failure ${show(failure)} without such a cause`);
  const named = !/^(undefined|null|\[object Object\])?$/.test(failure.message.trim());
  tolerate('failureMessageUndefined', failure.kind === 'analysis', named, () => `failure message ${show(failure.message)} says nothing`);
  ensure(failure.stepIndex === undefined || (failure.stepIndex >= -1 && failure.stepIndex < s.plan.steps.length), () => `failure at step ${failure.stepIndex}`);
}

/** In one uninterrupted process: every forward move happens on a fresh, passing gate. */
export function checkFreshGates(s: Scenario, segment: Segment): void {
  checkFreshGate(s, segment.world.log, segment.delivered.some((d) => d.kind === 'promoteFull'));
}

/** In one process: while the rollout runs, the gates are never left unpolled for longer than pollSeconds. */
export function checkPolling(s: Scenario, segment: Segment, bug?: KnownBug): void {
  const restored = segment.restoredInto === 'running';
  const running = restored ? 0 : segment.points.findIndex((p) => p.phase === 'running');
  if (running < 0 || segment.points.length === 0) return;
  const end = segment.points.findIndex((p, i) => i >= running && p.phase !== 'running');
  const from = restored ? segment.startedAt : segment.points[running]!.at;
  const to = end < 0 ? segment.points.at(-1)!.at : segment.points[end]!.at;
  const checks = [from, ...segment.world.gateChecks.filter((c) => c >= from && c <= to), to];
  const gap = Math.max(...checks.map((c, i) => (i === 0 ? 0 : c - checks[i - 1]!)));
  tolerate(bug ?? 'gatesNotPolledAfterRestore', bug !== undefined && restored, gap <= s.settings.pollSeconds * 1000, () => `gates not polled for ${gap} ms (poll ${s.settings.pollSeconds} s) between ${from - WORLD_START} and ${to - WORLD_START} ms${restored ? ' after a restore' : ''}`);
}

/**
 * Every step after the first starts at an instant when the gate passes: the check that let it start ran at that
 * instant (checks take no virtual time here), and the gate's verdict is a function of time.
 */
function checkFreshGate(s: Scenario, log: readonly LogEntry[], fullPromoted: boolean): void {
  const finalMove = s.plan.steps.findLastIndex((x) => x.type === 'setWeight' || x.type === 'deployCapacity');
  let previous = -1;
  for (const e of log) {
    if (e.op !== 'event' || e.event.type !== 'step.started') continue;
    const index = e.event.index;
    const from = previous;
    previous = index;
    if (from < 0) continue;
    const offset = e.at - WORLD_START;
    // The check that let step `index` start ran at this instant, for the step it left (not index - 1 after a jump).
    const verdict = s.world.gateWindows.find((w) => offset >= w.from && offset < w.to)?.verdict ?? s.world.stepVerdicts.find((v) => from >= v.step)?.verdict;
    const passes = verdict === undefined || (verdict === 'inconclusive' && s.settings.onInconclusive === 'ignore');
    const jump = fullPromoted && index === finalMove;
    tolerate('fullPromotionSkipsFreshGate', jump, passes, () => `step ${index} started at ${offset} ms, leaving step ${from}, while the gate says ${verdict}`);
  }
}

/**
 * A crash at any transition and a restore into a new process ends the same way, with the same forward writes in the
 * same order and the same targets restored. Lost writes change nothing and a restored shift starts its verify
 * attempts afresh, so they are compared by count until the rollback starts (at most one more round); a restore repeated by the new process
 * (the crash came mid-rollback) changes nothing either. Out-of-band writes are the world's, not the deployment's.
 */
export function checkSameAsUninterrupted(s: Scenario, reference: Timeline, crashed: Timeline): void {
  const forward = (log: readonly LogEntry[]) =>
    opsOf(log).flatMap((o) => (FORWARD_OPS.has(o.op) && !(o.op === 'write' && o.lost) ? [`${o.op}:${o.target}:${'weight' in o ? o.weight : ''}${'percent' in o ? o.percent : ''}`] : []));
  const undone = (log: readonly LogEntry[]) => [...new Set(opsOf(log).flatMap((o) => (UNDO_OPS.has(o.op) ? [`${o.op}:${o.target}`] : [])))].sort();
  const lost = (log: readonly LogEntry[]) => {
    const start = firstEvent(log, 'rollback.started');
    return opsOf(start < 0 ? log : log.slice(0, start)).filter((o) => o.op === 'write' && o.lost).length;
  };
  ensure(crashed.outcome === reference.outcome, () => `crashed run ended ${crashed.outcome} (${crashed.error ?? ''}), uninterrupted ${reference.outcome}`);
  ensure(show(forward(crashed.log)) === show(forward(reference.log)), () => `writes differ:\n  crashed       ${show(forward(crashed.log))}\n  uninterrupted ${show(forward(reference.log))}`);
  ensure(show(undone(crashed.log)) === show(undone(reference.log)), () => `restored ${show(undone(crashed.log))} after a crash, ${show(undone(reference.log))} without`);
  ensure(lost(crashed.log) >= lost(reference.log) && lost(crashed.log) <= lost(reference.log) + DEFAULT_VERIFY.attempts, () => `lost writes: ${lost(crashed.log)} after a crash, ${lost(reference.log)} without`);
  const foreign = new Set([...outOfBandTargets(reference.log), ...outOfBandTargets(crashed.log)]);
  const final = (t: Timeline) => ({ traffic: Object.fromEntries(Object.entries(t.world.state.traffic).flatMap(([k, v]) => (foreign.has(k) ? [] : [[k, v.config]]))), capacity: Object.fromEntries(Object.entries(t.world.state.capacity).map(([k, v]) => [k, [v.version, v.oldSideUp, v.deployment, v.target]])) });
  ensure(show(final(crashed)) === show(final(reference)), () => `final state differs: ${show(final(crashed))} vs ${show(final(reference))}`);
  // Which of two causes is seen first depends on when each is polled, and a restored process restarts its polls.
  const single = Object.values(causesOf(s, reference, factsOf(s, reference))).filter(Boolean).length <= 1;
  if (single) ensure(crashed.result?.context.failure?.kind === reference.result?.context.failure?.kind, () => `failure ${crashed.result?.context.failure?.kind} vs ${reference.result?.context.failure?.kind}`);
}
