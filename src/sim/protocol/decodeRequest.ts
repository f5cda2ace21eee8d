/** An SDK HTTP request into `{ service, operation, input }`, whatever the service's protocol. */
import type { HttpRequest } from '@smithy/types';
import type { DecodeContext } from './decodeJson.js';
import { decodeJsonStructure, parseJsonBody } from './decodeJson.js';
import { decodeQueryInput, readQueryEnvelope } from './decodeQuery.js';
import { decodeRestRequest } from './decodeRest.js';
import { MalformedRequestError } from './errors.js';
import type { SdkRetryHeaders } from './httpMessage.js';
import { bodyText, headerValue, readSdkRetryHeaders, requestBodyBytes } from './httpMessage.js';
import type { ServiceIdentity } from './identify.js';
import { identifyService, unidentifiedRequestError } from './identify.js';
import { loadModel } from './models.js';
import type { OperationModel, StructureShape } from './models.js';
import { malformedRequestFailure, unknownOperationFailure } from './requestErrors.js';
import type { ServiceName, WireProtocol } from './serviceRegistry.js';
import { describeService } from './serviceRegistry.js';

export interface DecodedRequest extends SdkRetryHeaders {
  readonly service: ServiceName;
  readonly protocol: WireProtocol;
  readonly operation: string;
  /** Shaped like the SDK command input: model member names, numbers, booleans, Dates, Uint8Arrays. */
  readonly input: Record<string, unknown>;
  /** Members the model does not know (dotted paths, `[i]` for list items, `?key` for query keys); dropped. */
  readonly unknownMembers: readonly string[];
  readonly region?: string;
}

/** Operations without input still get their parameters read, so stray ones are reported as unknown. */
const emptyStructure: StructureShape = { type: 'structure', members: {} };

interface DecodedOperation {
  readonly operation: string;
  readonly input: Record<string, unknown>;
}

/** Throws an Error if the service cannot be identified, a SimServiceError if the request is unusable. */
export function decodeRequest(request: HttpRequest): DecodedRequest {
  const identity = identifyService(request);
  if (!identity) throw unidentifiedRequestError(request);
  return decodeIdentifiedRequest(request, identity);
}

export function decodeIdentifiedRequest(request: HttpRequest, identity: ServiceIdentity): DecodedRequest {
  const ctx: DecodeContext = { model: loadModel(identity.service), unknownMembers: [] };
  let decoded: DecodedOperation;
  try {
    decoded = decodeOperation(ctx, request, identity.protocol);
  } catch (error) {
    if (error instanceof MalformedRequestError) throw malformedRequestFailure(identity.service, identity.protocol, error.message);
    throw error;
  }
  return {
    service: identity.service,
    protocol: identity.protocol,
    operation: decoded.operation,
    input: decoded.input,
    unknownMembers: ctx.unknownMembers,
    ...(identity.region === undefined ? {} : { region: identity.region }),
    ...readSdkRetryHeaders(request.headers),
  };
}

function decodeOperation(ctx: DecodeContext, request: HttpRequest, protocol: WireProtocol): DecodedOperation {
  const body = requestBodyBytes(request);
  switch (protocol) {
    case 'query':
      return decodeQueryOperation(ctx, request, body);
    case 'json':
      return decodeJsonRpcOperation(ctx, request, body);
    default: {
      const rest = decodeRestRequest(ctx, request, body, protocol === 'rest-json' ? 'json' : 'xml');
      if (!rest) throw unknownOperationFailure(protocol, `No operation matches ${request.method} ${request.path}`);
      return { operation: rest.operation.name, input: rest.input };
    }
  }
}

function decodeQueryOperation(ctx: DecodeContext, request: HttpRequest, body: Uint8Array): DecodedOperation {
  const params = new URLSearchParams(bodyText(body));
  for (const [key, value] of Object.entries(request.query ?? {})) {
    if (typeof value === 'string' && !params.has(key)) params.set(key, value);
  }
  const envelope = readQueryEnvelope(params);
  const operation = envelope.action === undefined ? undefined : ctx.model.operation(envelope.action);
  if (!operation) {
    const action = envelope.action ?? '(no Action)';
    throw unknownOperationFailure('query', `Could not find operation ${action} for version ${envelope.version ?? '(none)'}`);
  }
  return { operation: operation.name, input: decodeQueryInput(ctx, inputShape(ctx, operation), envelope.params) };
}

function decodeJsonRpcOperation(ctx: DecodeContext, request: HttpRequest, body: Uint8Array): DecodedOperation {
  const target = headerValue(request.headers, 'x-amz-target') ?? '';
  const [prefix, name = ''] = target.split('.');
  const operation = prefix === describeService(ctx.model.service).targetPrefix ? ctx.model.operation(name) : undefined;
  if (!operation) throw unknownOperationFailure('json', `Unknown operation ${target || '(no X-Amz-Target)'}`);
  return { operation: operation.name, input: decodeJsonStructure(ctx, inputShape(ctx, operation), parseJsonBody(bodyText(body)), '') };
}

function inputShape(ctx: DecodeContext, operation: OperationModel): StructureShape {
  return operation.input ? ctx.model.structure(operation.input) : emptyStructure;
}
