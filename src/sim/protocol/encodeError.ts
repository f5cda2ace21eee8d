/**
 * A SimServiceError into the error response of the service's protocol, as the SDK's error parsers read it
 * (@aws-sdk/core protocols, @smithy/core loadErrorCode):
 * - awsQuery:  <ErrorResponse xmlns><Error><Type/><Code/><Message/></Error><RequestId/></ErrorResponse>
 * - awsJson:   {"__type": "Name", "message": "..."} plus `x-amzn-errortype`; query-compatible services
 *              (CloudWatch) add `x-amzn-query-error: Code;Sender`, which the SDK prefers.
 * - restJson1: `x-amzn-errortype: Name` and a JSON body with `message` and the shape's other members.
 * - restXml:   the awsQuery envelope, in the service's namespace (Route 53).
 */
import type { HttpResponse } from '@smithy/types';
import type { ResolvedError } from './errorResolution.js';
import { resolveError } from './errorResolution.js';
import type { SimServiceError } from './errors.js';
import { encodeJsonStructure } from './encodeJson.js';
import type { EncodeContext } from './encodeXml.js';
import { encodeXmlMembers, escapeXml, namespaceAttribute, xmlElement } from './encodeXml.js';
import type { EncodeOptions } from './encodeOutput.js';
import { buildResponse } from './httpMessage.js';
import type { ShapeRef, StructureShape } from './models.js';
import { loadModel } from './models.js';
import type { JsonValue } from './scalars.js';
import type { ServiceDescriptor, ServiceName, WireProtocol } from './serviceRegistry.js';
import { describeService } from './serviceRegistry.js';

interface ErrorEncoding {
  readonly ctx: EncodeContext;
  readonly service: ServiceDescriptor;
  readonly error: SimServiceError;
  readonly resolved: ResolvedError;
  readonly requestId: string;
}

/** `operation` is accepted for symmetry with encodeOutput; no envelope depends on it. */
export function encodeError(service: ServiceName, _operation: string | undefined, error: SimServiceError, options: EncodeOptions = {}): HttpResponse {
  const model = loadModel(service);
  const descriptor = describeService(service);
  const encoding: ErrorEncoding = {
    ctx: { model, unknownMembers: [] },
    service: descriptor,
    error,
    resolved: resolveError(model, error),
    requestId: options.requestId ?? crypto.randomUUID(),
  };
  const protocol: WireProtocol = options.protocol ?? descriptor.defaultProtocol;
  const response = protocol === 'query' || protocol === 'rest-xml' ? xmlErrorResponse(encoding) : jsonErrorResponse(encoding, protocol);
  if (encoding.ctx.unknownMembers.length > 0) options.onUnknownMembers?.(encoding.ctx.unknownMembers);
  return response;
}

function xmlErrorResponse(encoding: ErrorEncoding): HttpResponse {
  const { error, resolved, requestId, service } = encoding;
  const details =
    xmlElement('Type', resolved.type) +
    xmlElement('Code', escapeXml(resolved.queryCode)) +
    xmlElement('Message', escapeXml(error.message)) +
    xmlExtraMembers(encoding);
  const envelope = xmlElement('Error', details) + xmlElement('RequestId', escapeXml(requestId));
  const body = xmlElement('ErrorResponse', envelope, namespaceAttribute(service.xmlNamespace));
  return buildResponse(resolved.httpStatus, commonHeaders(encoding, { 'content-type': 'text/xml' }), body);
}

function jsonErrorResponse(encoding: ErrorEncoding, protocol: WireProtocol): HttpResponse {
  const { error, resolved, service } = encoding;
  const headers = commonHeaders(encoding, { 'x-amzn-errortype': resolved.typeName });
  const body: { [key: string]: JsonValue } = {};
  if (protocol === 'json') {
    body['__type'] = resolved.typeName;
    headers['content-type'] = `application/x-amz-json-${service.jsonVersion ?? '1.0'}`;
    if (service.queryCompatible) headers['x-amzn-query-error'] = `${resolved.queryCode};${resolved.type}`;
  } else {
    headers['content-type'] = 'application/json';
    Object.assign(headers, headerBoundExtras(encoding));
  }
  body[messageMemberName(resolved.shape)] = error.message;
  Object.assign(body, jsonExtraMembers(encoding, protocol));
  return buildResponse(resolved.httpStatus, headers, JSON.stringify(body));
}

function commonHeaders(encoding: ErrorEncoding, extra: Readonly<Record<string, string>>): Record<string, string> {
  const headers: Record<string, string> = { 'x-amzn-requestid': encoding.requestId, ...extra };
  if (encoding.error.retryAfterSeconds !== undefined) headers['retry-after'] = String(encoding.error.retryAfterSeconds);
  return headers;
}

function xmlExtraMembers(encoding: ErrorEncoding): string {
  const extra = extraMembers(encoding);
  const { shape } = encoding.resolved;
  if (!shape) return Object.entries(extra).map(([key, value]) => xmlElement(key, escapeXml(String(value)))).join('');
  return encodeXmlMembers(encoding.ctx, shape, extra, '', isBodyMember);
}

function jsonExtraMembers(encoding: ErrorEncoding, protocol: WireProtocol): { [key: string]: JsonValue } {
  const extra = withLambdaStyleType(encoding, protocol, extraMembers(encoding));
  const { shape } = encoding.resolved;
  if (!shape) return Object.fromEntries(Object.entries(extra).map(([key, value]) => [key, String(value)]));
  return encodeJsonStructure(encoding.ctx, shape, extra, '', isBodyMember);
}

/** The world's `extra`, minus message members (the message is always written from the error itself). */
function extraMembers(encoding: ErrorEncoding): Record<string, unknown> {
  return Object.fromEntries(Object.entries(encoding.error.extra).filter(([key]) => key.toLowerCase() !== 'message'));
}

/**
 * restJson1 error shapes with a `Type` member (Lambda) get "User" for sender faults and "Service" for
 * service faults when the world does not say, as Lambda's own responses do.
 */
function withLambdaStyleType(encoding: ErrorEncoding, protocol: WireProtocol, extra: Record<string, unknown>): Record<string, unknown> {
  const { shape, type } = encoding.resolved;
  if (protocol !== 'rest-json' || !shape || !Object.hasOwn(shape.members, 'Type') || extra['Type'] !== undefined) return extra;
  return { ...extra, Type: type === 'Sender' ? 'User' : 'Service' };
}

/** Error members bound to headers (Lambda `retryAfterSeconds` → `Retry-After`) when given in `extra`. */
function headerBoundExtras(encoding: ErrorEncoding): Record<string, string> {
  const headers: Record<string, string> = {};
  const { shape } = encoding.resolved;
  for (const [name, ref] of Object.entries(shape?.members ?? {})) {
    const value = encoding.error.extra[name];
    if (ref.location === 'header' && value !== undefined && value !== null) headers[(ref.locationName ?? name).toLowerCase()] = String(value);
  }
  return headers;
}

/** The shape's own spelling (`message` or `Message`); the SDK reads either. */
function messageMemberName(shape: StructureShape | undefined): string {
  return Object.keys(shape?.members ?? {}).find((name) => name.toLowerCase() === 'message') ?? 'message';
}

function isBodyMember(ref: ShapeRef): boolean {
  return ref.location === undefined;
}
