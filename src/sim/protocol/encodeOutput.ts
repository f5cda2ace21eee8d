/** A successful operation's output into the HTTP response the service would send. */
import type { HttpResponse } from '@smithy/types';
import { isPlainObject } from './decodeJson.js';
import { encodeJsonStructure } from './encodeJson.js';
import type { EncodeContext } from './encodeXml.js';
import { encodeXmlMembers, escapeXml, namespaceAttribute, xmlElement } from './encodeXml.js';
import { buildResponse } from './httpMessage.js';
import type { OperationModel, ShapeRef, StructureShape } from './models.js';
import { loadModel } from './models.js';
import { scalarToText } from './scalars.js';
import type { ServiceDescriptor, ServiceName, WireProtocol } from './serviceRegistry.js';
import { describeService } from './serviceRegistry.js';

export interface EncodeOptions {
  /** Defaults to the service's SDK protocol; CloudWatch also speaks 'query'. */
  readonly protocol?: WireProtocol;
  /** Defaults to a random UUID. */
  readonly requestId?: string;
  /** Told about output members the model does not know (they are dropped). */
  readonly onUnknownMembers?: (paths: readonly string[]) => void;
}

/** Everything one response is built from. */
interface OutputEncoding {
  readonly ctx: EncodeContext;
  readonly service: ServiceDescriptor;
  readonly op: OperationModel;
  /** The operation's output shape; undefined for operations without output. */
  readonly shape: StructureShape | undefined;
  readonly value: unknown;
  readonly requestId: string;
}

export function encodeOutput(service: ServiceName, operation: string, output: unknown, options: EncodeOptions = {}): HttpResponse {
  const model = loadModel(service);
  const op = model.operation(operation);
  if (!op) throw new Error(`sim protocol: ${service} has no operation ${operation}`);
  const descriptor = describeService(service);
  const encoding: OutputEncoding = {
    ctx: { model, unknownMembers: [] },
    service: descriptor,
    op,
    shape: op.output ? model.structure(op.output) : undefined,
    value: output ?? {},
    requestId: options.requestId ?? crypto.randomUUID(),
  };
  const protocol = options.protocol ?? descriptor.defaultProtocol;
  const response = protocol === 'query' ? queryResponse(encoding) : protocol === 'json' ? jsonResponse(encoding) : restResponse(encoding, protocol);
  if (encoding.ctx.unknownMembers.length > 0) options.onUnknownMembers?.(encoding.ctx.unknownMembers);
  return response;
}

// <OpResponse xmlns><OpResult>...</OpResult><ResponseMetadata><RequestId/></ResponseMetadata></OpResponse>
function queryResponse({ ctx, service, op, shape, value, requestId }: OutputEncoding): HttpResponse {
  const result = shape ? xmlElement(op.output?.resultWrapper ?? `${op.name}Result`, encodeXmlMembers(ctx, shape, value, '')) : '';
  const metadata = xmlElement('ResponseMetadata', xmlElement('RequestId', escapeXml(requestId)));
  const body = xmlElement(`${op.name}Response`, result + metadata, namespaceAttribute(service.xmlNamespace));
  return buildResponse(200, { 'content-type': 'text/xml', 'x-amzn-requestid': requestId }, body);
}

function jsonResponse({ ctx, service, shape, value, requestId }: OutputEncoding): HttpResponse {
  const body = shape ? encodeJsonStructure(ctx, shape, value, '') : {};
  const headers = { 'content-type': `application/x-amz-json-${service.jsonVersion ?? '1.0'}`, 'x-amzn-requestid': requestId };
  return buildResponse(200, headers, JSON.stringify(body));
}

/** Status from the model (or a statusCode-bound member), header-bound members, then the body. */
function restResponse(encoding: OutputEncoding, protocol: WireProtocol): HttpResponse {
  const { ctx, op, shape, value, requestId } = encoding;
  const headers: Record<string, string> = { 'x-amzn-requestid': requestId };
  if (!shape || !isPlainObject(value)) return buildResponse(op.http.responseCode ?? 200, headers, '');
  Object.assign(headers, headerMembers(ctx, shape, value));
  const encoded = protocol === 'rest-json' ? restJsonBody(encoding, shape, value) : restXmlBody(encoding, shape, value);
  if (encoded.contentType) headers['content-type'] = encoded.contentType;
  return buildResponse(statusCodeMember(shape, value) ?? op.http.responseCode ?? 200, headers, encoded.body);
}

interface EncodedBody {
  readonly body: string | Uint8Array;
  readonly contentType?: string;
}

function restJsonBody(encoding: OutputEncoding, shape: StructureShape, value: Readonly<Record<string, unknown>>): EncodedBody {
  if (shape.payload) return payloadBody(encoding, shape, value, 'json');
  if (!Object.values(shape.members).some(isBodyMember)) return { body: '' };
  return { body: JSON.stringify(encodeJsonStructure(encoding.ctx, shape, value, '', isBodyMember)), contentType: 'application/json' };
}

// Route 53 roots its documents in the output shape's name: <ChangeResourceRecordSetsResponse xmlns=...>.
function restXmlBody(encoding: OutputEncoding, shape: StructureShape, value: Readonly<Record<string, unknown>>): EncodedBody {
  const { ctx, service, op } = encoding;
  if (shape.payload) return payloadBody(encoding, shape, value, 'xml');
  if (!Object.values(shape.members).some(isBodyMember)) return { body: '' };
  const rootName = op.output?.locationName ?? op.output?.shape ?? `${op.name}Response`;
  const xml = xmlElement(rootName, encodeXmlMembers(ctx, shape, value, '', isBodyMember), namespaceAttribute(service.xmlNamespace));
  return { body: `<?xml version="1.0" encoding="UTF-8"?>${xml}`, contentType: 'text/xml' };
}

/** A member bound to the whole body (`payload`): a structure document, raw bytes or text. */
function payloadBody(encoding: OutputEncoding, shape: StructureShape, value: Readonly<Record<string, unknown>>, format: 'json' | 'xml'): EncodedBody {
  const { ctx, service } = encoding;
  const name = shape.payload ?? '';
  const ref = shape.members[name];
  const member = value[name];
  if (!ref || member === undefined || member === null) return { body: '' };
  const target = ctx.model.target(ref);
  if (member instanceof Uint8Array) return { body: member, contentType: 'application/octet-stream' };
  if (target.type !== 'structure') return { body: String(member), contentType: 'text/plain' };
  if (format === 'json') return { body: JSON.stringify(encodeJsonStructure(ctx, target, member, name)), contentType: 'application/json' };
  const xml = xmlElement(ref.locationName ?? ref.shape, encodeXmlMembers(ctx, target, member, name), namespaceAttribute(service.xmlNamespace));
  return { body: xml, contentType: 'text/xml' };
}

function headerMembers(ctx: EncodeContext, shape: StructureShape, value: Readonly<Record<string, unknown>>): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, ref] of Object.entries(shape.members)) {
    const member = value[name];
    if (member === undefined || member === null) continue;
    if (ref.location === 'header') headers[ref.locationName ?? name] = headerText(ctx, ref, member);
    if (ref.location === 'headers' && isPlainObject(member)) {
      for (const [key, item] of Object.entries(member)) headers[`${ref.locationName ?? ''}${key}`] = String(item);
    }
  }
  return headers;
}

function headerText(ctx: EncodeContext, ref: ShapeRef, value: unknown): string {
  const shape = ctx.model.target(ref);
  if (ref.jsonvalue) return Buffer.from(JSON.stringify(value)).toString('base64');
  if (shape.type === 'list' && Array.isArray(value)) return value.map((item) => headerText(ctx, shape.member, item)).join(', ');
  if (shape.type === 'structure' || shape.type === 'list' || shape.type === 'map') return String(value);
  // Header timestamps default to HTTP dates (RFC 7231), unlike bodies.
  return scalarToText(shape, value, ref.timestampFormat ?? shape.timestampFormat ?? 'rfc822');
}

function statusCodeMember(shape: StructureShape, value: Readonly<Record<string, unknown>>): number | undefined {
  for (const [name, ref] of Object.entries(shape.members)) {
    if (ref.location === 'statusCode' && typeof value[name] === 'number') return value[name];
  }
  return undefined;
}

function isBodyMember(ref: ShapeRef): boolean {
  return ref.location === undefined;
}
