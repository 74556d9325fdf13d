// Round trip of the 18 official ODCS examples and the contract corpus (test/fixtures/corpus):
// load → export; each property's own `examples` validate against the exported JSON Schema, the
// emitted TypeScript compiles under --strict, and the emitted SQL (CREATE TABLE with the
// examples as rows, every row predicate and dataset check) runs in DuckDB.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import Ajv2019 from 'ajv/dist/2019.js';
import addFormats from 'ajv-formats';
import {
  columnName,
  columnTypes,
  compileQuality,
  quoteIdentifier,
  toCreateTable,
  toJsonSchema,
  toSqlChecks,
  toTypeScript,
} from '../src/compile/index.js';
import { loadContract } from '../src/contract/load-contract.js';
import { lintContract } from '../src/lint/index.js';
import type { OdcsContract, SchemaProperty } from '../src/odcs.js';
import { officialExamples, tempDir } from './helpers.js';

const CORPUS = fileURLToPath(new URL('./fixtures/corpus/', import.meta.url));
const corpus = readdirSync(CORPUS)
  .filter((f) => f.endsWith('.yaml'))
  .sort()
  .map((f) => CORPUS + f);
const files = [...officialExamples(), ...corpus];
const label = (f: string) => f.split('/').slice(-2).join('/');

function load(file: string): OdcsContract {
  const r = loadContract(file);
  assert.ok(r.contract, `${file}: ${JSON.stringify(r.diagnostics)}`);
  assert.deepEqual(
    r.diagnostics.filter((d) => d.severity === 'error'),
    [],
  );
  return r.contract;
}

/** Schema objects that are tables of properties (the examples also describe topics, files…). */
const objectsOf = (c: OdcsContract) => (c.schema ?? []).filter((o) => (o.properties ?? []).length > 0);

describe('examples validate against the exported JSON Schema', () => {
  const ajv = new Ajv2019.default({ allErrors: true, strict: false });
  addFormats.default(ajv);
  for (const file of files) {
    test(label(file), () => {
      const contract = load(file);
      let checked = 0;
      for (const object of objectsOf(contract)) {
        const schema = toJsonSchema(contract, { object: object.name });
        const walk = (props: SchemaProperty[], node: Record<string, unknown>, where: string): void => {
          const subs = node.properties as Record<string, Record<string, unknown>>;
          for (const p of props) {
            const sub = subs[p.name]!;
            for (const example of Array.isArray(p.examples) ? p.examples : []) {
              const validate = ajv.compile({ $schema: 'https://json-schema.org/draft/2019-09/schema', ...sub });
              assert.ok(
                validate(example),
                `${where}.${p.name}: example ${JSON.stringify(example)} rejected: ${ajv.errorsText(validate.errors)}`,
              );
              checked++;
            }
            if (p.logicalType === 'object' && p.properties?.length) walk(p.properties, sub, `${where}.${p.name}`);
          }
        };
        walk(object.properties ?? [], schema, object.name);
      }
      if (corpus.includes(file)) assert.ok(checked > 0, 'a corpus contract has examples');
    });
  }
});

test('the emitted TypeScript of every contract compiles under --strict', () => {
  const dir = tempDir();
  const names: string[] = [];
  files.forEach((file, i) => {
    const contract = load(file);
    if (!objectsOf(contract).length) return;
    const name = `c${i}.ts`;
    writeFileSync(join(dir, name), toTypeScript(contract));
    names.push(name);
  });
  const tsc = fileURLToPath(new URL('../../../node_modules/.bin/tsc', import.meta.url));
  try {
    execFileSync(tsc, ['--noEmit', '--strict', '--target', 'es2022', '--module', 'nodenext', ...names], {
      cwd: dir,
      stdio: 'pipe',
    });
  } catch (e) {
    const err = e as { stdout?: Buffer; message: string };
    assert.fail(`tsc failed: ${err.stdout?.toString() ?? err.message}`);
  }
});

/** A SQL literal for an example value, cast to the column's DuckDB type (NULL when it does not cast). */
function literal(value: unknown, type: string): string {
  if (value === null || value === undefined) return 'NULL';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  const quoted = `'${text.replace(/'/g, "''")}'`;
  if (type === 'BLOB') return `TRY(from_base64(${quoted}))`;
  if (typeof value === 'object') return `TRY_CAST(CAST(${quoted} AS JSON) AS ${type})`;
  return `TRY_CAST(${quoted} AS ${type})`;
}

describe('the emitted SQL runs in DuckDB', () => {
  for (const file of files) {
    test(label(file), async () => {
      const contract = load(file);
      const instance = await DuckDBInstance.create(':memory:');
      const conn = await instance.connect();
      const run = async (sql: string) => (await conn.runAndReadAll(sql)).getRowObjects();
      try {
        for (const object of objectsOf(contract)) {
          const ddl = toCreateTable(contract, { object: object.name });
          await run(ddl);
          const table = quoteIdentifier(/^CREATE TABLE "(.*)" \(/.exec(ddl)![1]!.replace(/""/g, '"'));
          const props = object.properties ?? [];
          const types = Object.fromEntries(
            props.map((p) => [
              columnName(p),
              /^ {2}"(?:[^"]|"")*" (.*)$/m
                .exec(ddl.split('\n').find((l) => l.startsWith(`  ${quoteIdentifier(columnName(p))} `))!)![1]!
                .replace(/,$/, ''),
            ]),
          );
          const rows = Math.max(0, ...props.map((p) => (Array.isArray(p.examples) ? p.examples.length : 0)));
          for (let i = 0; i < rows; i++) {
            const values = props.map((p) =>
              literal(Array.isArray(p.examples) ? p.examples[i] : undefined, types[columnName(p)]!),
            );
            await run(`INSERT INTO ${table} VALUES (${values.join(', ')})`);
          }
          // `type: sql` rules are the contract's own SQL, written against its source system's
          // names (e.g. `DataValue`, not the Glue column `data_value`): not emitted by Meshkit.
          const checks = compileQuality(contract, { object: object.name }).filter((c) => c.kind !== 'sql');
          const sql = toSqlChecks(checks, { table, columnTypes: columnTypes(contract, { object: object.name }) });
          for (const p of sql.rowPredicates) await run(`SELECT count(*) FROM ${table} WHERE ${p.sql}`);
          for (const d of sql.datasetChecks) {
            const [row] = await run(d.sql);
            assert.equal(typeof row!.passed, 'boolean', `${d.id}: passed is a boolean`);
          }
        }
      } finally {
        conn.closeSync();
        instance.closeSync();
      }
    });
  }
});

describe('the corpus idioms lint clean', () => {
  // pii:false tags, meshkit.compatibility: backward, a property with only a physicalType, SLA
  // values as 95% / 25h / P1Y / 15m, v3.0 rule: checks: no error; with mesh.config.yaml's default
  // classification no property is asked for one; every SLA value is readable.
  for (const file of corpus) {
    test(label(file), () => {
      const found = lintContract(loadContract(file), { defaultClassification: 'internal' });
      assert.deepEqual(
        found
          .filter(
            (d) =>
              d.severity === 'error' ||
              d.rule === 'CONTRACT-SLA-VALUE' ||
              d.rule === 'CONTRACT-PROPERTY-CLASSIFICATION',
          )
          .map((d) => `${d.location.line}:${d.location.column} ${d.rule} ${d.message}`),
        [],
      );
    });
  }
});
