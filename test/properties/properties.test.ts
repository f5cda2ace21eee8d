import { afterAll, describe } from 'vitest';
import { knownBugProperties } from './knownBugProperties.js';
import { machineProperties } from './machineProperties.js';
import { planProperties } from './planProperties.js';
import { summaryLine } from './stats.js';

/**
 * Property-based tests (fast-check) of the strategies and the rollout machine, with fixed seeds (PROPERTY_SEED to
 * change, PROPERTY_RUNS_SCALE to run more) and virtual time. See knownBugs.ts for the bugs found and not yet fixed.
 */
describe('properties of plans', planProperties);
describe('properties of the rollout machine', machineProperties);
describe('known bugs, each shown by a property that fails until it is fixed', knownBugProperties);

afterAll(() => {
  console.log(summaryLine());
});
