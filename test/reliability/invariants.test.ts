import { describe, expect, it } from 'vitest';
import type { DeployEvent } from '../../src/engine/events.js';
import { SIM_SERVICES } from '../../src/sim/index.js';
import { seedWorld } from '../../src/sim/seed.js';
import type { Elbv2State } from '../../src/sim/services/elbv2/state.js';
import type { LambdaState } from '../../src/sim/services/lambda/state.js';
import type { Route53State } from '../../src/sim/services/route53/state.js';
import type { Plan } from '../../src/strategies/types.js';
import { VirtualClock } from '../../src/time/clock.js';
import { diff, InvariantMonitor } from './invariants.js';
import { ALB, ECS, LAMBDA, ROUTE53, type TargetCase } from './targets.js';

/** The invariant checker must catch what it exists to catch: each breach below is made by hand and must be named. */
const PLAN: Plan = {
  strategy: 'canary',
  steps: [
    { type: 'setWeight', weight: 5 },
    { type: 'bake', seconds: 60 },
    { type: 'setWeight', weight: 50 },
    { type: 'bake', seconds: 60 },
    { type: 'setWeight', weight: 100 },
  ],
};

function watch(target: TargetCase) {
  const world = seedWorld(target.seed(), { clock: new VirtualClock(), services: SIM_SERVICES });
  const monitor = new InvariantMonitor(world, target, PLAN, InvariantMonitor.originalOf(world, target));
  const event = (e: Record<string, unknown>) => monitor.onEvent({ deploymentId: 'd', at: 0, ...e } as unknown as DeployEvent);
  return { world, monitor, event };
}

const lambdaAlias = (world: ReturnType<typeof watch>['world']) => world.stateOf<LambdaState>('lambda').functions.checkout!.aliases.live!;

describe('the invariant checker', () => {
  it('a clean canary in order: nothing to report', () => {
    const { world, monitor, event } = watch(LAMBDA);
    for (const [index, weight] of [[0, 5], [2, 50], [4, 100]] as const) {
      event({ type: 'step.started', index, step: PLAN.steps[index] });
      if (weight === 100) Object.assign(lambdaAlias(world), { functionVersion: '2', routing: {} });
      else lambdaAlias(world).routing = { '2': weight / 100 };
      monitor.observe('after a write', true);
      event({ type: 'weight.set', percent: weight, target: 't', verified: true, attempts: 1 });
      if (index < 4) event({ type: 'step.started', index: index + 1, step: PLAN.steps[index + 1] });
    }
    monitor.finish('succeeded');
    expect(monitor.violations).toEqual([]);
  });

  it('all-zero ALB weights: traffic does not sum to 100%', () => {
    const { world, monitor } = watch(ALB);
    const listener = Object.values(world.stateOf<Elbv2State>('elbv2').listeners).find((l) => l.port === 80)!;
    for (const tuple of listener.defaultActions[0]!.ForwardConfig!.TargetGroups!) tuple.Weight = 0;
    monitor.observe('after a write', true);
    expect(monitor.violations.join('\n')).toMatch(/every target group weight is 0/);
    expect(monitor.violations.join('\n')).toMatch(/serves 0 of 100 requests|no serving target/);
  });

  it('both Route 53 weights at 0, or a set gone: named', () => {
    const { world, monitor } = watch(ROUTE53);
    const zone = Object.values(world.stateOf<Route53State>('route53').zones)[0]!;
    for (const record of zone.records) if (record.SetIdentifier) record.Weight = 0;
    monitor.observe('after a write', true);
    zone.records = zone.records.filter((r) => r.SetIdentifier !== 'green');
    monitor.observe('after a write', true);
    expect(monitor.violations.join('\n')).toMatch(/both weights are 0/);
    expect(monitor.violations.join('\n')).toMatch(/a weighted set is missing/);
  });

  it('a skipped step, a repeated one, and a weight the plan does not have at that step', () => {
    const { monitor, event } = watch(LAMBDA);
    event({ type: 'step.started', index: 0, step: PLAN.steps[0] });
    event({ type: 'step.started', index: 2, step: PLAN.steps[2] });
    event({ type: 'step.started', index: 2, step: PLAN.steps[2] });
    event({ type: 'weight.set', percent: 25, target: 't', verified: true, attempts: 1 });
    expect(monitor.violations).toEqual(expect.arrayContaining([expect.stringMatching(/step 2 started after step 0 \(skipped\)/), expect.stringMatching(/step 2 started after step 2 \(repeated\)/), expect.stringMatching(/weight 25% verified during step 2/)]));
  });

  it('written weights out of the plan order, at the end', () => {
    const { world, monitor } = watch(LAMBDA);
    lambdaAlias(world).routing = { '2': 0.5 };
    monitor.observe('after a write', true);
    monitor.finish('rolledBack');
    expect(monitor.violations.join('\n')).toMatch(/the weights written were 0 → 50/);
  });

  it('a shift after the rollback began, and a return to the shifted weight after the restore', () => {
    const { world, monitor, event } = watch(LAMBDA);
    lambdaAlias(world).routing = { '2': 0.05 };
    monitor.observe('after a write', true);
    event({ type: 'rollback.started', failure: { kind: 'gate', message: 'alarm', at: 0 } });
    lambdaAlias(world).routing = { '2': 0.5 };
    monitor.observe('after a write', true);
    lambdaAlias(world).routing = {};
    monitor.observe('after a write', true);
    lambdaAlias(world).routing = { '2': 0.05 };
    monitor.observe('after a write', true);
    event({ type: 'weight.set', percent: 50, target: 't', verified: true, attempts: 1 });
    event({ type: 'step.started', index: 2, step: PLAN.steps[2] });
    const text = monitor.violations.join('\n');
    expect(text).toMatch(/shifted to 50% after a write, after the rollback began at 5%/);
    expect(text).toMatch(/went back to 5% after a write, after it had been restored/);
    expect(text).toMatch(/weight 50% set after the rollback began/);
    expect(text).toMatch(/step 2 started after the rollback began/);
  });

  it('a rollback that leaves one field different: the field, its captured value and its value now', () => {
    const { world, monitor } = watch(LAMBDA);
    lambdaAlias(world).description = 'changed';
    monitor.finish('rolledBack');
    expect(monitor.violations).toEqual(['rolledBack, but not restored exactly: description: was "production", now "changed"']);
  });

  it('a success that does not serve the new version, and a capacity target with nothing serving', () => {
    const lambda = watch(LAMBDA);
    lambda.monitor.finish('succeeded');
    expect(lambda.monitor.violations.join('\n')).toMatch(/succeeded with 0% on the new version/);
    const ecs = watch(ECS);
    for (const task of Object.values((ecs.world.state.services.ecs as { tasks: Record<string, { lastStatus: string }> }).tasks)) task.lastStatus = 'STOPPED';
    ecs.monitor.observe('after a write', true);
    expect(ecs.monitor.violations.join('\n')).toMatch(/requests find no serving target after a write: 20 rps answered by unavailable/);
  });

  it('diff names every differing path', () => {
    expect(diff({ a: 1, b: { c: [1, 2] } }, { a: 1, b: { c: [1, 3] }, d: true }, '')).toEqual(['b.c.1: was 2, now 3', 'd: was undefined, now true']);
  });
});
