import { validationError } from './errors.js';

/** PageSize is 1..400 (validated by the wire layer); ELBv2 returns up to 400 items when it is absent. */
const MAX_PAGE = 400;

/** Marker/PageSize pagination: the marker is the index of the first item of the next page. */
export function pageOf<T>(items: readonly T[], marker: unknown, pageSize: unknown): { page: T[]; NextMarker?: string } {
  let start = 0;
  if (marker !== undefined) {
    if (typeof marker !== 'string' || !/^\d+$/.test(marker) || Number(marker) > items.length) validationError(`The marker '${String(marker)}' is not valid`);
    start = Number(marker);
  }
  const size = typeof pageSize === 'number' ? Math.min(pageSize, MAX_PAGE) : MAX_PAGE;
  const page = items.slice(start, start + size);
  return start + size < items.length ? { page, NextMarker: String(start + size) } : { page };
}
