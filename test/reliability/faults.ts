import type { GatesSpec } from '../../src/config/schema.js';
import { servicesOf, type TargetCase, type TargetKind } from './targets.js';

export type Outcome = 'succeeded' | 'rolledBack' | 'rejected';

export interface Expectation {
  readonly outcomes: readonly Outcome[];
  /** The failure kinds a rollback may name. */
  readonly failures?: readonly string[];
}

/**
 * The fault matrix's rows. `at` is the moment a timed fault strikes (seconds after the world was created): the
 * suite puts it halfway through the same rollout run without faults, so it lands mid-rollout for every strategy.
 * The expectation is the outcome the fault calls for. Only 50% throttling may also end in a clean rollback (a
 * forward call ran out of its three attempts and deployctl failed safe) or a refusal at preflight (a read ran out
 * of them before anything was written).
 */
export interface FaultCase {
  readonly name: string;
  faults(target: TargetCase, at: number): string[];
  readonly gates?: GatesSpec;
  readonly expect: Expectation;
  /** Targets that must behave otherwise. */
  readonly perTarget?: Partial<Record<TargetKind, Expectation>>;
  /** When `at` is: halfway through the rollout (default), or 1 s into its first shift of traffic. */
  readonly when?: 'midway' | 'firstShift';
}

const ALARMS = { alarms: ['errors'] };
const each = <T>(target: TargetCase, fault: (service: string) => T): T[] => servicesOf(target).map(fault);
const SUCCEEDS: Expectation = { outcomes: ['succeeded'] };

export const FAULTS: readonly FaultCase[] = [
  { name: 'throttling 10%', faults: (t) => [...each(t, (svc) => `throttle:${svc}=0.1`), 'throttle:cloudwatch=0.1'], expect: SUCCEEDS },
  { name: 'throttling 50%', faults: (t) => [...each(t, (svc) => `throttle:${svc}=0.5`), 'throttle:cloudwatch=0.5'], expect: { outcomes: ['succeeded', 'rolledBack', 'rejected'], failures: ['effect', 'gateErrors', 'preflight', 'capacity'] } },
  { name: '5xx 10%', faults: (t) => [...each(t, (svc) => `error:${svc}=0.1/500`), 'error:cloudwatch=0.1/503'], expect: SUCCEEDS },
  // The first write, and then three in ten: a rollout with a single write (blue-green, an instance refresh) meets it too.
  { name: 'timeouts after the write applied', faults: (t) => each(t, (svc) => [`timeout-after-apply:${svc}=x1`, `timeout-after-apply:${svc}=0.3`]).flat(), expect: SUCCEEDS },
  {
    name: 'lost writes',
    faults: (t) => each(t, (svc) => [`lost-write:${svc}=x1`, `lost-write:${svc}=0.3`]).flat(),
    expect: SUCCEEDS,
    // A StartInstanceRefresh that AWS acknowledged but never listed: after its listing grace the provider gives up
    // and rolls back (it does not start the refresh again); clean, but not a success.
    perTarget: { asg: { outcomes: ['rolledBack'], failures: ['capacity'] } },
  },
  { name: 'stale reads', faults: (t) => each(t, (svc) => `stale-read:${svc}=5s`), expect: SUCCEEDS },
  {
    name: 'out-of-band writer',
    faults: (t, at) => [t.writer(at)],
    // Someone else changing weights (or deploying another task definition) mid-rollout: stop and restore.
    expect: { outcomes: ['rolledBack'], failures: ['drift', 'capacity'] },
    // Someone scaling the group mid-refresh is ordinary life (scaling policies): the rollout must carry on.
    perTarget: { asg: SUCCEEDS },
  },
  { name: 'alarm flaps', faults: (_, at) => [`alarm:errors@${at}s=ALARM/15s`, `alarm:errors@${at + 60}s=ALARM/15s`], expect: { outcomes: ['rolledBack'], failures: ['gate'] } },
  // With a 1 s poll the gate sees it while the shift is still in flight (Route 53: waiting for INSYNC).
  { name: 'alarm fires during a shift', faults: (_, at) => [`alarm:errors@${at}s=ALARM/10m`], gates: { ...ALARMS, poll: '1s' }, when: 'firstShift', expect: { outcomes: ['rolledBack'], failures: ['gate'] } },
  { name: 'alarm INSUFFICIENT_DATA, policy ignore', faults: (_, at) => [`alarm:errors@${at}s=INSUFFICIENT_DATA/2m`], gates: { ...ALARMS, onInsufficientData: 'ignore' }, expect: SUCCEEDS },
  { name: 'alarm INSUFFICIENT_DATA, policy fail', faults: (_, at) => [`alarm:errors@${at}s=INSUFFICIENT_DATA/2m`], gates: { ...ALARMS, onInsufficientData: 'fail' }, expect: { outcomes: ['rolledBack'], failures: ['gate'] } },
  { name: 'alarm INSUFFICIENT_DATA, policy pause', faults: (_, at) => [`alarm:errors@${at}s=INSUFFICIENT_DATA/2m`], gates: { ...ALARMS, onInsufficientData: 'pause' }, expect: SUCCEEDS },
  { name: 'alarm deleted mid-rollout', faults: (_, at) => [`alarm:errors@${at}s=DELETED`], expect: { outcomes: ['rolledBack'], failures: ['gateErrors'] } },
];

export function expectationFor(fault: FaultCase, kind: TargetKind): Expectation {
  return fault.perTarget?.[kind] ?? fault.expect;
}
