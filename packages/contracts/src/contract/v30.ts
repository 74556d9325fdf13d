/**
 * ODCS v3.0.x constructs and their v3.1.0 equivalents. One table serves both the reading of a
 * v3.0.x contract (`readAsLatest`: what lint, diff and the compilers see) and `mesh contract
 * upgrade` (which writes the same changes into the file), so an upgraded contract diffs as
 * "no semantic change" against the original.
 */
import { isTimestampPhysicalType } from '../compile/types.js';
import { THRESHOLD_OPERATORS } from '../diff/quality.js';
import type { OdcsContract, QualityRule } from '../odcs.js';

/** v3.0 library rule names (`rule:`) → v3.1 `metric`, and the operator a bare v3.0 rule means. */
export const V30_LIBRARY_RULES: Readonly<
  Record<string, { metric: string; defaultOperator?: Record<string, unknown> }>
> = {
  nullCheck: { metric: 'nullValues', defaultOperator: { mustBe: 0 } },
  nullValues: { metric: 'nullValues', defaultOperator: { mustBe: 0 } },
  missingValues: { metric: 'missingValues', defaultOperator: { mustBe: 0 } },
  duplicateCount: { metric: 'duplicateValues', defaultOperator: { mustBe: 0 } },
  duplicateValues: { metric: 'duplicateValues', defaultOperator: { mustBe: 0 } },
  uniqueCheck: { metric: 'duplicateValues', defaultOperator: { mustBe: 0 } },
  validValues: { metric: 'invalidValues', defaultOperator: { mustBe: 0 } },
  invalidValues: { metric: 'invalidValues', defaultOperator: { mustBe: 0 } },
  rowCount: { metric: 'rowCount' },
  countCheck: { metric: 'rowCount' },
};

/** One edit that turns a v3.0.x construct into its v3.1.0 form, at a path of the document. */
export type V30Edit =
  | { kind: 'team'; path: Array<string | number> }
  | {
      kind: 'rule';
      path: Array<string | number>;
      metric: string;
      addOperator?: Record<string, unknown>;
      validValues?: boolean;
    }
  | { kind: 'unknownRule'; path: Array<string | number>; rule: string }
  | {
      kind: 'exclusiveBound';
      path: Array<string | number>;
      bound: 'exclusiveMinimum' | 'exclusiveMaximum';
      value: unknown;
      from: 'minimum' | 'maximum';
    }
  | { kind: 'dropFalseBound'; path: Array<string | number>; bound: 'exclusiveMinimum' | 'exclusiveMaximum' }
  | { kind: 'timestamp'; path: Array<string | number> };

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

/** The edits that turn a v3.0.x contract (plain data) into v3.1.0, in document order. */
export function v30Edits(doc: unknown): V30Edit[] {
  const edits: V30Edit[] = [];
  if (!isObj(doc)) return edits;
  if (Array.isArray(doc.team)) edits.push({ kind: 'team', path: ['team'] });
  const quality = (list: unknown, path: Array<string | number>): void => {
    if (!Array.isArray(list)) return;
    list.forEach((q, i) => {
      if (!isObj(q) || typeof q.rule !== 'string' || q.metric !== undefined) return;
      if (q.type !== undefined && q.type !== 'library') return;
      const at = [...path, i];
      const known = V30_LIBRARY_RULES[q.rule];
      const hasOperator = THRESHOLD_OPERATORS.some((o) => o in q);
      if (!known || (!hasOperator && !known.defaultOperator)) {
        edits.push({ kind: 'unknownRule', path: at, rule: q.rule });
        return;
      }
      edits.push({
        kind: 'rule',
        path: at,
        metric: known.metric,
        ...(hasOperator ? {} : { addOperator: known.defaultOperator! }),
        ...(Array.isArray(q.validValues) ? { validValues: true } : {}),
      });
    });
  };
  const property = (p: unknown, path: Array<string | number>): void => {
    if (!isObj(p)) return;
    if (p.logicalType === 'date' && isTimestampPhysicalType(p.physicalType)) edits.push({ kind: 'timestamp', path });
    const o = p.logicalTypeOptions;
    if (isObj(o)) {
      for (const [bound, from] of [
        ['exclusiveMinimum', 'minimum'],
        ['exclusiveMaximum', 'maximum'],
      ] as const) {
        if (o[bound] === true && o[from] !== undefined)
          edits.push({ kind: 'exclusiveBound', path: [...path, 'logicalTypeOptions'], bound, value: o[from], from });
        else if (typeof o[bound] === 'boolean')
          edits.push({ kind: 'dropFalseBound', path: [...path, 'logicalTypeOptions'], bound });
      }
    }
    quality(p.quality, [...path, 'quality']);
    if (Array.isArray(p.properties)) p.properties.forEach((c, i) => property(c, [...path, 'properties', i]));
    if (isObj(p.items)) property(p.items, [...path, 'items']);
  };
  if (Array.isArray(doc.schema)) {
    doc.schema.forEach((o, i) => {
      if (!isObj(o)) return;
      quality(o.quality, ['schema', i, 'quality']);
      if (Array.isArray(o.properties)) o.properties.forEach((p, j) => property(p, ['schema', i, 'properties', j]));
    });
  }
  return edits;
}

/** Applies edits to a deep copy of plain data (the v3.1.0 reading); unknown rules are left as they are. */
export function applyV30Edits<T>(doc: T, edits: readonly V30Edit[]): T {
  const copy = structuredClone(doc) as unknown;
  const at = (path: ReadonlyArray<string | number>): Obj => {
    let node: unknown = copy;
    for (const seg of path) node = (node as Record<string | number, unknown>)[seg];
    return node as Obj;
  };
  for (const e of edits) {
    switch (e.kind) {
      case 'team':
        (copy as Obj).team = { members: (copy as Obj).team };
        break;
      case 'rule': {
        const q = at(e.path) as QualityRule;
        q.metric = e.metric as QualityRule['metric'];
        delete q.rule;
        if (e.validValues) {
          q.arguments = { ...(q.arguments ?? {}), validValues: q.validValues };
          delete q.validValues;
        }
        if (e.addOperator) Object.assign(q, e.addOperator);
        break;
      }
      case 'exclusiveBound': {
        const o = at(e.path);
        o[e.bound] = e.value;
        delete o[e.from];
        break;
      }
      case 'dropFalseBound':
        delete at(e.path)[e.bound];
        break;
      case 'timestamp':
        at(e.path).logicalType = 'timestamp';
        break;
      case 'unknownRule':
        break;
    }
  }
  return copy as T;
}

/**
 * The v3.1.0 reading of a contract: v3.1.0 contracts as they are (no copy); for v3.0.x, a copy
 * with the team array as `team.members`, library rules `rule:` as `metric:` (v3.0 names mapped,
 * `validValues` moved into `arguments`, the implicit `mustBe: 0` of a bare check made explicit),
 * boolean `exclusiveMinimum`/`exclusiveMaximum` as bounds, and `logicalType: date` on a timestamp
 * physical type as `timestamp`. The `apiVersion` is kept.
 */
export function readAsLatest(contract: OdcsContract): OdcsContract {
  if (contract.apiVersion === 'v3.1.0') return contract;
  const edits = v30Edits(contract);
  return edits.length ? applyV30Edits(contract, edits) : contract;
}
