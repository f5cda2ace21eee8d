/**
 * Checks decoded input against the model (required, enum, length, range, pattern), recursively, and words
 * each violation the way AWS does:
 *   Value '256' at 'changeBatch.changes.1.member.resourceRecordSet.weight' failed to satisfy constraint:
 *   Member must have value less than or equal to 255
 * Paths use lower-camel member names, and list items are `<list>.<1-based index>.member`.
 */
import { describeValue, scalarViolations, sizeViolations } from './constraints.js';
import { isPlainObject } from './decodeJson.js';
import type { ListShape, MapShape, ServiceModel, ShapeRef, StructureShape } from './models.js';
import { loadModel } from './models.js';
import { skippedPatterns } from './patterns.js';
import type { ServiceName } from './serviceRegistry.js';

export interface ValidationResult {
  readonly valid: boolean;
  /** One AWS-style sentence per violation. */
  readonly messages: readonly string[];
  /** Model patterns JS cannot express, which were therefore not checked (process-wide so far). */
  readonly skippedPatterns: readonly string[];
}

interface ValidationContext {
  readonly model: ServiceModel;
  readonly messages: string[];
}

export function validateInput(service: ServiceName, operation: string, input: Readonly<Record<string, unknown>>): ValidationResult {
  const model = loadModel(service);
  const op = model.operation(operation);
  if (!op) throw new Error(`sim protocol: ${service} has no operation ${operation}`);
  const ctx: ValidationContext = { model, messages: [] };
  if (op.input) validateStructure(ctx, model.structure(op.input), input, '');
  return { valid: ctx.messages.length === 0, messages: ctx.messages, skippedPatterns: skippedPatterns() };
}

function validateStructure(ctx: ValidationContext, shape: StructureShape, value: Readonly<Record<string, unknown>>, path: string): void {
  for (const name of shape.required ?? []) {
    if (value[name] === undefined || value[name] === null) report(ctx, memberPath(path, name), 'null', 'Member must not be null');
  }
  for (const [name, ref] of Object.entries(shape.members)) {
    const member = value[name];
    if (member !== undefined && member !== null) validateValue(ctx, ref, member, memberPath(path, name));
  }
  if (shape.union) {
    const set = Object.keys(shape.members).filter((name) => value[name] !== undefined && value[name] !== null);
    if (set.length !== 1) report(ctx, path, describeValue(value), 'Member must have exactly one member set');
  }
}

function validateValue(ctx: ValidationContext, ref: ShapeRef, value: unknown, path: string): void {
  const shape = ctx.model.target(ref);
  switch (shape.type) {
    case 'structure':
      if (isPlainObject(value)) validateStructure(ctx, shape, value, path);
      return;
    case 'list':
      if (Array.isArray(value)) validateList(ctx, shape, value, path);
      return;
    case 'map':
      if (isPlainObject(value)) validateMap(ctx, shape, value, path);
      return;
    default:
      for (const constraint of scalarViolations(shape, value)) report(ctx, path, quoted(describeValue(value, shape)), constraint);
  }
}

function validateList(ctx: ValidationContext, shape: ListShape, items: readonly unknown[], path: string): void {
  for (const constraint of sizeViolations(shape, items.length)) report(ctx, path, quoted(describeValue(items)), constraint);
  const itemShape = ctx.model.target(shape.member);
  if (itemShape.type === 'structure' || itemShape.type === 'list' || itemShape.type === 'map') {
    items.forEach((item, index) => validateValue(ctx, shape.member, item, `${path}.${index + 1}.member`));
    return;
  }
  // Scalar items are reported once, on the list: "Member must satisfy constraint: [...]".
  const itemViolations = unique(items.flatMap((item) => scalarViolations(itemShape, item)));
  if (itemViolations.length > 0) {
    report(ctx, path, quoted(describeValue(items)), `Member must satisfy constraint: [${itemViolations.join(', ')}]`);
  }
}

function validateMap(ctx: ValidationContext, shape: MapShape, entries: Readonly<Record<string, unknown>>, path: string): void {
  for (const constraint of sizeViolations(shape, Object.keys(entries).length)) report(ctx, path, quoted(describeValue(entries)), constraint);
  const keyShape = ctx.model.target(shape.key);
  if (keyShape.type !== 'structure' && keyShape.type !== 'list' && keyShape.type !== 'map') {
    const keyViolations = unique(Object.keys(entries).flatMap((key) => scalarViolations(keyShape, key)));
    if (keyViolations.length > 0) {
      report(ctx, path, quoted(describeValue(entries)), `Map keys must satisfy constraint: [${keyViolations.join(', ')}]`);
    }
  }
  const valueShape = ctx.model.target(shape.value);
  if (valueShape.type === 'structure' || valueShape.type === 'list' || valueShape.type === 'map') {
    for (const [key, item] of Object.entries(entries)) validateValue(ctx, shape.value, item, `${path}.${key}`);
    return;
  }
  const valueViolations = unique(Object.values(entries).flatMap((item) => scalarViolations(valueShape, item)));
  if (valueViolations.length > 0) {
    report(ctx, path, quoted(describeValue(entries)), `Map value must satisfy constraint: [${valueViolations.join(', ')}]`);
  }
}

function report(ctx: ValidationContext, path: string, shownValue: string, constraint: string): void {
  ctx.messages.push(`Value ${shownValue} at '${path}' failed to satisfy constraint: ${constraint}`);
}

/** AWS names members in lower camel case: `DefaultActions` → `defaultActions`, `KMSKeyArn` → `kMSKeyArn`. */
function memberPath(parent: string, member: string): string {
  const name = member.charAt(0).toLowerCase() + member.slice(1);
  return parent === '' ? name : `${parent}.${name}`;
}

function quoted(text: string): string {
  return `'${text}'`;
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}
