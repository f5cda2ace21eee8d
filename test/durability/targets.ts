/**
 * The three traffic targets of the suite: how to point a canary at the target of a sandbox's world, which API call
 * writes its weights, and what its live configuration is (read from the saved world file).
 */
import type { Elbv2State } from '../../src/sim/services/elbv2/state.js';
import type { LambdaState } from '../../src/sim/services/lambda/state.js';
import type { Route53State } from '../../src/sim/services/route53/state.js';
import type { WorldState } from '../../src/sim/world.js';

export interface TrafficTarget {
  readonly name: string;
  /** worlds/<fixture>.yaml */
  readonly fixture: string;
  /** The one mutating operation that shifts (and restores) this target. */
  readonly writeOperation: string;
  /** After a weight write: how long until clients see it (the bake starts then), ms of simulated time. */
  readonly settleMs: number;
  /** Target and gate flags of a canary of the new version on this world. */
  flags(world: WorldState, toVersion?: number): string[];
  /** The live configuration, everything a rollback must restore exactly (no ids that change on every write). */
  live(world: WorldState): unknown;
  /** The share of the new version, percent, as the live configuration says. */
  newShare(world: WorldState): number;
}

const lambdaAlias = (world: WorldState) => {
  const alias = (world.services.lambda as LambdaState).functions.checkout?.aliases.live;
  if (!alias) throw new Error('the world has no alias checkout:live');
  return alias;
};

export const lambdaTarget: TrafficTarget = {
  name: 'Lambda alias',
  fixture: 'lambda',
  writeOperation: 'UpdateAlias',
  settleMs: 0,
  flags: (_world, toVersion = 2) => ['--function', 'checkout', '--alias', 'live', '--to-version', String(toVersion), '--alarm', 'checkout-errors'],
  live: (world) => {
    const { functionVersion, routing, description } = lambdaAlias(world);
    return { functionVersion, routing, description };
  },
  newShare: (world) => {
    const alias = lambdaAlias(world);
    if (alias.functionVersion === '2') return 100;
    return Math.round((alias.routing['2'] ?? 0) * 100);
  },
};

const elb = (world: WorldState) => world.services.elbv2 as Elbv2State;
const groupArn = (world: WorldState, name: string): string => {
  const group = Object.values(elb(world).targetGroups).find((g) => g.name === name);
  if (!group) throw new Error(`the world has no target group ${name}`);
  return group.arn;
};
const listener = (world: WorldState) => {
  const found = Object.values(elb(world).listeners)[0];
  if (!found) throw new Error('the world has no listener');
  return found;
};

export const albTarget: TrafficTarget = {
  name: 'ALB listener',
  fixture: 'alb',
  writeOperation: 'ModifyListener',
  settleMs: 0,
  flags: (world) => ['--listener-arn', listener(world).arn, '--stable-tg', groupArn(world, 'web-blue'), '--canary-tg', groupArn(world, 'web-green'), '--alarm', 'web-green-5xx'],
  live: (world) => listener(world).defaultActions,
  newShare: (world) => {
    const groups = listener(world).defaultActions[0]?.ForwardConfig?.TargetGroups ?? [];
    const total = groups.reduce((sum, g) => sum + (g.Weight ?? 0), 0);
    const green = groups.find((g) => g.TargetGroupArn === groupArn(world, 'web-green'))?.Weight ?? 0;
    return total === 0 ? 0 : Math.round((green / total) * 100);
  },
};

const route53 = (world: WorldState) => world.services.route53 as Route53State;
const zone = (world: WorldState) => {
  const found = Object.values(route53(world).zones).find((z) => z.name === 'example.com.');
  if (!found) throw new Error('the world has no zone example.com');
  return found;
};
const apiRecords = (world: WorldState) => zone(world).records.filter((r) => r.Name === 'api.example.com.' && r.Type === 'CNAME');

export const route53Target: TrafficTarget = {
  name: 'Route 53 record set',
  fixture: 'route53',
  writeOperation: 'ChangeResourceRecordSets',
  // route53.yaml: propagationSeconds 10; the provider waits for INSYNC before the step settles.
  settleMs: 10_000,
  flags: (world) => ['--hosted-zone-id', zone(world).id, '--record-name', 'api.example.com', '--record-type', 'CNAME', '--stable-set', 'blue', '--canary-set', 'green', '--alarm', 'api-green-5xx'],
  live: (world) => [...apiRecords(world)].sort((a, b) => String(a.SetIdentifier).localeCompare(String(b.SetIdentifier))),
  newShare: (world) => {
    const records = apiRecords(world);
    const total = records.reduce((sum, r) => sum + (r.Weight ?? 0), 0);
    const green = records.find((r) => r.SetIdentifier === 'green')?.Weight ?? 0;
    return total === 0 ? 0 : Math.round((green / total) * 100);
  },
};
