// The Condition element: operators, IfExists, Null, the ForAnyValue / ForAllValues set operators,
// and what happens when the request lacks the key.

import { arnConditionMatches } from './arn-match.js';
import type { PolicyValue } from './types.js';
import type { ContextEntry, RequestContext } from './context.js';
import { compileValue } from './variables.js';
import { describeUnresolved, isRecord, isUnresolved } from './values.js';
import { NO, YES, allOf, anyOf, explain, fromBoolean, not, unknown, type Verdict } from './verdict.js';
import { patternMatches, patternText } from './wildcard.js';
import { ipInRange, parseCidr } from './ip-address.js';

type Family = 'string' | 'numeric' | 'date' | 'bool' | 'binary' | 'ip' | 'arn';

interface BaseOperator {
  readonly name: string;
  readonly family: Family;
  /** Negated operators (StringNotEquals…) are true when no policy value matches (NOR). */
  readonly negated: boolean;
  /** For string operators: wildcards (Like), case (IgnoreCase). */
  readonly wildcards?: boolean;
  readonly ignoreCase?: boolean;
  /** For numeric and date operators: how the request value compares with the policy value. */
  readonly compare?: (request: number, policy: number) => boolean;
}

const eq = (a: number, b: number) => a === b;
const lt = (a: number, b: number) => a < b;
const le = (a: number, b: number) => a <= b;
const gt = (a: number, b: number) => a > b;
const ge = (a: number, b: number) => a >= b;

const OPERATORS: readonly BaseOperator[] = [
  { name: 'StringEquals', family: 'string', negated: false },
  { name: 'StringNotEquals', family: 'string', negated: true },
  { name: 'StringEqualsIgnoreCase', family: 'string', negated: false, ignoreCase: true },
  { name: 'StringNotEqualsIgnoreCase', family: 'string', negated: true, ignoreCase: true },
  { name: 'StringLike', family: 'string', negated: false, wildcards: true },
  { name: 'StringNotLike', family: 'string', negated: true, wildcards: true },
  { name: 'NumericEquals', family: 'numeric', negated: false, compare: eq },
  { name: 'NumericNotEquals', family: 'numeric', negated: true, compare: eq },
  { name: 'NumericLessThan', family: 'numeric', negated: false, compare: lt },
  { name: 'NumericLessThanEquals', family: 'numeric', negated: false, compare: le },
  { name: 'NumericGreaterThan', family: 'numeric', negated: false, compare: gt },
  { name: 'NumericGreaterThanEquals', family: 'numeric', negated: false, compare: ge },
  { name: 'DateEquals', family: 'date', negated: false, compare: eq },
  { name: 'DateNotEquals', family: 'date', negated: true, compare: eq },
  { name: 'DateLessThan', family: 'date', negated: false, compare: lt },
  { name: 'DateLessThanEquals', family: 'date', negated: false, compare: le },
  { name: 'DateGreaterThan', family: 'date', negated: false, compare: gt },
  { name: 'DateGreaterThanEquals', family: 'date', negated: false, compare: ge },
  { name: 'Bool', family: 'bool', negated: false },
  { name: 'BinaryEquals', family: 'binary', negated: false },
  { name: 'IpAddress', family: 'ip', negated: false },
  { name: 'NotIpAddress', family: 'ip', negated: true },
  { name: 'ArnEquals', family: 'arn', negated: false, wildcards: true },
  { name: 'ArnLike', family: 'arn', negated: false, wildcards: true },
  { name: 'ArnNotEquals', family: 'arn', negated: true, wildcards: true },
  { name: 'ArnNotLike', family: 'arn', negated: true, wildcards: true },
];

const BY_NAME = new Map(OPERATORS.map((op) => [op.name.toLowerCase(), op]));

type SetOperator = 'ForAnyValue' | 'ForAllValues';

type Operator =
  | { readonly kind: 'null' }
  | { readonly kind: 'compare'; readonly base: BaseOperator; readonly ifExists: boolean; readonly set?: SetOperator };

/** Parses `ForAnyValue:StringLikeIfExists` and the like (case-insensitive); undefined if unknown. */
function parseOperator(name: string): Operator | undefined {
  let rest = name;
  let set: SetOperator | undefined;
  const colon = rest.indexOf(':');
  if (colon >= 0) {
    const prefix = rest.slice(0, colon).toLowerCase();
    if (prefix === 'foranyvalue') set = 'ForAnyValue';
    else if (prefix === 'forallvalues') set = 'ForAllValues';
    else return undefined;
    rest = rest.slice(colon + 1);
  }
  const lower = rest.toLowerCase();
  if (lower === 'null') return set ? undefined : { kind: 'null' };
  const ifExists = lower.endsWith('ifexists');
  const base = BY_NAME.get(ifExists ? lower.slice(0, -'ifexists'.length) : lower);
  if (!base) return undefined;
  return set ? { kind: 'compare', base, ifExists, set } : { kind: 'compare', base, ifExists };
}

/** Options of condition evaluation. */
export interface ConditionOptions {
  readonly context: RequestContext;
  /** Whether policy variables are substituted (policy Version 2012-10-17). */
  readonly variables: boolean;
}

/**
 * Whether a statement's Condition element holds for the request: every operator and every key
 * must hold (AND); the values listed for one key are alternatives (OR, or NOR for negated operators).
 */
export function conditionMatches(condition: unknown, options: ConditionOptions): Verdict {
  if (condition === undefined) return YES;
  if (isUnresolved(condition)) return unknown(`Condition is an ${describeUnresolved(condition)}`);
  if (!isRecord(condition)) return unknown('Condition is not an object');
  const verdicts: Verdict[] = [];
  for (const [operatorName, block] of Object.entries(condition)) {
    const operator = parseOperator(operatorName);
    if (!operator) {
      verdicts.push(unknown(`condition operator '${operatorName}' is not supported`));
      continue;
    }
    if (isUnresolved(block) || !isRecord(block)) {
      verdicts.push(
        unknown(
          `condition operator '${operatorName}' holds ${isUnresolved(block) ? `an ${describeUnresolved(block)}` : 'no object of keys'}`,
        ),
      );
      continue;
    }
    for (const [key, raw] of Object.entries(block)) {
      const label = `condition ${operatorName} on '${key}'`;
      const values = conditionValues(raw);
      if (typeof values === 'string') {
        verdicts.push(unknown(`${label}: ${values}`));
        continue;
      }
      const entry = options.context.get(key);
      const v = operator.kind === 'null' ? nullMatches(values, entry) : keyMatches(operator, values, entry, options);
      verdicts.push(explain(v, `${label}: `));
    }
  }
  return allOf(verdicts);
}

type ConditionValue = PolicyValue;

/** The policy values of one key (booleans and numbers as strings), or why they are malformed. */
function conditionValues(raw: unknown): ConditionValue[] | string {
  const items = Array.isArray(raw) ? raw : [raw];
  if (items.length === 0) return 'no values';
  const out: ConditionValue[] = [];
  for (const item of items) {
    if (typeof item === 'string') out.push(item);
    else if (typeof item === 'number' || typeof item === 'boolean') out.push(String(item));
    else if (isUnresolved(item)) out.push(item);
    else return `value ${JSON.stringify(item) ?? String(item)} is not a string`;
  }
  return out;
}

/** Null: `true` holds when the key is absent, `false` when it is present. */
function nullMatches(values: readonly ConditionValue[], entry: ContextEntry | undefined): Verdict {
  const present = entry !== undefined && entry.values.length > 0;
  return anyOf(
    values.map((value) => {
      if (isUnresolved(value)) return unknown(`an ${describeUnresolved(value)}`);
      const lower = value.toLowerCase();
      if (lower !== 'true' && lower !== 'false') return unknown(`Null takes "true" or "false", not '${value}'`);
      return fromBoolean((lower === 'true') !== present);
    }),
  );
}

function keyMatches(
  operator: Extract<Operator, { kind: 'compare' }>,
  values: readonly ConditionValue[],
  entry: ContextEntry | undefined,
  options: ConditionOptions,
): Verdict {
  const { base, ifExists, set } = operator;
  // A missing key (or a multivalued key with no value): IfExists and ForAllValues hold, ForAnyValue
  // does not, negated operators hold, positive ones do not.
  if (entry === undefined || entry.values.length === 0) {
    if (ifExists || set === 'ForAllValues') return YES;
    if (set === 'ForAnyValue') return NO;
    return fromBoolean(base.negated);
  }
  const one = (requestValue: string): Verdict => {
    const matched = anyOf(values.map((value) => valueMatches(base, value, requestValue, options)));
    return base.negated ? not(matched) : matched;
  };
  if (set === 'ForAllValues') return allOf(entry.values.map(one));
  if (set === 'ForAnyValue') return anyOf(entry.values.map(one));
  // A multivalued key needs a set operator: a single-valued operator does not match it.
  if (entry.multivalued) return NO;
  return one(entry.values[0]!);
}

/** Whether one policy value matches one request value (before negation). */
function valueMatches(
  base: BaseOperator,
  value: ConditionValue,
  requestValue: string,
  options: ConditionOptions,
): Verdict {
  if (isUnresolved(value)) return unknown(`an ${describeUnresolved(value)}`);
  switch (base.family) {
    case 'string':
    case 'arn':
    case 'bool': {
      const compiled = compileValue(value, {
        context: options.context,
        variables: options.variables,
        wildcards: base.wildcards === true,
      });
      if (!compiled.ok) return unknown(`'${value}': ${compiled.why}`);
      if (base.family === 'arn') return fromBoolean(arnConditionMatches(compiled.pattern, requestValue));
      if (base.family === 'bool') {
        const text = patternText(compiled.pattern).toLowerCase();
        if (text !== 'true' && text !== 'false') return unknown(`Bool takes "true" or "false", not '${value}'`);
        return fromBoolean(requestValue.toLowerCase() === text);
      }
      return fromBoolean(patternMatches(compiled.pattern, requestValue, base.ignoreCase === true));
    }
    case 'numeric': {
      const policy = parseNumber(value);
      if (policy === undefined) return unknown(`'${value}' is not a number`);
      const request = parseNumber(requestValue);
      return fromBoolean(request !== undefined && base.compare!(request, policy));
    }
    case 'date': {
      const policy = parseDate(value);
      if (policy === undefined) return unknown(`'${value}' is not a date (ISO 8601 or epoch seconds)`);
      const request = parseDate(requestValue);
      return fromBoolean(request !== undefined && base.compare!(request, policy));
    }
    case 'binary':
      return fromBoolean(value === requestValue);
    case 'ip': {
      const range = parseCidr(value);
      if (!range) return unknown(`'${value}' is not an IP address or CIDR block`);
      return fromBoolean(ipInRange(range, requestValue));
    }
  }
}

function parseNumber(text: string): number | undefined {
  return /^\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*$/.test(text) ? Number(text) : undefined;
}

/** ISO 8601 date-time or epoch seconds, as milliseconds. */
function parseDate(text: string): number | undefined {
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  if (!/^\d{4}-\d{2}-\d{2}/.test(text)) return undefined;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}
