/**
 * awsQuery form bodies (`Action=ModifyRule&Version=...&Actions.member.1.Type=forward`) into SDK-shaped input.
 * Keys are split on dots into a tree, which is then read shape by shape.
 */
import type { DecodeContext } from './decodeJson.js';
import { joinPath, setEntry } from './decodeJson.js';
import { MalformedRequestError } from './errors.js';
import type { ListShape, MapShape, ShapeRef, StructureShape } from './models.js';
import { wireName } from './models.js';
import { scalarFromText } from './scalars.js';

/** One dotted key segment of the form body, e.g. `Actions` → `member` → `1` → `Type`. */
export interface ParamNode {
  value: string | undefined;
  readonly children: Map<string, ParamNode>;
}

export interface QueryEnvelope {
  readonly action: string | undefined;
  readonly version: string | undefined;
  /** Every parameter except Action and Version. */
  readonly params: ParamNode;
}

const ENVELOPE_KEYS = new Set(['Action', 'Version']);

export function readQueryEnvelope(params: URLSearchParams): QueryEnvelope {
  const root = newNode();
  for (const [key, value] of params) {
    if (!ENVELOPE_KEYS.has(key)) insert(root, key.split('.'), value);
  }
  return { action: params.get('Action') ?? undefined, version: params.get('Version') ?? undefined, params: root };
}

export function decodeQueryInput(ctx: DecodeContext, shape: StructureShape, params: ParamNode): Record<string, unknown> {
  return decodeStructure(ctx, shape, params, '');
}

function decodeStructure(ctx: DecodeContext, shape: StructureShape, node: ParamNode, path: string): Record<string, unknown> {
  const byWireName = new Map<string, readonly [string, ShapeRef]>();
  for (const [name, ref] of Object.entries(shape.members)) byWireName.set(wireName(name, ref), [name, ref]);
  const decoded: Record<string, unknown> = {};
  for (const [segment, child] of node.children) {
    const member = byWireName.get(segment);
    if (member) decoded[member[0]] = decodeValue(ctx, member[1], child, joinPath(path, member[0]));
    else ctx.unknownMembers.push(joinPath(path, segment));
  }
  return decoded;
}

function decodeValue(ctx: DecodeContext, ref: ShapeRef, node: ParamNode, path: string): unknown {
  const shape = ctx.model.target(ref);
  switch (shape.type) {
    case 'structure':
      return decodeStructure(ctx, shape, node, path);
    case 'list':
      return decodeList(ctx, ref, shape, node, path);
    case 'map':
      return decodeMap(ctx, ref, shape, node, path);
    default:
      if (node.value === undefined) throw new MalformedRequestError(`Expected a value for '${path}'`);
      return scalarFromText(shape, node.value, path);
  }
}

// `Names.member.1=a`; flattened lists drop the `member` level. `Names=` (no items) is an empty list.
function decodeList(ctx: DecodeContext, ref: ShapeRef, shape: ListShape, node: ParamNode, path: string): unknown[] {
  const flattened = ref.flattened === true || shape.flattened === true;
  const itemsNode = flattened ? node : node.children.get(shape.member.locationName ?? 'member');
  if (!flattened) reportUnexpectedChildren(ctx, node, shape.member.locationName ?? 'member', path);
  if (!itemsNode) return [];
  return indexedChildren(ctx, itemsNode, path).map((item, index) => decodeValue(ctx, shape.member, item, `${path}[${index}]`));
}

// `Tags.entry.1.key=k&Tags.entry.1.value=v`; flattened maps drop the `entry` level.
function decodeMap(ctx: DecodeContext, ref: ShapeRef, shape: MapShape, node: ParamNode, path: string): Record<string, unknown> {
  const flattened = ref.flattened === true || shape.flattened === true;
  const entriesNode = flattened ? node : node.children.get('entry');
  if (!flattened) reportUnexpectedChildren(ctx, node, 'entry', path);
  const decoded: Record<string, unknown> = {};
  if (!entriesNode) return decoded;
  for (const entry of indexedChildren(ctx, entriesNode, path)) {
    const key = entry.children.get(shape.key.locationName ?? 'key')?.value;
    const valueNode = entry.children.get(shape.value.locationName ?? 'value');
    if (key === undefined || !valueNode) throw new MalformedRequestError(`Map entry without key or value at '${path}'`);
    setEntry(decoded, key, decodeValue(ctx, shape.value, valueNode, joinPath(path, key)));
  }
  return decoded;
}

/** Children named 1, 2, 3, ... in numeric order; anything else is reported as unknown. */
function indexedChildren(ctx: DecodeContext, node: ParamNode, path: string): ParamNode[] {
  const indexed: Array<readonly [number, ParamNode]> = [];
  for (const [segment, child] of node.children) {
    if (/^[1-9]\d*$/.test(segment)) indexed.push([Number(segment), child]);
    else ctx.unknownMembers.push(joinPath(path, segment));
  }
  return indexed.sort((a, b) => a[0] - b[0]).map(([, child]) => child);
}

function reportUnexpectedChildren(ctx: DecodeContext, node: ParamNode, expected: string, path: string): void {
  for (const segment of node.children.keys()) {
    if (segment !== expected) ctx.unknownMembers.push(joinPath(path, segment));
  }
}

function insert(root: ParamNode, segments: readonly string[], value: string): void {
  let node = root;
  for (const segment of segments) {
    let child = node.children.get(segment);
    if (!child) {
      child = newNode();
      node.children.set(segment, child);
    }
    node = child;
  }
  node.value = value;
}

function newNode(): ParamNode {
  return { value: undefined, children: new Map() };
}
