import type { ErrorObject } from 'ajv';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { SourceDocument, Path } from './source.js';

const COMBINATORS = new Set(['if', 'anyOf', 'oneOf', 'allOf', 'not', '$ref']);

/** Decodes an ajv `instancePath` (JSON Pointer) into a path of keys and indexes. */
export function pointerToPath(pointer: string): Array<string | number> {
  if (!pointer) return [];
  return pointer.slice(1).split('/').map((seg) => {
    const key = seg.replace(/~1/g, '/').replace(/~0/g, '~');
    return /^(0|[1-9][0-9]*)$/.test(key) ? Number(key) : key;
  });
}

/**
 * Turns ajv errors into positioned diagnostics, one per distinct problem: combinator wrappers
 * (`oneOf`, `if`…) are dropped when a more specific error exists at or below the same node, and
 * unknown or missing keys are reported by name at the key (or at the parent).
 */
export function schemaDiagnostics(errors: readonly ErrorObject[], source: SourceDocument, rule = 'ODCS-SCHEMA'): Diagnostic[] {
  const specific = errors.filter((e) => !COMBINATORS.has(e.keyword));
  const kept = errors.filter((e) => !COMBINATORS.has(e.keyword) ||
    !specific.some((s) => s.instancePath === e.instancePath || s.instancePath.startsWith(e.instancePath + '/')));
  const seen = new Set<string>();
  const out: Diagnostic[] = [];
  for (const e of kept) {
    const { path, message, key } = describe(e, source.data);
    const id = JSON.stringify(path) + '\u0000' + message;
    if (seen.has(id)) continue;
    seen.add(id);
    out.push({ rule, severity: 'error', message, location: source.locate(path, { key }), path: formatPath(path) });
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
      return { path: [...path, name], message: `unknown property '${name}'${path.length ? ` in ${where}` : ''}`, key: true };
    }
    case 'required':
      return { path, message: `missing required property '${String(p.missingProperty)}'${path.length ? ` in ${where}` : ''}`, key: true };
    case 'enum': {
      const allowed = (p.allowedValues as unknown[]).map((v) => JSON.stringify(v));
      const list = allowed.length > 12 ? `${allowed.slice(0, 12).join(', ')}, …` : allowed.join(', ');
      return { path, message: `${where} must be one of ${list}`, key: false };
    }
    case 'type':
      return { path, message: `${where} must be ${String(p.type)}`, key: false };
    case 'const':
      return { path, message: `${where} must be ${JSON.stringify(p.allowedValue)}`, key: false };
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
  for (const seg of path) node = node && typeof node === 'object' ? (node as Record<string | number, unknown>)[seg] : undefined;
  const label = node && typeof node === 'object' ? ((node as Record<string, unknown>).name ?? (node as Record<string, unknown>).property ?? (node as Record<string, unknown>).id) : undefined;
  const list = String(path[path.length - 2] ?? 'item');
  return typeof label === 'string' ? `${list} item '${label}'` : `${list} item ${last + 1}`;
}

/** Renders a path the way diagnostics name places: `schema[0].properties[2].logicalType`. */
export function formatPath(path: Path): string {
  let s = '';
  for (const seg of path) s += typeof seg === 'number' ? `[${seg}]` : s ? `.${seg}` : seg;
  return s;
}
