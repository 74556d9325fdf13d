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
});
