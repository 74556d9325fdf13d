// A fuzzed corpus of mutated contracts never crashes: every outcome is either a result or a
// MeshError (a user-facing message), for loading, linting, diffing and compiling.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { dump } from 'js-yaml';
import {
  compileQuality,
  diffContracts,
  lintContract,
  MeshError,
  parseContract,
  toDqdl,
  toGlueColumns,
  toJsonSchema,
  toSqlChecks,
  toTypeScript,
  type ContractInput,
  type LoadedContract,
} from '../src/index.js';
import { officialExamples } from './helpers.js';

const corpus = officialExamples()
  .filter((f) => !f.includes('adventureworks'))
  .map((f) => readFileSync(f, 'utf8'));

function exercise(text: string, base: LoadedContract): void {
  let loaded: LoadedContract;
  try {
    loaded = parseContract('fuzz.yaml', text);
  } catch (e) {
    if (e instanceof MeshError) return;
    throw e;
  }
  for (const d of lintContract(loaded)) {
    assert.ok(d.location.line >= 1 && d.location.column >= 1, JSON.stringify(d));
  }
  if (!loaded.contract || !base.contract) return;
  const a = base as ContractInput;
  const b = loaded as ContractInput;
  diffContracts([a], b);
  diffContracts([b], a);
  for (const obj of loaded.contract.schema ?? []) {
    const object = obj.name;
    try {
      toJsonSchema(loaded.contract, { object });
      toJsonSchema(loaded.contract, { object, draft: 'draft-07' });
      toTypeScript(loaded.contract, { object });
      toGlueColumns(loaded.contract, { object });
      const ir = compileQuality(loaded.contract, { object });
      toDqdl(ir);
      toSqlChecks(ir, { table: 't' });
    } catch (e) {
      if (!(e instanceof MeshError)) throw e;
    }
  }
}

const textMutation = fc.oneof(
  fc.record({ kind: fc.constant('delete-line' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('duplicate-line' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('indent' as const), at: fc.nat(), by: fc.integer({ min: -4, max: 4 }) }),
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.nat(),
    text: fc.constantFrom(
      ': ',
      '- ',
      '[',
      '{',
      '&a ',
      '*a',
      '"',
      "'",
      '\t',
      '#',
      '? ',
      '!!str ',
      '|',
      '>',
      '\u0000',
      'null',
      '1e999',
      '---\n',
    ),
  }),
  fc.record({
    kind: fc.constant('value' as const),
    at: fc.nat(),
    value: fc.constantFrom('~', '[]', '{}', '-1', '3.5', 'true', '"x"', 'v9.9.9', '[1, [2, [3]]]'),
  }),
);

function mutate(
  text: string,
  ms: Array<{ kind: string; at: number; by?: number; text?: string; value?: string }>,
): string {
  let lines = text.split('\n');
  for (const m of ms) {
    const i = m.at % Math.max(lines.length, 1);
    const line = lines[i] ?? '';
    switch (m.kind) {
      case 'delete-line':
        lines.splice(i, 1);
        break;
      case 'duplicate-line':
        lines.splice(i, 0, line);
        break;
      case 'indent':
        lines[i] = m.by! > 0 ? ' '.repeat(m.by!) + line : line.slice(-m.by!);
        break;
      case 'insert': {
        const c = m.at % (line.length + 1);
        lines[i] = line.slice(0, c) + m.text + line.slice(c);
        break;
      }
      case 'value':
        lines[i] = line.includes(':') ? line.replace(/:\s.*$/, `: ${m.value}`) : line;
        break;
    }
  }
  lines = lines.slice(0, 2000);
  return lines.join('\n');
}

test('mutated YAML text never crashes load, lint, diff or compile', () => {
  const bases = corpus.map((t) => parseContract('base.yaml', t));
  fc.assert(
    fc.property(fc.nat({ max: corpus.length - 1 }), fc.array(textMutation, { minLength: 1, maxLength: 4 }), (i, ms) => {
      exercise(mutate(corpus[i]!, ms), bases[i]!);
    }),
    { numRuns: 400, seed: 20261127 },
  );
});

test('structurally mutated documents (values replaced by other JSON types) never crash', () => {
  const bases = corpus.map((t) => parseContract('base.yaml', t));
  const anyValue = fc.oneof(
    fc.constant(null),
    fc.boolean(),
    fc.integer(),
    fc.double({ noNaN: true }),
    fc.string({ maxLength: 8 }),
    fc.constant([]),
    fc.constant({}),
    fc.array(fc.string({ maxLength: 3 }), { maxLength: 3 }),
  );
  fc.assert(
    fc.property(
      fc.nat({ max: corpus.length - 1 }),
      fc.array(fc.tuple(fc.nat(), anyValue), { minLength: 1, maxLength: 3 }),
      (i, edits) => {
        const data = structuredClone<unknown>(bases[i]!.source.data);
        for (const [at, value] of edits) replaceNth(data, at, value);
        exercise(dump(data, { noRefs: true }), bases[i]!);
      },
    ),
    { numRuns: 400, seed: 7 },
  );
});

/** Replaces the n-th (modulo count) value found in a depth-first walk. */
function replaceNth(root: unknown, n: number, value: unknown): void {
  const slots: Array<[Record<string | number, unknown>, string | number]> = [];
  const walk = (v: unknown) => {
    if (v && typeof v === 'object')
      for (const k of Object.keys(v)) {
        slots.push([v as Record<string, unknown>, Array.isArray(v) ? Number(k) : k]);
        walk((v as Record<string, unknown>)[k]);
      }
  };
  walk(root);
  const slot = slots[n % Math.max(slots.length, 1)];
  if (slot) slot[0][slot[1]] = value;
}
