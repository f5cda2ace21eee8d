/**
 * An SDK `requestHandler` that answers from the simulated world instead of the network:
 * decode → validate → dispatch → encode, through promises only (no timers, no streams), so it runs
 * unchanged under a simulated clock.
 */
import type { HttpHandlerOptions, HttpRequest, HttpResponse, RequestHandlerOutput } from '@smithy/types';
import type { DecodedRequest } from './decodeRequest.js';
import { decodeIdentifiedRequest } from './decodeRequest.js';
import { encodeError } from './encodeError.js';
import type { EncodeOptions } from './encodeOutput.js';
import { encodeOutput } from './encodeOutput.js';
import { SimServiceError, SimTransportError } from './errors.js';
import type { ServiceIdentity } from './identify.js';
import { identifyService, unidentifiedRequestError } from './identify.js';
import { validationFailure } from './requestErrors.js';
import type { ServiceName } from './serviceRegistry.js';
import { abortError, raceWithAbort, transportFailure } from './transport.js';
import { validateInput } from './validate.js';

/** One decoded, valid API call, handed to the world. */
export interface SimCall {
  readonly service: ServiceName;
  readonly operation: string;
  readonly input: Record<string, unknown>;
  /** From `amz-sdk-request: attempt=N; max=M`: which try of this invocation this is. */
  readonly attempt?: number;
  readonly maxAttempts?: number;
  /** From `amz-sdk-invocation-id`: the same for every retry of one command. */
  readonly invocationId?: string;
  readonly region?: string;
  /** Request members the model does not know; they were dropped from `input`. */
  readonly unknownMembers?: readonly string[];
}

export interface SimRequestHandlerOptions {
  /** Returns the output object, or throws SimServiceError (an AWS error) or SimTransportError (no response). */
  dispatch(call: SimCall): Promise<unknown>;
  /** Request ids for responses; defaults to random UUIDs. */
  readonly requestId?: () => string;
  /** Told about output members the world returned that the model does not know (they are dropped). */
  readonly onUnknownOutputMembers?: (call: SimCall, paths: readonly string[]) => void;
}

export interface SimRequestHandler {
  handle(request: HttpRequest, options?: HttpHandlerOptions): Promise<RequestHandlerOutput<HttpResponse>>;
  updateHttpClientConfig(key: never, value: never): void;
  httpHandlerConfigs(): Record<string, never>;
  destroy(): void;
}

export function createSimRequestHandler(options: SimRequestHandlerOptions): SimRequestHandler {
  return {
    handle: async (request, handlerOptions) => {
      const signal = handlerOptions?.abortSignal;
      // An already aborted request must not reach the world at all.
      if (signal?.aborted) throw abortError(signal);
      return { response: await raceWithAbort(respond(options, request), signal) };
    },
    updateHttpClientConfig: () => undefined,
    httpHandlerConfigs: () => ({}),
    destroy: () => undefined,
  };
}

async function respond(options: SimRequestHandlerOptions, request: HttpRequest): Promise<HttpResponse> {
  const identity = identifyService(request);
  if (!identity) throw unidentifiedRequestError(request);
  const requestId = options.requestId?.() ?? crypto.randomUUID();
  let decoded: DecodedRequest;
  try {
    decoded = decodeIdentifiedRequest(request, identity);
  } catch (error) {
    return errorResponse(identity, undefined, error, { requestId });
  }
  const validation = validateInput(decoded.service, decoded.operation, decoded.input);
  if (!validation.valid) return errorResponse(identity, decoded.operation, validationFailure(decoded.service, validation.messages), { requestId });
  const call = toCall(decoded);
  const encodeOptions: EncodeOptions = {
    protocol: decoded.protocol,
    requestId,
    onUnknownMembers: (paths) => options.onUnknownOutputMembers?.(call, paths),
  };
  try {
    const output = await options.dispatch(call);
    return encodeOutput(decoded.service, decoded.operation, output, encodeOptions);
  } catch (error) {
    if (error instanceof SimTransportError) throw transportFailure(error.kind, request);
    return errorResponse(identity, decoded.operation, error, encodeOptions);
  }
}

/** SimServiceErrors become error responses; anything else is a bug in the world and rejects as it is. */
function errorResponse(identity: ServiceIdentity, operation: string | undefined, error: unknown, options: EncodeOptions): HttpResponse {
  if (!(error instanceof SimServiceError)) throw error;
  return encodeError(identity.service, operation, error, { ...options, protocol: identity.protocol });
}

function toCall(decoded: DecodedRequest): SimCall {
  const { service, operation, input, attempt, maxAttempts, invocationId, region, unknownMembers } = decoded;
  const unknown = unknownMembers.length > 0 ? unknownMembers : undefined;
  return { service, operation, input, attempt, maxAttempts, invocationId, region, unknownMembers: unknown };
}
