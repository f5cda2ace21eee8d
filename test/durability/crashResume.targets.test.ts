/**
 * Crash and resume on the other traffic targets: an ALB listener's forward weights and a Route 53 weighted record
 * pair, each killed after a weight write (ends at 100%) and during a rollback forced by an alarm fault (ends
 * with exactly the captured configuration).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { expectBakesKept, expectCleanEnd, expectKilledHoldingLease, runScenario, type Ending, type Outcome, type Scenario } from './scenario.js';
import { albTarget, route53Target, type TrafficTarget } from './targets.js';

const withAlarmFault = (alarm: string) => (seed: string) => seed.replace(/^traffic:/m, `faults:\n  - alarm:${alarm}@7m=ALARM\ntraffic:`);

interface Case {
  readonly name: string;
  readonly target: TrafficTarget;
  readonly scenario: Omit<Scenario, 'target' | 'steps' | 'bake'>;
  readonly ending: Ending;
  readonly weights: readonly number[];
}

const CASES: readonly Case[] = [
  { name: 'ALB: killed right after the 25% write', target: albTarget, scenario: { crashes: ['weight.set:25'] }, ending: 'succeeded', weights: [1, 5, 25, 100] },
  { name: 'ALB: alarm fires at 5%, killed right after rollback.started', target: albTarget, scenario: { crashes: ['rollback.started'], seed: withAlarmFault('web-green-5xx') }, ending: 'rolledBack', weights: [1, 5] },
  {
    name: 'Route 53: killed right after the 5% change was sent',
    target: route53Target,
    scenario: { crashes: ['weight.set:5'] },
    ending: 'succeeded',
    weights: [1, 5, 25, 100],
  },
  { name: 'Route 53: alarm fires at 5%, killed right after the restore was sent', target: route53Target, scenario: { crashes: ['target.restored'], seed: withAlarmFault('api-green-5xx') }, ending: 'rolledBack', weights: [1, 5] },
];

describe('crash and resume on ALB and Route 53 targets', () => {
  const outcomes = new Map<string, Promise<Outcome>>();
  const outcome = (c: Case): Promise<Outcome> => {
    let pending = outcomes.get(c.name);
    if (!pending) {
      pending = runScenario({ target: c.target, steps: '1,5,25,100', bake: '5m', ...c.scenario });
      outcomes.set(c.name, pending);
    }
    return pending;
  };
  afterAll(async () => {
    for (const pending of outcomes.values()) (await pending.catch(() => undefined))?.sandbox.remove();
  });

  describe.each(CASES)('$name', (c) => {
    it(`resume takes over the lease and ends ${c.ending === 'succeeded' ? 'at 100%' : 'with exactly the captured configuration (exit 3)'}; each write once`, async () => {
      const result = await outcome(c);
      expectKilledHoldingLease(result);
      expectCleanEnd(result, c.ending, c.weights, c.target);
      const status = await result.sandbox.status(result.id);
      expect(status.live).toEqual([{ target: expect.stringContaining(c.target === albTarget ? 'alb listener' : 'route53 api.example.com.') as unknown, weight: c.ending === 'succeeded' ? 100 : 0 }]);
    });

    it(`every bake ran in full in the world's time`, async () => {
      expectBakesKept(await outcome(c), 300, c.weights.length, c.target);
    });
  });
});
