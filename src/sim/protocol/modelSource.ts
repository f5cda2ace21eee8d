import { readFileSync } from 'node:fs';

/**
 * Reads a vendored model's JSON text. In the bundled CLI this module is replaced by one holding the models
 * inline (scripts/build.mjs), so the bundle needs no files beside it.
 */
export function readModelText(service: string): string {
  return readFileSync(new URL(`../models/${service}.json`, import.meta.url), 'utf8');
}
