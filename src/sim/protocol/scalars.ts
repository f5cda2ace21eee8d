/**
 * Scalar values between their wire forms (text in query/XML/headers, JSON values) and the JS types the SDK
 * uses: number, boolean, Date, Uint8Array, string.
 */
import { MalformedRequestError } from './errors.js';
import type { ScalarShape, ScalarType, TimestampFormat } from './models.js';

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

const INTEGER_TYPES: ReadonlySet<ScalarType> = new Set(['integer', 'long', 'short', 'byte', 'biginteger']);
const FLOAT_TYPES: ReadonlySet<ScalarType> = new Set(['float', 'double', 'bigdecimal']);
const NON_FINITE: Readonly<Record<string, number>> = { NaN: Number.NaN, Infinity: Infinity, '-Infinity': -Infinity };

export function isIntegerType(type: ScalarType): boolean {
  return INTEGER_TYPES.has(type);
}

export function isNumericType(type: ScalarType): boolean {
  return INTEGER_TYPES.has(type) || FLOAT_TYPES.has(type);
}

/** Text from a query parameter, XML element, header, URI label or query string. */
export function scalarFromText(shape: ScalarShape, text: string, path: string): unknown {
  if (INTEGER_TYPES.has(shape.type)) return integerFromText(text, path);
  if (FLOAT_TYPES.has(shape.type)) return floatFromText(text, path);
  switch (shape.type) {
    case 'boolean':
      return booleanFromText(text, path);
    case 'timestamp':
      return timestampFromText(text, path);
    case 'blob':
      return base64ToBytes(text);
    default:
      return text;
  }
}

export function scalarFromJson(shape: ScalarShape, value: unknown, path: string): unknown {
  if (isNumericType(shape.type)) return numberFromJson(shape.type, value, path);
  switch (shape.type) {
    case 'boolean':
      if (typeof value !== 'boolean') throw mismatch(path, value, 'Boolean');
      return value;
    case 'timestamp':
      if (typeof value === 'number') return new Date(value * 1000);
      if (typeof value === 'string') return timestampFromText(value, path);
      throw mismatch(path, value, 'Date');
    case 'blob':
      if (typeof value !== 'string') throw mismatch(path, value, 'ByteBuffer');
      return base64ToBytes(value);
    default:
      if (typeof value !== 'string') throw mismatch(path, value, 'String');
      return value;
  }
}

/** Text for XML bodies, query strings and headers. */
export function scalarToText(shape: ScalarShape, value: unknown, timestampFormat: TimestampFormat): string {
  switch (shape.type) {
    case 'timestamp':
      return timestampToText(toDate(value), timestampFormat);
    case 'blob':
      return bytesToBase64(toBytes(value));
    case 'boolean':
      return String(Boolean(value));
    default:
      return isNumericType(shape.type) ? numberToText(value) : String(value);
  }
}

export function scalarToJson(shape: ScalarShape, value: unknown): JsonValue {
  switch (shape.type) {
    case 'timestamp': {
      const date = toDate(value);
      return shape.timestampFormat === 'iso8601' ? date.toISOString() : date.getTime() / 1000;
    }
    case 'blob':
      return bytesToBase64(toBytes(value));
    case 'boolean':
      return Boolean(value);
    case 'string':
      return String(value);
    default: {
      const number = Number(value);
      // JSON has no NaN or Infinity; AWS (and the SDK's parser) use these strings instead.
      return Number.isFinite(number) ? number : numberToText(number);
    }
  }
}

export function timestampToText(date: Date, format: TimestampFormat): string {
  if (format === 'rfc822') return date.toUTCString();
  if (format === 'unixTimestamp') return String(date.getTime() / 1000);
  return date.toISOString();
}

/** Output values from the world: a Date, epoch seconds, or a date string. */
export function toDate(value: unknown): Date {
  const date = value instanceof Date ? value : typeof value === 'number' ? new Date(value * 1000) : new Date(String(value));
  if (Number.isNaN(date.getTime())) throw new Error(`sim protocol: ${String(value)} is not a timestamp`);
  return date;
}

function toBytes(value: unknown): Uint8Array {
  if (value instanceof Uint8Array) return value;
  return new TextEncoder().encode(String(value));
}

function numberToText(value: unknown): string {
  const number = Number(value);
  if (Number.isNaN(number)) return 'NaN';
  return String(number);
}

function integerFromText(text: string, path: string): number {
  const number = Number(text);
  if (text.trim() === '' || !Number.isInteger(number)) throw mismatch(path, text, 'Integer');
  return number;
}

function floatFromText(text: string, path: string): number {
  const special = NON_FINITE[text];
  if (special !== undefined) return special;
  const number = Number(text);
  if (text.trim() === '' || Number.isNaN(number)) throw mismatch(path, text, 'Double');
  return number;
}

function numberFromJson(type: ScalarType, value: unknown, path: string): number {
  if (typeof value === 'string' && FLOAT_TYPES.has(type) && NON_FINITE[value] !== undefined) return NON_FINITE[value];
  if (typeof value !== 'number') throw mismatch(path, value, INTEGER_TYPES.has(type) ? 'Integer' : 'Double');
  if (INTEGER_TYPES.has(type) && !Number.isInteger(value)) throw mismatch(path, value, 'Integer');
  return value;
}

function booleanFromText(text: string, path: string): boolean {
  const lower = text.toLowerCase();
  if (lower !== 'true' && lower !== 'false') throw mismatch(path, text, 'Boolean');
  return lower === 'true';
}

function timestampFromText(text: string, path: string): Date {
  // Epoch seconds (JSON, `unixTimestamp`), else ISO 8601 or RFC 7231 (Date.parse reads both).
  const date = /^-?\d+(\.\d+)?$/.test(text) ? new Date(Number(text) * 1000) : new Date(text);
  if (Number.isNaN(date.getTime())) throw mismatch(path, text, 'Date');
  return date;
}

function base64ToBytes(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, 'base64'));
}

function bytesToBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

// AWS's wording for a value of the wrong type varies by service; this names the value, path and type.
function mismatch(path: string, value: unknown, javaType: string): MalformedRequestError {
  const shown = typeof value === 'string' ? `'${value}'` : JSON.stringify(value);
  return new MalformedRequestError(`Value ${shown} at '${path}' cannot be converted to ${javaType}`);
}
