import type { Tag, TagDescription } from '@aws-sdk/client-elastic-load-balancing-v2';
import { copy, fail } from '../common.js';
import { listenerNotFound, loadBalancerNotFound, ruleNotFound, targetGroupNotFound, validationError } from './errors.js';
import { kindOfArn } from './naming.js';
import type { Elbv2Context, Elbv2State } from './state.js';

/**
 * AddTags / DescribeTags on load balancers, target groups, listeners and rules. A key given twice in one call is
 * DuplicateTagKeys; more than 50 tags on a resource is TooManyTags (ELB quota "tags per load balancer / target
 * group"); adding an existing key replaces its value.
 */
const MAX_TAGS = 50;

export function addTags(ctx: Elbv2Context, input: Record<string, unknown>): Record<string, never> {
  const arns = input.ResourceArns as string[];
  const tags = input.Tags as Tag[];
  for (const arn of arns) requireResource(ctx.state, arn);
  for (const arn of arns) setTags(ctx.state, arn, tags);
  return {};
}

export function describeTags(ctx: Elbv2Context, input: Record<string, unknown>): { TagDescriptions: TagDescription[] } {
  const arns = input.ResourceArns as string[];
  if (arns.length > 20) validationError('You can specify up to 20 resource ARNs');
  for (const arn of arns) requireResource(ctx.state, arn);
  return { TagDescriptions: arns.map((arn) => ({ ResourceArn: arn, Tags: copy(ctx.state.tags[arn] ?? []) })) };
}

/** Adds or replaces tags on a resource (creation with Tags, AddTags). */
export function setTags(state: Elbv2State, arn: string, tags: readonly Tag[]): void {
  const keys = tags.map((t) => t.Key);
  const duplicate = keys.find((k, i) => keys.indexOf(k) !== i);
  if (duplicate !== undefined) fail('DuplicateTagKeys', `Tag key '${String(duplicate)}' was specified more than once`);
  const merged = [...(state.tags[arn] ?? [])];
  for (const tag of tags) {
    const at = merged.findIndex((t) => t.Key === tag.Key);
    const copyOf: Tag = tag.Value === undefined ? { Key: tag.Key } : { Key: tag.Key, Value: tag.Value };
    if (at >= 0) merged[at] = copyOf;
    else merged.push(copyOf);
  }
  if (merged.length > MAX_TAGS) fail('TooManyTags', `The quota for the number of tags that can be assigned to a resource has been reached (${MAX_TAGS})`);
  state.tags[arn] = merged;
}

function requireResource(state: Elbv2State, arn: string): void {
  switch (kindOfArn(arn)) {
    case 'loadbalancer':
      if (!state.loadBalancers[arn]) loadBalancerNotFound([arn]);
      return;
    case 'targetgroup':
      if (!state.targetGroups[arn]) targetGroupNotFound([arn]);
      return;
    case 'listener':
      if (!state.listeners[arn]) listenerNotFound(arn);
      return;
    case 'listener-rule':
      if (!state.rules[arn]) ruleNotFound([arn]);
      return;
    default:
      validationError(`'${arn}' is not a valid load balancer, target group, listener or rule ARN`);
  }
}
