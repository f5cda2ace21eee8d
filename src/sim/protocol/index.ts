/**
 * The simulator's wire layer: real AWS SDK v3 clients talk to the simulated world through
 * `createSimRequestHandler`, in each service's real protocol, with input validated against the official
 * models in src/sim/models.
 */
export { createSimRequestHandler } from './handler.js';
export type { SimCall, SimRequestHandler, SimRequestHandlerOptions } from './handler.js';
export { SimServiceError, SimTransportError } from './errors.js';
export type { FaultType, SimServiceErrorOptions, TransportFailureKind } from './errors.js';
export { decodeRequest } from './decodeRequest.js';
export type { DecodedRequest } from './decodeRequest.js';
export { encodeOutput } from './encodeOutput.js';
export type { EncodeOptions } from './encodeOutput.js';
export { encodeError } from './encodeError.js';
export { validateInput } from './validate.js';
export type { ValidationResult } from './validate.js';
export { identifyService } from './identify.js';
export type { ServiceIdentity } from './identify.js';
export { validationErrorCode } from './requestErrors.js';
export { SERVICE_NAMES } from './serviceRegistry.js';
export type { ServiceName, WireProtocol } from './serviceRegistry.js';
