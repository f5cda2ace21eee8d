/**
 * SDK-shaped values into JSON documents (awsJson and restJson1 bodies): timestamps as epoch seconds,
 * blobs in base64, NaN/Infinity as strings, members in model order.
 */
import { isPlainObject, joinPath, setEntry } from './decodeJson.js';
import type { EncodeContext } from './encodeXml.js';
import { reportUnknownMembers } from './encodeXml.js';
import type { ShapeRef, StructureShape } from './models.js';
import type { JsonValue } from './scalars.js';
import { scalarToJson } from './scalars.js';

export function encodeJsonStructure(
  ctx: EncodeContext,
  shape: StructureShape,
  value: unknown,
  path: string,
  include: (ref: ShapeRef) => boolean = () => true,
): { [key: string]: JsonValue } {
  if (!isPlainObject(value)) throw new Error(`sim protocol: output at '${path || '(root)'}' must be an object`);
  reportUnknownMembers(ctx, shape, value, path);
  const encoded: { [key: string]: JsonValue } = {};
  for (const [name, ref] of Object.entries(shape.members)) {
    const member = value[name];
    if (member !== undefined && member !== null && include(ref)) {
      encoded[ref.locationName ?? name] = encodeJsonValue(ctx, ref, member, joinPath(path, name));
    }
  }
  return encoded;
}

export function encodeJsonValue(ctx: EncodeContext, ref: ShapeRef, value: unknown, path: string): JsonValue {
  const shape = ctx.model.target(ref);
  if (shape.document) return value as JsonValue;
  switch (shape.type) {
    case 'structure':
      return encodeJsonStructure(ctx, shape, value, path);
    case 'list': {
      if (!Array.isArray(value)) throw new Error(`sim protocol: output at '${path}' must be a list`);
      return value
        .filter((item) => item !== null && item !== undefined)
        .map((item, index) => encodeJsonValue(ctx, shape.member, item, `${path}[${index}]`));
    }
    case 'map': {
      if (!isPlainObject(value)) throw new Error(`sim protocol: output at '${path}' must be a map object`);
      const encoded: { [key: string]: JsonValue } = {};
      for (const [key, item] of Object.entries(value)) {
        if (item !== null && item !== undefined) setEntry(encoded, key, encodeJsonValue(ctx, shape.value, item, joinPath(path, key)));
      }
      return encoded;
    }
    default:
      return scalarToJson(shape, value);
  }
}
