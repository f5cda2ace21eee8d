/**
 * A subset of CloudWatch metric math ("Using metric math", CloudWatch User Guide): + - * / ^ and unary minus
 * between scalars, time series and arrays of time series; parentheses; [a, b] arrays; METRICS() and
 * METRICS("text"); SUM, AVG, MIN, MAX (of a series: a scalar; of an array: a series); ABS; FILL(x, scalar).
 * Documented semantics kept here: "Missing values in a time series are treated as 0. If the value of a data point
 * causes a function to attempt to divide by zero, the data point is dropped." AVG of an array treats missing
 * values as 0 too. Anything else (IF, comparisons, FILL with REPEAT/LINEAR, SEARCH...) is rejected as unsupported.
 */

/** timestamp (epoch ms) -> value. */
export type Series = Map<number, number>;

export interface LabeledSeries {
  readonly series: Series;
  readonly label: string;
}

export type MathValue =
  | { readonly kind: 'scalar'; readonly value: number }
  | { readonly kind: 'series'; readonly series: Series }
  | { readonly kind: 'array'; readonly items: readonly LabeledSeries[] };

export interface MathContext {
  /** The value of another query, by Id; throws MathError when there is none. */
  resolve(id: string): MathValue;
  /** The metrics (not expressions) of the request, optionally those whose Id contains `filter`. */
  metrics(filter?: string): LabeledSeries[];
  /** Every timestamp of the requested range at the query period (what FILL fills). */
  readonly grid: readonly number[];
}

export class MathError extends Error {}

interface Token {
  readonly kind: 'number' | 'name' | 'string' | 'op' | 'end';
  readonly text: string;
  readonly at: number;
}

const TOKEN = /\s*(?:(\d+(?:\.\d+)?(?:[eE][-+]?\d+)?|\.\d+)|([A-Za-z_][A-Za-z0-9_]*)|"([^"]*)"|([-+*/^()[\],]))/y;

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let at = 0;
  while (at < text.length) {
    if (/^\s*$/.test(text.slice(at))) break;
    TOKEN.lastIndex = at;
    const match = TOKEN.exec(text);
    if (!match) throw new MathError(`Unsupported token '${text.slice(at).trim()[0] ?? ''}' at char ${at}`);
    const start = at + (match[0].length - match[0].trimStart().length);
    if (match[1] !== undefined) tokens.push({ kind: 'number', text: match[1], at: start });
    else if (match[2] !== undefined) tokens.push({ kind: 'name', text: match[2], at: start });
    else if (match[3] !== undefined) tokens.push({ kind: 'string', text: match[3], at: start });
    else tokens.push({ kind: 'op', text: match[4] ?? '', at: start });
    at = TOKEN.lastIndex;
  }
  tokens.push({ kind: 'end', text: '', at: text.length });
  return tokens;
}

export function evaluateExpression(expression: string, ctx: MathContext): MathValue {
  const parser = new Parser(tokenize(expression), ctx);
  const value = parser.additive();
  parser.expectEnd();
  return value;
}

class Parser {
  private index = 0;

  constructor(
    private readonly tokens: readonly Token[],
    private readonly ctx: MathContext,
  ) {}

  additive(): MathValue {
    let left = this.multiplicative();
    for (let op = this.peekOp('+', '-'); op; op = this.peekOp('+', '-')) {
      this.index++;
      left = combine(left, this.multiplicative(), op);
    }
    return left;
  }

  expectEnd(): void {
    const token = this.peek();
    if (token.kind !== 'end') throw unexpected(token);
  }

  private multiplicative(): MathValue {
    let left = this.unary();
    for (let op = this.peekOp('*', '/'); op; op = this.peekOp('*', '/')) {
      this.index++;
      left = combine(left, this.unary(), op);
    }
    return left;
  }

  /** Unary minus binds looser than ^: -a^2 is -(a^2). */
  private unary(): MathValue {
    if (this.peekOp('-')) {
      this.index++;
      return combine({ kind: 'scalar', value: 0 }, this.unary(), '-');
    }
    return this.power();
  }

  /** Right-associative, with a signed exponent: 2^-1. */
  private power(): MathValue {
    const base = this.primary();
    if (!this.peekOp('^')) return base;
    this.index++;
    return combine(base, this.unary(), '^');
  }

  private primary(): MathValue {
    const token = this.next();
    if (token.kind === 'number') return { kind: 'scalar', value: Number(token.text) };
    if (token.kind === 'op' && token.text === '(') {
      const inner = this.additive();
      this.expect(')');
      return inner;
    }
    if (token.kind === 'op' && token.text === '[') return this.array();
    if (token.kind === 'name' && this.peekOp('(')) return this.call(token);
    if (token.kind === 'name') return this.ctx.resolve(token.text);
    throw unexpected(token);
  }

  private array(): MathValue {
    const items: LabeledSeries[] = [];
    do {
      const value = this.additive();
      if (value.kind === 'scalar') throw new MathError('Arrays can only contain time series');
      items.push(...(value.kind === 'series' ? [{ series: value.series, label: '' }] : value.items));
    } while (this.accept(','));
    this.expect(']');
    return { kind: 'array', items };
  }

  private call(name: Token): MathValue {
    this.expect('(');
    if (name.text === 'METRICS') {
      const filter = this.peek().kind === 'string' ? this.next().text : undefined;
      this.expect(')');
      return { kind: 'array', items: this.ctx.metrics(filter) };
    }
    const args: MathValue[] = [];
    if (!this.peekOp(')')) {
      do args.push(this.argument(name.text));
      while (this.accept(','));
    }
    this.expect(')');
    return applyFunction(name, args, this.ctx);
  }

  private argument(fn: string): MathValue {
    const token = this.peek();
    if (fn === 'FILL' && token.kind === 'name' && (token.text === 'REPEAT' || token.text === 'LINEAR')) {
      throw new MathError(`FILL with ${token.text} is not supported by the simulated CloudWatch`);
    }
    return this.additive();
  }

  private peek(): Token {
    return this.tokens[this.index] ?? { kind: 'end', text: '', at: 0 };
  }

  private next(): Token {
    const token = this.peek();
    this.index++;
    return token;
  }

  private peekOp(...ops: string[]): string | undefined {
    const token = this.peek();
    return token.kind === 'op' && ops.includes(token.text) ? token.text : undefined;
  }

  private accept(op: string): boolean {
    if (!this.peekOp(op)) return false;
    this.index++;
    return true;
  }

  private expect(op: string): void {
    const token = this.next();
    if (token.kind !== 'op' || token.text !== op) throw unexpected(token, op);
  }
}

function unexpected(token: Token, expected?: string): MathError {
  const shown = token.kind === 'end' ? 'end of expression' : `token '${token.text}'`;
  return new MathError(`Unsupported ${shown} at char ${token.at}${expected ? `, must be: '${expected}'` : ''}`);
}

function arithmetic(a: number, b: number, op: string): number {
  switch (op) {
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    case '/':
      return b === 0 ? NaN : a / b;
    default:
      return a ** b;
  }
}

/** Drops points that are not finite numbers (a division by zero drops the point). */
function finite(series: Series): Series {
  for (const [t, v] of series) if (!Number.isFinite(v)) series.delete(t);
  return series;
}

function combine(left: MathValue, right: MathValue, op: string): MathValue {
  if (left.kind === 'array') return { kind: 'array', items: left.items.map((i) => ({ label: i.label, series: seriesOf(combine({ kind: 'series', series: i.series }, right, op)) })) };
  if (right.kind === 'array') return { kind: 'array', items: right.items.map((i) => ({ label: i.label, series: seriesOf(combine(left, { kind: 'series', series: i.series }, op)) })) };
  if (left.kind === 'scalar' && right.kind === 'scalar') return { kind: 'scalar', value: arithmetic(left.value, right.value, op) };
  const out: Series = new Map();
  if (left.kind === 'series' && right.kind === 'series') {
    for (const t of new Set([...left.series.keys(), ...right.series.keys()])) out.set(t, arithmetic(left.series.get(t) ?? 0, right.series.get(t) ?? 0, op));
  } else if (left.kind === 'series' && right.kind === 'scalar') {
    for (const [t, v] of left.series) out.set(t, arithmetic(v, right.value, op));
  } else if (left.kind === 'scalar' && right.kind === 'series') {
    for (const [t, v] of right.series) out.set(t, arithmetic(left.value, v, op));
  }
  return { kind: 'series', series: finite(out) };
}

function seriesOf(value: MathValue): Series {
  if (value.kind !== 'series') throw new MathError('Expected a time series');
  return value.series;
}

function applyFunction(name: Token, args: readonly MathValue[], ctx: MathContext): MathValue {
  switch (name.text) {
    case 'SUM':
    case 'AVG':
    case 'MIN':
    case 'MAX':
      return aggregate(name.text, onlyArgument(name, args));
    case 'ABS':
      return combineEach(onlyArgument(name, args), (v) => Math.abs(v));
    case 'FILL':
      return fill(name, args, ctx);
    default:
      throw new MathError(`Unsupported function '${name.text}' at char ${name.at} (the simulated CloudWatch supports METRICS, SUM, AVG, MIN, MAX, ABS, FILL)`);
  }
}

function onlyArgument(name: Token, args: readonly MathValue[]): MathValue {
  const [arg] = args;
  if (args.length !== 1 || !arg) throw new MathError(`${name.text} takes exactly one argument`);
  return arg;
}

function combineEach(value: MathValue, f: (v: number) => number): MathValue {
  if (value.kind === 'scalar') return { kind: 'scalar', value: f(value.value) };
  const map = (s: Series): Series => finite(new Map([...s].map(([t, v]) => [t, f(v)])));
  if (value.kind === 'series') return { kind: 'series', series: map(value.series) };
  return { kind: 'array', items: value.items.map((i) => ({ label: i.label, series: map(i.series) })) };
}

function reduce(fn: string, values: readonly number[], count: number): number {
  if (fn === 'SUM') return values.reduce((a, b) => a + b, 0);
  if (fn === 'AVG') return count > 0 ? values.reduce((a, b) => a + b, 0) / count : NaN;
  return values.length === 0 ? NaN : fn === 'MIN' ? Math.min(...values) : Math.max(...values);
}

function aggregate(fn: string, value: MathValue): MathValue {
  if (value.kind === 'scalar') throw new MathError(`${fn} needs a time series or an array of time series`);
  if (value.kind === 'series') {
    const values = [...value.series.values()];
    return { kind: 'scalar', value: reduce(fn, values, values.length) };
  }
  const out: Series = new Map();
  const stamps = new Set(value.items.flatMap((i) => [...i.series.keys()]));
  for (const t of stamps) {
    const present = value.items.map((i) => i.series.get(t)).filter((v): v is number => v !== undefined);
    // SUM and AVG count a missing value as 0; MIN and MAX look at the values present.
    out.set(t, reduce(fn, present, value.items.length));
  }
  return { kind: 'series', series: finite(out) };
}

function fill(name: Token, args: readonly MathValue[], ctx: MathContext): MathValue {
  const [target, filler] = args;
  if (args.length !== 2 || !target || !filler) throw new MathError('FILL takes two arguments');
  if (filler.kind !== 'scalar') throw new MathError(`FILL at char ${name.at}: the simulated CloudWatch fills with a scalar only`);
  const filled = (s: Series): Series => {
    const out = new Map(s);
    for (const t of ctx.grid) if (!out.has(t)) out.set(t, filler.value);
    return out;
  };
  if (target.kind === 'scalar') throw new MathError('FILL needs a time series or an array of time series');
  if (target.kind === 'series') return { kind: 'series', series: filled(target.series) };
  return { kind: 'array', items: target.items.map((i) => ({ label: i.label, series: filled(i.series) })) };
}
