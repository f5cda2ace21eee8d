import type { LoadBalancer, Tag } from '@aws-sdk/client-elastic-load-balancing-v2';
import { date, fail } from '../common.js';
import { loadBalancerNotFound, validationError } from './errors.js';
import { checkResourceName, defaultVpcId, dnsName, freshId, loadBalancerArn } from './naming.js';
import { pageOf } from './pages.js';
import type { Elbv2Context, LoadBalancerRecord } from './state.js';
import { setTags } from './tags.js';

/**
 * CreateLoadBalancer / DescribeLoadBalancers for Application Load Balancers. Creating is idempotent: the same
 * name with the same settings returns the existing load balancer (API reference, CreateLoadBalancer); different
 * settings are DuplicateLoadBalancerName. An ALB needs subnets in at least two Availability Zones. New load
 * balancers are `active` at once (provisioning time is not modeled).
 */
/** ALB canonical hosted zone ids per region (Route 53 alias records name them; ELB endpoints table). */
const ALB_HOSTED_ZONES: Readonly<Record<string, string>> = {
  'us-east-1': 'Z35SXDOTRQ7X7K',
  'us-east-2': 'Z3AADJGX6KTTL2',
  'us-west-1': 'Z368ELLRRE2KJ0',
  'us-west-2': 'Z1H1FL5HABSF5',
  'eu-west-1': 'Z32O12XQLNTSW2',
  'eu-central-1': 'Z215JYRZR1TBD5',
};

export interface LoadBalancerSpec {
  readonly name: string;
  readonly scheme?: string;
  readonly subnets?: readonly string[];
  readonly securityGroups?: readonly string[];
  readonly ipAddressType?: string;
  readonly tags?: readonly Tag[];
}

export function createLoadBalancer(ctx: Elbv2Context, input: Record<string, unknown>): { LoadBalancers: LoadBalancer[] } {
  if (input.Type !== undefined && input.Type !== 'application') validationError(`The simulated ELBv2 models Application Load Balancers only, not type '${String(input.Type)}'`);
  const subnets = subnetsOf(input);
  if (new Set(subnets).size < 2) validationError('At least two subnets in two different Availability Zones must be specified');
  const spec: LoadBalancerSpec = {
    name: String(input.Name),
    scheme: input.Scheme as string | undefined,
    subnets,
    securityGroups: input.SecurityGroups as string[] | undefined,
    ipAddressType: input.IpAddressType as string | undefined,
    tags: input.Tags as Tag[] | undefined,
  };
  const existing = Object.values(ctx.state.loadBalancers).find((lb) => lb.name === spec.name);
  if (existing) {
    if (!sameSettings(existing, spec)) fail('DuplicateLoadBalancerName', 'A load balancer with the same name already exists');
    return { LoadBalancers: [describeLoadBalancer(ctx, existing)] };
  }
  return { LoadBalancers: [describeLoadBalancer(ctx, addLoadBalancer(ctx, spec, freshId(ctx)))] };
}

/** Creates the record (seeding passes a stable id). */
export function addLoadBalancer(ctx: Elbv2Context, spec: LoadBalancerSpec, id: string): LoadBalancerRecord {
  checkResourceName('load balancer', spec.name);
  const scheme = spec.scheme === 'internal' ? 'internal' : 'internet-facing';
  const lb: LoadBalancerRecord = {
    arn: loadBalancerArn(ctx, spec.name, id),
    name: spec.name,
    id,
    dnsName: dnsName(ctx, spec.name, id, scheme),
    createdAt: ctx.now,
    scheme,
    vpcId: defaultVpcId(ctx),
    subnets: [...(spec.subnets ?? [])],
    securityGroups: [...(spec.securityGroups ?? [])],
    ipAddressType: spec.ipAddressType ?? 'ipv4',
  };
  ctx.state.loadBalancers[lb.arn] = lb;
  if (spec.tags?.length) setTags(ctx.state, lb.arn, spec.tags);
  return lb;
}

export function describeLoadBalancers(ctx: Elbv2Context, input: Record<string, unknown>): { LoadBalancers: LoadBalancer[]; NextMarker?: string } {
  const arns = input.LoadBalancerArns as string[] | undefined;
  const names = input.Names as string[] | undefined;
  if (arns?.length && names?.length) validationError('Load balancer names and load balancer ARNs cannot be specified at the same time');
  const all = Object.values(ctx.state.loadBalancers);
  let selected = all;
  if (arns?.length) selected = pick(all, arns, (lb) => lb.arn);
  else if (names?.length) selected = pick(all, names, (lb) => lb.name);
  const { page, NextMarker } = pageOf(selected, input.Marker, input.PageSize);
  return { LoadBalancers: page.map((lb) => describeLoadBalancer(ctx, lb)), ...(NextMarker ? { NextMarker } : {}) };
}

function pick(all: readonly LoadBalancerRecord[], wanted: readonly string[], keyOf: (lb: LoadBalancerRecord) => string): LoadBalancerRecord[] {
  const missing = wanted.filter((w) => !all.some((lb) => keyOf(lb) === w));
  if (missing.length > 0) loadBalancerNotFound(missing);
  return all.filter((lb) => wanted.includes(keyOf(lb)));
}

export function describeLoadBalancer(ctx: Elbv2Context, lb: LoadBalancerRecord): LoadBalancer {
  return {
    LoadBalancerArn: lb.arn,
    DNSName: lb.dnsName,
    CanonicalHostedZoneId: ALB_HOSTED_ZONES[ctx.world.state.region] ?? ALB_HOSTED_ZONES['us-east-1'],
    CreatedTime: date(lb.createdAt),
    LoadBalancerName: lb.name,
    Scheme: lb.scheme,
    VpcId: lb.vpcId,
    State: { Code: 'active' },
    Type: 'application',
    AvailabilityZones: lb.subnets.map((subnet, i) => ({ ZoneName: `${ctx.world.state.region}${'abcdef'[i % 6]}`, SubnetId: subnet })),
    SecurityGroups: [...lb.securityGroups],
    IpAddressType: lb.ipAddressType as LoadBalancer['IpAddressType'],
  };
}

function subnetsOf(input: Record<string, unknown>): string[] {
  const subnets = (input.Subnets as string[] | undefined) ?? [];
  const mappings = ((input.SubnetMappings as { SubnetId?: string }[] | undefined) ?? []).map((m) => m.SubnetId).filter((s): s is string => !!s);
  return [...subnets, ...mappings];
}

function sameSettings(lb: LoadBalancerRecord, spec: LoadBalancerSpec): boolean {
  const scheme = spec.scheme === 'internal' ? 'internal' : 'internet-facing';
  return lb.scheme === scheme && JSON.stringify([...lb.subnets].sort()) === JSON.stringify([...(spec.subnets ?? [])].sort());
}
