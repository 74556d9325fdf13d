import type { ErrorObject } from 'ajv';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { SourceDocument, Path } from './source.js';

const COMBINATORS = new Set(['if', 'anyOf', 'oneOf', 'allOf', 'not', '$ref']);

/** Decodes an ajv `instancePath` (JSON Pointer) into a path of keys and indexes. */
export function pointerToPath(pointer: string): Array<string | number> {
  if (!pointer) return [];
  return pointer
    .slice(1)
    .split('/')
    .map((seg) => {
      const key = seg.replace(/~1/g, '/').replace(/~0/g, '~');
      return /^(0|[1-9][0-9]*)$/.test(key) ? Number(key) : key;
    });
}

/** Options of {@link schemaDiagnostics}. */
export interface SchemaDiagnosticsOptions {
  /** Appended to every message, e.g. ` (ODCS v3.0.2 schema)`. @default '' */
  suffix?: string;
  /**
   * The root JSON Schema the errors come from. With it, the errors of the alternatives of a
   * `oneOf`/`anyOf` are collapsed into the ones of the alternative the document most likely meant
   * (see {@link collapseAlternatives}). @default undefined (no collapsing)
   */
  schema?: unknown;
}

/**
 * Turns ajv errors into positioned diagnostics, one per distinct problem: combinator wrappers
 * (`oneOf`, `if`…) are dropped when a more specific error exists at or below the same node, and
 * unknown or missing keys are reported by name at the key (or at the parent). With
 * `options.schema`, alternatives are collapsed first.
 */
export function schemaDiagnostics(
  errors: readonly ErrorObject[],
  source: SourceDocument,
  rule = 'ODCS-SCHEMA',
  options: SchemaDiagnosticsOptions = {},
): Diagnostic[] {
  const all =
    options.schema === undefined
      ? errors
      : dropCascades(collapseAlternatives(errors, source.data, options.schema), options.schema);
  const specific = all.filter((e) => !COMBINATORS.has(e.keyword));
  const kept = all.filter(
    (e) =>
      !COMBINATORS.has(e.keyword) ||
      !specific.some((s) => s.instancePath === e.instancePath || s.instancePath.startsWith(e.instancePath + '/')),
  );
  const seen = new Set<string>();
  const out: Diagnostic[] = [];
  const suffix = options.suffix ?? '';
  for (const e of kept) {
    const { path, message, key } = describe(e, source.data);
    const id = JSON.stringify(path) + '\u0000' + message;
    if (seen.has(id)) continue;
    seen.add(id);
    const branch = (e as AlternativeError).alternative;
    out.push({
      rule,
      severity: 'error',
      message: message + (branch ? ` (read as ${branch})` : '') + suffix,
      location: source.locate(path, { key }),
      path: formatPath(path),
    });
  }
  return out;
}

const declaredNames = new WeakMap<object, Set<string>>();
/** Every property name the schema declares anywhere. */
function declared(schema: unknown): Set<string> {
  if (!isObj(schema)) return new Set();
  let names = declaredNames.get(schema);
  if (!names) {
    const found = new Set<string>();
    const stack: unknown[] = [schema];
    while (stack.length) {
      const n = stack.pop();
      if (Array.isArray(n)) stack.push(...n);
      else if (isObj(n)) {
        if (isObj(n.properties)) for (const k of Object.keys(n.properties)) found.add(k);
        stack.push(...Object.values(n));
      }
    }
    declaredNames.set(schema, (names = found));
  }
  return names;
}

/**
 * Drops the `unevaluatedProperties` errors a failed subschema causes for keys the schema does
 * know (ajv then reports every key of the object as unevaluated) when the real error at or below
 * the same node is reported anyway.
 */
function dropCascades(errors: ErrorObject[], schema: unknown): ErrorObject[] {
  const known = declared(schema);
  const real = errors.filter((e) => !COMBINATORS.has(e.keyword) && e.keyword !== 'unevaluatedProperties');
  return errors.filter(
    (e) =>
      e.keyword !== 'unevaluatedProperties' ||
      !known.has(String(e.params.unevaluatedProperty)) ||
      !real.some((r) => r.instancePath === e.instancePath || r.instancePath.startsWith(e.instancePath + '/')),
  );
}

/** An ajv error kept from the alternative of a `oneOf`/`anyOf` that the document most likely meant. */
interface AlternativeError extends ErrorObject {
  alternative?: string;
}

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);

function resolvePointer(root: unknown, pointer: string): unknown {
  if (!pointer.startsWith('#')) return undefined;
  let node: unknown = root;
  for (const raw of pointer.slice(1).split('/').filter(Boolean)) {
    const seg = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    node = isObj(node) ? node[seg] : Array.isArray(node) ? node[Number(seg)] : undefined;
    if (node === undefined) return undefined;
  }
  return node;
}

/** What an alternative declares, with its `$ref` and `allOf` members merged (one level). */
interface Alternative {
  label: string;
  type?: string[];
  required: string[];
  properties: Set<string>;
  consts: Map<string, unknown>;
  items: boolean;
}

function alternativeOf(root: unknown, branch: unknown, index: number): Alternative {
  const parts: Json[] = [];
  const add = (s: unknown, depth: number): void => {
    if (!isObj(s) || depth > 3) return;
    parts.push(s);
    if (typeof s.$ref === 'string') add(resolvePointer(root, s.$ref), depth + 1);
    if (Array.isArray(s.allOf)) for (const x of s.allOf) add(x, depth + 1);
  };
  add(branch, 0);
  const alt: Alternative = { label: '', required: [], properties: new Set(), consts: new Map(), items: false };
  for (const p of parts) {
    if (typeof p.type === 'string') alt.type = [p.type];
    else if (Array.isArray(p.type)) alt.type = p.type.map(String);
    if (Array.isArray(p.required)) alt.required.push(...p.required.map(String));
    if (isObj(p.properties)) {
      for (const [k, v] of Object.entries(p.properties)) {
        alt.properties.add(k);
        if (isObj(v) && 'const' in v) alt.consts.set(k, v.const);
      }
    }
    if (p.items !== undefined) alt.items = true;
  }
  const ref = isObj(branch) && typeof branch.$ref === 'string' ? branch.$ref.split('/').pop() : undefined;
  alt.label = ref
    ? `the ${ref} form`
    : alt.required.length
      ? `the form with ${alt.required.map((r) => `'${r}'`).join(', ')}`
      : alt.type
        ? `the ${alt.type.join('/')} form`
        : `alternative ${index + 1}`;
  return alt;
}

function jsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

function typeMatches(types: string[] | undefined, v: unknown): boolean {
  if (!types) return true;
  const t = jsonType(v);
  return types.includes(t) || (t === 'integer' && types.includes('number'));
}

/** How far an instance is from an alternative: a wrong type, a wrong discriminator, missing required keys. */
function distance(alt: Alternative, v: unknown): { score: number; onlyRequired: boolean } {
  if (!typeMatches(alt.type, v)) return { score: 1000, onlyRequired: false };
  let score = 0;
  let onlyRequired = true;
  if (isObj(v)) {
    for (const [k, c] of alt.consts)
      if (k in v && v[k] !== c) {
        score += 100;
        onlyRequired = false;
      }
    for (const r of alt.required) if (!(r in v)) score += 10;
    for (const k of Object.keys(v)) if (alt.properties.has(k)) score -= 1;
  }
  return { score, onlyRequired };
}

/**
 * Collapses the errors of the alternatives of each failed `oneOf`/`anyOf` (ajv reports every
 * alternative's errors) into those of the alternative the document most likely meant: the one
 * whose type matches, whose discriminating `const` values match, that misses the fewest required
 * keys and shares the most keys with the document. Errors that belong only to the other
 * alternatives are dropped; kept ones name the alternative. When several alternatives are equally
 * likely and each only misses a required key (e.g. a quality rule without a comparison
 * operator), one error lists the keys of which one is needed.
 */
export function collapseAlternatives(errors: readonly ErrorObject[], data: unknown, schema: unknown): ErrorObject[] {
  let out: AlternativeError[] = [...errors];
  for (const group of errors) {
    if (group.keyword !== 'oneOf' && group.keyword !== 'anyOf') continue;
    const branches = resolvePointer(schema, group.schemaPath);
    if (!Array.isArray(branches) || branches.length < 2) continue;
    let value: unknown = data;
    for (const seg of pointerToPath(group.instancePath))
      value = isObj(value) || Array.isArray(value) ? (value as Record<string | number, unknown>)[seg] : undefined;
    const alts = branches.map((b, i) => alternativeOf(schema, b, i));
    const scored = alts.map((a) => ({ a, ...distance(a, value) }));
    const best = Math.min(...scored.map((s) => s.score));
    const top = scored.filter((s) => s.score === best);
    const at = group.instancePath;
    const declaredByAny = (k: string): boolean => alts.some((a) => a.properties.has(k));
    const inGroup = (e: ErrorObject): boolean =>
      e !== group && (e.instancePath === at || e.instancePath.startsWith(at + '/'));
    if (top.length > 1 && top.every((s) => s.onlyRequired) && isObj(value)) {
      // Equally likely alternatives that each miss one key: one error naming the keys.
      const names = [...new Set(top.flatMap((s) => s.a.required.filter((r) => !(r in value))))];
      out = out.filter(
        (e) =>
          !(
            inGroup(e) &&
            e.instancePath === at &&
            e.keyword === 'required' &&
            names.includes(String(e.params.missingProperty))
          ),
      );
      out.push({ ...group, keyword: 'requiredOneOf', params: { names }, message: undefined });
      continue;
    }
    if (best >= 1000) {
      // No alternative has the document's type: one error naming the types allowed.
      const types = [...new Set(alts.flatMap((a) => a.type ?? []))];
      out = out.filter((e) => !(inGroup(e) && e.instancePath === at && e.keyword === 'type'));
      out.push({ ...group, keyword: 'type', params: { type: types.join(' or ') }, message: undefined });
      continue;
    }
    const chosen = top[0]!.a;
    // 'own': an error of the chosen alternative (named in the message); 'keep': not an alternative's.
    const judge = (e: ErrorObject): 'own' | 'keep' | 'drop' => {
      if (!inGroup(e)) return 'keep';
      if (e.instancePath === at) {
        const k = String(e.params.missingProperty ?? e.params.additionalProperty ?? e.params.unevaluatedProperty);
        if (e.keyword === 'required')
          return chosen.required.includes(k) ? 'own' : alts.some((a) => a.required.includes(k)) ? 'drop' : 'keep';
        if (e.keyword === 'type') return typeMatches(chosen.type, value) ? 'drop' : 'own';
        if (e.keyword === 'additionalProperties' || e.keyword === 'unevaluatedProperties')
          return chosen.properties.has(k) ? 'drop' : 'keep';
        return 'keep';
      }
      const next = pointerToPath(e.instancePath.slice(at.length))[0];
      if (typeof next === 'number') return chosen.items ? 'own' : alts.some((a) => a.items) ? 'drop' : 'keep';
      if (next === undefined) return 'keep';
      return chosen.properties.has(next) ? 'own' : declaredByAny(next) ? 'drop' : 'keep';
    };
    out = out.flatMap((e) => {
      const j = judge(e);
      return j === 'drop' ? [] : j === 'own' && !e.alternative ? [{ ...e, alternative: chosen.label }] : [e];
    });
  }
  return out;
}

function describe(e: ErrorObject, data: unknown): { path: Path; message: string; key: boolean } {
  const path = pointerToPath(e.instancePath);
  const where = nameOf(data, path);
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'additionalProperties':
    case 'unevaluatedProperties': {
      const name = String(p.additionalProperty ?? p.unevaluatedProperty);
      const hint =
        name === 'rule' && path.includes('quality')
          ? " ('rule' is the ODCS v3.0 spelling of 'metric': run mesh contract upgrade)"
          : '';
      return {
        path: [...path, name],
        message: `unknown property '${name}'${path.length ? ` in ${where}` : ''}${hint}`,
        key: true,
      };
    }
    case 'required': {
      let node: unknown = data;
      for (const seg of path)
        node = node && typeof node === 'object' ? (node as Record<string | number, unknown>)[seg] : undefined;
      const hint =
        p.missingProperty === 'metric' && isObj(node) && 'rule' in node
          ? " ('rule' is its ODCS v3.0 spelling: run mesh contract upgrade)"
          : '';
      return {
        path,
        message: `missing required property '${String(p.missingProperty)}'${path.length ? ` in ${where}` : ''}${hint}`,
        key: true,
      };
    }
    case 'enum': {
      const allowed = (p.allowedValues as unknown[]).map((v) => JSON.stringify(v));
      const list = allowed.length > 12 ? `${allowed.slice(0, 12).join(', ')}, …` : allowed.join(', ');
      return { path, message: `${where} must be one of ${list}`, key: false };
    }
    case 'type':
      return { path, message: `${where} must be ${String(p.type)}`, key: false };
    case 'const':
      return { path, message: `${where} must be ${JSON.stringify(p.allowedValue)}`, key: false };
    case 'requiredOneOf': {
      const names = (p.names as string[]).map((n) => `'${n}'`);
      return { path, message: `${where} needs one of ${names.join(', ')}`, key: true };
    }
    default:
      return { path, message: `${where} ${e.message ?? 'is invalid'}`, key: false };
  }
}

/** How a message names the node at `path`: its key, or for list items their `name`/`property`. */
function nameOf(data: unknown, path: Path): string {
  if (!path.length) return 'the document';
  const last = path[path.length - 1]!;
  if (typeof last === 'string') return `'${last}'`;
  let node: unknown = data;
  for (const seg of path)
    node = node && typeof node === 'object' ? (node as Record<string | number, unknown>)[seg] : undefined;
  const label =
    node && typeof node === 'object'
      ? ((node as Record<string, unknown>).name ??
        (node as Record<string, unknown>).property ??
        (node as Record<string, unknown>).id)
      : undefined;
  const list = String(path[path.length - 2] ?? 'item');
  return typeof label === 'string' ? `${list} item '${label}'` : `${list} item ${last + 1}`;
}

/** Renders a path the way diagnostics name places: `schema[0].properties[2].logicalType`. */
export function formatPath(path: Path): string {
  let s = '';
  for (const seg of path) s += typeof seg === 'number' ? `[${seg}]` : s ? `.${seg}` : seg;
  return s;
}
