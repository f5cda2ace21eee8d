/**
 * Lazy access to the vendored botocore models (src/sim/models). A service's JSON is read and parsed the
 * first time something asks for it, so nothing is loaded at CLI start-up.
 */
import { readModelText } from './modelSource.js';
import type { ServiceName } from './serviceRegistry.js';

export type HttpLocation = 'uri' | 'querystring' | 'header' | 'headers' | 'statusCode';

/** A reference to a shape from a member, list item, map key/value, operation input or output. */
export interface ShapeRef {
  readonly shape: string;
  readonly location?: HttpLocation;
  readonly locationName?: string;
  readonly flattened?: boolean;
  readonly idempotencyToken?: boolean;
  readonly jsonvalue?: boolean;
  readonly timestampFormat?: TimestampFormat;
  readonly xmlAttribute?: boolean;
  readonly xmlNamespace?: { readonly uri: string; readonly prefix?: string };
}

export type TimestampFormat = 'iso8601' | 'rfc822' | 'unixTimestamp';

interface ShapeTraits {
  readonly min?: number;
  readonly max?: number;
  readonly pattern?: string;
  readonly enum?: readonly string[];
  readonly flattened?: boolean;
  readonly locationName?: string;
  readonly timestampFormat?: TimestampFormat;
  readonly document?: boolean;
  readonly exception?: boolean;
  readonly fault?: boolean;
  readonly error?: { readonly code?: string; readonly httpStatusCode?: number; readonly senderFault?: boolean };
}

export interface StructureShape extends ShapeTraits {
  readonly type: 'structure';
  readonly members: Readonly<Record<string, ShapeRef>>;
  readonly required?: readonly string[];
  readonly payload?: string;
  readonly union?: boolean;
  /** Member order in XML documents, where it differs from declaration order. */
  readonly xmlOrder?: readonly string[];
}

export interface ListShape extends ShapeTraits {
  readonly type: 'list';
  readonly member: ShapeRef;
}

export interface MapShape extends ShapeTraits {
  readonly type: 'map';
  readonly key: ShapeRef;
  readonly value: ShapeRef;
}

export type ScalarType =
  | 'string'
  | 'integer'
  | 'long'
  | 'short'
  | 'byte'
  | 'float'
  | 'double'
  | 'bigdecimal'
  | 'biginteger'
  | 'boolean'
  | 'timestamp'
  | 'blob';

export interface ScalarShape extends ShapeTraits {
  readonly type: ScalarType;
}

export type Shape = StructureShape | ListShape | MapShape | ScalarShape;

export interface OperationModel {
  readonly name: string;
  readonly http: { readonly method: string; readonly requestUri: string; readonly responseCode?: number };
  readonly input?: ShapeRef;
  readonly output?: ShapeRef & { readonly resultWrapper?: string };
  readonly errors?: readonly ShapeRef[];
}

export interface ServiceMetadata {
  readonly apiVersion: string;
  readonly endpointPrefix: string;
  readonly protocol: string;
  readonly protocols?: readonly string[];
  readonly jsonVersion?: string;
  readonly targetPrefix?: string;
  readonly xmlNamespace?: string;
  readonly serviceId: string;
  readonly awsQueryCompatible?: object;
}

interface ServiceModelJson {
  readonly metadata: ServiceMetadata;
  readonly operations: Readonly<Record<string, OperationModel>>;
  readonly shapes: Readonly<Record<string, Shape>>;
}

/** One service's model with typed look-ups. */
export class ServiceModel {
  private exceptions: ReadonlyArray<readonly [string, StructureShape]> | undefined;

  constructor(
    readonly service: ServiceName,
    private readonly json: ServiceModelJson,
  ) {}

  get metadata(): ServiceMetadata {
    return this.json.metadata;
  }

  operation(name: string): OperationModel | undefined {
    return Object.hasOwn(this.json.operations, name) ? this.json.operations[name] : undefined;
  }

  operations(): readonly OperationModel[] {
    return Object.values(this.json.operations);
  }

  /** The shape a reference points at; a dangling reference is a broken model, so it throws. */
  shape(name: string): Shape {
    const found = Object.hasOwn(this.json.shapes, name) ? this.json.shapes[name] : undefined;
    if (!found) throw new Error(`sim protocol: ${this.service} model has no shape ${name}`);
    return found;
  }

  target(ref: ShapeRef): Shape {
    return this.shape(ref.shape);
  }

  structure(ref: ShapeRef): StructureShape {
    const shape = this.target(ref);
    if (shape.type !== 'structure') throw new Error(`sim protocol: ${this.service} shape ${ref.shape} is not a structure`);
    return shape;
  }

  /** Exception shapes with their names (collected once per model). */
  errorShapes(): ReadonlyArray<readonly [string, StructureShape]> {
    if (!this.exceptions) {
      this.exceptions = Object.entries(this.json.shapes).filter(
        (entry): entry is [string, StructureShape] => entry[1].type === 'structure' && entry[1].exception === true,
      );
    }
    return this.exceptions;
  }
}

const loaded = new Map<ServiceName, ServiceModel>();

export function loadModel(service: ServiceName): ServiceModel {
  const cached = loaded.get(service);
  if (cached) return cached;
  const model = new ServiceModel(service, readModelJson(service));
  loaded.set(service, model);
  return model;
}

/** Which services have been loaded so far (lets tests prove the loading is lazy). */
export function loadedModels(): readonly ServiceName[] {
  return [...loaded.keys()];
}

/**
 * Where the JS SDK's Smithy model types a shape differently from botocore. Botocore keeps Route 53's page
 * sizes as strings for backwards compatibility; the JS SDK sends and returns them as numbers, and the
 * decoded input must look like the SDK command input. (Found by walking every operation's input and output
 * in both models; these are the only scalar type differences across the seven services.)
 */
const SDK_SHAPE_TYPES: Readonly<Partial<Record<ServiceName, Readonly<Record<string, ScalarType>>>>> = {
  route53: { PageMaxItems: 'integer', MaxResults: 'integer' },
};

function readModelJson(service: ServiceName): ServiceModelJson {
  const text = readModelText(service);
  const parsed: unknown = JSON.parse(text);
  if (!isModelJson(parsed)) throw new Error(`sim protocol: src/sim/models/${service}.json is not a botocore service model`);
  return withSdkShapeTypes(service, parsed);
}

function withSdkShapeTypes(service: ServiceName, model: ServiceModelJson): ServiceModelJson {
  const overrides = SDK_SHAPE_TYPES[service] ?? {};
  const shapes: Record<string, Shape> = { ...model.shapes };
  for (const [name, type] of Object.entries(overrides)) {
    const shape = shapes[name];
    if (shape) shapes[name] = { ...shape, type } as ScalarShape;
  }
  return { ...model, shapes };
}

// The files are generated by scripts/vendorModels.mjs from botocore, so checking the outline is enough.
function isModelJson(value: unknown): value is ServiceModelJson {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return isObject(record['metadata']) && isObject(record['operations']) && isObject(record['shapes']);
}

function isObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Name of a member on the wire in XML and query bodies (`locationName` overrides the member name). */
export function wireName(memberName: string, ref: ShapeRef): string {
  return ref.locationName ?? memberName;
}
