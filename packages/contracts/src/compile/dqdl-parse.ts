/**
 * A strict parser of the Glue Data Quality Definition Language, written from the official grammar
 * (awslabs/dqdl `configuration/dqdl/DataQualityDefinitionLanguage.g4` + `CommonLexerRules.g4`),
 * its post-parse validations (`DQDLParserListener`) and the rule types of
 * `configuration/dqdl/rules-config.json`. It accepts what Glue accepts and gives the values Glue
 * sees: quoted parameters, `where` clauses and `matches` patterns verbatim (only the outer quotes
 * are stripped: backslashes stay), strings of `in [...]` with `\"` and `\\` unescaped.
 *
 * Lexing follows ANTLR's rules: the longest match wins, ties go to the first rule, and the
 * literals of the parser grammar (`Rules`, `matches`, `now()`, `hours`…) come first. So
 * `"2020-01-01"` is a DATE, `"12:30"` a MIL_TIME and `"1:30 PM"` a TIME — never a string — and
 * `1e21` is an IDENTIFIER, not a number.
 */

/** A DQDL syntax or validation error, at a 1-based line and column of the ruleset text. */
export class DqdlSyntaxError extends Error {
  constructor(
    readonly reason: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(`DQDL ${line}:${column}: ${reason}`);
    this.name = 'DqdlSyntaxError';
  }
}

/** A value of a condition, as Glue's parser returns it. */
export type DqdlOperand =
  | { kind: 'number'; text: string }
  | { kind: 'null' }
  | { kind: 'string'; value: string }
  | { kind: 'keyword'; value: 'EMPTY' | 'WHITESPACES_ONLY' | 'NULL' }
  | { kind: 'variable'; name: string }
  | { kind: 'date'; value: string }
  | { kind: 'time'; value: string }
  | { kind: 'now'; offset?: { sign: '+' | '-'; amount: number; unit: DqdlDurationUnit } }
  | { kind: 'duration'; amount: number; unit: DqdlDurationUnit }
  | { kind: 'size'; amount: number; unit: string };

/** Duration units of DQDL. */
export type DqdlDurationUnit = 'days' | 'hours' | 'minutes';

/** A condition: which family of the grammar parsed it, the operator and the operands. */
export interface DqdlCondition {
  type: 'number' | 'string' | 'date' | 'duration' | 'size';
  /** `=`, `!=`, `>`, `>=`, `<`, `<=`, `between`, `not between`, `in`, `not in`, `matches`, `not matches`. */
  op: string;
  operands: DqdlOperand[];
}

/** One rule (`ruleType param* condition? where? with …*`) or a composite of rules. */
export type DqdlRule =
  | {
      kind: 'rule';
      type: string;
      parameters: string[];
      condition?: DqdlCondition;
      where?: string;
      threshold?: DqdlCondition;
      tags: Record<string, string>;
      line: number;
      column: number;
    }
  | { kind: 'composite'; op: 'and' | 'or'; rules: DqdlRule[]; line: number; column: number };

/** A parsed ruleset. */
export interface DqdlRuleset {
  metadata: Record<string, string>;
  variables: Record<string, string | string[]>;
  rules: DqdlRule[];
  analyzers: Array<{ type: string; parameters: string[]; line: number; column: number }>;
}

// ---------------------------------------------------------------------------------------------
// Lexer

type TokType =
  | 'LIT' // a literal of the parser grammar (text is the literal)
  | 'COLON'
  | 'COMMA'
  | 'SINGLE_QUOTE'
  | 'QUOTE'
  | 'LCURL'
  | 'RCURL'
  | 'LBRAC'
  | 'RBRAC'
  | 'LPAREN'
  | 'RPAREN'
  | 'AND'
  | 'OR'
  | 'OF'
  | 'NULL'
  | 'EMPTY'
  | 'WHITESPACES_ONLY'
  | 'BETWEEN'
  | 'EQUAL_TO'
  | 'GREATER_THAN'
  | 'GREATER_THAN_EQUAL_TO'
  | 'LESS_THAN'
  | 'LESS_THAN_EQUAL_TO'
  | 'IN'
  | 'NOT'
  | 'NEGATION'
  | 'DIGIT'
  | 'DATE'
  | 'TIME'
  | 'MIL_TIME'
  | 'INT'
  | 'DECIMAL'
  | 'QUOTED_STRING'
  | 'NEGATIVE'
  | 'IDENTIFIER'
  | 'EOF';

interface Tok {
  type: TokType;
  text: string;
  line: number;
  column: number;
}

/** Literals of the parser grammar, in order of appearance (ANTLR gives them priority). */
const LITERALS = [
  'Metadata',
  'DataSources',
  'Rules',
  'Analyzers',
  'now()',
  'days',
  'hours',
  'minutes',
  'B',
  'KB',
  'MB',
  'GB',
  'TB',
  '+',
  '/',
  '*',
  'matches',
  '$',
  'with',
  'where',
];

/** The explicit lexer rules, in order: a matcher returning the match length at `i` (0 = none). */
const RULES: Array<[TokType, (s: string, i: number) => number]> = [
  ['COLON', lit(':')],
  ['COMMA', lit(',')],
  ['SINGLE_QUOTE', lit("'")],
  ['QUOTE', lit('"')],
  ['LCURL', lit('{')],
  ['RCURL', lit('}')],
  ['LBRAC', lit('[')],
  ['RBRAC', lit(']')],
  ['LPAREN', lit('(')],
  ['RPAREN', lit(')')],
  ['AND', alt('and', 'AND')],
  ['OR', alt('or', 'OR')],
  ['OF', alt('of', 'OF')],
  ['NULL', alt('null', 'NULL')],
  ['EMPTY', alt('empty', 'EMPTY')],
  ['WHITESPACES_ONLY', alt('whitespaces_only', 'WHITESPACES_ONLY')],
  ['BETWEEN', lit('between')],
  ['EQUAL_TO', lit('=')],
  ['GREATER_THAN', lit('>')],
  ['GREATER_THAN_EQUAL_TO', lit('>=')],
  ['LESS_THAN', lit('<')],
  ['LESS_THAN_EQUAL_TO', lit('<=')],
  ['IN', lit('in')],
  ['NOT', lit('not')],
  ['NEGATION', lit('!')],
  ['DIGIT', re(/[0-9]/y)],
  ['DATE', re(/"[0-9]{4}-[0-9]{2}-[0-9]{2}"/y)],
  ['TIME', re(/"[0-9]{1,2}:[0-9]{2} (?:AM|PM)"/y)],
  ['MIL_TIME', re(/"[0-9]{2}:[0-9]{2}"/y)],
  ['INT', re(/[0-9]+/y)],
  ['DECIMAL', re(/[0-9]+\.[0-9]+/y)],
  ['QUOTED_STRING', quotedString],
  ['NEGATIVE', lit('-')],
  ['IDENTIFIER', re(/[a-zA-Z0-9_.]+/y)],
];

function lit(t: string) {
  return (s: string, i: number) => (s.startsWith(t, i) ? t.length : 0);
}
function alt(a: string, b: string) {
  return (s: string, i: number) => Math.max(lit(a)(s, i), lit(b)(s, i));
}
function re(r: RegExp) {
  return (s: string, i: number) => {
    r.lastIndex = i;
    const m = r.exec(s);
    return m ? m[0].length : 0;
  };
}

/** `QUOTE (ESC | .)*? QUOTE` with `ESC: '\\"' | '\\\\'`: the shortest string, escapes taken as pairs. */
function quotedString(s: string, i: number): number {
  if (s[i] !== '"') return 0;
  for (let k = i + 1; k < s.length; k++) {
    if (s[k] === '\\' && (s[k + 1] === '"' || s[k + 1] === '\\')) {
      k++;
      continue;
    }
    if (s[k] === '"') return k - i + 1;
  }
  return 0;
}

function lex(src: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  let line = 1;
  let lineStart = 0;
  const advance = (n: number) => {
    for (let k = i; k < i + n; k++)
      if (src[k] === '\n') {
        line++;
        lineStart = k + 1;
      }
    i += n;
  };
  while (i < src.length) {
    const c = src[i]!;
    if (c === ' ' || c === '\t' || c === '\n') {
      advance(1);
      continue;
    }
    if (c === '#') {
      // LINE_COMMENT: '#' .*? '\r'? '\n' -> skip (a comment must end with a line break).
      const end = src.indexOf('\n', i);
      if (end < 0) throw new DqdlSyntaxError('a # comment must end with a line break', line, i - lineStart + 1);
      advance(end + 1 - i);
      continue;
    }
    let best: { type: TokType; len: number } | undefined;
    for (const l of LITERALS)
      if (src.startsWith(l, i) && (!best || l.length > best.len)) best = { type: 'LIT', len: l.length };
    for (const [type, match] of RULES) {
      const len = match(src, i);
      if (len > 0 && (!best || len > best.len)) best = { type, len };
    }
    if (!best) throw new DqdlSyntaxError(`token recognition error at: ${JSON.stringify(c)}`, line, i - lineStart + 1);
    out.push({ type: best.type, text: src.slice(i, i + best.len), line, column: i - lineStart + 1 });
    advance(best.len);
  }
  out.push({ type: 'EOF', text: '<EOF>', line, column: i - lineStart + 1 });
  return out;
}

// ---------------------------------------------------------------------------------------------
// Rule types (configuration/dqdl/rules-config.json)

interface RuleType {
  /** Number of parameters, or `[min]` for a variadic last parameter (at least `min`). */
  params: number | [number];
  returns: string;
  threshold?: boolean;
  where?: boolean;
  analyzerOnly?: boolean;
}

const T = (params: RuleType['params'], returns: string, flags: Partial<RuleType> = {}): RuleType => ({
  params,
  returns,
  ...flags,
});
/** The rule types Glue knows, by name; several entries for overloads by parameter count. */
export const DQDL_RULE_TYPES: Readonly<Record<string, readonly RuleType[]>> = {
  RowCount: [T(0, 'NUMBER', { where: true })],
  RowCountMatch: [T(1, 'NUMBER')],
  ColumnCount: [T(0, 'NUMBER')],
  Completeness: [T(1, 'NUMBER', { where: true })],
  IsComplete: [T(1, 'BOOLEAN', { where: true })],
  ColumnDataType: [T(1, 'STRING', { threshold: true, where: true })],
  ColumnNamesMatchPattern: [T(1, 'BOOLEAN')],
  ColumnExists: [T(1, 'BOOLEAN')],
  ColumnCorrelation: [T(2, 'NUMBER', { where: true })],
  Uniqueness: [T([1], 'NUMBER', { where: true })],
  IsUnique: [T([1], 'BOOLEAN', { where: true })],
  Mean: [T(1, 'NUMBER', { where: true })],
  Sum: [T(1, 'NUMBER', { where: true })],
  StandardDeviation: [T(1, 'NUMBER', { where: true })],
  Variance: [T(1, 'NUMBER', { where: true })],
  Range: [T(1, 'NUMBER', { where: true })],
  Entropy: [T(1, 'NUMBER', { where: true })],
  DistinctValuesCount: [T(1, 'NUMBER', { where: true })],
  UniqueValueRatio: [T(1, 'NUMBER', { where: true })],
  ColumnLength: [T(1, 'NUMBER', { where: true })],
  IsPrimaryKey: [T([1], 'BOOLEAN', { where: true })],
  ColumnValues: [T(1, 'STRING_ARRAY|NUMBER_ARRAY|DATE_ARRAY', { threshold: true, where: true })],
  DataFreshness: [T(1, 'DURATION_ARRAY', { where: true })],
  CustomSql: [T(1, 'NUMBER|BOOLEAN', { threshold: true })],
  ReferentialIntegrity: [T(2, 'NUMBER')],
  DatasetMatch: [T(2, 'NUMBER'), T(3, 'NUMBER')],
  SchemaMatch: [T(1, 'NUMBER')],
  AggregateMatch: [T(2, 'NUMBER')],
  DetectAnomalies: [T([1], 'BOOLEAN')],
  AllStatistics: [T(1, 'NUMBER', { analyzerOnly: true })],
  FileMatch: [T(2, 'BOOLEAN'), T(1, 'STRING'), T(0, 'STRING')],
  FileUniqueness: [T(1, 'NUMBER'), T(0, 'NUMBER')],
  FileFreshness: [T(1, 'DATE', { threshold: true }), T(0, 'DATE', { threshold: true })],
  FileSize: [T(1, 'SIZE', { threshold: true }), T(0, 'SIZE', { threshold: true })],
};

function ruleType(name: string, count: number): RuleType | undefined {
  return DQDL_RULE_TYPES[name]?.find((t) => (Array.isArray(t.params) ? count >= t.params[0] : count === t.params));
}

// ---------------------------------------------------------------------------------------------
// Parser

const removeQuotes = (s: string) => (s.length >= 2 && s.startsWith('"') && s.endsWith('"') ? s.slice(1, -1) : s);
const removeEscapes = (s: string) => s.replace(/\\(.)/g, '$1');
const MAX_COMPOSITE_DEPTH = 5;

class Parser {
  private p = 0;
  readonly variables: Record<string, string | string[]> = {};
  constructor(private readonly toks: Tok[]) {}

  private peek(k = 0): Tok {
    return this.toks[Math.min(this.p + k, this.toks.length - 1)]!;
  }
  private next(): Tok {
    const t = this.peek();
    if (t.type !== 'EOF') this.p++;
    return t;
  }
  private is(type: TokType, text?: string, k = 0): boolean {
    const t = this.peek(k);
    return t.type === type && (text === undefined || t.text === text);
  }
  private fail(expected: string, t = this.peek()): never {
    throw new DqdlSyntaxError(
      `expected ${expected}, found ${t.type === 'EOF' ? 'the end of the ruleset' : JSON.stringify(t.text)}`,
      t.line,
      t.column,
    );
  }
  private expect(type: TokType, text?: string, what?: string): Tok {
    if (!this.is(type, text)) this.fail(what ?? text ?? type);
    return this.next();
  }
  /** Runs `f`; on a syntax error restores the position and returns undefined. */
  private attempt<R>(f: () => R): R | undefined {
    const at = this.p;
    try {
      return f();
    } catch (e) {
      if (!(e instanceof DqdlSyntaxError)) throw e;
      const f0 = this.furthest;
      if (!f0 || e.line > f0.line || (e.line === f0.line && e.column > f0.column)) this.furthest = e;
      this.p = at;
      return undefined;
    }
  }
  /** The error of a failed alternative that got furthest (the most telling one). */
  private furthest: DqdlSyntaxError | undefined;

  document(): DqdlRuleset {
    const metadata: Record<string, string> = {};
    if (this.is('LIT', 'Metadata')) {
      const t = this.next();
      this.expect('EQUAL_TO');
      for (const [k, v] of this.dictionary()) {
        if (k !== 'Version')
          throw new DqdlSyntaxError('Unsupported key provided in Metadata section', t.line, t.column);
        metadata[k] = Array.isArray(v) ? v.join(',') : v;
      }
    }
    if (this.is('LIT', 'DataSources')) {
      const t = this.next();
      this.expect('EQUAL_TO');
      for (const [k] of this.dictionary()) {
        if (k !== 'Primary' && k !== 'AdditionalDataSources')
          throw new DqdlSyntaxError('Unsupported key provided in Sources section', t.line, t.column);
      }
    }
    while (this.is('IDENTIFIER') && this.is('EQUAL_TO', undefined, 1)) {
      const name = this.next().text;
      this.next();
      if (this.is('LBRAC')) {
        this.next();
        const values = [this.stringValue()];
        while (this.is('COMMA')) {
          this.next();
          values.push(this.stringValue());
        }
        this.expect('RBRAC');
        this.variables[name] = values;
      } else {
        this.variables[name] = this.stringValue();
      }
    }
    const rules: DqdlRule[] = [];
    const analyzers: DqdlRuleset['analyzers'] = [];
    let sections = 0;
    if (this.is('LIT', 'Rules')) {
      sections++;
      this.next();
      this.expect('EQUAL_TO');
      this.expect('LBRAC');
      if (!this.is('RBRAC')) {
        rules.push(this.topLevelRule(0));
        while (this.is('COMMA')) {
          this.next();
          rules.push(this.topLevelRule(0));
        }
      }
      this.expect('RBRAC', undefined, "',' or ']'");
    }
    if (this.is('LIT', 'Analyzers')) {
      sections++;
      this.next();
      this.expect('EQUAL_TO');
      this.expect('LBRAC');
      if (!this.is('RBRAC')) {
        analyzers.push(this.analyzer());
        while (this.is('COMMA')) {
          this.next();
          analyzers.push(this.analyzer());
        }
      }
      this.expect('RBRAC', undefined, "',' or ']'");
    }
    if (!sections) this.fail("'Rules = ['");
    if (!this.is('EOF')) this.fail('the end of the ruleset');
    if (!rules.length && !analyzers.length) throw new DqdlSyntaxError('No rules or analyzers provided.', 1, 1);
    return { metadata, variables: this.variables, rules, analyzers };
  }

  private dictionary(): Array<[string, string | string[]]> {
    const open = this.expect('LCURL');
    if (this.is('RCURL')) throw new DqdlSyntaxError('Empty dictionary provided', open.line, open.column);
    const pairs: Array<[string, string | string[]]> = [];
    do {
      if (pairs.length) this.next();
      const key = removeEscapes(removeQuotes(this.expect('QUOTED_STRING').text));
      this.expect('COLON');
      if (this.is('LBRAC')) {
        this.next();
        const values = [removeQuotes(this.expect('QUOTED_STRING').text)];
        while (this.is('COMMA')) {
          this.next();
          values.push(removeQuotes(this.expect('QUOTED_STRING').text));
        }
        this.expect('RBRAC');
        pairs.push([key, values]);
      } else {
        pairs.push([key, removeQuotes(this.expect('QUOTED_STRING').text)]);
      }
    } while (this.is('COMMA'));
    this.expect('RCURL');
    return pairs;
  }

  private stringValue(): string {
    const t = this.next();
    if (t.type === 'QUOTED_STRING') return removeQuotes(t.text);
    if (t.type === 'NULL' || t.type === 'EMPTY' || t.type === 'WHITESPACES_ONLY') return t.text.toUpperCase();
    return this.fail('a quoted string', t);
  }

  /**
   * topLevelRule: '(' topLevelRule ')' | topLevelRule AND topLevelRule | topLevelRule OR topLevelRule
   * | dqRule. Left-recursive in ANTLR: AND binds tighter than OR and chains nest to the left
   * (`a and b and c` is `(a and b) and c`), which is what Glue's depth limit counts.
   */
  private topLevelRule(depth: number): DqdlRule {
    const start = this.peek();
    let rule = this.andRule(depth);
    while (this.is('OR')) {
      this.next();
      rule = this.composite('or', [rule, this.andRule(depth)], start);
    }
    if (depth === 0) checkDepth(rule, 0);
    return rule;
  }

  private andRule(depth: number): DqdlRule {
    const start = this.peek();
    let rule = this.primaryRule(depth);
    while (this.is('AND')) {
      this.next();
      rule = this.composite('and', [rule, this.primaryRule(depth)], start);
    }
    return rule;
  }

  private composite(op: 'and' | 'or', rules: DqdlRule[], start: Tok): DqdlRule {
    return { kind: 'composite', op, rules, line: start.line, column: start.column };
  }

  private primaryRule(depth: number): DqdlRule {
    if (this.is('LPAREN')) {
      this.next();
      const r = this.topLevelRule(depth);
      this.expect('RPAREN', undefined, "')'");
      return r;
    }
    return this.dqRule();
  }

  private parameters(): string[] {
    const params: string[] = [];
    for (;;) {
      const connector = this.is('OF') || this.is('AND') ? 1 : 0;
      const t = this.peek(connector);
      if (t.type !== 'QUOTED_STRING' && t.type !== 'IDENTIFIER') return params;
      if (connector) this.next();
      this.next();
      params.push(t.type === 'QUOTED_STRING' ? removeQuotes(t.text) : t.text);
    }
  }

  private analyzer(): DqdlRuleset['analyzers'][number] {
    const t = this.expect('IDENTIFIER', undefined, 'an analyzer type');
    const parameters = this.parameters();
    const type = ruleType(t.text, parameters.length);
    if (!type) throw new DqdlSyntaxError(`Analyzer Type: ${t.text} is not valid`, t.line, t.column);
    if (type.returns === 'BOOLEAN')
      throw new DqdlSyntaxError(`Analyzer Type: ${t.text} is not supported`, t.line, t.column);
    return { type: t.text, parameters, line: t.line, column: t.column };
  }

  private dqRule(): DqdlRule {
    const t = this.expect('IDENTIFIER', undefined, 'a rule type');
    const parameters = this.parameters();
    const err = (m: string): never => {
      throw new DqdlSyntaxError(m, t.line, t.column);
    };
    const type =
      ruleType(t.text, parameters.length) ??
      err(`Rule Type: ${t.text} is not valid (with ${parameters.length} parameter(s))`);
    if (type.analyzerOnly) err(`Analyzer Type: ${t.text} is not supported in rules section`);
    const condition = this.condition();
    const returns = type.returns.split('|').map((r) => r.replace(/_ARRAY$/, ''));
    if (condition === undefined && !returns.includes('BOOLEAN'))
      err(`Unexpected condition for rule of type ${t.text}: it needs a condition (${type.returns})`);
    if (condition !== undefined) {
      const fits = returns.some(
        (r) => r === condition.type.toUpperCase() || (r === 'SIZE' && condition.type === 'number'),
      );
      if (!fits)
        err(
          `Unexpected condition for rule of type ${t.text} with ${type.returns.toLowerCase()} return type (got a ${condition.type} condition)`,
        );
    }
    let where: string | undefined;
    if (this.is('LIT', 'where')) {
      this.next();
      const w = this.expect('QUOTED_STRING', undefined, 'a quoted where clause');
      if (!type.where) err(`Where clause is not supported for rule type: ${t.text}`);
      if (w.text === '""') err(`Empty where condition provided for rule type: ${t.text}`);
      where = removeQuotes(w.text);
    }
    let threshold: DqdlCondition | undefined;
    const tags: Record<string, string> = {};
    while (this.is('LIT', 'with')) {
      this.next();
      const key = this.expect('IDENTIFIER', undefined, 'a tag name (threshold, …)').text;
      const c =
        this.attempt(() => this.numberCondition()) ??
        this.attempt(() => this.stringCondition()) ??
        this.fail('a condition after the tag');
      if (c.type === 'number') {
        if (!type.threshold) err(`Threshold condition not supported for rule type: ${t.text}`);
        if (threshold) err('Only one threshold condition at a time is supported.');
        threshold = c;
      } else {
        if (c.op !== '=') err('Only EQUAL_TO condition is supported for String tags.');
        const v = c.operands[0]!;
        tags[key] = v.kind === 'string' ? v.value : v.kind === 'keyword' ? v.value : '';
      }
    }
    return {
      kind: 'rule',
      type: t.text,
      parameters,
      ...(condition ? { condition } : {}),
      ...(where !== undefined ? { where } : {}),
      ...(threshold ? { threshold } : {}),
      tags,
      line: t.line,
      column: t.column,
    };
  }

  /** `condition: number | string | date | duration | size`: the first alternative after which the rule can go on. */
  private condition(): DqdlCondition | undefined {
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

  private numberCondition(): DqdlCondition {
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

  private stringCondition(): DqdlCondition {
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

/** Glue's limit: a rule inside more than 5 nested composites is refused. */
function checkDepth(rule: DqdlRule, depth: number): void {
  if (rule.kind === 'rule') {
    if (depth > MAX_COMPOSITE_DEPTH)
      throw new DqdlSyntaxError(
        `Maximum nested expression depth of ${MAX_COMPOSITE_DEPTH} reached for composite rule`,
        rule.line,
        rule.column,
      );
    return;
  }
  for (const r of rule.rules) checkDepth(r, depth + 1);
}

function opText(o: DqdlOperand): string {
  return o.kind === 'number' ? o.text : o.kind === 'null' ? 'NULL' : '?';
}

/**
 * Parses a DQDL ruleset strictly, as Glue does, with Glue's post-parse validations: known rule
 * types with their parameter counts, conditions of the rule type's return type, `where` and
 * `with threshold` only where supported, composite rules nested at most 5 deep, and at least one
 * rule or analyzer (`Rules = []` is refused: "No rules or analyzers provided").
 *
 * @throws {@link DqdlSyntaxError} with the line and column of the first problem.
 */
export function parseDqdl(text: string): DqdlRuleset {
  return new Parser(lex(text)).document();
}

/** The leaf rules of a ruleset, composites flattened, in order. */
export function dqdlLeafRules(rules: readonly DqdlRule[]): Array<Extract<DqdlRule, { kind: 'rule' }>> {
  return rules.flatMap((r) => (r.kind === 'rule' ? [r] : dqdlLeafRules(r.rules)));
}
