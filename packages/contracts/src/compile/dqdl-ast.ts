/**
 * The syntax tree of a DQDL ruleset as `parseDqdl` (dqdl-parse.ts) returns it, and its error type.
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
