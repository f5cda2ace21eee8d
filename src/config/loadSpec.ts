import { readFileSync } from 'node:fs';
import { isNode, LineCounter, parseDocument, type Document } from 'yaml';
import { InputError } from '../errors.js';
import type { Locate } from './resolve.js';

export interface LoadedSpec {
  readonly path: string;
  readonly value: unknown;
  /** Maps a schema path to `file:line:column` of the value in the file. */
  readonly locate: Locate;
}

/**
 * Reads a deploy.yaml (or .json — JSON is YAML) keeping source positions, so every error in the spec names
 * file:line:column of the offending value.
 */
export function loadSpecFile(path: string): LoadedSpec {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new InputError('-f', path, `the spec file cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const problem = doc.errors[0];
  if (problem) {
    const at = lines.linePos(problem.pos[0]);
    throw new InputError(`${path}:${at.line}:${at.col}`, text.split('\n')[at.line - 1]?.trim() ?? '', `the file is not valid YAML: ${problem.message.split('\n')[0]}`);
  }
  return { path, value: doc.toJS(), locate: locator(path, doc, lines) };
}

function locator(path: string, doc: Document, lines: LineCounter): Locate {
  return (keys) => {
    // Walk down as far as the path exists; a missing field is reported at its parent.
    for (let depth = keys.length; depth >= 0; depth--) {
      const node = depth === 0 ? doc.contents : doc.getIn(keys.slice(0, depth) as unknown[], true);
      if (isNode(node) && node.range) {
        const at = lines.linePos(node.range[0]);
        const field = keys.length > 0 ? ` (${keys.map(String).join('.')})` : '';
        return `${path}:${at.line}:${at.col}${field}`;
      }
    }
    return path;
  };
}
