/**
 * Static facts about the seven simulated services: enough to recognise a request and pick its wire
 * protocol without loading a model. Values mirror each model's `metadata` (a test keeps them in sync).
 */

export type ServiceName = 'elbv2' | 'autoscaling' | 'ecs' | 'lambda' | 'route53' | 'cloudwatch' | 'dynamodb';

/** The wire protocols the simulator speaks, named as in botocore's `metadata.protocol`. */
export type WireProtocol = 'query' | 'json' | 'rest-json' | 'rest-xml';

export interface ServiceDescriptor {
  readonly name: ServiceName;
  /** First hostname label of the real endpoint, and the SigV4 signing name. */
  readonly endpointPrefix: string;
  /** What the pinned JS SDK v3 client sends. */
  readonly defaultProtocol: WireProtocol;
  readonly apiVersion: string;
  readonly jsonVersion?: '1.0' | '1.1';
  /** `X-Amz-Target` prefix of JSON RPC requests. */
  readonly targetPrefix?: string;
  readonly xmlNamespace?: string;
  /** JSON errors also carry `x-amzn-query-error: Code;Type` (CloudWatch, which used to speak awsQuery). */
  readonly queryCompatible: boolean;
}

const SERVICES: readonly ServiceDescriptor[] = [
  {
    name: 'elbv2',
    endpointPrefix: 'elasticloadbalancing',
    defaultProtocol: 'query',
    apiVersion: '2015-12-01',
    xmlNamespace: 'http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/',
    queryCompatible: false,
  },
  {
    name: 'autoscaling',
    endpointPrefix: 'autoscaling',
    defaultProtocol: 'query',
    apiVersion: '2011-01-01',
    xmlNamespace: 'http://autoscaling.amazonaws.com/doc/2011-01-01/',
    queryCompatible: false,
  },
  {
    name: 'ecs',
    endpointPrefix: 'ecs',
    defaultProtocol: 'json',
    apiVersion: '2014-11-13',
    jsonVersion: '1.1',
    targetPrefix: 'AmazonEC2ContainerServiceV20141113',
    queryCompatible: false,
  },
  { name: 'lambda', endpointPrefix: 'lambda', defaultProtocol: 'rest-json', apiVersion: '2015-03-31', queryCompatible: false },
  {
    name: 'route53',
    endpointPrefix: 'route53',
    defaultProtocol: 'rest-xml',
    apiVersion: '2013-04-01',
    xmlNamespace: 'https://route53.amazonaws.com/doc/2013-04-01/',
    queryCompatible: false,
  },
  {
    name: 'cloudwatch',
    endpointPrefix: 'monitoring',
    defaultProtocol: 'json',
    apiVersion: '2010-08-01',
    jsonVersion: '1.0',
    targetPrefix: 'GraniteServiceVersion20100801',
    xmlNamespace: 'http://monitoring.amazonaws.com/doc/2010-08-01/',
    queryCompatible: true,
  },
  {
    name: 'dynamodb',
    endpointPrefix: 'dynamodb',
    defaultProtocol: 'json',
    apiVersion: '2012-08-10',
    jsonVersion: '1.0',
    targetPrefix: 'DynamoDB_20120810',
    queryCompatible: false,
  },
];

export const SERVICE_NAMES: readonly ServiceName[] = SERVICES.map((s) => s.name);

export function describeService(name: ServiceName): ServiceDescriptor {
  const found = SERVICES.find((s) => s.name === name);
  if (!found) throw new Error(`sim protocol: unknown service ${name}`);
  return found;
}

export function isServiceName(value: string): value is ServiceName {
  return SERVICES.some((s) => s.name === value);
}

export function serviceByEndpointPrefix(prefix: string): ServiceDescriptor | undefined {
  return SERVICES.find((s) => s.endpointPrefix === prefix);
}

export function serviceByTargetPrefix(prefix: string): ServiceDescriptor | undefined {
  return SERVICES.find((s) => s.targetPrefix === prefix);
}

/** awsQuery requests name their API version; it tells the query services apart. */
export function queryServiceByApiVersion(version: string): ServiceDescriptor | undefined {
  return SERVICES.find((s) => s.apiVersion === version && (s.defaultProtocol === 'query' || s.queryCompatible));
}

/** Protocols a service accepts: its SDK default, plus awsQuery for CloudWatch (the AWS CLI still sends it). */
export function acceptedProtocols(service: ServiceDescriptor): readonly WireProtocol[] {
  return service.queryCompatible ? [service.defaultProtocol, 'query'] : [service.defaultProtocol];
}
