/**
 * A strict parser of the Glue Data Quality Definition Language, written from the official grammar
 * (awslabs/dqdl `configuration/dqdl/DataQualityDefinitionLanguage.g4` + `CommonLexerRules.g4`),
 * its post-parse validations (`DQDLParserListener`) and the rule types of
 * `configuration/dqdl/rules-config.json`. It accepts what Glue accepts and gives the values Glue
 * sees: quoted parameters, `where` clauses and `matches` patterns verbatim (only the outer quotes
 * are stripped: backslashes stay), strings of `in [...]` with `\"` and `\\` unescaped.
 *
 * This module parses the ruleset's sections and rules; the syntax tree is in dqdl-ast.ts, the
 * lexer in dqdl-lex.ts, the rule types in dqdl-rule-types.ts, the conditions in dqdl-conditions.ts.
 */

import { DqdlSyntaxError, type DqdlCondition, type DqdlRule, type DqdlRuleset } from './dqdl-ast.js';
import { DqdlConditionParser, removeEscapes, removeQuotes } from './dqdl-conditions.js';
import { lex, type Tok } from './dqdl-lex.js';
import { ruleType } from './dqdl-rule-types.js';

const MAX_COMPOSITE_DEPTH = 5;

/** The ruleset grammar: Metadata, DataSources, variables, Rules and Analyzers. */
class Parser extends DqdlConditionParser {
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
