import { SimServiceError, type SimServiceErrorOptions } from '../protocol/index.js';
import { hash32 } from '../random.js';
import type { ServiceContext } from '../types.js';

/** Throws an AWS error from an operation handler. */
export function fail(code: string, message: string, options: SimServiceErrorOptions = {}): never {
  throw new SimServiceError(code, message, options);
}

/** A hex id derived from a name, so seeded resources get the same ARN every time (docs and specs can quote it). */
export function stableId(kind: string, name: string, length = 16): string {
  let text = '';
  for (let i = 0; text.length < length; i++) text += hash32(`${kind}/${name}/${i}`).toString(16).padStart(8, '0');
  return text.slice(0, length);
}

export function arn(ctx: ServiceContext<unknown>, service: string, resource: string, options: { region?: boolean } = {}): string {
  const { region, accountId } = ctx.world.state;
  return `arn:aws:${service}:${options.region === false ? '' : region}:${accountId}:${resource}`;
}

/** Marker/NextToken pagination over a list: the token is the index of the next item. */
export function paginate<T>(items: readonly T[], token: unknown, pageSize: number | undefined, max = 400): { page: T[]; next?: string } {
  const start = typeof token === 'string' && /^\d+$/.test(token) ? Number(token) : 0;
  if (token !== undefined && (typeof token !== 'string' || !/^\d+$/.test(token) || start > items.length)) {
    fail('InvalidNextToken', 'The specified token is not valid.');
  }
  const size = Math.min(pageSize ?? max, max);
  const page = items.slice(start, start + size);
  const nextIndex = start + size;
  return nextIndex < items.length ? { page, next: String(nextIndex) } : { page };
}

/** Plain-object deep copy for values stored in or returned from state (outputs must not alias state). */
export function copy<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}

/** Milliseconds-since-epoch as a Date for SDK outputs (the encoder writes each protocol's timestamp format). */
export function date(ms: number): Date {
  return new Date(ms);
}
