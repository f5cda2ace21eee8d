/** restXml request bodies (Route 53) into SDK-shaped input. */
import { XMLParser } from 'fast-xml-parser';
import type { DecodeContext } from './decodeJson.js';
import { isPlainObject, joinPath, setEntry } from './decodeJson.js';
import { MalformedRequestError } from './errors.js';
import type { ListShape, MapShape, ShapeRef, StructureShape } from './models.js';
import { wireName } from './models.js';
import { scalarFromText } from './scalars.js';

const TEXT_NODE = '#text';

// Values stay strings (the shape decides their type) and whitespace is kept, because it can be data.
const parser = new XMLParser({
  ignoreAttributes: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  parseTagValue: false,
  trimValues: false,
  processEntities: true,
  htmlEntities: false,
});

export interface XmlDocument {
  readonly rootName: string;
  readonly root: unknown;
}

export function parseXmlDocument(text: string): XmlDocument {
  let parsed: unknown;
  try {
    parsed = parser.parse(text, true);
  } catch (error) {
    throw new MalformedRequestError(`Invalid XML: ${(error as Error).message}`);
  }
  const roots = isPlainObject(parsed) ? Object.entries(parsed).filter(([name]) => name !== TEXT_NODE) : [];
  const first = roots[0];
  if (roots.length !== 1 || !first) throw new MalformedRequestError('Invalid XML: expected exactly one root element');
  return { rootName: first[0], root: first[1] };
}

export function decodeXmlStructure(
  ctx: DecodeContext,
  shape: StructureShape,
  element: unknown,
  path: string,
  isBodyMember: (ref: ShapeRef) => boolean = () => true,
): Record<string, unknown> {
  const decoded: Record<string, unknown> = {};
  if (typeof element === 'string') return decoded; // <Empty/> or whitespace only
  if (!isPlainObject(element)) throw new MalformedRequestError(`Expected an element at '${path || '(root)'}'`);
  const byWireName = new Map<string, readonly [string, ShapeRef]>();
  for (const [name, ref] of Object.entries(shape.members)) {
    if (isBodyMember(ref)) byWireName.set(wireName(name, ref), [name, ref]);
  }
  for (const [tag, child] of Object.entries(element)) {
    if (tag === TEXT_NODE) continue;
    const member = byWireName.get(tag);
    if (member) decoded[member[0]] = decodeXmlValue(ctx, member[1], child, joinPath(path, member[0]));
    else ctx.unknownMembers.push(joinPath(path, tag));
  }
  return decoded;
}

function decodeXmlValue(ctx: DecodeContext, ref: ShapeRef, element: unknown, path: string): unknown {
  const shape = ctx.model.target(ref);
  switch (shape.type) {
    case 'structure':
      return decodeXmlStructure(ctx, shape, single(element, path), path);
    case 'list':
      return decodeList(ctx, ref, shape, element, path);
    case 'map':
      return decodeMap(ctx, shape, single(element, path), path);
    default: {
      const text = single(element, path);
      if (typeof text !== 'string') throw new MalformedRequestError(`Expected text at '${path}'`);
      return scalarFromText(shape, text, path);
    }
  }
}

// <Items><Item>a</Item><Item>b</Item></Items>; a flattened list repeats the member element itself.
function decodeList(ctx: DecodeContext, ref: ShapeRef, shape: ListShape, element: unknown, path: string): unknown[] {
  const flattened = ref.flattened === true || shape.flattened === true;
  let items: unknown[];
  if (flattened) {
    items = asArray(element);
  } else {
    const wrapper = single(element, path);
    const itemTag = shape.member.locationName ?? 'member';
    items = isPlainObject(wrapper) ? asArray(wrapper[itemTag]) : [];
    if (isPlainObject(wrapper)) reportOtherTags(ctx, wrapper, itemTag, path);
  }
  return items.map((item, index) => decodeXmlValue(ctx, shape.member, item, `${path}[${index}]`));
}

function decodeMap(ctx: DecodeContext, shape: MapShape, element: unknown, path: string): Record<string, unknown> {
  const decoded: Record<string, unknown> = {};
  if (!isPlainObject(element)) return decoded;
  reportOtherTags(ctx, element, 'entry', path);
  for (const entry of asArray(element['entry'])) {
    const key = isPlainObject(entry) ? entry[shape.key.locationName ?? 'key'] : undefined;
    const value = isPlainObject(entry) ? entry[shape.value.locationName ?? 'value'] : undefined;
    if (typeof key !== 'string' || value === undefined) throw new MalformedRequestError(`Map entry without key or value at '${path}'`);
    setEntry(decoded, key, decodeXmlValue(ctx, shape.value, value, joinPath(path, key)));
  }
  return decoded;
}

function reportOtherTags(ctx: DecodeContext, element: Record<string, unknown>, expected: string, path: string): void {
  for (const tag of Object.keys(element)) {
    if (tag !== expected && tag !== TEXT_NODE) ctx.unknownMembers.push(joinPath(path, tag));
  }
}

function single(element: unknown, path: string): unknown {
  if (Array.isArray(element)) throw new MalformedRequestError(`Element '${path}' appears more than once`);
  return element;
}

function asArray(value: unknown): unknown[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}
