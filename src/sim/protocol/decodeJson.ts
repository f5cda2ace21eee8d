/** JSON request bodies (awsJson 1.0/1.1 and the body of restJson1) into SDK-shaped input. */
import { MalformedRequestError } from './errors.js';
import type { ServiceModel, Shape, ShapeRef, StructureShape } from './models.js';
import { scalarFromJson } from './scalars.js';

export interface DecodeContext {
  readonly model: ServiceModel;
  /** Paths of members the model does not know; they are dropped from the input. */
  readonly unknownMembers: string[];
}

export function parseJsonBody(text: string): unknown {
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new MalformedRequestError(`Request body is not valid JSON: ${(error as Error).message}`);
  }
}

/**
 * A structure from a JSON object. `isBodyMember` limits which members may appear (restJson: only those
 * without an HTTP binding); the others count as unknown.
 */
export function decodeJsonStructure(
  ctx: DecodeContext,
  shape: StructureShape,
  value: unknown,
  path: string,
  isBodyMember: (ref: ShapeRef) => boolean = () => true,
): Record<string, unknown> {
  if (!isPlainObject(value)) throw new MalformedRequestError(`Expected an object at '${path || '(root)'}'`);
  const byJsonKey = new Map<string, readonly [string, ShapeRef]>();
  for (const [name, ref] of Object.entries(shape.members)) {
    if (isBodyMember(ref)) byJsonKey.set(ref.locationName ?? name, [name, ref]);
  }
  const decoded: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    const member = byJsonKey.get(key);
    const childPath = joinPath(path, key);
    if (!member) {
      ctx.unknownMembers.push(childPath);
      continue;
    }
    if (child === null || child === undefined) continue;
    decoded[member[0]] = decodeJsonValue(ctx, member[1], child, childPath);
  }
  return decoded;
}

export function decodeJsonValue(ctx: DecodeContext, ref: ShapeRef, value: unknown, path: string): unknown {
  const shape: Shape = ctx.model.target(ref);
  if (shape.document) return value;
  switch (shape.type) {
    case 'structure':
      return decodeJsonStructure(ctx, shape, value, path);
    case 'list': {
      if (!Array.isArray(value)) throw new MalformedRequestError(`Expected a list at '${path}'`);
      const items = value.filter((item) => item !== null && item !== undefined);
      return items.map((item, index) => decodeJsonValue(ctx, shape.member, item, `${path}[${index}]`));
    }
    case 'map': {
      if (!isPlainObject(value)) throw new MalformedRequestError(`Expected a map at '${path}'`);
      const decoded: Record<string, unknown> = {};
      for (const [key, child] of Object.entries(value)) {
        if (child !== null && child !== undefined) setEntry(decoded, key, decodeJsonValue(ctx, shape.value, child, joinPath(path, key)));
      }
      return decoded;
    }
    default:
      return scalarFromJson(shape, value, path);
  }
}

/** Map keys come from the client; `__proto__` must become a plain entry, not a prototype change. */
export function setEntry(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

export function joinPath(parent: string, key: string): string {
  return parent === '' ? key : `${parent}.${key}`;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array) && !(value instanceof Date);
}
