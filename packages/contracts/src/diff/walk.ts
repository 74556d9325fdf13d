/**
 * The walk of the compatibility diff: matches the parts of an old and a new contract (schema
 * objects, properties — recursively through nested `properties` and array `items` —, quality
 * rules, SLA entries, servers, custom properties) and records one raw change per difference.
 * Verdicts (severity, bump) are decided later, in `diff.ts`, from the rule table.
 */
import { MeshError } from '../errors.js';
import { canonicalJson } from '../repository/canonical-json.js';
import type { Path, SourceDocument } from '../load/source.js';
import type {
  CustomProperty,
  LogicalTypeOptions,
  OdcsContract,
  QualityRule,
  SchemaItem,
  SchemaObject,
  Server,
  SlaProperty,
} from '../odcs.js';
import { compareThresholds, isAllowedValuesRule, metricOf, THRESHOLD_OPERATORS } from './quality.js';
import { CHANGE_RULES, type Breaks, type ChangeRuleId } from './rules.js';
import { compareSla, unreadableSlaValue } from './sla.js';
import { isTimestampPhysicalType } from '../compile/types.js';
import { combineVerdicts, integerFormatVerdict, logicalTypeVerdict, physicalTypeVerdict } from './types.js';
import {
  COMPATIBILITY_PROPERTY,
  DEFAULT_MODE,
  isModeAtLeast,
  parseCompatibilityMode,
  type CompatibilityMode,
} from './verdict.js';

/** A contract to compare: a loaded contract whose `contract` is defined. */
export interface ContractInput {
  source: SourceDocument;
  contract: OdcsContract;
}

/** A change before its verdict: where to locate it is kept, the location is computed only if it is reported. */
export interface RawChange {
  rule: ChangeRuleId;
  breaks: Breaks;
  path: string;
  message: string;
  /** Document the location points into (the new one; the old one for removals). */
  doc: SourceDocument;
  /** Data path of the node in `doc`. */
  at: Path;
  /** Reported as a warning even when it breaks nothing (status moving to deprecated/retired, classification). */
  warn?: boolean;
  /** Mode the change is judged under instead of the diff's mode (a weakened compatibility mode). */
  judge?: CompatibilityMode;
}

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const list = <T>(v: unknown): T[] => (Array.isArray(v) ? (v as T[]) : []);
const show = (v: unknown): string => (v === undefined ? '(none)' : typeof v === 'string' ? v : JSON.stringify(v));

/** Structural equality, ignoring key order (`undefined` values count as absent). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!deepEqual(a[i], b[i])) return false;
    return true;
  }
  const ka = Object.keys(a).filter((k) => (a as Obj)[k] !== undefined);
  const kb = Object.keys(b).filter((k) => (b as Obj)[k] !== undefined);
  if (ka.length !== kb.length) return false;
  for (const k of ka) if (!deepEqual((a as Obj)[k], (b as Obj)[k])) return false;
  return true;
}

/**
 * Pairs old and new list items: by id when both sides have one, else by `keyOf` (items whose ids
 * both exist and differ are never paired). Items sharing a key are paired equal-first, then in
 * order of appearance, so reordering never counts.
 */
export function pairItems<T>(
  olds: readonly T[],
  news: readonly T[],
  idOf: (t: T) => unknown,
  keyOf: (t: T) => string,
): { pairs: Array<[number, number]>; removed: number[]; added: number[] } {
  const pairs: Array<[number, number]> = [];
  const usedOld = new Set<number>();
  const usedNew = new Set<number>();
  const newById = new Map<string, number>();
  news.forEach((t, j) => {
    const id = idOf(t);
    if (typeof id === 'string' && !newById.has(id)) newById.set(id, j);
  });
  if (newById.size) {
    olds.forEach((t, i) => {
      const id = idOf(t);
      const j = typeof id === 'string' ? newById.get(id) : undefined;
      if (j !== undefined && !usedNew.has(j)) {
        pairs.push([i, j]);
        usedOld.add(i);
        usedNew.add(j);
      }
    });
  }
  const groups = new Map<string, { o: number[]; n: number[] }>();
  const group = (k: string): { o: number[]; n: number[] } => {
    let g = groups.get(k);
    if (!g) groups.set(k, (g = { o: [], n: [] }));
    return g;
  };
  olds.forEach((t, i) => {
    if (!usedOld.has(i)) group(keyOf(t)).o.push(i);
  });
  news.forEach((t, j) => {
    if (!usedNew.has(j)) group(keyOf(t)).n.push(j);
  });
  const hasId = (t: T): boolean => typeof idOf(t) === 'string';
  for (const g of groups.values()) {
    if (!g.o.length || !g.n.length) continue;
    const can = (i: number, j: number): boolean => !(hasId(olds[i]!) && hasId(news[j]!));
    for (const i of g.o) {
      const j = g.n.find((j) => !usedNew.has(j) && can(i, j) && deepEqual(olds[i], news[j]));
      if (j !== undefined) {
        pairs.push([i, j]);
        usedOld.add(i);
        usedNew.add(j);
      }
    }
    for (const i of g.o) {
      if (usedOld.has(i)) continue;
      const j = g.n.find((j) => !usedNew.has(j) && can(i, j));
      if (j !== undefined) {
        pairs.push([i, j]);
        usedOld.add(i);
        usedNew.add(j);
      }
    }
  }
  return {
    pairs,
    removed: olds.map((_, i) => i).filter((i) => !usedOld.has(i)),
    added: news.map((_, j) => j).filter((j) => !usedNew.has(j)),
  };
}

/** The compatibility mode a contract declares in `meshkit.compatibility`, if any. */
export function declaredMode(input: ContractInput, strict: boolean): CompatibilityMode | undefined {
  const props = list<CustomProperty>(input.contract.customProperties);
  const idx = props.findIndex((p) => isObj(p) && p.property === COMPATIBILITY_PROPERTY);
  if (idx < 0) return undefined;
  const raw = props[idx]!.value;
  const mode = parseCompatibilityMode(raw);
  if (mode) return mode;
  if (!strict) return undefined;
  const where = input.source.locate(['customProperties', idx, 'value']);
  throw new MeshError(
    'INVALID_CONTRACT',
    `${COMPATIBILITY_PROPERTY} is ${JSON.stringify(raw)}: expected one of NONE, BACKWARD, FORWARD, FULL, BACKWARD_TRANSITIVE, FORWARD_TRANSITIVE, FULL_TRANSITIVE`,
    { file: where.file, line: where.line, column: where.column, exitCode: 2 },
  );
}

const LOWER_BOUNDS = ['minimum', 'exclusiveMinimum', 'minLength', 'minItems', 'minProperties'] as const;
const UPPER_BOUNDS = ['maximum', 'exclusiveMaximum', 'maxLength', 'maxItems', 'maxProperties'] as const;
const OPTION_KEYS = new Set<string>([
  ...LOWER_BOUNDS,
  ...UPPER_BOUNDS,
  'multipleOf',
  'uniqueItems',
  'required',
  'format',
  'timezone',
  'defaultTimezone',
  'pattern',
]);
/** Server fields that say where the data is or how it is encoded: a change is SERVER_CHANGED. */
const SERVER_LOCATION_KEYS = new Set([
  'type',
  'location',
  'database',
  'host',
  'port',
  'schema',
  'catalog',
  'account',
  'project',
  'dataset',
  'region',
  'regionName',
  'endpointUrl',
  'path',
  'serviceName',
  'warehouse',
  'stream',
  'format',
  'delimiter',
]);
const QUALITY_DEFINITION_KEYS = ['query', 'implementation', 'unit', 'engine'] as const;
const PROPERTY_KEYS = new Set([
  'name',
  'physicalName',
  'id',
  'required',
  'unique',
  'primaryKey',
  'primaryKeyPosition',
  'partitioned',
  'partitionKeyPosition',
  'logicalType',
  'physicalType',
  'logicalTypeOptions',
  'classification',
  'quality',
  'properties',
  'items',
  'customProperties',
]);
const OBJECT_KEYS = new Set([
  'name',
  'physicalName',
  'id',
  'classification',
  'properties',
  'quality',
  'customProperties',
]);
// `apiVersion` is not compared: both contracts are read as v3.1.0 (contract/v30.ts), so `mesh contract upgrade` is no change.
const CONTRACT_KEYS = new Set([
  'apiVersion',
  'version',
  'id',
  'status',
  'schema',
  'servers',
  'slaProperties',
  'customProperties',
]);

/** A node of one side: its value and its data path in that side's document. */
interface At<T> {
  v: T;
  at: Path;
}

/** Compares bound values: numbers numerically, date strings as dates. `undefined` when not comparable. */
function compareBound(a: unknown, b: unknown): number | undefined {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  if (typeof a === 'string' && typeof b === 'string') {
    if (a === b) return 0;
    const x = Date.parse(a);
    const y = Date.parse(b);
    return Number.isNaN(x) || Number.isNaN(y) ? undefined : x - y;
  }
  return undefined;
}

/** Walks one old/new pair of contracts and collects raw changes. */
export class ContractWalker {
  readonly out: RawChange[] = [];
  readonly #old: SourceDocument;
  readonly #new: SourceDocument;

  constructor(
    private readonly oldInput: ContractInput,
    private readonly newInput: ContractInput,
    private readonly modeFromFlag: boolean,
  ) {
    this.#old = oldInput.source;
    this.#new = newInput.source;
  }

  /** Runs the walk; returns the raw changes. */
  run(): RawChange[] {
    const o = this.oldInput.contract as Obj;
    const n = this.newInput.contract as Obj;
    if (o.id !== n.id) this.add('ID_CHANGED', 'id', `contract id changed from ${show(o.id)} to ${show(n.id)}`, ['id']);
    if (o.status !== n.status) {
      const to = typeof n.status === 'string' ? n.status.toLowerCase() : '';
      this.add('STATUS_CHANGED', 'status', `status changed from ${show(o.status)} to ${show(n.status)}`, ['status'], {
        warn: to === 'deprecated' || to === 'retired',
      });
    }
    this.schema(list<SchemaObject>(o.schema), list<SchemaObject>(n.schema));
    this.servers(list<Server>(o.servers), list<Server>(n.servers));
    this.sla(list<SlaProperty>(o.slaProperties), list<SlaProperty>(n.slaProperties));
    this.compatibilityMode();
    this.customProperties(o.customProperties, n.customProperties, '', 'the contract', [], []);
    this.rest(o, n, CONTRACT_KEYS, '', 'the contract', [], []);
    return this.out;
  }

  private add(
    rule: ChangeRuleId,
    path: string,
    message: string,
    at: Path,
    extra: { removal?: boolean; breaks?: Breaks; warn?: boolean; judge?: CompatibilityMode } = {},
  ): void {
    const base = CHANGE_RULES[rule].breaks;
    this.out.push({
      rule,
      path,
      message,
      at,
      doc: extra.removal ? this.#old : this.#new,
      breaks: extra.breaks ?? { backward: base.backward, forward: base.forward },
      ...(extra.warn ? { warn: true } : {}),
      ...(extra.judge ? { judge: extra.judge } : {}),
    });
  }

  private compatibilityMode(): void {
    const before = declaredMode(this.oldInput, false) ?? DEFAULT_MODE;
    const after = declaredMode(this.newInput, true) ?? DEFAULT_MODE;
    if (before === after) return;
    const idx = list<CustomProperty>(this.newInput.contract.customProperties).findIndex(
      (p) => isObj(p) && p.property === COMPATIBILITY_PROPERTY,
    );
    const at: Path = idx >= 0 ? ['customProperties', idx, 'value'] : ['customProperties'];
    const path = `customProperties[${COMPATIBILITY_PROPERTY}]`;
    if (isModeAtLeast(after, before)) {
      this.add('COMPATIBILITY_MODE_CHANGED', path, `compatibility mode strengthened from ${before} to ${after}`, at, {
        breaks: { backward: false, forward: false },
      });
    } else {
      this.add(
        'COMPATIBILITY_MODE_CHANGED',
        path,
        `compatibility mode weakened from ${before} to ${after}`,
        at,
        this.modeFromFlag ? {} : { judge: before },
      );
    }
  }

  private customProperties(o: unknown, n: unknown, base: string, label: string, oAt: Path, nAt: Path): void {
    if (deepEqual(o, n)) return;
    const index = (v: unknown): Map<string, number> => {
      const m = new Map<string, number>();
      list<CustomProperty>(v).forEach((p, i) => {
        if (isObj(p) && typeof p.property === 'string' && !p.property.startsWith('meshkit.') && !m.has(p.property))
          m.set(p.property, i);
      });
      return m;
    };
    const oi = index(o);
    const ni = index(n);
    const ol = list<CustomProperty>(o);
    const nl = list<CustomProperty>(n);
    const prefix = base ? `${base}.` : '';
    for (const [name, i] of oi) {
      const path = `${prefix}customProperties[${name}]`;
      const j = ni.get(name);
      if (j === undefined) {
        this.add(
          'METADATA_CHANGED',
          path,
          `custom property '${name}' removed from ${label}`,
          [...oAt, 'customProperties', i],
          { removal: true },
        );
      } else if (!deepEqual(ol[i], nl[j])) {
        this.add('METADATA_CHANGED', path, `custom property '${name}' of ${label} changed`, [
          ...nAt,
          'customProperties',
          j,
        ]);
      }
    }
    for (const [name, j] of ni) {
      if (!oi.has(name))
        this.add(
          'METADATA_CHANGED',
          `${prefix}customProperties[${name}]`,
          `custom property '${name}' added to ${label}`,
          [...nAt, 'customProperties', j],
        );
    }
  }

  /** Every key not handled elsewhere: METADATA_CHANGED (tags compare as sets). */
  private rest(o: Obj, n: Obj, handled: ReadonlySet<string>, base: string, label: string, oAt: Path, nAt: Path): void {
    const keys = new Set([...Object.keys(o), ...Object.keys(n)]);
    const prefix = base ? `${base}.` : '';
    for (const k of keys) {
      if (handled.has(k)) continue;
      const a = o[k];
      const b = n[k];
      if (
        k === 'tags' && Array.isArray(a) && Array.isArray(b)
          ? canonicalJson(a.map((v) => canonicalJson(v)).sort()) ===
            canonicalJson(b.map((v) => canonicalJson(v)).sort())
          : deepEqual(a, b)
      )
        continue;
      const what = a === undefined ? 'added to' : b === undefined ? 'removed from' : 'changed in';
      this.add('METADATA_CHANGED', `${prefix}${k}`, `'${k}' ${what} ${label}`, [...nAt, k]);
    }
    void oAt;
  }

  private schema(os: SchemaObject[], ns: SchemaObject[]): void {
    const m = pairItems(
      os,
      ns,
      (s) => s?.id,
      (s) => String(s?.name),
    );
    for (const i of m.removed) {
      const name = String(os[i]!.name);
      this.add('SCHEMA_OBJECT_REMOVED', `schema[${name}]`, `schema object '${name}' removed`, ['schema', i], {
        removal: true,
      });
    }
    for (const j of m.added) {
      const name = String(ns[j]!.name);
      this.add('SCHEMA_OBJECT_ADDED', `schema[${name}]`, `schema object '${name}' added`, ['schema', j]);
    }
    for (const [i, j] of m.pairs) this.schemaObject({ v: os[i]!, at: ['schema', i] }, { v: ns[j]!, at: ['schema', j] });
  }

  private schemaObject(o: At<SchemaObject>, n: At<SchemaObject>): void {
    if (deepEqual(o.v, n.v)) return;
    const name = String(n.v.name);
    const path = `schema[${name}]`;
    const label = `'${name}'`;
    this.rename('SCHEMA_OBJECT_RENAMED', 'schema object', o, n, path);
    if (o.v.classification !== n.v.classification) {
      this.add(
        'CLASSIFICATION_CHANGED',
        `${path}.classification`,
        `classification of ${label} changed from ${show(o.v.classification)} to ${show(n.v.classification)}`,
        [...n.at, 'classification'],
        { warn: true },
      );
    }
    this.properties(list(o.v.properties), list(n.v.properties), path, name, o.at, n.at);
    this.quality(list(o.v.quality), list(n.v.quality), path, label, o.at, n.at, false);
    this.customProperties(o.v.customProperties, n.v.customProperties, path, label, o.at, n.at);
    this.rest(o.v, n.v, OBJECT_KEYS, path, label, o.at, n.at);
  }

  /** Renames (same id, other name; or other physicalName, absent meaning the name) and id/physicalName metadata. */
  private rename(
    rule: 'SCHEMA_OBJECT_RENAMED' | 'PROPERTY_RENAMED',
    what: string,
    o: At<Obj>,
    n: At<Obj>,
    path: string,
  ): void {
    const on = o.v.name;
    const nn = n.v.name;
    if (on !== nn) {
      this.add(rule, path, `${what} '${show(on)}' renamed to '${show(nn)}'`, [...n.at, 'name']);
    } else if ((o.v.physicalName ?? on) !== (n.v.physicalName ?? nn)) {
      this.add(
        rule,
        path,
        `physical name of '${show(nn)}' changed from ${show(o.v.physicalName ?? on)} to ${show(n.v.physicalName ?? nn)}`,
        [...n.at, 'physicalName'],
      );
    } else if (o.v.physicalName !== n.v.physicalName) {
      this.add(
        'METADATA_CHANGED',
        `${path}.physicalName`,
        `physicalName of '${show(nn)}' ${n.v.physicalName === undefined ? 'removed' : 'declared'} (same as its name)`,
        [...n.at, 'physicalName'],
      );
    }
    if (o.v.id !== n.v.id)
      this.add(
        'METADATA_CHANGED',
        `${path}.id`,
        `id of '${show(nn)}' changed from ${show(o.v.id)} to ${show(n.v.id)}`,
        [...n.at, 'id'],
      );
  }

  /** Diffs a list of properties; `nested` when `parent` is a property (its label then prefixes the children's). */
  private properties(
    os: SchemaItem[],
    ns: SchemaItem[],
    base: string,
    parent: string,
    oAt: Path,
    nAt: Path,
    nested = false,
  ): void {
    if (!os.length && !ns.length) return;
    const m = pairItems(
      os,
      ns,
      (p) => p?.id,
      (p) => String(p?.name),
    );
    const labelOf = (p: SchemaItem): string => (nested ? `${parent}.${String(p.name)}` : String(p.name));
    for (const i of m.removed) {
      const p = os[i]!;
      this.add(
        'PROPERTY_REMOVED',
        `${base}.properties[${String(p.name)}]`,
        `property '${String(p.name)}' removed from '${parent}'`,
        [...oAt, 'properties', i],
        { removal: true },
      );
    }
    for (const j of m.added) {
      const p = ns[j]!;
      const required = p.required === true;
      this.add(
        required ? 'PROPERTY_ADDED_REQUIRED' : 'PROPERTY_ADDED_OPTIONAL',
        `${base}.properties[${String(p.name)}]`,
        `${required ? 'required' : 'optional'} property '${String(p.name)}' added to '${parent}'`,
        [...nAt, 'properties', j],
      );
    }
    for (const [i, j] of m.pairs) {
      const n = ns[j]!;
      this.property(
        { v: os[i]!, at: [...oAt, 'properties', i] },
        { v: n, at: [...nAt, 'properties', j] },
        `${base}.properties[${String(n.name)}]`,
        labelOf(n),
      );
    }
  }

  private property(o: At<SchemaItem>, n: At<SchemaItem>, path: string, label: string): void {
    if (deepEqual(o.v, n.v)) return;
    const ov = o.v as Obj;
    const nv = n.v as Obj;
    const q = `'${label}'`;
    this.rename('PROPERTY_RENAMED', 'property', o, n, path);
    const flag = (key: 'required' | 'unique', added: ChangeRuleId, removed: ChangeRuleId, adj: string): void => {
      const a = ov[key] === true;
      const b = nv[key] === true;
      if (a !== b)
        this.add(b ? added : removed, `${path}.${key}`, `${q} is ${b ? 'now' : 'no longer'} ${adj}`, [...n.at, key]);
    };
    flag('required', 'REQUIRED_ADDED', 'REQUIRED_REMOVED', 'required');
    flag('unique', 'UNIQUE_ADDED', 'UNIQUE_REMOVED', 'unique');
    this.keyMembership(o, n, path, q, 'primaryKey', 'primaryKeyPosition', 'PRIMARY_KEY_CHANGED', 'the primary key');
    this.keyMembership(
      o,
      n,
      path,
      q,
      'partitioned',
      'partitionKeyPosition',
      'PARTITIONING_CHANGED',
      'the partition key',
    );
    const oo: LogicalTypeOptions = isObj(ov.logicalTypeOptions) ? ov.logicalTypeOptions : {};
    const no: LogicalTypeOptions = isObj(nv.logicalTypeOptions) ? nv.logicalTypeOptions : {};
    const formatIsType = this.type(o, n, oo, no, path, q);
    if (!deepEqual(oo, no)) this.options(oo, no, formatIsType, path, q, [...n.at, 'logicalTypeOptions']);
    if (ov.classification !== nv.classification) {
      this.add(
        'CLASSIFICATION_CHANGED',
        `${path}.classification`,
        `classification of ${q} changed from ${show(ov.classification)} to ${show(nv.classification)}`,
        [...n.at, 'classification'],
        { warn: true },
      );
    }
    this.quality(list(ov.quality), list(nv.quality), path, q, o.at, n.at, true);
    this.properties(list(ov.properties), list(nv.properties), path, label, o.at, n.at, true);
    if (ov.items !== undefined || nv.items !== undefined) {
      const oi = isObj(ov.items) ? (ov.items as SchemaItem) : {};
      const ni = isObj(nv.items) ? (nv.items as SchemaItem) : {};
      this.property(
        { v: oi, at: [...o.at, 'items'] },
        { v: ni, at: [...n.at, 'items'] },
        `${path}.items`,
        `${label}[]`,
      );
    }
    this.customProperties(ov.customProperties, nv.customProperties, path, q, o.at, n.at);
    this.rest(ov, nv, PROPERTY_KEYS, path, q, o.at, n.at);
  }

  private keyMembership(
    o: At<SchemaItem>,
    n: At<SchemaItem>,
    path: string,
    q: string,
    member: 'primaryKey' | 'partitioned',
    position: 'primaryKeyPosition' | 'partitionKeyPosition',
    rule: ChangeRuleId,
    what: string,
  ): void {
    const a = o.v[member] === true;
    const b = n.v[member] === true;
    const pa = typeof o.v[position] === 'number' ? o.v[position] : -1;
    const pb = typeof n.v[position] === 'number' ? n.v[position] : -1;
    if (a !== b) {
      this.add(rule, `${path}.${member}`, `${q} ${b ? 'added to' : 'removed from'} ${what}`, [...n.at, member]);
    } else if (pa !== pb) {
      this.add(rule, `${path}.${position}`, `position of ${q} in ${what} changed from ${pa} to ${pb}`, [
        ...n.at,
        position,
      ]);
    }
  }

  /** Reports the one type verdict of a property; returns true when the `format` change was a type change (i32 ↔ i64). */
  private type(
    o: At<SchemaItem>,
    n: At<SchemaItem>,
    oo: LogicalTypeOptions,
    no: LogicalTypeOptions,
    path: string,
    q: string,
  ): boolean {
    const str = (v: unknown): string | undefined =>
      typeof v === 'string' ? v : v === undefined ? undefined : JSON.stringify(v);
    // `logicalType: date` on a timestamp physical type is a timestamp (the type table's reading, the v3.0 idiom).
    const logical = (v: SchemaItem): unknown =>
      v.logicalType === 'date' && isTimestampPhysicalType(v.physicalType) ? 'timestamp' : v.logicalType;
    const lt = logicalTypeVerdict(str(logical(o.v)), str(logical(n.v)));
    if (lt) {
      const msg =
        lt === 'TYPE_CHANGED'
          ? `logical type of ${q} changed from ${show(o.v.logicalType)} to ${show(n.v.logicalType)}`
          : `type of ${q} ${lt === 'TYPE_WIDENED' ? 'widened' : 'narrowed'} from ${show(o.v.logicalType)} to ${show(n.v.logicalType)}`;
      this.add(lt, `${path}.logicalType`, msg, [...n.at, 'logicalType']);
      return false;
    }
    const pt = physicalTypeVerdict(str(o.v.physicalType), str(n.v.physicalType));
    const ft =
      o.v.logicalType === 'integer' && n.v.logicalType === 'integer'
        ? integerFormatVerdict(oo.format, no.format)
        : undefined;
    const verdict = combineVerdicts(pt, ft);
    if (!verdict) return false;
    const physical = pt !== undefined;
    const from = physical ? o.v.physicalType : oo.format;
    const to = physical ? n.v.physicalType : no.format;
    const msg =
      verdict === 'TYPE_WIDENED' || verdict === 'TYPE_NARROWED'
        ? `type of ${q} ${verdict === 'TYPE_WIDENED' ? 'widened' : 'narrowed'} from ${show(from)} to ${show(to)}`
        : `physical type of ${q} changed from ${show(o.v.physicalType)} to ${show(n.v.physicalType)}${ft ? ` (format ${show(oo.format)} to ${show(no.format)})` : ''}`;
    this.add(
      verdict,
      physical ? `${path}.physicalType` : `${path}.logicalTypeOptions.format`,
      msg,
      physical ? [...n.at, 'physicalType'] : [...n.at, 'logicalTypeOptions', 'format'],
    );
    return ft !== undefined;
  }

  private options(
    oo: LogicalTypeOptions,
    no: LogicalTypeOptions,
    formatIsType: boolean,
    path: string,
    q: string,
    nAt: Path,
  ): void {
    const base = `${path}.logicalTypeOptions`;
    const at = (k: string): Path => [...nAt, k];
    const presence = (k: string, added: ChangeRuleId, removed: ChangeRuleId, changed: ChangeRuleId): void => {
      const a = oo[k];
      const b = no[k];
      if (deepEqual(a, b)) return;
      if (a === undefined) this.add(added, `${base}.${k}`, `${k} ${show(b)} added to ${q}`, at(k));
      else if (b === undefined) this.add(removed, `${base}.${k}`, `${k} ${show(a)} removed from ${q}`, at(k));
      else this.add(changed, `${base}.${k}`, `${k} of ${q} changed from ${show(a)} to ${show(b)}`, at(k));
    };
    if (!formatIsType) presence('format', 'FORMAT_ADDED', 'FORMAT_REMOVED', 'FORMAT_CHANGED');
    presence('timezone', 'FORMAT_CHANGED', 'FORMAT_CHANGED', 'FORMAT_CHANGED');
    presence('defaultTimezone', 'FORMAT_CHANGED', 'FORMAT_CHANGED', 'FORMAT_CHANGED');
    presence('pattern', 'PATTERN_ADDED', 'PATTERN_REMOVED', 'PATTERN_CHANGED');
    presence('multipleOf', 'RANGE_TIGHTENED', 'RANGE_RELAXED', 'RANGE_TIGHTENED');
    const bound = (k: string, lower: boolean): void => {
      const a = oo[k];
      const b = no[k];
      if (deepEqual(a, b)) return;
      const key = `${base}.${k}`;
      if (a === undefined) return this.add('RANGE_TIGHTENED', key, `${k} ${show(b)} added to ${q}`, at(k));
      if (b === undefined) return this.add('RANGE_RELAXED', key, `${k} ${show(a)} removed from ${q}`, at(k));
      const d = compareBound(a, b);
      if (d === undefined || d === 0) {
        this.add('RANGE_TIGHTENED', key, `${k} of ${q} changed from ${show(a)} to ${show(b)}`, at(k));
        this.add('RANGE_RELAXED', key, `${k} of ${q} changed from ${show(a)} to ${show(b)}`, at(k));
        return;
      }
      // For a boolean exclusive flag, true is the tighter value, like a raised lower bound.
      const raised = d < 0;
      const tighter = typeof a === 'boolean' ? raised : lower ? raised : !raised;
      this.add(
        tighter ? 'RANGE_TIGHTENED' : 'RANGE_RELAXED',
        key,
        `${k} of ${q} ${raised ? 'raised' : 'lowered'} from ${show(a)} to ${show(b)}`,
        at(k),
      );
    };
    for (const k of LOWER_BOUNDS) bound(k, true);
    for (const k of UPPER_BOUNDS) bound(k, false);
    if ((oo.uniqueItems === true) !== (no.uniqueItems === true)) {
      const now = no.uniqueItems === true;
      this.add(
        now ? 'RANGE_TIGHTENED' : 'RANGE_RELAXED',
        `${base}.uniqueItems`,
        `items of ${q} ${now ? 'must now be' : 'no longer need to be'} unique`,
        at('uniqueItems'),
      );
    }
    const req = (v: unknown): Set<string> => new Set(list<unknown>(v).map(String));
    const ra = req(oo.required);
    const rb = req(no.required);
    const newly = [...rb].filter((x) => !ra.has(x));
    const dropped = [...ra].filter((x) => !rb.has(x));
    if (newly.length)
      this.add(
        'REQUIRED_ADDED',
        `${base}.required`,
        `${newly.map((x) => `'${x}'`).join(', ')} now required in ${q}`,
        at('required'),
      );
    if (dropped.length)
      this.add(
        'REQUIRED_REMOVED',
        `${base}.required`,
        `${dropped.map((x) => `'${x}'`).join(', ')} no longer required in ${q}`,
        at('required'),
      );
    for (const k of new Set([...Object.keys(oo), ...Object.keys(no)])) {
      if (OPTION_KEYS.has(k) || deepEqual(oo[k], no[k])) continue;
      this.add('METADATA_CHANGED', `${base}.${k}`, `logicalTypeOptions.${k} of ${q} changed`, at(k));
    }
  }

  private quality(
    os: QualityRule[],
    ns: QualityRule[],
    base: string,
    label: string,
    oAt: Path,
    nAt: Path,
    propertyScope: boolean,
  ): void {
    if (!os.length && !ns.length) return;
    if (deepEqual(os, ns)) return;
    type Entry = { r: QualityRule; i: number };
    const split = (rules: QualityRule[]): { values: Entry[]; other: Entry[] } => {
      const values: Entry[] = [];
      const other: Entry[] = [];
      rules.forEach((r, i) => (propertyScope && isObj(r) && isAllowedValuesRule(r) ? values : other).push({ r, i }));
      return { values, other };
    };
    const a = split(os);
    const b = split(ns);
    const ruleName = (e: Entry): string => String(e.r.name ?? e.r.id ?? metricOf(e.r) ?? e.r.type ?? `#${e.i + 1}`);
    const rulePath = (e: Entry): string => `${base}.quality[${typeof e.r.id === 'string' ? e.r.id : e.i}]`;
    const oRef = (e: Entry): Path => [...oAt, 'quality', e.i];
    const nRef = (e: Entry): Path => [...nAt, 'quality', e.i];

    // Allowed values.
    const vm = pairItems(
      a.values.map((e) => e.r),
      b.values.map((e) => e.r),
      (r) => r.id,
      () => 'validValues',
    );
    for (const i of vm.removed) {
      const e = a.values[i]!;
      this.add('ENUM_VALUE_ADDED', rulePath(e), `allowed values of ${label} are no longer restricted`, oRef(e), {
        removal: true,
      });
    }
    for (const j of vm.added) {
      const e = b.values[j]!;
      this.add(
        'ENUM_VALUE_REMOVED',
        rulePath(e),
        `allowed values of ${label} restricted to ${list(e.r.arguments?.validValues).map(show).join(', ')}`,
        nRef(e),
      );
    }
    for (const [i, j] of vm.pairs) {
      const eo = a.values[i]!;
      const en = b.values[j]!;
      const vo = new Map(list(eo.r.arguments?.validValues).map((v) => [canonicalJson(v), v]));
      const vn = new Map(list(en.r.arguments?.validValues).map((v) => [canonicalJson(v), v]));
      const added = [...vn].filter(([k]) => !vo.has(k)).map(([, v]) => show(v));
      const removed = [...vo].filter(([k]) => !vn.has(k)).map(([, v]) => show(v));
      const at: Path = [...nRef(en), 'arguments', 'validValues'];
      if (added.length)
        this.add(
          'ENUM_VALUE_ADDED',
          rulePath(en),
          `allowed value${added.length > 1 ? 's' : ''} ${added.map((v) => `'${v}'`).join(', ')} added to ${label}`,
          at,
        );
      if (removed.length)
        this.add(
          'ENUM_VALUE_REMOVED',
          rulePath(en),
          `allowed value${removed.length > 1 ? 's' : ''} ${removed.map((v) => `'${v}'`).join(', ')} removed from ${label}`,
          at,
        );
      this.qualityRule(eo, en, rulePath(en), `${ruleName(en)}`, label, nRef(en), true);
    }

    // Other rules.
    const m = pairItems(
      a.other.map((e) => e.r),
      b.other.map((e) => e.r),
      (r) => r?.id,
      (r) => `${metricOf(r) ?? r?.type ?? 'library'}\u0000${String(r?.name ?? '')}`,
    );
    for (const i of m.removed) {
      const e = a.other[i]!;
      this.add('QUALITY_REMOVED', rulePath(e), `quality rule '${ruleName(e)}' removed from ${label}`, oRef(e), {
        removal: true,
      });
    }
    for (const j of m.added) {
      const e = b.other[j]!;
      this.add('QUALITY_ADDED', rulePath(e), `quality rule '${ruleName(e)}' added to ${label}`, nRef(e));
    }
    for (const [i, j] of m.pairs) {
      const en = b.other[j]!;
      this.qualityRule(a.other[i]!, en, rulePath(en), ruleName(en), label, nRef(en), false);
    }
  }

  private qualityRule(
    eo: { r: QualityRule },
    en: { r: QualityRule },
    path: string,
    name: string,
    label: string,
    at: Path,
    allowedValues: boolean,
  ): void {
    const o = eo.r;
    const n = en.r;
    if (deepEqual(o, n)) return;
    const args = (r: QualityRule): unknown => {
      if (!allowedValues || !isObj(r.arguments)) return r.arguments;
      const { validValues: _ignored, ...rest } = r.arguments;
      return rest;
    };
    const redefined =
      QUALITY_DEFINITION_KEYS.some((k) => !deepEqual(o[k], n[k])) ||
      !deepEqual(args(o), args(n)) ||
      metricOf(o) !== metricOf(n) ||
      (o.type ?? 'library') !== (n.type ?? 'library');
    if (redefined) {
      this.add('QUALITY_REMOVED', path, `quality rule '${name}' of ${label} redefined: the old check is gone`, at);
      this.add('QUALITY_ADDED', path, `quality rule '${name}' of ${label} redefined: a new check applies`, at);
    } else {
      const t = compareThresholds(o, n);
      if (t !== 'same') {
        this.add(
          t === 'stricter' ? 'QUALITY_ADDED' : 'QUALITY_REMOVED',
          path,
          `threshold of quality rule '${name}' of ${label} ${t === 'stricter' ? 'tightened' : 'loosened'}`,
          at,
        );
      }
    }
    const handled = new Set<string>([
      ...QUALITY_DEFINITION_KEYS,
      ...THRESHOLD_OPERATORS,
      'arguments',
      'metric',
      'rule',
      'type',
    ]);
    this.rest(o, n, handled, path, `quality rule '${name}' of ${label}`, at, at);
  }

  private sla(os: SlaProperty[], ns: SlaProperty[]): void {
    if (deepEqual(os, ns)) return;
    const key = (s: SlaProperty): string => `${String(s?.property).toLowerCase()}\u0000${s?.element ?? ''}`;
    const m = pairItems(os, ns, () => undefined, key);
    const path = (s: SlaProperty): string => `slaProperties[${String(s.property)}]`;
    // The unit is shown once: not again after a value that already ends with it (`95%`, unit `%`).
    const desc = (s: SlaProperty): string => {
      const v = show(s.value);
      const unit = typeof s.unit === 'string' ? s.unit.trim() : '';
      return unit &&
        !(typeof s.value === 'string' && s.value.trim().toLowerCase().endsWith(unit.toLowerCase())) &&
        !(unit === 'percent' && /%$/.test(String(s.value)))
        ? `${v} ${unit}`
        : v;
    };
    for (const i of m.removed) {
      const s = os[i]!;
      this.add('SLA_WEAKENED', path(s), `SLA '${String(s.property)}' removed`, ['slaProperties', i], { removal: true });
    }
    for (const j of m.added) {
      const s = ns[j]!;
      this.add('SLA_STRENGTHENED', path(s), `SLA '${String(s.property)}' added`, ['slaProperties', j]);
    }
    for (const [i, j] of m.pairs) {
      const o = os[i]!;
      const n = ns[j]!;
      if (deepEqual(o, n)) continue;
      const at: Path = ['slaProperties', j];
      if (o.value !== n.value || o.unit !== n.unit) {
        const c = compareSla(o, n);
        if (c === 'stronger' || c === 'weaker') {
          this.add(
            c === 'stronger' ? 'SLA_STRENGTHENED' : 'SLA_WEAKENED',
            path(n),
            `SLA '${String(n.property)}' ${c === 'stronger' ? 'strengthened' : 'weakened'} from ${desc(o)} to ${desc(n)}`,
            [...at, 'value'],
          );
        } else if (c === 'unreadable') {
          const why = unreadableSlaValue(o) ?? unreadableSlaValue(n);
          this.add(
            'METADATA_CHANGED',
            path(n),
            `SLA '${String(n.property)}' changed from ${desc(o)} to ${desc(n)}; could not compare them ` +
              `(${why ? `${unreadableSlaValue(o) ? desc(o) : desc(n)} is ${why}` : 'not of one kind: a duration, a percentage or the same unit'}): review whether it weakens the SLA`,
            [...at, 'value'],
          );
        } else {
          this.add('METADATA_CHANGED', path(n), `SLA '${String(n.property)}' changed from ${desc(o)} to ${desc(n)}`, [
            ...at,
            'value',
          ]);
        }
      }
      this.rest(
        o,
        n,
        new Set(['property', 'element', 'value', 'unit']),
        path(n),
        `SLA '${String(n.property)}'`,
        at,
        at,
      );
    }
  }

  private servers(os: Server[], ns: Server[]): void {
    if (deepEqual(os, ns)) return;
    const m = pairItems(
      os,
      ns,
      () => undefined,
      (s) => String(s?.server),
    );
    for (const i of m.removed) {
      const s = os[i]!;
      this.add('SERVER_CHANGED', `servers[${s.server}]`, `server '${s.server}' removed`, ['servers', i], {
        removal: true,
      });
    }
    for (const j of m.added) {
      const s = ns[j]!;
      this.add('METADATA_CHANGED', `servers[${s.server}]`, `server '${s.server}' added`, ['servers', j]);
    }
    for (const [i, j] of m.pairs) {
      const o = os[i]! as Obj;
      const n = ns[j]! as Obj;
      if (deepEqual(o, n)) continue;
      const label = `server '${String(n.server)}'`;
      for (const k of new Set([...Object.keys(o), ...Object.keys(n)])) {
        if (!SERVER_LOCATION_KEYS.has(k) || deepEqual(o[k], n[k])) continue;
        this.add(
          'SERVER_CHANGED',
          `servers[${String(n.server)}].${k}`,
          `${k} of ${label} changed from ${show(o[k])} to ${show(n[k])}`,
          ['servers', j, k],
        );
      }
      this.rest(
        o,
        n,
        new Set([...SERVER_LOCATION_KEYS, 'server']),
        `servers[${String(n.server)}]`,
        label,
        ['servers', i],
        ['servers', j],
      );
    }
  }
}
