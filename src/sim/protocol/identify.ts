/**
 * Which simulated service a request is for, and in which protocol it is written. Tried in order:
 * the hostname (`elasticloadbalancing.us-east-1.amazonaws.com`), the SigV4 credential scope
 * (`Credential=AK/20260101/us-east-1/ecs/aws4_request`, present on every SDK request even with a custom
 * endpoint), then protocol markers (X-Amz-Target, awsQuery `Version=`, REST path prefixes).
 */
import type { HttpRequest } from '@smithy/types';
import { bodyText, headerValue, requestBodyBytes } from './httpMessage.js';
import type { ServiceDescriptor, ServiceName, WireProtocol } from './serviceRegistry.js';
import { queryServiceByApiVersion, serviceByEndpointPrefix, serviceByTargetPrefix } from './serviceRegistry.js';

export interface ServiceIdentity {
  readonly service: ServiceName;
  readonly protocol: WireProtocol;
  readonly region?: string;
  readonly matchedBy: 'hostname' | 'credential-scope' | 'protocol-marker';
}

const REGION_PATTERN = /^[a-z]{2}(-[a-z]+)+-\d+$/;
// Route 53 has one API version; every Lambda operation lives under some other dated prefix.
const ROUTE53_PATH = /^\/2013-04-01(\/|$)/;
const LAMBDA_PATH = /^\/\d{4}-\d{2}-\d{2}\//;

export function identifyService(request: HttpRequest): ServiceIdentity | undefined {
  const scope = credentialScope(request);
  const region = scope?.region ?? regionFromHostname(request.hostname);
  const byHost = serviceFromHostname(request.hostname);
  if (byHost) return identity(byHost, request, region, 'hostname');
  const byScope = scope && serviceByEndpointPrefix(scope.service);
  if (byScope) return identity(byScope, request, region, 'credential-scope');
  const byMarker = serviceFromProtocolMarkers(request);
  return byMarker && identity(byMarker, request, region, 'protocol-marker');
}

/** Not an AWS error: the request is for something the simulator does not simulate at all. */
export function unidentifiedRequestError(request: HttpRequest): Error {
  return new Error(`sim protocol: no simulated AWS service matches ${request.method} ${request.hostname}${request.path}`);
}

function identity(
  service: ServiceDescriptor,
  request: HttpRequest,
  region: string | undefined,
  matchedBy: ServiceIdentity['matchedBy'],
): ServiceIdentity {
  const resolvedRegion = region ?? (service.name === 'route53' ? 'us-east-1' : undefined);
  return {
    service: service.name,
    protocol: protocolOf(service, request),
    ...(resolvedRegion === undefined ? {} : { region: resolvedRegion }),
    matchedBy,
  };
}

/** CloudWatch accepts both JSON (the SDK) and awsQuery (the AWS CLI); the others speak one protocol. */
function protocolOf(service: ServiceDescriptor, request: HttpRequest): WireProtocol {
  if (!service.queryCompatible) return service.defaultProtocol;
  return headerValue(request.headers, 'x-amz-target') === undefined ? 'query' : service.defaultProtocol;
}

function serviceFromHostname(hostname: string): ServiceDescriptor | undefined {
  const firstLabel = hostname.toLowerCase().split('.')[0] ?? '';
  return serviceByEndpointPrefix(firstLabel.replace(/-fips$/, ''));
}

function regionFromHostname(hostname: string): string | undefined {
  const secondLabel = hostname.toLowerCase().split('.')[1];
  return secondLabel !== undefined && REGION_PATTERN.test(secondLabel) ? secondLabel : undefined;
}

function credentialScope(request: HttpRequest): { region: string; service: string } | undefined {
  const authorization = headerValue(request.headers, 'authorization') ?? '';
  const presigned = request.query?.['X-Amz-Credential'];
  const credential = /Credential=([^,\s]+)/.exec(authorization)?.[1] ?? (typeof presigned === 'string' ? presigned : undefined);
  const [, , region, service] = credential?.split('/') ?? [];
  return region && service ? { region, service } : undefined;
}

function serviceFromProtocolMarkers(request: HttpRequest): ServiceDescriptor | undefined {
  const target = headerValue(request.headers, 'x-amz-target');
  if (target !== undefined) return serviceByTargetPrefix(target.split('.')[0] ?? '');
  if (ROUTE53_PATH.test(request.path)) return serviceByEndpointPrefix('route53');
  if (LAMBDA_PATH.test(request.path)) return serviceByEndpointPrefix('lambda');
  const version = queryParameter(request, 'Version');
  return version === undefined ? undefined : queryServiceByApiVersion(version);
}

function queryParameter(request: HttpRequest, name: string): string | undefined {
  const fromUrl = request.query?.[name];
  if (typeof fromUrl === 'string') return fromUrl;
  try {
    return new URLSearchParams(bodyText(requestBodyBytes(request))).get(name) ?? undefined;
  } catch {
    return undefined; // an unreadable body identifies nothing
  }
}
