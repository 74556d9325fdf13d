// Shared contract for the compiler tests (test/compile-*.test.ts).
import { parseContract } from '../src/contract/load-contract.js';
import type { OdcsContract } from '../src/odcs.js';

export const ORDERS_YAML = `
apiVersion: v3.1.0
kind: DataContract
id: sales-orders
name: Orders
version: 1.2.0
status: active
slaProperties:
  - property: latency
    value: 4
    unit: d
    element: orders.updated_at
  - property: retention
    value: 3
    unit: y
schema:
  - name: orders
    description: One row per order line.
    physicalType: table
    properties:
      - name: order_id
        logicalType: string
        required: true
        primaryKey: true
        primaryKeyPosition: 1
        description: Order identifier.
        logicalTypeOptions: { pattern: '^ORD-[0-9]+$' }
        examples: [ORD-1]
      - name: line_no
        logicalType: integer
        physicalType: int
        primaryKey: true
        primaryKeyPosition: 2
        logicalTypeOptions: { minimum: 1, format: i32 }
      - name: status
        logicalType: string
        required: true
        quality:
          - metric: invalidValues
            arguments: { validValues: [NEW, PAID, SHIPPED] }
            mustBe: 0
      - name: amount
        logicalType: number
        physicalType: decimal(12, 2)
        logicalTypeOptions: { minimum: 0, maximum: 100000 }
      - name: email
        logicalType: string
        quality:
          - metric: nullValues
            mustBeLessThan: 10
            unit: percent
            severity: warning
          - id: email_shape
            metric: invalidValues
            arguments: { pattern: '^[^@]+@[^@]+$' }
            mustBeLessOrEqualTo: 1
      - name: country
        physicalName: countryCode
        logicalType: string
        logicalTypeOptions: { minLength: 2, maxLength: 2 }
        quality:
          - metric: missingValues
            arguments: { missingValues: ['', 'N/A'] }
            mustBe: 0
      - name: updated_at
        logicalType: timestamp
        required: true
      - name: order_date
        logicalType: date
        partitioned: true
        partitionKeyPosition: 1
      - name: note
        logicalType: string
        description: 'Free text; may contain "quotes", back\\slashes and */ comment ends.'
      - name: tags
        logicalType: array
        items: { logicalType: string }
        logicalTypeOptions: { maxItems: 3 }
      - name: customer
        logicalType: object
        properties:
          - name: id
            logicalType: string
            required: true
          - name: zip
            logicalType: string
            quality:
              - metric: nullValues
                mustBe: 0
    quality:
      - metric: rowCount
        mustBeBetween: [1, 1000]
      - id: no_negative_amounts
        type: sql
        query: 'SELECT count(*) FROM \${object} WHERE amount < 0;'
        mustBe: 0
      - type: text
        description: Orders are checked by hand.
      - type: custom
        engine: soda
        implementation: 'type: duplicate_percent'
      - metric: duplicateValues
        arguments: { properties: [email] }
        mustBeLessThan: 50
        unit: percent
`;

/** The orders contract, validated. */
export function ordersContract(): OdcsContract {
  const loaded = parseContract('orders.odcs.yaml', ORDERS_YAML);
  if (!loaded.contract)
    throw new Error('fixture invalid: ' + loaded.diagnostics.map((d) => `${d.location.line}: ${d.message}`).join('; '));
  return loaded.contract;
}

/** A minimal valid contract with the given schema objects. */
export function contractWith(schema: unknown[]): OdcsContract {
  return {
    apiVersion: 'v3.1.0',
    kind: 'DataContract',
    id: 'c',
    version: '1.0.0',
    status: 'active',
    schema,
  } as OdcsContract;
}
