/**
 * Every rule id of contract-compatibility.md, in both directions: a→b reports the rule with the
 * spec's breaks flags, b→a reports its reverse with its flags, and nothing else is reported.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CHANGE_RULE_IDS, CHANGE_RULES } from '../src/diff/rules.js';
import { diffDocs, docWith, prop, rules, type Doc } from './diff-helpers.js';

/** The spec's table, typed in again by hand: BWD breaks, FWD breaks. */
const SPEC: Record<string, [boolean, boolean]> = {
  SCHEMA_OBJECT_REMOVED: [false, true],
  SCHEMA_OBJECT_ADDED: [false, false],
  PROPERTY_REMOVED: [false, true],
  SCHEMA_OBJECT_RENAMED: [true, true],
  PROPERTY_RENAMED: [true, true],
  PROPERTY_ADDED_OPTIONAL: [false, false],
  PROPERTY_ADDED_REQUIRED: [true, false],
  REQUIRED_ADDED: [true, false],
  REQUIRED_REMOVED: [false, true],
  TYPE_CHANGED: [true, true],
  TYPE_WIDENED: [false, true],
  TYPE_NARROWED: [true, false],
  PHYSICAL_TYPE_CHANGED: [true, true],
  FORMAT_CHANGED: [true, true],
  FORMAT_ADDED: [true, false],
  FORMAT_REMOVED: [false, true],
  PATTERN_ADDED: [true, false],
  PATTERN_REMOVED: [false, true],
  PATTERN_CHANGED: [true, true],
  RANGE_TIGHTENED: [true, false],
  RANGE_RELAXED: [false, true],
  ENUM_VALUE_REMOVED: [true, false],
  ENUM_VALUE_ADDED: [false, true],
  UNIQUE_ADDED: [true, false],
  UNIQUE_REMOVED: [false, true],
  PRIMARY_KEY_CHANGED: [true, true],
  PARTITIONING_CHANGED: [false, true],
  CLASSIFICATION_CHANGED: [false, false],
  QUALITY_ADDED: [false, false],
  QUALITY_REMOVED: [false, true],
  SLA_WEAKENED: [false, true],
  SLA_STRENGTHENED: [false, false],
  SERVER_CHANGED: [false, true],
  STATUS_CHANGED: [false, false],
  METADATA_CHANGED: [false, false],
  ID_CHANGED: [true, true],
  COMPATIBILITY_MODE_CHANGED: [true, true],
};

interface Case {
  name: string;
  /** Edit applied to the base to get the old contract (default: none). */
  a?: (d: Doc) => void;
  /** Edit applied to the base to get the new contract. */
  b: (d: Doc) => void;
  /** Rules reported a→b, sorted. */
  forward: string[];
  /** Rules reported b→a, sorted. */
  reverse: string[];
}

const withIds = (d: Doc): void => {
  d.schema[0].id = 'obj-orders';
  prop(d, 'note').id = 'prop-note';
};
const addObject = (d: Doc): void => {
  d.schema.push({ name: 'customers', properties: [{ name: 'customer_id', logicalType: 'string' }] });
};
const mode =
  (m: string) =>
  (d: Doc): void => {
    d.customProperties = [{ property: 'meshkit.compatibility', value: m }];
  };

const CASES: Case[] = [
  {
    name: 'schema object added / removed',
    b: addObject,
    forward: ['SCHEMA_OBJECT_ADDED'],
    reverse: ['SCHEMA_OBJECT_REMOVED'],
  },
  {
    name: 'optional property added / removed',
    b: (d) => d.schema[0].properties.push({ name: 'coupon', logicalType: 'string' }),
    forward: ['PROPERTY_ADDED_OPTIONAL'],
    reverse: ['PROPERTY_REMOVED'],
  },
  {
    name: 'property added with required: false counts as optional',
    b: (d) => d.schema[0].properties.push({ name: 'coupon', logicalType: 'string', required: false }),
    forward: ['PROPERTY_ADDED_OPTIONAL'],
    reverse: ['PROPERTY_REMOVED'],
  },
  {
    name: 'required property added / removed',
    b: (d) => d.schema[0].properties.push({ name: 'channel', logicalType: 'string', required: true }),
    forward: ['PROPERTY_ADDED_REQUIRED'],
    reverse: ['PROPERTY_REMOVED'],
  },
  {
    name: 'schema object renamed (same id)',
    a: withIds,
    b: (d) => {
      withIds(d);
      d.schema[0].name = 'purchase_orders';
    },
    forward: ['SCHEMA_OBJECT_RENAMED'],
    reverse: ['SCHEMA_OBJECT_RENAMED'],
  },
  {
    name: 'schema object physicalName changed',
    b: (d) => {
      d.schema[0].physicalName = 'orders_v2';
    },
    forward: ['SCHEMA_OBJECT_RENAMED'],
    reverse: ['SCHEMA_OBJECT_RENAMED'],
  },
  {
    name: 'property renamed (same id)',
    a: withIds,
    b: (d) => {
      withIds(d);
      prop(d, 'note').name = 'comment';
    },
    forward: ['PROPERTY_RENAMED'],
    reverse: ['PROPERTY_RENAMED'],
  },
  {
    name: 'property physicalName changed',
    b: (d) => {
      prop(d, 'note').physicalName = 'note_text';
    },
    forward: ['PROPERTY_RENAMED'],
    reverse: ['PROPERTY_RENAMED'],
  },
  {
    name: 'required false → true',
    b: (d) => {
      prop(d, 'note').required = true;
    },
    forward: ['REQUIRED_ADDED'],
    reverse: ['REQUIRED_REMOVED'],
  },
  {
    name: 'logicalType changed between incompatible types',
    b: (d) => {
      Object.assign(prop(d, 'note'), { logicalType: 'boolean', physicalType: 'boolean' });
    },
    forward: ['TYPE_CHANGED'],
    reverse: ['TYPE_CHANGED'],
  },
  {
    name: 'logicalType integer → number',
    b: (d) => {
      Object.assign(prop(d, 'quantity'), { logicalType: 'number', logicalTypeOptions: undefined });
    },
    a: (d) => {
      prop(d, 'quantity').logicalTypeOptions = undefined;
    },
    forward: ['TYPE_WIDENED'],
    reverse: ['TYPE_NARROWED'],
  },
  {
    name: 'physicalType int → bigint',
    b: (d) => {
      prop(d, 'quantity').physicalType = 'bigint';
    },
    forward: ['TYPE_WIDENED'],
    reverse: ['TYPE_NARROWED'],
  },
  {
    name: 'integer format i32 → i64',
    b: (d) => {
      prop(d, 'quantity').logicalTypeOptions.format = 'i64';
    },
    forward: ['TYPE_WIDENED'],
    reverse: ['TYPE_NARROWED'],
  },
  {
    name: 'physicalType with no known relation',
    b: (d) => {
      prop(d, 'quantity').physicalType = 'varchar(10)';
    },
    forward: ['PHYSICAL_TYPE_CHANGED'],
    reverse: ['PHYSICAL_TYPE_CHANGED'],
  },
  {
    name: 'format changed',
    b: (d) => {
      prop(d, 'created_at').logicalTypeOptions.format = "yyyy-MM-dd'T'HH:mm:ss";
    },
    forward: ['FORMAT_CHANGED'],
    reverse: ['FORMAT_CHANGED'],
  },
  {
    name: 'timezone changed',
    b: (d) => {
      prop(d, 'created_at').logicalTypeOptions.timezone = false;
    },
    forward: ['FORMAT_CHANGED'],
    reverse: ['FORMAT_CHANGED'],
  },
  {
    name: 'defaultTimezone added',
    b: (d) => {
      prop(d, 'created_at').logicalTypeOptions.defaultTimezone = 'UTC';
    },
    forward: ['FORMAT_CHANGED'],
    reverse: ['FORMAT_CHANGED'],
  },
  {
    name: 'format added / removed',
    b: (d) => {
      prop(d, 'customer_email').logicalTypeOptions = { format: 'email' };
    },
    forward: ['FORMAT_ADDED'],
    reverse: ['FORMAT_REMOVED'],
  },
  {
    name: 'pattern added / removed',
    b: (d) => {
      prop(d, 'note').logicalTypeOptions = { pattern: '^[a-z ]*$' };
    },
    forward: ['PATTERN_ADDED'],
    reverse: ['PATTERN_REMOVED'],
  },
  {
    name: 'pattern changed',
    a: (d) => {
      prop(d, 'note').logicalTypeOptions = { pattern: '^[a-z]*$' };
    },
    b: (d) => {
      prop(d, 'note').logicalTypeOptions = { pattern: '^[a-z0-9]*$' };
    },
    forward: ['PATTERN_CHANGED'],
    reverse: ['PATTERN_CHANGED'],
  },
  {
    name: 'minimum raised / lowered',
    b: (d) => {
      prop(d, 'amount').logicalTypeOptions.minimum = 1;
    },
    forward: ['RANGE_TIGHTENED'],
    reverse: ['RANGE_RELAXED'],
  },
  {
    name: 'maximum lowered / raised',
    b: (d) => {
      prop(d, 'amount').logicalTypeOptions.maximum = 1000;
    },
    forward: ['RANGE_TIGHTENED'],
    reverse: ['RANGE_RELAXED'],
  },
  {
    name: 'maxLength added / removed',
    b: (d) => {
      prop(d, 'note').logicalTypeOptions = { maxLength: 200 };
    },
    forward: ['RANGE_TIGHTENED'],
    reverse: ['RANGE_RELAXED'],
  },
  {
    name: 'exclusive bound added / removed',
    b: (d) => {
      prop(d, 'amount').logicalTypeOptions.exclusiveMinimum = 0;
    },
    forward: ['RANGE_TIGHTENED'],
    reverse: ['RANGE_RELAXED'],
  },
  {
    name: 'minItems raised on an array',
    a: (d) =>
      d.schema[0].properties.push({
        name: 'lines',
        logicalType: 'array',
        logicalTypeOptions: { minItems: 0 },
        items: { logicalType: 'string' },
      }),
    b: (d) => {
      prop(d, 'lines').logicalTypeOptions.minItems = 1;
    },
    forward: ['RANGE_TIGHTENED'],
    reverse: ['RANGE_RELAXED'],
  },
  {
    name: 'multipleOf added / removed',
    b: (d) => {
      prop(d, 'amount').logicalTypeOptions.multipleOf = 0.01;
    },
    forward: ['RANGE_TIGHTENED'],
    reverse: ['RANGE_RELAXED'],
  },
  {
    name: 'multipleOf changed is a tightening either way',
    a: (d) => {
      prop(d, 'amount').logicalTypeOptions.multipleOf = 5;
    },
    b: (d) => {
      prop(d, 'amount').logicalTypeOptions.multipleOf = 10;
    },
    forward: ['RANGE_TIGHTENED'],
    reverse: ['RANGE_TIGHTENED'],
  },
  {
    name: 'allowed value added / removed',
    b: (d) => {
      prop(d, 'status').quality[0].arguments.validValues.push('cancelled');
    },
    forward: ['ENUM_VALUE_ADDED'],
    reverse: ['ENUM_VALUE_REMOVED'],
  },
  {
    name: 'allowed-values rule dropped / added',
    b: (d) => {
      delete prop(d, 'status').quality;
    },
    forward: ['ENUM_VALUE_ADDED'],
    reverse: ['ENUM_VALUE_REMOVED'],
  },
  {
    name: 'unique added / removed',
    b: (d) => {
      prop(d, 'note').unique = true;
    },
    forward: ['UNIQUE_ADDED'],
    reverse: ['UNIQUE_REMOVED'],
  },
  {
    name: 'unique removed from a primary key is still UNIQUE_REMOVED',
    b: (d) => {
      delete prop(d, 'order_id').unique;
    },
    forward: ['UNIQUE_REMOVED'],
    reverse: ['UNIQUE_ADDED'],
  },
  {
    name: 'primary key membership',
    b: (d) => {
      Object.assign(prop(d, 'order_date'), { primaryKey: true, primaryKeyPosition: 2 });
    },
    forward: ['PRIMARY_KEY_CHANGED'],
    reverse: ['PRIMARY_KEY_CHANGED'],
  },
  {
    name: 'primaryKeyPosition',
    b: (d) => {
      prop(d, 'order_id').primaryKeyPosition = 2;
    },
    forward: ['PRIMARY_KEY_CHANGED'],
    reverse: ['PRIMARY_KEY_CHANGED'],
  },
  {
    name: 'partitioned',
    b: (d) => {
      prop(d, 'order_date').partitioned = false;
      delete prop(d, 'order_date').partitionKeyPosition;
    },
    forward: ['PARTITIONING_CHANGED'],
    reverse: ['PARTITIONING_CHANGED'],
  },
  {
    name: 'partitionKeyPosition',
    b: (d) => {
      prop(d, 'order_date').partitionKeyPosition = 2;
    },
    forward: ['PARTITIONING_CHANGED'],
    reverse: ['PARTITIONING_CHANGED'],
  },
  {
    name: 'property classification',
    b: (d) => {
      prop(d, 'customer_email').classification = 'confidential';
    },
    forward: ['CLASSIFICATION_CHANGED'],
    reverse: ['CLASSIFICATION_CHANGED'],
  },
  {
    name: 'classification added',
    b: (d) => {
      prop(d, 'note').classification = 'internal';
    },
    forward: ['CLASSIFICATION_CHANGED'],
    reverse: ['CLASSIFICATION_CHANGED'],
  },
  {
    name: 'quality rule added / removed',
    b: (d) => {
      prop(d, 'note').quality = [{ metric: 'nullValues', mustBeLessThan: 10, unit: 'percent' }];
    },
    forward: ['QUALITY_ADDED'],
    reverse: ['QUALITY_REMOVED'],
  },
  {
    name: 'quality threshold made stricter / looser',
    b: (d) => {
      d.schema[0].quality[0].mustBeGreaterThan = 100;
    },
    forward: ['QUALITY_ADDED'],
    reverse: ['QUALITY_REMOVED'],
  },
  {
    name: 'quality query changed',
    a: (d) => {
      d.schema[0].quality.push({ id: 'late', type: 'sql', query: 'SELECT COUNT(*) FROM orders WHERE late', mustBe: 0 });
    },
    b: (d) => {
      d.schema[0].quality[1].query = 'SELECT COUNT(*) FROM orders WHERE late AND paid';
    },
    forward: ['QUALITY_ADDED', 'QUALITY_REMOVED'],
    reverse: ['QUALITY_ADDED', 'QUALITY_REMOVED'],
  },
  {
    name: 'SLA latency up / down',
    b: (d) => {
      d.slaProperties[0].value = 6;
    },
    forward: ['SLA_WEAKENED'],
    reverse: ['SLA_STRENGTHENED'],
  },
  {
    name: 'SLA entry removed / added',
    b: (d) => {
      d.slaProperties.pop();
    },
    forward: ['SLA_WEAKENED'],
    reverse: ['SLA_STRENGTHENED'],
  },
  {
    name: 'server added / removed',
    b: (d) => {
      d.servers.push({ server: 'dev', type: 's3', location: 's3://dev/orders/' });
    },
    forward: ['METADATA_CHANGED'],
    reverse: ['SERVER_CHANGED'],
  },
  {
    name: 'server type changed',
    b: (d) => {
      d.servers[0] = {
        server: 'prod',
        type: 'glue',
        account: '123456789012',
        database: 'sales',
        location: 's3://bucket/orders/',
      };
    },
    forward: ['SERVER_CHANGED', 'SERVER_CHANGED', 'SERVER_CHANGED'],
    reverse: ['SERVER_CHANGED', 'SERVER_CHANGED', 'SERVER_CHANGED'],
  },
  {
    name: 'server location changed',
    b: (d) => {
      d.servers[0].location = 's3://other/orders/';
    },
    forward: ['SERVER_CHANGED'],
    reverse: ['SERVER_CHANGED'],
  },
  {
    name: 'server description changed',
    b: (d) => {
      d.servers[0].description = 'main bucket';
    },
    forward: ['METADATA_CHANGED'],
    reverse: ['METADATA_CHANGED'],
  },
  {
    name: 'status',
    b: (d) => {
      d.status = 'deprecated';
    },
    forward: ['STATUS_CHANGED'],
    reverse: ['STATUS_CHANGED'],
  },
  {
    name: 'description of a property',
    b: (d) => {
      prop(d, 'note').description = 'free text, trimmed';
    },
    forward: ['METADATA_CHANGED'],
    reverse: ['METADATA_CHANGED'],
  },
  {
    name: 'contract name, domain, tags',
    b: (d) => {
      d.name = 'all orders';
    },
    forward: ['METADATA_CHANGED'],
    reverse: ['METADATA_CHANGED'],
  },
  {
    name: 'non-meshkit custom property',
    b: (d) => {
      d.customProperties = [{ property: 'owner', value: 'sales-team' }];
    },
    forward: ['METADATA_CHANGED'],
    reverse: ['METADATA_CHANGED'],
  },
  {
    name: 'contract id',
    b: (d) => {
      d.id = 'sales-orders-2';
    },
    forward: ['ID_CHANGED'],
    reverse: ['ID_CHANGED'],
  },
  {
    name: 'compatibility mode weakened / strengthened',
    a: mode('FULL'),
    b: mode('BACKWARD'),
    forward: ['COMPATIBILITY_MODE_CHANGED'],
    reverse: ['COMPATIBILITY_MODE_CHANGED'],
  },
];

function check(a: Doc, b: Doc, expected: string[]): void {
  const r = diffDocs(a, b, { mode: 'FULL' });
  assert.deepEqual(rules(r), expected, r.changes.map((c) => `${c.rule} ${c.path}: ${c.message}`).join('\n'));
  for (const c of r.changes) {
    const spec = SPEC[c.rule]!;
    if (c.rule === 'COMPATIBILITY_MODE_CHANGED') continue; // asserted separately below
    assert.deepEqual(c.breaks, { backward: spec[0], forward: spec[1] }, `${c.rule} breaks`);
  }
}

describe('every rule in both directions', () => {
  for (const c of CASES) {
    it(c.name, () => {
      const a = docWith(c.a);
      const b = docWith((d) => {
        c.a?.(d);
        c.b(d);
      });
      check(a, b, c.forward);
      check(b, a, c.reverse);
    });
  }

  it('covers every rule id of the table', () => {
    const seen = new Set(CASES.flatMap((c) => [...c.forward, ...c.reverse]));
    assert.deepEqual(
      CHANGE_RULE_IDS.filter((id) => !seen.has(id)),
      [],
    );
  });

  it('the rule table matches the specification', () => {
    assert.deepEqual(Object.keys(CHANGE_RULES).sort(), Object.keys(SPEC).sort());
    for (const id of CHANGE_RULE_IDS) {
      assert.deepEqual([CHANGE_RULES[id].breaks.backward, CHANGE_RULES[id].breaks.forward], SPEC[id], id);
    }
  });

  it('COMPATIBILITY_MODE_CHANGED breaks both directions when weakened and nothing when strengthened', () => {
    const full = docWith(mode('FULL'));
    const backward = docWith(mode('BACKWARD'));
    const [weak] = diffDocs(full, backward, { mode: 'FULL' }).changes;
    assert.deepEqual(weak?.breaks, { backward: true, forward: true });
    assert.match(weak.message, /weakened from FULL to BACKWARD/);
    const [strong] = diffDocs(backward, full, { mode: 'FULL' }).changes;
    assert.deepEqual(strong?.breaks, { backward: false, forward: false });
    assert.match(strong.message, /strengthened from BACKWARD to FULL/);
  });
});
