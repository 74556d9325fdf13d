/** Test helpers of the compatibility diff: contracts built as YAML text and loaded with positions. */
import assert from 'node:assert/strict';
import { stringify } from 'yaml';
import { parseContract } from '../src/contract/load-contract.js';
import { diffContracts, type DiffOptions, type DiffResult } from '../src/diff/diff.js';
import type { ContractInput } from '../src/diff/walk.js';

/** A plain contract document to mutate in tests. */
export type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A valid ODCS v3.1 contract with one object that exercises most rules. */
export function baseDoc(): Doc {
  return {
    apiVersion: 'v3.1.0',
    kind: 'DataContract',
    id: 'sales-orders',
    version: '1.0.0',
    status: 'active',
    name: 'orders',
    domain: 'sales',
    schema: [
      {
        name: 'orders',
        physicalName: 'orders_v1',
        physicalType: 'table',
        description: 'One row per order',
        properties: [
          {
            name: 'order_id',
            logicalType: 'string',
            physicalType: 'varchar(36)',
            required: true,
            unique: true,
            primaryKey: true,
            primaryKeyPosition: 1,
          },
          {
            name: 'amount',
            logicalType: 'number',
            physicalType: 'decimal(10,2)',
            logicalTypeOptions: { minimum: 0, maximum: 1000000 },
          },
          { name: 'quantity', logicalType: 'integer', physicalType: 'int', logicalTypeOptions: { format: 'i32' } },
          {
            name: 'status',
            logicalType: 'string',
            physicalType: 'varchar(16)',
            quality: [
              {
                id: 'status-values',
                metric: 'invalidValues',
                mustBe: 0,
                arguments: { validValues: ['open', 'closed'] },
              },
            ],
          },
          { name: 'note', logicalType: 'string', physicalType: 'string', description: 'free text' },
          {
            name: 'created_at',
            logicalType: 'timestamp',
            physicalType: 'timestamp',
            logicalTypeOptions: { format: 'yyyy-MM-dd HH:mm:ss', timezone: true },
          },
          { name: 'order_date', logicalType: 'date', physicalType: 'date', partitioned: true, partitionKeyPosition: 1 },
          { name: 'customer_email', logicalType: 'string', physicalType: 'string', classification: 'restricted' },
        ],
        quality: [{ id: 'row-count', metric: 'rowCount', mustBeGreaterThan: 0 }],
      },
    ],
    slaProperties: [
      { property: 'latency', value: 4, unit: 'h' },
      { property: 'retention', value: 1, unit: 'y' },
    ],
    servers: [{ server: 'prod', type: 's3', location: 's3://bucket/orders/' }],
  };
}

/** Loads a document (object or YAML text) as a contract; fails the test when it is not valid ODCS. */
export function load(doc: Doc | string, file = 'new.odcs.yaml'): ContractInput {
  const text = typeof doc === 'string' ? doc : stringify(doc);
  const loaded = parseContract(file, text);
  assert.equal(
    loaded.diagnostics.length,
    0,
    `test contract ${file} is invalid: ${loaded.diagnostics.map((d) => `${d.location.line}: ${d.message}`).join('; ')}`,
  );
  assert.ok(loaded.contract);
  return { source: loaded.source, contract: loaded.contract };
}

/** A base contract changed by `edit`. */
export function docWith(edit: (d: Doc) => void = () => undefined): Doc {
  const d = baseDoc();
  edit(d);
  return d;
}

/** The property `name` of the first schema object. */
export function prop(d: Doc, name: string): Doc {
  const p = (d.schema[0].properties as Doc[]).find((x) => x.name === name);
  assert.ok(p, `no property ${name}`);
  return p;
}

/** Diffs two documents (old file `old.odcs.yaml`, new file `new.odcs.yaml`). */
export function diffDocs(a: Doc | string, b: Doc | string, options?: DiffOptions): DiffResult {
  return diffContracts([load(a, 'old.odcs.yaml')], load(b, 'new.odcs.yaml'), options);
}

/** `rule path` of every change, for compact assertions. */
export function summary(r: DiffResult): string[] {
  return r.changes.map((c) => `${c.rule} ${c.path}`);
}

/** The rule ids of the changes, sorted. */
export function rules(r: DiffResult): string[] {
  return r.changes.map((c) => c.rule).sort();
}
