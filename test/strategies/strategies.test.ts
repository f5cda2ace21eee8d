import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { buildPlan, CODEDEPLOY_PRESETS, planTimeline, validatePlan, type Step, type StrategyOptions } from '../../src/strategies/index.js';

const w = (weight: number): Step => ({ type: 'setWeight', weight });
const bake = (seconds: number): Step => ({ type: 'bake', seconds });
const cap = (percent: number): Step => ({ type: 'deployCapacity', percent });

describe('buildPlan produces the documented step lists', () => {
  const table: [string, StrategyOptions, Step[]][] = [
    ['canary with bakes', { strategy: 'canary', steps: '1,5,25,100', bakeSeconds: 300 }, [w(1), bake(300), w(5), bake(300), w(25), bake(300), w(100)]],
    ['canary without 100 implies 100', { strategy: 'canary', steps: '10,50', bakeSeconds: 60 }, [w(10), bake(60), w(50), bake(60), w(100)]],
    ['canary with fractional weights', { strategy: 'canary', steps: '0.5,2.5', bakeSeconds: 0 }, [w(0.5), w(2.5), w(100)]],
    ['canary with named steps', { strategy: 'canary', steps: '1,approval,25,pause:10m,hook:smoke,analysis:latency,100', bakeSeconds: 60 },
      [w(1), bake(60), { type: 'approval' }, w(25), { type: 'pause', seconds: 600 }, { type: 'hook', name: 'smoke' }, { type: 'analysis', name: 'latency' }, w(100)]],
    ['canary explicit bake replaces the default', { strategy: 'canary', steps: '5,bake:2m,50', bakeSeconds: 60 }, [w(5), bake(120), w(50), bake(60), w(100)]],
    ['canary per-step bakes', { strategy: 'canary', steps: [1, 10], stepBakeSeconds: [30, 90], bakeSeconds: 60 }, [w(1), bake(30), w(10), bake(90), w(100)]],
    ['canary with approval before 100 and a final bake', { strategy: 'canary', steps: '10,100', bakeSeconds: 60, approval: true, finalBakeSeconds: 120 },
      [w(10), bake(60), { type: 'approval' }, w(100), bake(120)]],
    ['canary with capacity and traffic', { strategy: 'canary', steps: '10,100', bakeSeconds: 60, capacity: true, preTrafficHook: true, postTrafficHook: true },
      [cap(100), { type: 'hook', name: 'preTraffic' }, w(10), bake(60), w(100), { type: 'hook', name: 'postTraffic' }, { type: 'retireOld' }]],
    ['canary on a capacity-only target uses checkpoints', { strategy: 'canary', steps: '10,50', bakeSeconds: 60, traffic: false, capacity: true },
      [cap(10), bake(60), cap(50), bake(60), cap(100)]],
    ['linear', { strategy: 'linear', stepPercent: 25, intervalSeconds: 60 }, [w(25), bake(60), w(50), bake(60), w(75), bake(60), w(100)]],
    ['linear that does not divide 100', { strategy: 'linear', stepPercent: 30, intervalSeconds: 10 }, [w(30), bake(10), w(60), bake(10), w(90), bake(10), w(100)]],
    ['blue-green with hooks and approval', { strategy: 'blueGreen', capacity: true, preTrafficHook: true, approval: true, bakeSeconds: 600 },
      [cap(100), { type: 'hook', name: 'preTraffic' }, { type: 'approval' }, w(100), bake(600), { type: 'retireOld' }]],
    ['blue-green traffic only', { strategy: 'blueGreen', bakeSeconds: 60 }, [w(100), bake(60)]],
    ['rolling in batches with pauses', { strategy: 'rolling', batch: '25%', pauseSeconds: 60 }, [cap(25), bake(60), cap(50), bake(60), cap(75), bake(60), cap(100)]],
    ['rolling by count', { strategy: 'rolling', batch: 2 }, [cap(100)]],
    ['big-bang traffic', { strategy: 'bigBang', bakeSeconds: 300 }, [w(100), bake(300)]],
    ['big-bang capacity-only', { strategy: 'bigBang', traffic: false, capacity: true }, [cap(100)]],
  ];
  it.each(table)('%s', (_name, options, steps) => {
    const plan = buildPlan(options);
    expect(plan.steps).toEqual(steps);
    expect(validatePlan(plan).errors).toEqual([]);
  });

  it('rolling records the batch for capacity providers', () => {
    expect(buildPlan({ strategy: 'rolling', batch: '25%' }).batch).toEqual({ percent: 25 });
    expect(buildPlan({ strategy: 'rolling', batch: 3 }).batch).toEqual({ count: 3 });
  });
});

describe('CodeDeploy presets', () => {
  it('translates every predefined configuration', () => {
    for (const [name, spec] of Object.entries(CODEDEPLOY_PRESETS)) {
      const plan = buildPlan({ strategy: spec.strategy, preset: name });
      expect(plan.preset).toBe(name);
      expect(validatePlan(plan).errors).toEqual([]);
    }
  });
  it('LambdaCanary10Percent5Minutes is 10% for 5 minutes then 100%', () => {
    expect(buildPlan({ strategy: 'canary', preset: 'CodeDeployDefault.LambdaCanary10Percent5Minutes' }).steps).toEqual([w(10), bake(300), w(100)]);
  });
  it('ECSLinear10PercentEvery1Minutes is ten steps a minute apart', () => {
    const steps = buildPlan({ strategy: 'linear', preset: 'CodeDeployDefault.ECSLinear10PercentEvery1Minutes' }).steps;
    expect(steps.filter((s) => s.type === 'setWeight').map((s) => (s as { weight: number }).weight)).toEqual([10, 20, 30, 40, 50, 60, 70, 80, 90, 100]);
    expect(steps.filter((s) => s.type === 'bake')).toHaveLength(9);
  });
  it('AllAtOnce is big-bang', () => {
    expect(buildPlan({ strategy: 'bigBang', preset: 'CodeDeployDefault.AllAtOnce' }).steps).toEqual([w(100)]);
  });
  it('a preset used with the wrong strategy names both', () => {
    expect(() => buildPlan({ strategy: 'linear', preset: 'CodeDeployDefault.LambdaCanary10Percent5Minutes' })).toThrow(/is a canary configuration; use it with deployctl canary/);
  });
  it('an unknown preset lists the known ones', () => {
    expect(() => buildPlan({ strategy: 'canary', preset: 'CodeDeployDefault.Nope' })).toThrow(/--preset: "CodeDeployDefault.Nope" is not valid; use one of CodeDeployDefault\.LambdaCanary10Percent5Minutes/);
  });
});

describe('bad input names the flag, the value and what is allowed', () => {
  const bad: [string, StrategyOptions, RegExp][] = [
    ['zero weight', { strategy: 'canary', steps: '0,50' }, /--steps: 0 is not valid; each weight must be a number greater than 0 and at most 100/],
    ['over 100', { strategy: 'canary', steps: '5,101' }, /--steps: 101 is not valid/],
    ['negative', { strategy: 'canary', steps: '-5,50' }, /--steps: -5 is not valid/],
    ['not increasing', { strategy: 'canary', steps: '5,25,10' }, /--steps: "5,25,10" is not valid; weights must be strictly increasing, but 10 follows 25/],
    ['duplicate', { strategy: 'canary', steps: '5,5,100' }, /strictly increasing, but 5 follows 5/],
    ['not a number', { strategy: 'canary', steps: '5,abc' }, /--steps: "abc" is not valid; use comma-separated weights/],
    ['empty entry', { strategy: 'canary', steps: '5,,50' }, /--steps: "5,,50" is not valid; an empty entry was found/],
    ['bad pause duration', { strategy: 'canary', steps: '5,pause:soon' }, /--steps entry "pause:soon": "soon" is not valid; use a duration like 30s/],
    ['pause without duration', { strategy: 'canary', steps: '5,pause' }, /pause needs a duration/],
    ['hook without name', { strategy: 'canary', steps: '5,hook:' }, /hook needs a name/],
    ['missing steps', { strategy: 'canary' }, /--steps: \(missing\) is not valid; canary needs --steps/],
    ['linear zero', { strategy: 'linear', stepPercent: 0 }, /--step-percent: 0 is not valid/],
    ['linear too fine', { strategy: 'linear', stepPercent: 0.1 }, /--step-percent: 0.1 is not valid; use at least 0.5/],
    ['rolling bad batch', { strategy: 'rolling', batch: '0%' }, /--batch: "0%" is not valid; use a percent from 0.5% to 100% like 25%/],
    ['rolling count with pause', { strategy: 'rolling', batch: '2', pauseSeconds: 30 }, /a --pause between batches needs --batch as a percent/],
  ];
  it.each(bad)('%s', (_name, options, message) => {
    let caught: unknown;
    try {
      buildPlan(options);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InputError);
    expect((caught as Error).message).toMatch(message);
  });
});

describe('validatePlan checks hand-written plans', () => {
  it('reports decreasing weights, a missing 100 and dangling references', () => {
    const check = validatePlan(
      { strategy: 'canary', steps: [w(50), w(10), { type: 'hook', name: 'nope' }] },
      { hookNames: ['smoke'] },
    );
    expect(check.errors).toEqual([
      'setWeight 10 follows 50; values must strictly increase',
      'the last setWeight is 10; a plan must end at 100',
      'step 3 (hook): no hook named "nope" is defined',
    ]);
  });
  it('warns when a bake is shorter than the poll interval or the alarm window', () => {
    const plan = buildPlan({ strategy: 'canary', steps: '5,100', bakeSeconds: 5 });
    expect(validatePlan(plan, { pollSeconds: 10 }).warnings).toEqual(['step 2 (bake): bake 5s is shorter than the gate poll interval 10s']);
    expect(validatePlan(buildPlan({ strategy: 'canary', steps: '5,100', bakeSeconds: 60 }), { pollSeconds: 10, alarmWindowSeconds: 180 }).warnings[0]).toMatch(/shorter than the alarm window 3m/);
  });
});

describe('planTimeline', () => {
  it('shows exposure, capacity and timing per step', () => {
    const plan = buildPlan({ strategy: 'blueGreen', capacity: true, bakeSeconds: 600 });
    const rows = planTimeline(plan).map((r) => [r.step.type, r.startsAt, r.trafficPercent, r.capacityPercent, r.doubleCapacity]);
    expect(rows).toEqual([
      ['deployCapacity', 0, 0, 100, true],
      ['setWeight', 0, 100, 100, true],
      ['bake', 0, 100, 100, true],
      ['retireOld', 600, 100, 100, false],
    ]);
  });
});
