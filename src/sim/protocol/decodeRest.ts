/**
 * restJson1 (Lambda) and restXml (Route 53) requests: URI labels, query string, headers and body, each
 * bound to input members by the model's `location` / `locationName`.
 */
import type { HttpRequest } from '@smithy/types';
import type { DecodeContext } from './decodeJson.js';
import { decodeJsonStructure, parseJsonBody, setEntry } from './decodeJson.js';
import { decodeXmlStructure, parseXmlDocument } from './decodeXml.js';
import { MalformedRequestError } from './errors.js';
import { bodyText, lowerCaseHeaders } from './httpMessage.js';
import type { OperationModel, ShapeRef, StructureShape } from './models.js';
import { matchRoute } from './routing.js';
import { scalarFromText } from './scalars.js';

export interface RestDecodeResult {
  readonly operation: OperationModel;
  readonly input: Record<string, unknown>;
}

interface BindingSources {
  readonly labels: Readonly<Record<string, string>>;
  readonly query: Readonly<Record<string, string | string[] | null>>;
  readonly headers: Readonly<Record<string, string>>;
  /** Query keys some member (or the route itself) accounts for. */
  readonly claimedQueryKeys: Set<string>;
}

/** `undefined` when no operation's URI template matches the request. */
export function decodeRestRequest(
  ctx: DecodeContext,
  request: HttpRequest,
  body: Uint8Array,
  bodyFormat: 'json' | 'xml',
): RestDecodeResult | undefined {
  const route = matchRoute(ctx.model, request.method, request.path, request.query ?? {});
  if (!route) return undefined;
  const input: Record<string, unknown> = {};
  if (!route.operation.input) return { operation: route.operation, input };
  const shape = ctx.model.structure(route.operation.input);
  const sources: BindingSources = {
    labels: route.labels,
    query: request.query ?? {},
    headers: lowerCaseHeaders(request.headers),
    claimedQueryKeys: new Set(staticQueryKeys(route.operation)),
  };
  bindHttpMembers(ctx, shape, sources, input);
  reportUnclaimedQueryKeys(ctx, sources);
  Object.assign(input, decodeBody(ctx, shape, body, bodyFormat));
  return { operation: route.operation, input };
}

function bindHttpMembers(ctx: DecodeContext, shape: StructureShape, sources: BindingSources, input: Record<string, unknown>): void {
  const members = Object.entries(shape.members);
  // Named query members first, so a query-params map only collects what nobody else claimed.
  members.sort(([, a], [, b]) => Number(isQueryParamsMap(ctx, a)) - Number(isQueryParamsMap(ctx, b)));
  for (const [name, ref] of members) {
    const value = readBinding(ctx, name, ref, sources);
    if (value !== undefined) input[name] = value;
  }
}

function readBinding(ctx: DecodeContext, name: string, ref: ShapeRef, sources: BindingSources): unknown {
  const bindingName = ref.locationName ?? name;
  switch (ref.location) {
    case 'uri': {
      const label = sources.labels[bindingName];
      return label === undefined ? undefined : fromStrings(ctx, ref, [label], name);
    }
    case 'querystring':
      return readQuery(ctx, name, ref, sources);
    case 'header': {
      const header = sources.headers[bindingName.toLowerCase()];
      return header === undefined ? undefined : headerValue(ctx, ref, header, name);
    }
    case 'headers':
      return prefixedHeaders(ctx, ref, bindingName.toLowerCase(), sources.headers, name);
    default:
      return undefined;
  }
}

function readQuery(ctx: DecodeContext, name: string, ref: ShapeRef, sources: BindingSources): unknown {
  const target = ctx.model.target(ref);
  if (target.type === 'map') return queryParamsMap(ctx, target.value, sources, name);
  const key = ref.locationName ?? name;
  if (!Object.hasOwn(sources.query, key)) return undefined;
  sources.claimedQueryKeys.add(key);
  return fromStrings(ctx, ref, queryValues(sources.query[key]), name);
}

// A map bound to the whole query string (Smithy httpQueryParams) takes every key nobody else claimed.
function queryParamsMap(ctx: DecodeContext, valueRef: ShapeRef, sources: BindingSources, name: string): Record<string, unknown> | undefined {
  const collected: Record<string, unknown> = {};
  for (const [key, raw] of Object.entries(sources.query)) {
    if (sources.claimedQueryKeys.has(key)) continue;
    sources.claimedQueryKeys.add(key);
    setEntry(collected, key, fromStrings(ctx, valueRef, queryValues(raw), `${name}.${key}`));
  }
  return Object.keys(collected).length > 0 ? collected : undefined;
}

function headerValue(ctx: DecodeContext, ref: ShapeRef, header: string, path: string): unknown {
  if (ref.jsonvalue) return parseJsonBody(Buffer.from(header, 'base64').toString('utf8'));
  const isList = ctx.model.target(ref).type === 'list';
  return fromStrings(ctx, ref, isList ? header.split(',').map((item) => item.trim()) : [header], path);
}

function prefixedHeaders(ctx: DecodeContext, ref: ShapeRef, prefix: string, headers: Readonly<Record<string, string>>, path: string): unknown {
  const target = ctx.model.target(ref);
  if (target.type !== 'map') return undefined;
  const collected: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (name.startsWith(prefix)) setEntry(collected, name.slice(prefix.length), fromStrings(ctx, target.value, [value], `${path}.${name}`));
  }
  return Object.keys(collected).length > 0 ? collected : undefined;
}

/** A scalar from the first string, or a list of scalars from all of them. */
function fromStrings(ctx: DecodeContext, ref: ShapeRef, values: readonly string[], path: string): unknown {
  const target = ctx.model.target(ref);
  if (target.type === 'list') return values.map((value, index) => fromStrings(ctx, target.member, [value], `${path}[${index}]`));
  if (target.type === 'structure' || target.type === 'map') {
    throw new MalformedRequestError(`'${path}' (${ref.shape}) cannot be bound to a URI, query string or header`);
  }
  return scalarFromText(target, values[0] ?? '', path);
}

function queryValues(raw: string | string[] | null | undefined): string[] {
  if (raw === null || raw === undefined) return [''];
  return Array.isArray(raw) ? raw : [raw];
}

function decodeBody(ctx: DecodeContext, shape: StructureShape, body: Uint8Array, format: 'json' | 'xml'): Record<string, unknown> {
  if (shape.payload) return decodePayloadMember(ctx, shape, shape.payload, body, format);
  if (!Object.values(shape.members).some(isBodyMember) || body.byteLength === 0) return {};
  const text = bodyText(body);
  if (format === 'json') return decodeJsonStructure(ctx, shape, parseJsonBody(text), '', isBodyMember);
  return decodeXmlStructure(ctx, shape, parseXmlDocument(text).root, '', isBodyMember);
}

function decodePayloadMember(
  ctx: DecodeContext,
  shape: StructureShape,
  name: string,
  body: Uint8Array,
  format: 'json' | 'xml',
): Record<string, unknown> {
  const ref = shape.members[name];
  if (!ref || body.byteLength === 0) return {};
  const target = ctx.model.target(ref);
  if (target.type === 'blob') return { [name]: body };
  if (target.type === 'string') return { [name]: bodyText(body) };
  if (target.type !== 'structure') throw new MalformedRequestError(`Unsupported payload member ${name}`);
  const text = bodyText(body);
  const decoded =
    format === 'json'
      ? decodeJsonStructure(ctx, target, parseJsonBody(text), name)
      : decodeXmlStructure(ctx, target, parseXmlDocument(text).root, name);
  return { [name]: decoded };
}

function isBodyMember(ref: ShapeRef): boolean {
  return ref.location === undefined;
}

function isQueryParamsMap(ctx: DecodeContext, ref: ShapeRef): boolean {
  return ref.location === 'querystring' && ctx.model.target(ref).type === 'map';
}

function staticQueryKeys(operation: OperationModel): string[] {
  const query = operation.http.requestUri.split('?')[1] ?? '';
  return query.split('&').map((pair) => pair.split('=')[0] ?? '').filter((key) => key !== '');
}

function reportUnclaimedQueryKeys(ctx: DecodeContext, sources: BindingSources): void {
  for (const key of Object.keys(sources.query)) {
    if (!sources.claimedQueryKeys.has(key)) ctx.unknownMembers.push(`?${key}`);
  }
}
