/**
 * Single-value model constraints (enum, length, range, pattern) and AWS's wording for them, as in
 * "Member must have value less than or equal to 255" (the Coral validation messages AWS services return).
 */
import type { ListShape, MapShape, ScalarShape } from './models.js';
import { compileModelPattern } from './patterns.js';
import { isNumericType } from './scalars.js';

/** The constraint texts a scalar value breaks, in the order AWS tends to list them. */
export function scalarViolations(shape: ScalarShape, value: unknown): string[] {
  if (typeof value === 'string') return stringViolations(shape, value);
  if (typeof value === 'number' && isNumericType(shape.type)) return rangeViolations(shape, value);
  if (value instanceof Uint8Array) return lengthViolations(shape, value.byteLength);
  return [];
}

/** Item count limits of lists and maps. */
export function sizeViolations(shape: ListShape | MapShape, size: number): string[] {
  return lengthViolations(shape, size);
}

function stringViolations(shape: ScalarShape, value: string): string[] {
  const found: string[] = [];
  if (shape.enum && !shape.enum.includes(value)) found.push(`Member must satisfy enum value set: [${shape.enum.join(', ')}]`);
  if (shape.pattern !== undefined && compileModelPattern(shape.pattern)?.test(value) === false) {
    found.push(`Member must satisfy regular expression pattern: ${shape.pattern}`);
  }
  // Smithy counts string length in Unicode code points.
  found.push(...lengthViolations(shape, [...value].length));
  return found;
}

function lengthViolations(shape: { readonly min?: number; readonly max?: number }, length: number): string[] {
  const found: string[] = [];
  if (shape.min !== undefined && length < shape.min) found.push(`Member must have length greater than or equal to ${shape.min}`);
  if (shape.max !== undefined && length > shape.max) found.push(`Member must have length less than or equal to ${shape.max}`);
  return found;
}

function rangeViolations(shape: ScalarShape, value: number): string[] {
  const found: string[] = [];
  const bound = (limit: number): string => formatNumber(shape, limit);
  if (shape.min !== undefined && !(value >= shape.min)) found.push(`Member must have value greater than or equal to ${bound(shape.min)}`);
  if (shape.max !== undefined && !(value <= shape.max)) found.push(`Member must have value less than or equal to ${bound(shape.max)}`);
  return found;
}

/** Numbers as Java prints them: doubles always carry a fraction ("1.0"), integers never do. */
export function formatNumber(shape: ScalarShape, value: number): string {
  const floating = shape.type === 'double' || shape.type === 'float' || shape.type === 'bigdecimal';
  return floating && Number.isInteger(value) ? value.toFixed(1) : String(value);
}

/** A value as it appears in "Value '...' at ...": lists as [a, b], maps and structures as {k=v}. */
export function describeValue(value: unknown, shape?: ScalarShape): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number') return shape ? formatNumber(shape, value) : String(value);
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Uint8Array) return `<${value.byteLength} bytes>`;
  if (Array.isArray(value)) return `[${value.map((item) => describeValue(item)).join(', ')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).map(([key, item]) => `${key}=${describeValue(item)}`);
    return `{${entries.join(', ')}}`;
  }
  return String(value);
}
