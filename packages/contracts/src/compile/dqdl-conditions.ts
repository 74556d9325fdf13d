/**
 * The condition grammar of DQDL (`condition: number | string | date | duration | size`, with their
 * operators, operands and variables) over a token cursor with backtracking: the base of the
 * ruleset parser of dqdl-parse.ts.
 */
import { DqdlSyntaxError, type DqdlCondition, type DqdlDurationUnit, type DqdlOperand } from './dqdl-ast.js';
import type { Tok, TokType } from './dqdl-lex.js';

/** A quoted token's text without its outer quotes (backslashes stay). */
export const removeQuotes = (s: string) => (s.length >= 2 && s.startsWith('"') && s.endsWith('"') ? s.slice(1, -1) : s);
/** `\"` and `\\` unescaped (as Glue does for the strings of `in [...]` and dictionary keys). */
export const removeEscapes = (s: string) => s.replace(/\\(.)/g, '$1');

/** A number operand as text (`NULL` for null). */
function opText(o: DqdlOperand): string {
  return o.kind === 'number' ? o.text : o.kind === 'null' ? 'NULL' : '?';
}

/** A token cursor with backtracking, and the condition grammar; the ruleset grammar extends it. */
export abstract class DqdlConditionParser {
  #position = 0;
  readonly variables: Record<string, string | string[]> = {};
  constructor(private readonly toks: Tok[]) {}

  protected peek(k = 0): Tok {
    return this.toks[Math.min(this.#position + k, this.toks.length - 1)]!;
  }
  protected next(): Tok {
    const t = this.peek();
    if (t.type !== 'EOF') this.#position++;
    return t;
  }
  protected is(type: TokType, text?: string, k = 0): boolean {
    const t = this.peek(k);
    return t.type === type && (text === undefined || t.text === text);
  }
  protected fail(expected: string, t = this.peek()): never {
    throw new DqdlSyntaxError(
      `expected ${expected}, found ${t.type === 'EOF' ? 'the end of the ruleset' : JSON.stringify(t.text)}`,
      t.line,
      t.column,
    );
  }
  protected expect(type: TokType, text?: string, what?: string): Tok {
    if (!this.is(type, text)) this.fail(what ?? text ?? type);
    return this.next();
  }
  /** Runs `f`; on a syntax error restores the position and returns undefined. */
  protected attempt<R>(parse: () => R): R | undefined {
    const at = this.#position;
    try {
      return parse();
    } catch (e) {
      if (!(e instanceof DqdlSyntaxError)) throw e;
      const furthest = this.furthest;
      if (!furthest || e.line > furthest.line || (e.line === furthest.line && e.column > furthest.column))
        this.furthest = e;
      this.#position = at;
      return undefined;
    }
  }
  /** The error of a failed alternative that got furthest (the most telling one). */
  protected furthest: DqdlSyntaxError | undefined;

  /** `condition: number | string | date | duration | size`: the first alternative after which the rule can go on. */
  protected condition(): DqdlCondition | undefined {
    const follows = () =>
      this.is('LIT', 'where') ||
      this.is('LIT', 'with') ||
      this.is('COMMA') ||
      this.is('RBRAC') ||
      this.is('RPAREN') ||
      this.is('AND') ||
      this.is('OR') ||
      this.is('EOF');
    if (follows()) return undefined;
    const start = this.peek();
    this.furthest = undefined;
    for (const alt of [
      () => this.numberCondition(),
      () => this.stringCondition(),
      () => this.dateCondition(),
      () => this.durationCondition(),
      () => this.sizeCondition(),
    ]) {
      const c = this.attempt(() => {
        const r = alt();
        if (!follows()) this.fail("where, with, ',' or ']'");
        return r;
      });
      if (c) return c;
    }
    const f = this.furthest as DqdlSyntaxError | undefined;
    if (f && (f.line > start.line || (f.line === start.line && f.column > start.column))) throw f;
    return this.fail(
      'a condition (= != > >= < <= between in matches) with a number, string, date, duration or size',
      start,
    );
  }

  /** Comparison operators shared by the condition families; `NOT`/`!` prefixes. */
  private operator(allowMatches: boolean): string {
    if (this.is('NOT')) {
      this.next();
      if (this.is('BETWEEN')) {
        this.next();
        return 'not between';
      }
      if (this.is('IN')) {
        this.next();
        return 'not in';
      }
      if (allowMatches && this.is('LIT', 'matches')) {
        this.next();
        return 'not matches';
      }
      return this.fail('between, in or matches after not');
    }
    if (this.is('NEGATION')) {
      this.next();
      this.expect('EQUAL_TO');
      return '!=';
    }
    const t = this.next();
    switch (t.type) {
      case 'BETWEEN':
        return 'between';
      case 'IN':
        return 'in';
      case 'EQUAL_TO':
        return '=';
      case 'GREATER_THAN':
        return '>';
      case 'GREATER_THAN_EQUAL_TO':
        return '>=';
      case 'LESS_THAN':
        return '<';
      case 'LESS_THAN_EQUAL_TO':
        return '<=';
      default:
        if (allowMatches && t.type === 'LIT' && t.text === 'matches') return 'matches';
        return this.fail('a comparison operator', t);
    }
  }

  private family(
    type: DqdlCondition['type'],
    value: () => DqdlOperand,
    options: { matches?: boolean; ops?: string[] } = {},
  ): DqdlCondition {
    const op = this.operator(options.matches ?? false);
    if (options.ops && !options.ops.includes(op)) this.fail(`one of ${options.ops.join(', ')}`);
    if (op === 'between' || op === 'not between') {
      const a = value();
      this.expect('AND', undefined, 'and');
      const b = value();
      return { type, op, operands: [a, b] };
    }
    if (op === 'in' || op === 'not in') {
      this.expect('LBRAC');
      const operands = [value()];
      while (this.is('COMMA')) {
        this.next();
        operands.push(value());
      }
      this.expect('RBRAC');
      return { type, op, operands };
    }
    return { type, op, operands: [value()] };
  }

  protected numberCondition(): DqdlCondition {
    if (this.is('LIT', 'matches') || (this.is('NOT') && this.is('LIT', 'matches', 1))) this.fail('a number condition');
    return this.family('number', () => this.number());
  }

  /** number: number ('+'|'-'|'/'|'*') number | functionCall | '(' number ')' | atomicNumber | NULL. */
  private number(): DqdlOperand {
    let left = this.numberPrimary();
    while (this.is('LIT', '+') || this.is('LIT', '/') || this.is('LIT', '*') || this.is('NEGATIVE')) {
      const op = this.next().text;
      const right = this.numberPrimary();
      left = { kind: 'number', text: `${opText(left)} ${op} ${opText(right)}` };
    }
    return left;
  }

  private numberPrimary(): DqdlOperand {
    if (this.is('NULL')) {
      this.next();
      return { kind: 'null' };
    }
    if (this.is('LPAREN')) {
      this.next();
      const n = this.number();
      this.expect('RPAREN');
      return n;
    }
    if (this.is('IDENTIFIER') && this.is('LPAREN', undefined, 1)) {
      const name = this.next().text;
      this.next();
      const args: string[] = [];
      if (!this.is('RPAREN')) {
        args.push(opText(this.number()));
        while (this.is('COMMA')) {
          this.next();
          args.push(opText(this.number()));
        }
      }
      this.expect('RPAREN');
      return { kind: 'number', text: `${name}(${args.join(',')})` };
    }
    const neg = this.is('NEGATIVE') ? (this.next(), '-') : '';
    const t = this.peek();
    if (t.type === 'DIGIT' || t.type === 'INT' || t.type === 'DECIMAL') {
      this.next();
      return { kind: 'number', text: neg + t.text };
    }
    return this.fail('a number (digits, optionally with a decimal part; no exponent)');
  }

  protected stringCondition(): DqdlCondition {
    if (this.is('LIT', 'matches') || (this.is('NOT') && this.is('LIT', 'matches', 1))) {
      const op = this.operator(true);
      return {
        type: 'string',
        op,
        operands: [
          { kind: 'string', value: removeQuotes(this.expect('QUOTED_STRING', undefined, 'a quoted pattern').text) },
        ],
      };
    }
    if (this.is('NOT') && this.is('IN', undefined, 1) && this.is('LIT', '$', 2)) {
      this.next();
      this.next();
      return { type: 'string', op: 'not in', operands: [this.variable()] };
    }
    if (this.is('IN') && this.is('LIT', '$', 1)) {
      this.next();
      return { type: 'string', op: 'in', operands: [this.variable()] };
    }
    const c = this.family('string', () => this.stringOperand(), { ops: ['=', '!=', 'in', 'not in'] });
    if (c.op === 'in' || c.op === 'not in') {
      // Glue unescapes the strings of a list (\" and \\), not those of = and matches.
      c.operands = c.operands.map((o) => (o.kind === 'string' ? { ...o, value: removeEscapes(o.value) } : o));
    }
    return c;
  }

  private variable(): DqdlOperand {
    this.expect('LIT', '$');
    const t = this.expect('IDENTIFIER', undefined, 'a variable name');
    if (!(t.text in this.variables)) throw new DqdlSyntaxError(`variable $${t.text} is not declared`, t.line, t.column);
    return { kind: 'variable', name: t.text };
  }

  private stringOperand(): DqdlOperand {
    const t = this.peek();
    if (t.type === 'QUOTED_STRING') {
      this.next();
      return { kind: 'string', value: removeQuotes(t.text) };
    }
    if (t.type === 'NULL' || t.type === 'EMPTY' || t.type === 'WHITESPACES_ONLY') {
      this.next();
      return { kind: 'keyword', value: t.type };
    }
    if (t.type === 'LIT' && t.text === '$') return this.variable();
    return this.fail('a quoted string (a "YYYY-MM-DD", "hh:mm" or "h:mm AM" literal is a date or time, not a string)');
  }

  private dateCondition(): DqdlCondition {
    return this.family('date', () => this.dateExpression());
  }

  private dateExpression(): DqdlOperand {
    const t = this.peek();
    if (t.type === 'DATE') {
      this.next();
      return { kind: 'date', value: removeQuotes(t.text) };
    }
    if (t.type === 'TIME' || t.type === 'MIL_TIME') {
      this.next();
      return { kind: 'time', value: removeQuotes(t.text) };
    }
    if (t.type === 'NULL') {
      this.next();
      return { kind: 'null' };
    }
    if (t.type === 'LIT' && t.text === 'now()') {
      this.next();
      return { kind: 'now' };
    }
    if (t.type === 'LPAREN') {
      this.next();
      this.expect('LIT', 'now()');
      const sign = this.is('NEGATIVE') ? '-' : this.is('LIT', '+') ? '+' : this.fail("'-' or '+'");
      this.next();
      const d = this.duration();
      this.expect('RPAREN');
      return { kind: 'now', offset: { sign, amount: d.amount, unit: d.unit } };
    }
    return this.fail('a date ("YYYY-MM-DD", now(), (now() - N days|hours|minutes))');
  }

  private duration(): { kind: 'duration'; amount: number; unit: DqdlDurationUnit } {
    const n = this.peek();
    if (n.type !== 'DIGIT' && n.type !== 'INT') this.fail('a whole number of days, hours or minutes');
    this.next();
    const u = this.peek();
    if (u.type !== 'LIT' || !['days', 'hours', 'minutes'].includes(u.text)) this.fail('days, hours or minutes');
    this.next();
    return { kind: 'duration', amount: Number(n.text), unit: u.text as DqdlDurationUnit };
  }

  private durationCondition(): DqdlCondition {
    return this.family('duration', () => this.duration());
  }

  private sizeCondition(): DqdlCondition {
    return this.family('size', () => {
      const n = this.peek();
      if (n.type !== 'DIGIT' && n.type !== 'INT') this.fail('a whole number of B, KB, MB, GB or TB');
      this.next();
      const u = this.peek();
      if (u.type !== 'LIT' || !['B', 'KB', 'MB', 'GB', 'TB'].includes(u.text)) this.fail('B, KB, MB, GB or TB');
      this.next();
      return { kind: 'size', amount: Number(n.text), unit: u.text };
    });
  }
}
