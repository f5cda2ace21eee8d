/**
 * The `autoscaling:` section of a world file. Names in, stable ids out: the same file gives the same launch
 * template ids, group ARNs and instance ids every run.
 *
 *   autoscaling:
 *     launchTemplates:
 *       - name: web
 *         versions:                       # numbered from 1 in order
 *           - { imageId: ami-web-v1 }     # instanceType defaults to t3.micro
 *           - { imageId: ami-web-v2, instanceType: t3.small }
 *         defaultVersion: 1               # optional, default 1
 *     groups:
 *       - name: web-asg
 *         launchTemplate: { name: web, version: "1" }   # version: a number, $Latest or $Default (default $Default)
 *         minSize: 1
 *         maxSize: 6
 *         desiredCapacity: 3              # optional, default minSize
 *         targetGroups: ["${tg:web.arn}"] # optional elbv2 target group ARNs
 *         healthCheckType: ELB            # optional, default EC2
 *         healthCheckGracePeriod: 30      # optional seconds, default 0
 *         defaultInstanceWarmup: 30       # optional seconds
 *         availabilityZones: [us-east-1a] # optional, default <region>a and <region>b
 *
 * Seeded instances start InService and healthy, registered with the group's target groups. References:
 * `lt:<name>` { id, name } and `asg:<name>` { arn, name }. Images map to app versions through the world file's
 * `artifacts` section (world.versionOfArtifact).
 */
import { InputError } from '../../../errors.js';
import { SimServiceError } from '../../protocol/index.js';
import type { SeedRefs } from '../../types.js';
import { stableId } from '../common.js';
import type { Ctx } from './errors.js';
import { addGroup } from './groups.js';
import { launchInstance } from './instances.js';
import { launchTemplateId, templateRef } from './launchTemplates.js';
import type { GroupRecord } from './state.js';
import { checkTargetGroups, trafficSourcesFrom } from './trafficSources.js';

interface TemplateSeed {
  readonly name: string;
  readonly versions: readonly { readonly imageId: string; readonly instanceType?: string }[];
  readonly defaultVersion?: number;
}

interface GroupSeed {
  readonly name: string;
  readonly launchTemplate: { readonly name: string; readonly version?: string | number };
  readonly minSize: number;
  readonly maxSize: number;
  readonly desiredCapacity?: number;
  readonly targetGroups?: readonly string[];
  readonly healthCheckType?: string;
  readonly healthCheckGracePeriod?: number;
  readonly defaultInstanceWarmup?: number;
  readonly availabilityZones?: readonly string[];
}

interface AutoScalingSeed {
  readonly launchTemplates?: readonly TemplateSeed[];
  readonly groups?: readonly GroupSeed[];
}

const WHERE = 'world: autoscaling';

export function seedAutoScaling(ctx: Ctx, spec: unknown, refs: SeedRefs): void {
  const section = (spec ?? {}) as AutoScalingSeed;
  if (typeof section !== 'object' || Array.isArray(section)) throw new InputError(WHERE, spec, 'give launchTemplates and groups lists');
  (section.launchTemplates ?? []).forEach((t, i) => seedTemplate(ctx, t, `${WHERE}.launchTemplates[${i}]`, refs));
  (section.groups ?? []).forEach((g, i) => seedGroup(ctx, g, `${WHERE}.groups[${i}]`, refs));
}

function seedTemplate(ctx: Ctx, t: TemplateSeed, where: string, refs: SeedRefs): void {
  if (!t || typeof t.name !== 'string' || t.name.length < 3) throw new InputError(`${where}.name`, t?.name, 'name each launch template (3 to 128 characters)');
  if (!Array.isArray(t.versions) || t.versions.length === 0 || t.versions.some((v) => typeof v?.imageId !== 'string')) {
    throw new InputError(`${where}.versions`, t.versions, 'list at least one version, each with an imageId');
  }
  const defaultVersion = t.defaultVersion ?? 1;
  if (!Number.isInteger(defaultVersion) || defaultVersion < 1 || defaultVersion > t.versions.length) {
    throw new InputError(`${where}.defaultVersion`, t.defaultVersion, `use a version number from 1 to ${t.versions.length}`);
  }
  const id = launchTemplateId(t.name);
  const versions = t.versions.map((v, i) => ({ number: i + 1, imageId: v.imageId, instanceType: v.instanceType ?? 't3.micro' }));
  ctx.state.launchTemplates[id] = { id, name: t.name, versions, defaultVersion };
  refs.set(`lt:${t.name}`, { id, name: t.name });
}

function seedGroup(ctx: Ctx, g: GroupSeed, where: string, refs: SeedRefs): void {
  if (!g || typeof g.name !== 'string' || g.name === '') throw new InputError(`${where}.name`, g?.name, 'name each group');
  for (const key of ['minSize', 'maxSize'] as const) {
    if (!Number.isInteger(g[key]) || g[key] < 0) throw new InputError(`${where}.${key}`, g[key], 'use a whole number of instances, 0 or more');
  }
  const group = withInputError(where, () => addGroup(ctx, groupSettings(ctx, g)));
  refs.set(`asg:${g.name}`, { arn: group.arn, name: g.name });
  for (let n = 0; n < group.desiredCapacity; n++) {
    launchInstance(ctx, group, group.template, 'At seed time an instance was started by the world file.', { id: `i-${stableId('instance', `${g.name}/${n}`, 17)}`, inService: true });
  }
}

function groupSettings(ctx: Ctx, g: GroupSeed): Parameters<typeof addGroup>[1] {
  const version = g.launchTemplate?.version === undefined ? undefined : String(g.launchTemplate.version);
  const template = templateRef(ctx.state, { LaunchTemplateName: g.launchTemplate?.name, ...(version !== undefined ? { Version: version } : {}) });
  const trafficSources = trafficSourcesFrom(g.targetGroups ?? []);
  checkTargetGroups(ctx, trafficSources);
  const region = ctx.world.state.region;
  const settings: Parameters<typeof addGroup>[1] = {
    name: g.name,
    template,
    minSize: g.minSize,
    maxSize: g.maxSize,
    ...(g.desiredCapacity !== undefined ? { desiredCapacity: g.desiredCapacity } : {}),
    availabilityZones: [...(g.availabilityZones ?? [`${region}a`, `${region}b`])],
    ...(g.healthCheckType !== undefined ? { healthCheckType: g.healthCheckType } : {}),
    ...(g.healthCheckGracePeriod !== undefined ? { healthCheckGracePeriod: g.healthCheckGracePeriod } : {}),
    ...(g.defaultInstanceWarmup !== undefined ? { defaultInstanceWarmup: g.defaultInstanceWarmup } : {}),
    trafficSources,
    arnId: uuidFrom(stableId('asg', g.name, 32)),
  };
  return settings;
}

/** An AWS-style validation failure while seeding becomes an input error naming the world-file entry. */
function withInputError(where: string, build: () => GroupRecord): GroupRecord {
  try {
    return build();
  } catch (error) {
    if (error instanceof SimServiceError) throw new InputError(where, error.code, error.message);
    throw error;
  }
}

function uuidFrom(hex: string): string {
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
