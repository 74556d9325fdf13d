import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { qualityDqdl } from '../src/lint/rules/index.js';
import { assertCompliant, assertNonCompliant } from './lint-utils.js';

const object = (body: string) => `schema:\n  - name: orders\n${body}`;

describe('CONTRACT-QUALITY-DQDL', () => {
  test('accepts what DQDL expresses with the same meaning', () => {
    assertCompliant(
      qualityDqdl,
      object(`    quality:
      - type: sql
        query: |
          SELECT count(*) -- rows with a negative amount
          FROM \${object}
          WHERE amount < 0;
        mustBe: 0
    properties:
      - { name: d, logicalType: date, logicalTypeOptions: { minimum: '2020-01-01' } }
      - { name: ts, logicalType: timestamp, logicalTypeOptions: { minimum: '2020-01-01T00:00:00Z', maximum: '2030-01-01 12:00:00' } }
      - { name: s, logicalType: string, logicalTypeOptions: { pattern: '12:30' } }
`),
    );
  });
  test('reports a sql rule that is not one query at its query, with file line and column', () => {
    const [d] = assertNonCompliant(
      qualityDqdl,
      object(`    quality:
      - id: two
        type: sql
        query: "SELECT 1; DROP TABLE orders"
        mustBe: 1
`),
    );
    assert.equal(d!.path, 'schema[0].quality[0].query');
    assert.equal(d!.location.line, 13);
    assert.match(
      d!.message,
      /quality check two cannot be expressed in Glue DQDL: the rule must hold exactly one statement/,
    );
  });
  test('reports bounds that are not dates or timestamps at logicalTypeOptions', () => {
    const found = assertNonCompliant(
      qualityDqdl,
      object(`    properties:
      - { name: d, logicalType: date, logicalTypeOptions: { minimum: '2020-1-1' } }
      - { name: ts, logicalType: timestamp, logicalTypeOptions: { maximum: 'now' } }
`),
      2,
    );
    assert.deepEqual(
      found.map((d) => d.path),
      ['schema[0].properties[0].logicalTypeOptions', 'schema[0].properties[1].logicalTypeOptions'],
    );
    assert.match(found[0]!.message, /date bound "2020-1-1" is not a calendar date/);
  });
  test("reports a value list holding an entry that is not of the column's type, at the rule", () => {
    const found = assertNonCompliant(
      qualityDqdl,
      object(`    properties:
      - name: n
        logicalType: integer
        quality: [{ metric: missingValues, arguments: { missingValues: [null, n/a] }, mustBeLessThan: 5 }]
      - name: b
        logicalType: boolean
        quality: [{ metric: invalidValues, arguments: { validValues: [true, maybe] }, mustBe: 0 }]
      - name: d
        logicalType: date
        quality: [{ metric: invalidValues, arguments: { validValues: ['2026-02-30'] }, mustBe: 0 }]
`),
      3,
    );
    assert.deepEqual(
      found.map((d) => [d.path, d.location.line]),
      [
        ['schema[0].properties[0].quality[0]', 13],
        ['schema[0].properties[1].quality[0]', 16],
        ['schema[0].properties[2].quality[0]', 19],
      ],
    );
    assert.match(
      found[0]!.message,
      /n\.missingValues .*the list holds "n\/a", which is not an integer \(the column's type\)/,
    );
    assert.match(found[1]!.message, /"maybe", which is not a boolean/);
  });
  test('accepts lists whose entries read as values of the column: numbers for text, numeric text for numbers', () => {
    assertCompliant(
      qualityDqdl,
      object(`    properties:
      - name: code
        logicalType: string
        quality: [{ metric: invalidValues, arguments: { validValues: [1, 2, true] }, mustBe: 0 }]
      - name: n
        logicalType: integer
        quality: [{ metric: invalidValues, arguments: { validValues: ['5', 6] }, mustBe: 0 }]
      - name: ts
        logicalType: timestamp
        quality: [{ metric: missingValues, arguments: { missingValues: [null, '1970-01-01T00:00:00Z'] }, mustBe: 0 }]
`),
    );
  });
  test('reports a rule written wrong, which would be skipped, at the rule; rules skipped by design are not reported', () => {
    const found = assertNonCompliant(
      qualityDqdl,
      object(`    quality:
      - { metric: duplicateValues, arguments: { properties: [nope] }, mustBe: 0 }
      - { type: text, description: 'Reviewed by the data steward.' }
      - { type: custom, engine: soda, implementation: 'row_count > 0' }
    properties:
      - name: n
        logicalType: integer
        quality:
          - { metric: invalidValues, arguments: { pattern: '^[0-9]+$' }, mustBe: 0 }
          - { metric: invalidValues, mustBe: 0 }
`),
      3,
    );
    assert.deepEqual(
      found.map((d) => [d.path, d.message.replace(/^quality check \S+ cannot be expressed in Glue DQDL: /, '')]),
      [
        ['schema[0].quality[0]', 'duplicateValues names unknown properties (nope)'],
        ['schema[0].properties[0].quality[0]', 'arguments.pattern checks text, and the column is integer'],
        ['schema[0].properties[0].quality[1]', 'invalidValues needs arguments.validValues or arguments.pattern'],
      ],
    );
  });
  test('reports a freshness SLA that cannot be checked: on a text column, or naming no column', () => {
    const found = assertNonCompliant(
      qualityDqdl,
      `slaProperties:
  - { property: freshness, value: 2, unit: d, element: orders.note }
  - { property: freshness, value: 2, unit: d, element: orders.gone }
  - { property: freshness, value: 2, unit: d, element: orders.at }
${object(`    properties:
      - { name: note, logicalType: string }
      - { name: at, logicalType: timestamp }
`)}`,
      2,
    );
    assert.deepEqual(
      found.map((d) => [d.path, d.message.replace(/^quality check \S+ cannot be expressed in Glue DQDL: /, '')]),
      [
        ['slaProperties[0]', "SLA freshness element 'orders.note' is not a date or timestamp column"],
        ['slaProperties[1]', "SLA freshness element 'orders.gone' names no column of orders"],
      ],
    );
  });
});
