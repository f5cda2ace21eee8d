/**
 * Resolves a SimServiceError against the service model: which exception shape it is (matched by shape
 * name, e.g. `ListenerNotFoundException`, or by awsQuery code, e.g. `ListenerNotFound`), which code each
 * protocol puts on the wire, its HTTP status and whether the sender or the service is at fault.
 */
import type { FaultType, SimServiceError } from './errors.js';
import type { ServiceModel, StructureShape } from './models.js';

export interface ResolvedError {
  /** The modeled exception, when the code names one of this service's exceptions. */
  readonly shapeName?: string;
  readonly shape?: StructureShape;
  /** awsQuery `<Code>` and `x-amzn-query-error` code: the shape's `error.code` (`ListenerNotFound`), else the name. */
  readonly queryCode: string;
  /** JSON `__type` and `X-Amzn-ErrorType`: the exception shape's name, else the code as given. */
  readonly typeName: string;
  readonly httpStatus: number;
  readonly type: FaultType;
}

export function resolveError(model: ServiceModel, error: SimServiceError): ResolvedError {
  const modeled = findErrorShape(model, error.code);
  const shape = modeled?.[1];
  const type = error.type ?? faultFromModel(shape) ?? (error.httpStatus !== undefined && error.httpStatus >= 500 ? 'Receiver' : 'Sender');
  const httpStatus = error.httpStatus ?? shape?.error?.httpStatusCode ?? (type === 'Receiver' ? 500 : 400);
  if (!modeled) return { queryCode: error.code, typeName: error.code, httpStatus, type };
  const [shapeName] = modeled;
  return { shapeName, shape: modeled[1], queryCode: modeled[1].error?.code ?? shapeName, typeName: shapeName, httpStatus, type };
}

function findErrorShape(model: ServiceModel, code: string): readonly [string, StructureShape] | undefined {
  const shapes = model.errorShapes();
  return shapes.find(([name]) => name === code) ?? shapes.find(([, shape]) => shape.error?.code === code);
}

function faultFromModel(shape: StructureShape | undefined): FaultType | undefined {
  if (!shape) return undefined;
  if (shape.error?.senderFault === true) return 'Sender';
  if (shape.fault === true) return 'Receiver';
  const status = shape.error?.httpStatusCode;
  return status === undefined ? undefined : status >= 500 ? 'Receiver' : 'Sender';
}
