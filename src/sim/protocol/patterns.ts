/**
 * Model `pattern` constraints are Java regular expressions that AWS matches against the whole value.
 * They are compiled as anchored JS RegExps with the `u` flag; the few that JS cannot express are skipped
 * (and listed by `skippedPatterns`) rather than guessed at.
 */

// Java's POSIX classes have no JS equivalent; these are their US-ASCII definitions (java.util.regex.Pattern).
const POSIX_CLASSES: Readonly<Record<string, string>> = {
  Lower: 'a-z',
  Upper: 'A-Z',
  ASCII: '\\x00-\\x7F',
  Alpha: 'a-zA-Z',
  Digit: '0-9',
  Alnum: 'a-zA-Z0-9',
  Punct: '!-\\/:-@\\[-`{-~',
  Graph: '!-~',
  Print: ' -~',
  Blank: ' \\t',
  Cntrl: '\\x00-\\x1F\\x7F',
  XDigit: '0-9a-fA-F',
  Space: ' \\t\\n\\x0B\\f\\r',
};

const compiled = new Map<string, RegExp | null>();
const skipped = new Set<string>();

/** The anchored RegExp for a model pattern, or undefined when it cannot be compiled faithfully. */
export function compileModelPattern(pattern: string): RegExp | undefined {
  if (!compiled.has(pattern)) compiled.set(pattern, tryCompile(pattern));
  const regexp = compiled.get(pattern);
  return regexp ?? undefined;
}

/** Patterns validation could not apply, so callers can see which constraints went unchecked. */
export function skippedPatterns(): readonly string[] {
  return [...skipped];
}

function tryCompile(pattern: string): RegExp | null {
  const source = `^(?:${replacePosixClasses(pattern)})$`;
  try {
    return new RegExp(source, 'u');
  } catch {
    // Without `u`, needless escapes such as `\_` mean the literal character, as in Java. Property escapes
    // (`\p{...}`) would silently change meaning, so those patterns are skipped instead.
    if (!/\\[pP]\{/.test(source)) {
      try {
        return new RegExp(source);
      } catch {
        // fall through to skipping
      }
    }
    skipped.add(pattern);
    return null;
  }
}

/** `\p{Print}` becomes `[ -~]`, or just ` -~` inside a character class. */
function replacePosixClasses(pattern: string): string {
  let result = '';
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i];
    if (char === '\\') {
      const posix = /^\\p\{(\w+)\}/.exec(pattern.slice(i));
      const range = posix?.[1] === undefined ? undefined : POSIX_CLASSES[posix[1]];
      if (posix && range !== undefined) {
        result += inClass ? range : `[${range}]`;
        i += posix[0].length - 1;
      } else {
        result += pattern.slice(i, i + 2);
        i++;
      }
      continue;
    }
    if (char === '[') inClass = true;
    else if (char === ']') inClass = false;
    result += char;
  }
  return result;
}
