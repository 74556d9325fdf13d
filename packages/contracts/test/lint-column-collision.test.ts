// CONTRACT-COLUMN-NAME-COLLISION: properties whose normalised column names collide.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { columnNameCollision } from '../src/lint/rules/index.js';
import { assertCompliant, assertNonCompliant } from './lint-utils.js';

const object = (props: string[]) => `
schema:
  - name: orders
    properties:
${props.map((p) => `      - ${p}`).join('\n')}
`;

describe('CONTRACT-COLUMN-NAME-COLLISION', () => {
  test('accepts distinct column names', () =>
    assertCompliant(
      columnNameCollision,
      object(['{ name: a_b, logicalType: string }', '{ name: a_c, logicalType: string }']),
    ));

  test('rejects `a b` / `a_b` at both positions, each naming the other', () => {
    const found = assertNonCompliant(
      columnNameCollision,
      object(["{ name: 'a b', logicalType: string }", '{ name: a_b, logicalType: string }']),
      2,
    );
    assert.deepEqual(
      found.map((d) => d.location.line),
      [11, 12],
    );
    assert.equal(found[0]!.severity, 'error');
    assert.match(found[0]!.message, /'a b' and 'a_b' are both stored as column 'a_b'/);
    assert.match(found[1]!.message, /'a_b' and 'a b' are both stored as column 'a_b'/);
  });

  test('rejects Amount / amount and orderId / order_id; a physicalName is what counts', () => {
    assertNonCompliant(
      columnNameCollision,
      object(['{ name: Amount, logicalType: number }', '{ name: amount, logicalType: number }']),
      2,
    );
    assertNonCompliant(
      columnNameCollision,
      object(['{ name: orderId, logicalType: string }', '{ name: order_id, logicalType: string }']),
      2,
    );
    assertCompliant(
      columnNameCollision,
      object([
        '{ name: Amount, physicalName: amount_eur, logicalType: number }',
        '{ name: amount, logicalType: number }',
      ]),
    );
    const [d] = assertNonCompliant(
      columnNameCollision,
      object(['{ name: x, physicalName: amount, logicalType: number }', '{ name: amount, logicalType: number }']),
      2,
    );
    assert.equal(d!.path, 'schema[0].properties[0].physicalName');
  });

  test('nested properties collide only with their siblings; different objects never collide', () => {
    assertCompliant(
      columnNameCollision,
      `
schema:
  - name: orders
    properties:
      - { name: id, logicalType: string }
      - name: address
        logicalType: object
        properties:
          - { name: id, logicalType: string }
  - name: lines
    properties:
      - { name: id, logicalType: string }
`,
    );
    assertNonCompliant(
      columnNameCollision,
      `
schema:
  - name: orders
    properties:
      - name: address
        logicalType: object
        properties:
          - { name: Zip, logicalType: string }
          - { name: zip, logicalType: string }
`,
      2,
    );
  });
});
