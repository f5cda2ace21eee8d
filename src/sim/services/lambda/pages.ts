/**
 * Marker/MaxItems pagination as Lambda's List* operations do it. The marker is opaque to callers; here it is
 * the index of the next item.
 */
import { invalidParameter } from './errors.js';

export function pageOf<T>(items: readonly T[], marker: unknown, maxItems: unknown, cap: number): { page: T[]; nextMarker?: string } {
  let start = 0;
  if (marker !== undefined && marker !== '') {
    if (typeof marker !== 'string' || !/^\d+$/.test(marker) || Number(marker) > items.length) invalidParameter('Invalid Marker: the marker does not come from a previous response.');
    start = Number(marker);
  }
  const size = Math.min(typeof maxItems === 'number' ? maxItems : cap, cap);
  const page = items.slice(start, start + size);
  return start + size < items.length ? { page, nextMarker: String(start + size) } : { page };
}
