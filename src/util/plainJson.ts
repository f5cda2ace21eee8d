import type { Json } from '../providers/types.js';

/**
 * A JSON copy without `undefined` members (Dates become ISO strings): the value as it will look after a round trip
 * through the state store, so what was captured compares equal to what a resumed process reads back.
 */
export function plainCopy<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** The same copy, typed as the JSON the state store holds. */
export function toJson(value: unknown): Json {
  return plainCopy(value) as Json;
}
