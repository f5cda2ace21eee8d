/**
 * Composite alarm rules (PutCompositeAlarm AlarmRule): ALARM(x), OK(x), INSUFFICIENT_DATA(x), TRUE, FALSE,
 * AND, OR, NOT and parentheses, where x is an alarm name or ARN, bare or in double quotes. NOT binds tightest,
 * then AND, then OR. Parse errors use CloudWatch's wording, e.g.
 *   "Error in AlarmRule [Unsupported token ')' at char 1]" (aws/aws-cdk#34662) and
 *   "Error in AlarmRule [Unsupported token 'Oldest' at char 67, must be: ')']" (aws/aws-cdk#13953).
 * AT_LEAST (added in 2025) is not modeled and is rejected as an unsupported token.
 */
import type { AlarmStateValue } from '../contracts.js';

export type RuleNode =
  | { readonly kind: 'const'; readonly value: boolean }
  | { readonly kind: 'state'; readonly state: AlarmStateValue; readonly alarm: string }
  | { readonly kind: 'not'; readonly operand: RuleNode }
  | { readonly kind: 'and' | 'or'; readonly operands: readonly RuleNode[] };

export class RuleError extends Error {}

interface Token {
  readonly text: string;
  /** The unquoted text of a quoted name. */
  readonly quoted?: string;
  readonly at: number;
}

const STATE_FUNCTIONS = new Set(['ALARM', 'OK', 'INSUFFICIENT_DATA']);
const ALARM_ARN = /^arn:aws[a-z-]*:cloudwatch:[^:]*:[^:]*:alarm:(.+)$/;

function tokenize(rule: string): Token[] {
  const tokens: Token[] = [];
  const pattern = /\s*(?:"([^"]*)"|([()])|([^\s()"]+))/y;
  let at = 0;
  while (at < rule.length && !/^\s*$/.test(rule.slice(at))) {
    pattern.lastIndex = at;
    const match = pattern.exec(rule);
    if (!match) throw new RuleError(`Unsupported token '${rule.slice(at).trim()}' at char ${at}`);
    const start = at + (match[0].length - match[0].trimStart().length);
    if (match[1] !== undefined) tokens.push({ text: `"${match[1]}"`, quoted: match[1], at: start });
    else tokens.push({ text: match[2] ?? match[3] ?? '', at: start });
    at = pattern.lastIndex;
  }
  return tokens;
}

export function parseRule(rule: string): RuleNode {
  const parser = new RuleParser(tokenize(rule), rule.length);
  const node = parser.or();
  parser.end();
  return node;
}

class RuleParser {
  private index = 0;

  constructor(
    private readonly tokens: readonly Token[],
    private readonly length: number,
  ) {}

  or(): RuleNode {
    const operands = [this.and()];
    while (this.accept('OR')) operands.push(this.and());
    return operands.length === 1 ? operands[0]! : { kind: 'or', operands };
  }

  end(): void {
    const token = this.tokens[this.index];
    if (token) throw unsupported(token);
  }

  private and(): RuleNode {
    const operands = [this.not()];
    while (this.accept('AND')) operands.push(this.not());
    return operands.length === 1 ? operands[0]! : { kind: 'and', operands };
  }

  private not(): RuleNode {
    if (this.accept('NOT')) return { kind: 'not', operand: this.not() };
    return this.atom();
  }

  private atom(): RuleNode {
    const token = this.take();
    if (token.text === 'TRUE' || token.text === 'FALSE') return { kind: 'const', value: token.text === 'TRUE' };
    if (token.text === '(') {
      const inner = this.or();
      this.expect(')');
      return inner;
    }
    if (STATE_FUNCTIONS.has(token.text)) {
      this.expect('(');
      const name = this.take();
      if (name.text === '(' || name.text === ')') throw unsupported(name);
      this.expect(')');
      return { kind: 'state', state: token.text as AlarmStateValue, alarm: name.quoted ?? name.text };
    }
    throw unsupported(token);
  }

  private take(): Token {
    const token = this.tokens[this.index];
    if (!token) throw new RuleError(`Unexpected end of rule at char ${this.length}`);
    this.index++;
    return token;
  }

  private accept(text: string): boolean {
    if (this.tokens[this.index]?.text !== text) return false;
    this.index++;
    return true;
  }

  private expect(text: string): void {
    const token = this.take();
    if (token.text !== text) throw unsupported(token, text);
  }
}

function unsupported(token: Token, expected?: string): RuleError {
  return new RuleError(`Unsupported token '${token.quoted ?? token.text}' at char ${token.at}${expected ? `, must be: '${expected}'` : ''}`);
}

/** The alarm a reference names: the name itself, or the name inside an alarm ARN. */
export function alarmNameOf(reference: string): string {
  return ALARM_ARN.exec(reference)?.[1] ?? reference;
}

/** Names of every alarm the rule refers to, in order of first appearance. */
export function ruleChildren(node: RuleNode): string[] {
  const names: string[] = [];
  const walk = (n: RuleNode): void => {
    if (n.kind === 'state') names.push(alarmNameOf(n.alarm));
    else if (n.kind === 'not') walk(n.operand);
    else if (n.kind === 'and' || n.kind === 'or') n.operands.forEach(walk);
  };
  walk(node);
  return [...new Set(names)];
}

/** Number of functions, constants and operators (AWS allows up to 500). */
export function ruleElements(node: RuleNode): number {
  if (node.kind === 'not') return 1 + ruleElements(node.operand);
  if (node.kind === 'and' || node.kind === 'or') return node.operands.length - 1 + node.operands.reduce((sum, n) => sum + ruleElements(n), 0);
  return 1;
}

/** Evaluates the rule; a child that does not exist is in no state. */
export function evaluateRule(node: RuleNode, stateOf: (name: string) => AlarmStateValue | undefined): boolean {
  switch (node.kind) {
    case 'const':
      return node.value;
    case 'state':
      return stateOf(alarmNameOf(node.alarm)) === node.state;
    case 'not':
      return !evaluateRule(node.operand, stateOf);
    case 'and':
      return node.operands.every((n) => evaluateRule(n, stateOf));
    case 'or':
      return node.operands.some((n) => evaluateRule(n, stateOf));
  }
}

/** The children whose state makes a state function of the rule true (the alarms that triggered it). */
export function satisfiedChildren(node: RuleNode, stateOf: (name: string) => AlarmStateValue | undefined): string[] {
  const names: string[] = [];
  const walk = (n: RuleNode): void => {
    if (n.kind === 'state' && stateOf(alarmNameOf(n.alarm)) === n.state) names.push(alarmNameOf(n.alarm));
    else if (n.kind === 'not') walk(n.operand);
    else if (n.kind === 'and' || n.kind === 'or') n.operands.forEach(walk);
  };
  walk(node);
  return [...new Set(names)];
}
