/** The type lattice, quality thresholds as sets, allowed values and SLA units. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compareThresholds } from '../src/diff/quality.js';
import type { QualityRule } from '../src/odcs.js';
import { compareSla, readSlaValue } from '../src/diff/sla.js';
import type { SlaProperty } from '../src/odcs.js';
import { logicalTypeVerdict, physicalTypeVerdict } from '../src/diff/types.js';
import { diffDocs, docWith, prop, summary } from './diff-helpers.js';

describe('type lattice', () => {
  const widened: Array<[string, string]> = [
    ['tinyint', 'smallint'],
    ['tinyint', 'bigint'],
    ['smallint', 'int'],
    ['int', 'bigint'],
    ['integer', 'long'],
    ['INT', 'BIGINT'],
    ['int', 'double'],
    ['tinyint', 'double'],
    ['float', 'double'],
    ['real', 'double'],
    ['decimal(10,2)', 'decimal(12,2)'],
    ['decimal(10,2)', 'decimal(11,3)'],
    ['numeric(10,2)', 'DECIMAL(12, 4)'],
    ['decimal(5)', 'decimal(7,2)'],
    ['char(3)', 'varchar(3)'],
    ['varchar(10)', 'varchar(20)'],
    ['char', 'string'],
    ['varchar(255)', 'string'],
    ['varchar(10)', 'text'],
  ];
  for (const [a, b] of widened) {
    it(`${a} → ${b} widens, the reverse narrows`, () => {
      assert.equal(physicalTypeVerdict(a, b), 'TYPE_WIDENED');
      assert.equal(physicalTypeVerdict(b, a), 'TYPE_NARROWED');
    });
  }
  const unrelated: Array<[string, string]> = [
    ['decimal(10,2)', 'decimal(10,3)'],
    ['decimal(10,2)', 'decimal(12,1)'],
    ['int', 'float'],
    ['bigint', 'decimal(38,0)'],
    ['double', 'decimal(10,2)'],
    ['char(3)', 'char(5)'],
    ['string', 'binary'],
    ['varchar', 'varchar(10)'],
    ['date', 'timestamp'],
  ];
  for (const [a, b] of unrelated) {
    it(`${a} → ${b} has no known relation`, () => {
      assert.equal(physicalTypeVerdict(a, b), 'PHYSICAL_TYPE_CHANGED');
      assert.equal(physicalTypeVerdict(b, a), 'PHYSICAL_TYPE_CHANGED');
    });
  }
  it('normalises case and aliases', () => {
    assert.equal(physicalTypeVerdict('Integer', 'INT'), undefined);
    assert.equal(physicalTypeVerdict('text', 'STRING'), undefined);
    assert.equal(physicalTypeVerdict('numeric(10,2)', 'decimal(10, 2)'), undefined);
  });
  it('an added or removed physicalType has no known relation', () => {
    assert.equal(physicalTypeVerdict(undefined, 'int'), 'PHYSICAL_TYPE_CHANGED');
    assert.equal(physicalTypeVerdict('int', undefined), 'PHYSICAL_TYPE_CHANGED');
  });
  it('logicalType: integer ↔ number, anything else TYPE_CHANGED', () => {
    assert.equal(logicalTypeVerdict('integer', 'number'), 'TYPE_WIDENED');
    assert.equal(logicalTypeVerdict('number', 'integer'), 'TYPE_NARROWED');
    assert.equal(logicalTypeVerdict('string', 'date'), 'TYPE_CHANGED');
    assert.equal(logicalTypeVerdict(undefined, 'string'), 'TYPE_CHANGED');
  });
  it('a logicalType change hides the physicalType change', () => {
    const r = diffDocs(
      docWith(),
      docWith((d) => {
        Object.assign(prop(d, 'quantity'), {
          logicalType: 'number',
          physicalType: 'double',
          logicalTypeOptions: undefined,
        });
      }),
    );
    assert.deepEqual(
      summary(r).filter((s) => s.startsWith('TYPE') || s.startsWith('PHYSICAL')),
      ['TYPE_WIDENED schema[orders].properties[quantity].logicalType'],
    );
  });
  it('physicalType widening and i32 → i64 together are one TYPE_WIDENED', () => {
    const r = diffDocs(
      docWith(),
      docWith((d) => {
        prop(d, 'quantity').physicalType = 'bigint';
        prop(d, 'quantity').logicalTypeOptions.format = 'i64';
      }),
    );
    assert.deepEqual(summary(r), ['TYPE_WIDENED schema[orders].properties[quantity].physicalType']);
  });
  it('a format change other than i32 ↔ i64 stays a FORMAT_* change next to the type verdict', () => {
    const r = diffDocs(
      docWith(),
      docWith((d) => {
        prop(d, 'quantity').physicalType = 'bigint';
        prop(d, 'quantity').logicalTypeOptions.format = 'i16';
      }),
    );
    assert.deepEqual(summary(r), [
      'TYPE_WIDENED schema[orders].properties[quantity].physicalType',
      'FORMAT_CHANGED schema[orders].properties[quantity].logicalTypeOptions.format',
    ]);
  });
  it('contradicting physical and format verdicts leave no known relation', () => {
    const r = diffDocs(
      docWith((d) => {
        prop(d, 'quantity').logicalTypeOptions.format = 'i64';
      }),
      docWith((d) => {
        prop(d, 'quantity').physicalType = 'bigint';
      }),
    );
    assert.deepEqual(summary(r), ['PHYSICAL_TYPE_CHANGED schema[orders].properties[quantity].physicalType']);
  });
});

describe('quality thresholds as sets of allowed values', () => {
  const cmp = (a: QualityRule, b: QualityRule) => compareThresholds(a, b);
  it('a sub-interval is stricter', () => {
    assert.equal(cmp({ mustBeGreaterThan: 0 }, { mustBeGreaterThan: 5 }), 'stricter');
    assert.equal(cmp({ mustBeLessOrEqualTo: 5 }, { mustBeLessThan: 5 }), 'stricter');
    assert.equal(cmp({ mustBeBetween: [0, 10] }, { mustBeBetween: [2, 8] }), 'stricter');
    assert.equal(cmp({ mustBeGreaterOrEqualTo: 0 }, { mustBe: 3 }), 'stricter');
    assert.equal(cmp({ mustNotBe: 0 }, { mustBeGreaterThan: 0 }), 'stricter');
    assert.equal(cmp({ mustNotBeBetween: [0, 10] }, { mustBeGreaterThan: 20 }), 'stricter');
  });
  it('a superset, a partial overlap or a disjoint set loses a guarantee', () => {
    assert.equal(cmp({ mustBeGreaterThan: 5 }, { mustBeGreaterThan: 0 }), 'looser');
    assert.equal(cmp({ mustBeLessThan: 5 }, { mustBeLessOrEqualTo: 5 }), 'looser');
    assert.equal(cmp({ mustBeBetween: [0, 10] }, { mustBeBetween: [5, 15] }), 'looser');
    assert.equal(cmp({ mustBe: 0 }, { mustBe: 1 }), 'looser');
    assert.equal(cmp({ mustBeGreaterThan: 0 }, { mustBeLessThan: 0 }), 'looser');
    assert.equal(cmp({ mustBe: 'a' }, { mustBe: 'b' }), 'looser');
  });
  it('equal sets written differently are the same', () => {
    assert.equal(cmp({ mustBeBetween: [0, 10] }, { mustBeBetween: [10, 0] }), 'same');
    assert.equal(cmp({ mustBe: 'a' }, { mustBe: 'a' }), 'same');
  });
  it('a changed unit is QUALITY_REMOVED plus QUALITY_ADDED', () => {
    const r = diffDocs(
      docWith(),
      docWith((d) => {
        d.schema[0].quality[0].unit = 'percent';
      }),
    );
    assert.deepEqual(r.changes.map((c) => c.rule).sort(), ['QUALITY_ADDED', 'QUALITY_REMOVED']);
  });
  it('a changed description of a rule is metadata', () => {
    const r = diffDocs(
      docWith(),
      docWith((d) => {
        d.schema[0].quality[0].description = 'never empty';
      }),
    );
    assert.deepEqual(summary(r), ['METADATA_CHANGED schema[orders].quality[row-count].description']);
  });
  it('quality rules without id match by metric and name', () => {
    const a = docWith((d) => {
      d.schema[0].quality = [
        { metric: 'rowCount', name: 'big', mustBeGreaterThan: 10 },
        { metric: 'rowCount', name: 'small', mustBeGreaterThan: 0 },
      ];
    });
    const b = docWith((d) => {
      d.schema[0].quality = [
        { metric: 'rowCount', name: 'small', mustBeGreaterThan: 1 },
        { metric: 'rowCount', name: 'big', mustBeGreaterThan: 10 },
      ];
    });
    assert.deepEqual(summary(diffDocs(a, b)), ['QUALITY_ADDED schema[orders].quality[0]']);
  });
});

describe('allowed values', () => {
  it('reports added and removed values in one diff', () => {
    const r = diffDocs(
      docWith(),
      docWith((d) => {
        prop(d, 'status').quality[0].arguments.validValues = ['open', 'cancelled'];
      }),
    );
    assert.deepEqual(r.changes.map((c) => c.message).sort(), [
      "allowed value 'cancelled' added to 'status'",
      "allowed value 'closed' removed from 'status'",
    ]);
  });
  it('value order does not count', () => {
    assert.deepEqual(
      summary(
        diffDocs(
          docWith(),
          docWith((d) => {
            prop(d, 'status').quality[0].arguments.validValues = ['closed', 'open'];
          }),
        ),
      ),
      [],
    );
  });
  it('a rule that no longer must be 0 is not an allowed-values rule', () => {
    const r = diffDocs(
      docWith(),
      docWith((d) => {
        prop(d, 'status').quality[0].mustBe = undefined;
        prop(d, 'status').quality[0].mustBeLessThan = 5;
      }),
    );
    assert.deepEqual(r.changes.map((c) => c.rule).sort(), ['ENUM_VALUE_ADDED', 'QUALITY_ADDED']);
  });
});

describe('SLA values in the forms contracts use', () => {
  const e = (property: string, value: unknown, unit?: string) =>
    ({ property, value, ...(unit ? { unit } : {}) }) as SlaProperty;
  it('percentages: availability down is weaker, up is stronger', () => {
    assert.equal(compareSla(e('availability', '95%'), e('availability', '90%')), 'weaker');
    assert.equal(compareSla(e('availability', '99.5%'), e('availability', 99.9, 'percent')), 'stronger');
    assert.equal(compareSla(e('availability', 99, '%'), e('availability', '99%')), 'same');
  });
  it('ISO 8601 durations (a month is 30 days, a year 365)', () => {
    assert.equal(compareSla(e('retention', 'P1Y'), e('retention', 'P6M')), 'weaker');
    assert.equal(compareSla(e('retention', 'P6M'), e('retention', 'P1Y')), 'stronger');
    assert.equal(compareSla(e('latency', 'PT15M'), e('latency', 'PT1H')), 'weaker');
    assert.equal(compareSla(e('frequency', 'P1D'), e('frequency', 'PT12H')), 'stronger');
    assert.equal(compareSla(e('retention', 'P1Y'), e('retention', 365, 'd')), 'same');
  });
  it('unit-suffixed values: 25h, 15m (minutes), 7d, 2 weeks', () => {
    assert.equal(compareSla(e('latency', '24h'), e('latency', '25h')), 'weaker');
    assert.equal(compareSla(e('latency', '15m'), e('latency', '10m')), 'stronger');
    assert.equal(compareSla(e('freshness', '1h'), e('freshness', '15m')), 'stronger');
    assert.equal(compareSla(e('retention', '7d'), e('retention', '2 weeks')), 'stronger');
    assert.equal(compareSla(e('latency', '2d'), e('latency', 'PT48H')), 'same');
  });
  it('dates: a later end of support is stronger', () => {
    assert.equal(compareSla(e('endOfSupport', '2026-12-31'), e('endOfSupport', '2026-06-30')), 'weaker');
    assert.equal(compareSla(e('endOfLife', '2027-01-01'), e('endOfLife', '2028-01-01')), 'stronger');
  });
  it('values that cannot be read, or of different kinds, are not compared', () => {
    assert.equal(compareSla(e('latency', 'soon'), e('latency', '1h')), 'unreadable');
    assert.equal(compareSla(e('availability', '99%'), e('availability', '1h')), 'unreadable');
    assert.equal(compareSla(e('throughput', 10, 'rows/s'), e('throughput', 10, 'MB/s')), 'unreadable');
    assert.equal(readSlaValue(e('latency', 'about a day')).kind, 'unreadable');
  });
});

describe('SLA units', () => {
  const e = (property: string, value: number, unit?: string) => ({ property, value, ...(unit ? { unit } : {}) });
  it('converts units before comparing', () => {
    assert.equal(compareSla(e('latency', 4, 'h'), e('latency', 240, 'min')), 'same');
    assert.equal(compareSla(e('latency', 4, 'h'), e('latency', 3, 'hours')), 'stronger');
    assert.equal(compareSla(e('latency', 1, 'd'), e('latency', 25, 'h')), 'weaker');
    assert.equal(compareSla(e('latency', 500, 'ms'), e('latency', 1, 's')), 'weaker');
    assert.equal(compareSla(e('retention', 1, 'y'), e('retention', 400, 'days')), 'stronger');
    assert.equal(compareSla(e('retention', 2, 'w'), e('retention', 13, 'd')), 'weaker');
    assert.equal(compareSla(e('frequency', 1, 'd'), e('frequency', 12, 'h')), 'stronger');
  });
  it('higher availability and throughput are stronger, lower errorRate is stronger', () => {
    assert.equal(compareSla(e('availability', 99.9, '%'), e('availability', 99.5, '%')), 'weaker');
    assert.equal(compareSla(e('throughput', 100), e('throughput', 200)), 'stronger');
    assert.equal(compareSla(e('errorRate', 0.01), e('errorRate', 0.1)), 'weaker');
  });
  it('other SLA changes are not directional', () => {
    assert.equal(compareSla(e('latency', 4, 'h'), e('latency', 4, 'parsecs')), 'unreadable');
    assert.equal(compareSla(e('endOfLife', 1), e('endOfLife', 2)), 'unreadable');
    assert.equal(
      compareSla(
        { property: 'timeOfAvailability', value: '09:00' },
        { property: 'timeOfAvailability', value: '10:00' },
      ),
      'other',
    );
    assert.equal(
      compareSla(
        { property: 'generalAvailability', value: '2024-01-01' },
        { property: 'generalAvailability', value: '2025-01-01' },
      ),
      'other',
    );
  });
  it('a unit-only rewrite of the same duration is metadata', () => {
    const r = diffDocs(
      docWith(),
      docWith((d) => {
        d.slaProperties[0] = { property: 'latency', value: 240, unit: 'min' };
      }),
    );
    assert.deepEqual(summary(r), ['METADATA_CHANGED slaProperties[latency]']);
  });
  it('a weaker retention is SLA_WEAKENED', () => {
    const r = diffDocs(
      docWith(),
      docWith((d) => {
        d.slaProperties[1] = { property: 'retention', value: 180, unit: 'days' };
      }),
    );
    assert.deepEqual(summary(r), ['SLA_WEAKENED slaProperties[retention]']);
    assert.equal(r.changes[0]!.message, "SLA 'retention' weakened from 1 y to 180 days");
  });
  it('availability 95% → 90% is SLA_WEAKENED (a major under FULL), shown once with its %', () => {
    const r = diffDocs(
      docWith((d) => {
        d.slaProperties[0] = { property: 'availability', value: '95%' };
      }),
      docWith((d) => {
        d.slaProperties[0] = { property: 'availability', value: '90%', unit: '%' };
      }),
    );
    assert.deepEqual(summary(r), ['SLA_WEAKENED slaProperties[availability]']);
    assert.equal(r.changes[0]!.message, "SLA 'availability' weakened from 95% to 90%");
    assert.equal(r.requiredBump, 'major');
  });
  it('ISO 8601 P1Y → P6M and 24h → 25h are weakenings, never silent patches', () => {
    const r = diffDocs(
      docWith((d) => {
        d.slaProperties = [
          { property: 'retention', value: 'P1Y' },
          { property: 'latency', value: '24h' },
        ];
      }),
      docWith((d) => {
        d.slaProperties = [
          { property: 'retention', value: 'P6M' },
          { property: 'latency', value: '25h' },
        ];
      }),
    );
    assert.deepEqual(summary(r).sort(), [
      'SLA_WEAKENED slaProperties[latency]',
      'SLA_WEAKENED slaProperties[retention]',
    ]);
  });
  it('a value that cannot be read: the diff says it could not compare it', () => {
    const r = diffDocs(
      docWith((d) => {
        d.slaProperties[0] = { property: 'latency', value: '4h' };
      }),
      docWith((d) => {
        d.slaProperties[0] = { property: 'latency', value: 'next business day' };
      }),
    );
    assert.deepEqual(summary(r), ['METADATA_CHANGED slaProperties[latency]']);
    assert.match(
      r.changes[0]!.message,
      /could not compare them \(next business day is not a number with a unit.*\): review whether it weakens the SLA/,
    );
  });
});

describe('types read through the type table', () => {
  it('logicalType date on a timestamp physical type → timestamp is no change (the v3.0 idiom made explicit)', () => {
    const r = diffDocs(
      docWith((d) => {
        Object.assign(prop(d, 'order_id'), { logicalType: 'date', physicalType: 'timestamptz' });
      }),
      docWith((d) => {
        Object.assign(prop(d, 'order_id'), { logicalType: 'timestamp', physicalType: 'timestamptz' });
      }),
    );
    assert.deepEqual(summary(r), []);
  });
  it('two spellings of one physical type are no change; int4 → int8 widens', () => {
    assert.equal(physicalTypeVerdict('int4', 'INTEGER'), undefined);
    assert.equal(physicalTypeVerdict('timestamp(6) with time zone', 'timestamptz'), undefined);
    assert.equal(physicalTypeVerdict('int4', 'int8'), 'TYPE_WIDENED');
    assert.equal(physicalTypeVerdict('varchar[50]', 'varchar(40)'), 'TYPE_NARROWED');
    assert.equal(physicalTypeVerdict('timestamp', 'timestamptz'), 'PHYSICAL_TYPE_CHANGED');
  });
});
