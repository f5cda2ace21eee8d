import type { LoadBalancer, Service } from '@aws-sdk/client-ecs';
import { differences } from '../alb/compare.js';
import { describeLive, shareOf, shortGroup, whereOfArn, type ElbReader } from './elb.js';
import { serviceName } from './checks.js';
import type { ProductionRule } from './snapshot.js';
import { plainCopy } from '../../util/plainJson.js';

/**
 * ECS-native BLUE_GREEN / LINEAR / CANARY deployments shift the production listener rule of each load balancer
 * between targetGroupArn and advancedConfiguration.alternateTargetGroupArn (facts §2.3). deployctl only reads
 * those rules: to know which group serves before the deployment, how far ECS has shifted, and that a rollback
 * left them as they were.
 */

export async function productionRules(elb: ElbReader, service: Service, signal: AbortSignal): Promise<{ rules: ProductionRule[]; problems: string[] }> {
  const name = `service ${serviceName(service)}`;
  const balancers = service.loadBalancers ?? [];
  if (balancers.length === 0) return { rules: [], problems: [`${name} has no load balancer; ECS native strategies need one with advancedConfiguration (alternate target group, production listener rule, role)`] };
  const rules: ProductionRule[] = [];
  const problems: string[] = [];
  for (const lb of balancers) {
    const found = await ruleOf(elb, lb, name, signal);
    if (typeof found === 'string') problems.push(found);
    else rules.push(found);
  }
  return { rules, problems };
}

async function ruleOf(elb: ElbReader, lb: LoadBalancer, name: string, signal: AbortSignal): Promise<ProductionRule | string> {
  const advanced = lb.advancedConfiguration;
  const group = lb.targetGroupArn;
  if (!group || !advanced?.alternateTargetGroupArn || !advanced.productionListenerRule || !advanced.roleArn) {
    return `${name}: load balancer ${group ? shortGroup(group) : '(no target group)'} has no complete advancedConfiguration (alternateTargetGroupArn, productionListenerRule and roleArn); ECS native strategies need it`;
  }
  const where = whereOfArn(advanced.productionListenerRule);
  const live = await elb.read(where, signal);
  const pair = [group, advanced.alternateTargetGroupArn] as const;
  const blue = pair.find((g) => shareOf(live, g) === 100);
  if (!blue) {
    return `${name}: production ${where.resource} ${where.arn} ${describeLive(live)}; one of ${shortGroup(pair[0])} and ${shortGroup(pair[1])} must carry all the weight before a deployment (one may be in progress or half-shifted)`;
  }
  const green = blue === pair[0] ? pair[1] : pair[0];
  return { arn: where.arn, resource: where.resource, blue, green, actions: plainCopy(live.actions) };
}

/** Percent of production traffic on the new (green) groups: the first rule's share, as ECS moves them together. */
export async function greenShare(elb: ElbReader, rules: readonly ProductionRule[], signal: AbortSignal): Promise<number | undefined> {
  const rule = rules[0];
  if (!rule) return undefined;
  return shareOf(await elb.read({ resource: rule.resource, arn: rule.arn }, signal), rule.green);
}

/** What differs between the captured production rules and the live ones (empty when ECS put them back). */
export async function ruleDifferences(elb: ElbReader, rules: readonly ProductionRule[], signal: AbortSignal): Promise<string[]> {
  const out: string[] = [];
  for (const rule of rules) {
    const live = await elb.read({ resource: rule.resource, arn: rule.arn }, signal);
    out.push(...differences(rule.actions, live.actions).map((d) => `production ${rule.resource} ${rule.arn}: ${d}`));
  }
  return out;
}
