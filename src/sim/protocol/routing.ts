/** Finds the REST operation (Lambda, Route 53) whose `http.requestUri` template matches a request. */
import type { QueryParameterBag } from '@smithy/types';
import type { OperationModel, ServiceModel } from './models.js';

type Segment = { readonly literal: string } | { readonly label: string; readonly greedy: boolean };

interface CompiledRoute {
  readonly operation: OperationModel;
  readonly method: string;
  readonly segments: readonly Segment[];
  /** `?find=LayerVersion` style literals in the template, which the request must carry too. */
  readonly staticQuery: ReadonlyArray<readonly [string, string | undefined]>;
  readonly literalCount: number;
}

export interface RouteMatch {
  readonly operation: OperationModel;
  /** URI label values, percent-decoded, by label name. */
  readonly labels: Readonly<Record<string, string>>;
}

const compiledRoutes = new WeakMap<ServiceModel, readonly CompiledRoute[]>();

export function matchRoute(model: ServiceModel, method: string, path: string, query: QueryParameterBag): RouteMatch | undefined {
  const requestSegments = splitPath(path);
  let best: { route: CompiledRoute; labels: Record<string, string> } | undefined;
  for (const route of routesOf(model)) {
    if (route.method !== method.toUpperCase() || !hasStaticQuery(route, query)) continue;
    const labels = matchSegments(route.segments, requestSegments);
    if (labels && (!best || route.literalCount > best.route.literalCount)) best = { route, labels };
  }
  return best && { operation: best.route.operation, labels: best.labels };
}

function routesOf(model: ServiceModel): readonly CompiledRoute[] {
  let routes = compiledRoutes.get(model);
  if (!routes) {
    routes = model.operations().map(compileRoute);
    compiledRoutes.set(model, routes);
  }
  return routes;
}

function compileRoute(operation: OperationModel): CompiledRoute {
  const [pathPart = '', queryPart = ''] = operation.http.requestUri.split('?');
  const segments: Segment[] = splitPath(pathPart).map((segment) => {
    const label = /^\{([^}]+?)(\+?)\}$/.exec(segment);
    return label?.[1] ? { label: label[1], greedy: label[2] === '+' } : { literal: segment };
  });
  const staticQuery = queryPart
    .split('&')
    .filter((pair) => pair !== '')
    .map((pair): readonly [string, string | undefined] => {
      const [key = '', value] = pair.split('=');
      return [key, value];
    });
  return {
    operation,
    method: operation.http.method.toUpperCase(),
    segments,
    staticQuery,
    literalCount: segments.filter((s) => 'literal' in s).length,
  };
}

function hasStaticQuery(route: CompiledRoute, query: QueryParameterBag): boolean {
  return route.staticQuery.every(([key, value]) => {
    if (!Object.hasOwn(query, key)) return false;
    const actual = query[key];
    return value === undefined || actual === value || (Array.isArray(actual) && actual.includes(value));
  });
}

// Leading and trailing slashes do not matter: the SDK sends `/hostedzone/Z1/rrset` for `.../rrset/`.
function splitPath(path: string): string[] {
  const withoutQuery = path.split('?')[0] ?? '';
  return withoutQuery.split('/').filter((segment, index, all) => segment !== '' || (index > 0 && index < all.length - 1));
}

function matchSegments(template: readonly Segment[], request: readonly string[]): Record<string, string> | undefined {
  const labels: Record<string, string> = {};
  let position = 0;
  for (let index = 0; index < template.length; index++) {
    const segment = template[index];
    if (!segment) return undefined;
    if ('literal' in segment) {
      if (request[position] !== segment.literal) return undefined;
      position++;
      continue;
    }
    // A greedy label takes every segment the rest of the template does not need.
    const take = segment.greedy ? request.length - position - (template.length - index - 1) : 1;
    const raw = request.slice(position, position + take);
    if (take < 1 || raw.length !== take || raw.some((part) => part === '')) return undefined;
    const decoded = decodeSegments(raw);
    if (decoded === undefined) return undefined;
    labels[segment.label] = decoded;
    position += take;
  }
  return position === request.length ? labels : undefined;
}

function decodeSegments(raw: readonly string[]): string | undefined {
  try {
    return raw.map((part) => decodeURIComponent(part)).join('/');
  } catch {
    return undefined;
  }
}
