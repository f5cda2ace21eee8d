/** Reading SDK requests and building responses, with no streams and no timers. */
import { gunzipSync } from 'node:zlib';
import type { HttpRequest, HttpResponse } from '@smithy/types';
import { MalformedRequestError } from './errors.js';

const utf8Decoder = new TextDecoder();
const utf8Encoder = new TextEncoder();

/**
 * The request body as bytes. The SDK hands over strings or Uint8Arrays (its JSON codec passes a
 * Uint8Array subclass that warns when used as a string, so it is only ever read as bytes here), and
 * gzips large CloudWatch PutMetricData bodies.
 */
export function requestBodyBytes(request: HttpRequest): Uint8Array {
  const body: unknown = request.body;
  let bytes: Uint8Array;
  if (body === undefined || body === null) bytes = new Uint8Array();
  else if (typeof body === 'string') bytes = utf8Encoder.encode(body);
  else if (body instanceof Uint8Array) bytes = body;
  else throw new MalformedRequestError('sim protocol: streaming request bodies are not supported');
  const encoding = headerValue(request.headers, 'content-encoding') ?? '';
  return encoding.toLowerCase().includes('gzip') && bytes.byteLength > 0 ? new Uint8Array(gunzipSync(bytes)) : bytes;
}

export function bodyText(bytes: Uint8Array): string {
  return utf8Decoder.decode(bytes);
}

export function headerValue(headers: Readonly<Record<string, string>>, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === wanted) return value;
  }
  return undefined;
}

export function lowerCaseHeaders(headers: Readonly<Record<string, string>>): Record<string, string> {
  const lowered: Record<string, string> = {};
  for (const [key, value] of Object.entries(headers)) lowered[key.toLowerCase()] = value;
  return lowered;
}

/**
 * A response as Node's HTTP handler hands it to the SDK: lower-case header names (the SDK reads
 * `x-amzn-requestid` before normalising case on some paths) and a Uint8Array body. No `date` header,
 * on purpose: the SDK would use it to correct clock skew, which fights a simulated clock.
 */
export function buildResponse(statusCode: number, headers: Readonly<Record<string, string>>, body: string | Uint8Array): HttpResponse {
  const bytes = typeof body === 'string' ? utf8Encoder.encode(body) : body;
  const lowered = lowerCaseHeaders(headers);
  lowered['content-length'] = String(bytes.byteLength);
  return { statusCode, headers: lowered, body: bytes };
}

export interface SdkRetryHeaders {
  readonly attempt?: number;
  readonly maxAttempts?: number;
  readonly invocationId?: string;
}

/** `amz-sdk-request: attempt=2; max=3` and `amz-sdk-invocation-id`, sent by the SDK's retry middleware. */
export function readSdkRetryHeaders(headers: Readonly<Record<string, string>>): SdkRetryHeaders {
  const request = headerValue(headers, 'amz-sdk-request') ?? '';
  const attempt = /attempt=(\d+)/.exec(request)?.[1];
  const max = /max=(\d+)/.exec(request)?.[1];
  const invocationId = headerValue(headers, 'amz-sdk-invocation-id');
  return {
    ...(attempt === undefined ? {} : { attempt: Number(attempt) }),
    ...(max === undefined ? {} : { maxAttempts: Number(max) }),
    ...(invocationId === undefined ? {} : { invocationId }),
  };
}
