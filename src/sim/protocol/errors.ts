/** Errors the simulated world throws from `dispatch`, and the wire layer's own decode failure. */

export type FaultType = 'Sender' | 'Receiver';

export interface SimServiceErrorOptions {
  /** Defaults to the model's `error.httpStatusCode` for a modeled error, else 400 (Sender) / 500 (Receiver). */
  readonly httpStatus?: number;
  /** Defaults to the model's fault classification, else Sender. */
  readonly type?: FaultType;
  /** Sent as a `Retry-After` header (Lambda maps it to `retryAfterSeconds`; the SDK uses it as a retry hint). */
  readonly retryAfterSeconds?: number;
  /** Modeled members of the error shape besides the message, e.g. Lambda `Reason` or `Type`. */
  readonly extra?: Readonly<Record<string, unknown>>;
}

/** An AWS error response: encoded in the service's protocol and parsed by the SDK into its exception class. */
export class SimServiceError extends Error {
  readonly code: string;
  readonly httpStatus: number | undefined;
  readonly type: FaultType | undefined;
  readonly retryAfterSeconds: number | undefined;
  readonly extra: Readonly<Record<string, unknown>>;

  constructor(code: string, message: string, options: SimServiceErrorOptions = {}) {
    super(message);
    this.name = 'SimServiceError';
    this.code = code;
    this.httpStatus = options.httpStatus;
    this.type = options.type;
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.extra = options.extra ?? {};
  }
}

export type TransportFailureKind = 'timeout' | 'reset' | 'refused';

/** No HTTP response at all: the handler rejects the way Node's HTTP handler would. */
export class SimTransportError extends Error {
  readonly kind: TransportFailureKind;

  constructor(kind: TransportFailureKind) {
    super(`simulated transport failure: ${kind}`);
    this.name = 'SimTransportError';
    this.kind = kind;
  }
}

/** The request cannot be read (bad JSON, XML or form body, or a value of the wrong type). Internal. */
export class MalformedRequestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MalformedRequestError';
  }
}
