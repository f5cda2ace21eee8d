/**
 * SDK-shaped values into XML, member by member in model order, as awsQuery results, restXml bodies and
 * error details are written: lists as <Name><member>..</member></Name> (or the list member's
 * locationName), maps as <entry><key/><value/></entry>, timestamps in ISO 8601.
 */
import { isPlainObject, joinPath } from './decodeJson.js';
import type { ServiceModel, ShapeRef, StructureShape } from './models.js';
import { wireName } from './models.js';
import { scalarToText } from './scalars.js';

export interface EncodeContext {
  readonly model: ServiceModel;
  /** Output members the model does not know; they cannot be sent, so they are dropped. */
  readonly unknownMembers: string[];
}

const XML_ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };

/** Text content: only &, < and > need escaping (AWS leaves quotes alone). */
export function escapeXml(text: string): string {
  return text.replace(/[&<>]/g, (char) => XML_ENTITIES[char] ?? char);
}

function escapeAttribute(text: string): string {
  return text.replace(/[&<>"]/g, (char) => XML_ENTITIES[char] ?? char);
}

export function xmlElement(name: string, content: string, attributes: Readonly<Record<string, string>> = {}): string {
  const attributeText = Object.entries(attributes)
    .map(([key, value]) => ` ${key}="${escapeAttribute(value)}"`)
    .join('');
  return `<${name}${attributeText}>${content}</${name}>`;
}

/** `xmlns="..."` for a root element, or nothing when the service has no XML namespace. */
export function namespaceAttribute(uri: string | undefined): Record<string, string> {
  return uri === undefined ? {} : { xmlns: uri };
}

/** The child elements of a structure. `include` limits which members go in (restXml: body members only). */
export function encodeXmlMembers(
  ctx: EncodeContext,
  shape: StructureShape,
  value: unknown,
  path: string,
  include: (ref: ShapeRef) => boolean = () => true,
): string {
  if (!isPlainObject(value)) throw new Error(`sim protocol: output at '${path || '(root)'}' must be an object`);
  reportUnknownMembers(ctx, shape, value, path);
  let xml = '';
  for (const name of shape.xmlOrder ?? Object.keys(shape.members)) {
    const ref = shape.members[name];
    const member = value[name];
    if (!ref || member === undefined || member === null || !include(ref)) continue;
    xml += encodeXmlMember(ctx, wireName(name, ref), ref, member, joinPath(path, name));
  }
  return xml;
}

export function reportUnknownMembers(ctx: EncodeContext, shape: StructureShape, value: Readonly<Record<string, unknown>>, path: string): void {
  for (const key of Object.keys(value)) {
    if (!Object.hasOwn(shape.members, key)) ctx.unknownMembers.push(joinPath(path, key));
  }
}

function encodeXmlMember(ctx: EncodeContext, name: string, ref: ShapeRef, value: unknown, path: string): string {
  const shape = ctx.model.target(ref);
  switch (shape.type) {
    case 'structure':
      return xmlElement(name, encodeXmlMembers(ctx, shape, value, path));
    case 'list': {
      const items = expectArray(value, path).filter((item) => item !== null && item !== undefined);
      if (ref.flattened === true || shape.flattened === true) {
        return items.map((item, index) => encodeXmlMember(ctx, name, shape.member, item, `${path}[${index}]`)).join('');
      }
      const itemName = shape.member.locationName ?? 'member';
      return xmlElement(name, items.map((item, index) => encodeXmlMember(ctx, itemName, shape.member, item, `${path}[${index}]`)).join(''));
    }
    case 'map': {
      if (!isPlainObject(value)) throw new Error(`sim protocol: output at '${path}' must be a map object`);
      const entries = Object.entries(value)
        .filter(([, item]) => item !== null && item !== undefined)
        .map(([key, item]) => {
          const keyXml = xmlElement(shape.key.locationName ?? 'key', escapeXml(key));
          return keyXml + encodeXmlMember(ctx, shape.value.locationName ?? 'value', shape.value, item, joinPath(path, key));
        });
      if (ref.flattened === true || shape.flattened === true) return entries.map((entry) => xmlElement(name, entry)).join('');
      return xmlElement(name, entries.map((entry) => xmlElement('entry', entry)).join(''));
    }
    default: {
      const format = ref.timestampFormat ?? shape.timestampFormat ?? 'iso8601';
      return xmlElement(name, escapeXml(scalarToText(shape, value, format)));
    }
  }
}

function expectArray(value: unknown, path: string): unknown[] {
  if (!Array.isArray(value)) throw new Error(`sim protocol: output at '${path}' must be a list`);
  return value;
}
