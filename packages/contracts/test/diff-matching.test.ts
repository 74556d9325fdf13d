/** Matching, what never counts, nested paths and locations. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { diffDocs, docWith, prop, summary, type Doc } from './diff-helpers.js';

const shuffle = <T>(xs: T[]): T[] => [...xs].reverse();
const reverseKeys = (v: unknown): unknown =>
  Array.isArray(v)
    ? v.map(reverseKeys)
    : v && typeof v === 'object'
      ? Object.fromEntries(
          Object.entries(v)
            .reverse()
            .map(([k, x]) => [k, reverseKeys(x)]),
        )
      : v;

describe('order never counts', () => {
  it('reordered objects, properties, quality rules, SLA entries, servers and keys give no changes', () => {
    const a = docWith((d) => {
      d.schema.push({ name: 'customers', properties: [{ name: 'id', logicalType: 'string' }] });
      d.schema[0].quality.push({ metric: 'nullValues', mustBe: 0 }, { metric: 'duplicateValues', mustBe: 0 });
      d.servers.push({ server: 'dev', type: 's3', location: 's3://dev/' });
      d.tags = ['a', 'b'];
    });
    const b = structuredClone<Doc>(a);
    b.schema = shuffle(b.schema);
    for (const o of b.schema) {
      if (o.properties) o.properties = shuffle(o.properties);
      if (o.quality) o.quality = shuffle(o.quality);
    }
    b.slaProperties = shuffle(b.slaProperties);
    b.servers = shuffle(b.servers);
    b.tags = ['b', 'a'];
    const r = diffDocs(a, reverseKeys(b) as Doc);
    assert.deepEqual(summary(r), []);
    assert.equal(r.requiredBump, 'none');
  });

  it('comments and formatting never count', () => {
    const a =
      'apiVersion: v3.1.0\nkind: DataContract\nid: x\nversion: 1.0.0\nstatus: active\nschema:\n  - name: t\n    properties:\n      - name: c\n        logicalType: string\n';
    const b =
      '# header\n{"apiVersion": "v3.1.0", "kind": "DataContract", "id": "x", "version": "1.0.0", "status": "active",\n "schema": [{"name": "t", "properties": [{"logicalType": "string", "name": "c"}]}]}\n';
    assert.deepEqual(summary(diffDocs(a, b)), []);
  });

  it('same-key SLA entries pair with their equal first', () => {
    const a = docWith((d) => {
      d.slaProperties = [
        { property: 'timeOfAvailability', value: '09:00' },
        { property: 'timeOfAvailability', value: '08:00' },
      ];
    });
    const b = docWith((d) => {
      d.slaProperties = [
        { property: 'timeOfAvailability', value: '08:00' },
        { property: 'timeOfAvailability', value: '09:00' },
      ];
    });
    assert.deepEqual(summary(diffDocs(a, b)), []);
  });
});

describe('absent means the ODCS default', () => {
  it('required/unique/primaryKey/partitioned false and positions -1 equal their absence', () => {
    const a = docWith();
    const b = docWith((d) => {
      Object.assign(prop(d, 'note'), {
        required: false,
        unique: false,
        primaryKey: false,
        partitioned: false,
        primaryKeyPosition: -1,
        partitionKeyPosition: -1,
      });
    });
    assert.deepEqual(summary(diffDocs(a, b)), []);
    assert.deepEqual(summary(diffDocs(b, a)), []);
  });
  it('physical types that normalise equal are no change', () => {
    assert.deepEqual(
      summary(
        diffDocs(
          docWith(),
          docWith((d) => {
            prop(d, 'quantity').physicalType = 'INTEGER';
          }),
        ),
      ),
      [],
    );
  });
});

describe('matching', () => {
  it('a name change without ids is a removal plus an addition (never guessed)', () => {
    const r = diffDocs(
      docWith(),
      docWith((d) => {
        prop(d, 'note').name = 'comment';
      }),
    );
    assert.deepEqual(summary(r), [
      'PROPERTY_ADDED_OPTIONAL schema[orders].properties[comment]',
      'PROPERTY_REMOVED schema[orders].properties[note]',
    ]);
  });
  it('different ids with the same name are different properties', () => {
    const r = diffDocs(
      docWith((d) => {
        prop(d, 'note').id = 'n1';
      }),
      docWith((d) => {
        prop(d, 'note').id = 'n2';
      }),
    );
    assert.deepEqual(r.changes.map((c) => c.rule).sort(), ['PROPERTY_ADDED_OPTIONAL', 'PROPERTY_REMOVED']);
  });
  it('an added or removed object is one change (its properties and rules are not reported)', () => {
    const r = diffDocs(
      docWith(),
      docWith((d) => {
        d.schema = [];
      }),
    );
    assert.deepEqual(summary(r), ['SCHEMA_OBJECT_REMOVED schema[orders]']);
  });
  it('a removed property takes its quality rules with it', () => {
    const r = diffDocs(
      docWith(),
      docWith((d) => {
        d.schema[0].properties = d.schema[0].properties.filter((p: Doc) => p.name !== 'status');
      }),
    );
    assert.deepEqual(summary(r), ['PROPERTY_REMOVED schema[orders].properties[status]']);
  });
  it('a renamed property keeps its other changes', () => {
    const a = docWith((d) => {
      prop(d, 'note').id = 'p-note';
    });
    const b = docWith((d) => {
      Object.assign(prop(d, 'note'), { id: 'p-note', name: 'comment', required: true });
    });
    assert.deepEqual(summary(diffDocs(a, b)), [
      'PROPERTY_RENAMED schema[orders].properties[comment]',
      'REQUIRED_ADDED schema[orders].properties[comment].required',
    ]);
  });
  it('meshkit.* custom properties other than compatibility are not metadata', () => {
    assert.deepEqual(
      summary(
        diffDocs(
          docWith(),
          docWith((d) => {
            d.customProperties = [{ property: 'meshkit.owner', value: 'x' }];
          }),
        ),
      ),
      [],
    );
  });
});

describe('nested properties', () => {
  const nested = (edit: (addr: Doc, lines: Doc) => void = () => undefined) =>
    docWith((d) => {
      const address = {
        name: 'address',
        logicalType: 'object',
        properties: [
          { name: 'street', logicalType: 'string' },
          { name: 'zip', logicalType: 'string', physicalType: 'varchar(5)' },
        ],
      };
      const lines = {
        name: 'lines',
        logicalType: 'array',
        items: {
          logicalType: 'object',
          properties: [
            { name: 'sku', logicalType: 'string' },
            { name: 'qty', logicalType: 'integer', physicalType: 'int' },
          ],
        },
      };
      edit(address, lines);
      d.schema[0].properties.push(address, lines);
    });
  it('paths grow through object properties', () => {
    const r = diffDocs(
      nested(),
      nested((a) => {
        a.properties.pop();
      }),
    );
    assert.deepEqual(summary(r), ['PROPERTY_REMOVED schema[orders].properties[address].properties[zip]']);
    assert.equal(r.changes[0]!.message, "property 'zip' removed from 'address'");
  });
  it('paths grow through array items', () => {
    const r = diffDocs(
      nested(),
      nested((_, l) => {
        l.items.properties[1].physicalType = 'bigint';
      }),
    );
    assert.deepEqual(summary(r), ['TYPE_WIDENED schema[orders].properties[lines].items.properties[qty].physicalType']);
    assert.equal(r.changes[0]!.message, "type of 'lines[].qty' widened from int to bigint");
  });
  it('nested types narrow too', () => {
    const r = diffDocs(
      nested(),
      nested((a) => {
        a.properties[1].physicalType = 'char(3)';
      }),
    );
    assert.deepEqual(summary(r), ['TYPE_NARROWED schema[orders].properties[address].properties[zip].physicalType']);
  });
});

describe('locations', () => {
  const OLD = `apiVersion: v3.1.0
kind: DataContract
id: loc
version: 1.0.0
status: active
schema:
  - name: orders
    properties:
      - name: id
        logicalType: string
      - name: note
        logicalType: string
      - name: amount
        logicalType: integer
        physicalType: int
`;
  const NEW = `apiVersion: v3.1.0
kind: DataContract
id: loc
version: 1.0.0
status: active
schema:
  - name: orders
    properties:
      - name: id
        logicalType: string
        required: true
      - name: amount
        logicalType: integer
        physicalType: bigint
      - name: coupon
        logicalType: string
`;
  const r = diffDocs(OLD, NEW);
  const find = (rule: string) => r.changes.find((c) => c.rule === rule)!;
  it('an added property points at the property in the new file', () => {
    assert.deepEqual(
      { ...find('PROPERTY_ADDED_OPTIONAL').location, endLine: undefined, endColumn: undefined },
      { file: 'new.odcs.yaml', line: 15, column: 9, endLine: undefined, endColumn: undefined },
    );
  });
  it('a removed property points at the property in the old file', () => {
    const l = find('PROPERTY_REMOVED').location;
    assert.deepEqual([l.file, l.line, l.column], ['old.odcs.yaml', 11, 9]);
  });
  it('a changed attribute points at its key in the new file', () => {
    const req = find('REQUIRED_ADDED').location;
    assert.deepEqual([req.file, req.line, req.column], ['new.odcs.yaml', 11, 9]);
    const t = find('TYPE_WIDENED').location;
    assert.deepEqual([t.file, t.line, t.column], ['new.odcs.yaml', 14, 9]);
  });
  it('an attribute that disappeared points at its property in the new file', () => {
    const back = diffDocs(NEW, OLD);
    const l = back.changes.find((c) => c.rule === 'REQUIRED_REMOVED')!.location;
    assert.deepEqual([l.file, l.line, l.column], ['new.odcs.yaml', 9, 9]);
  });
  it('changes are sorted by file, line, column, then rule', () => {
    assert.deepEqual(
      r.changes.map((c) => `${c.location.file}:${c.location.line} ${c.rule}`),
      [
        'new.odcs.yaml:11 REQUIRED_ADDED',
        'new.odcs.yaml:14 TYPE_WIDENED',
        'new.odcs.yaml:15 PROPERTY_ADDED_OPTIONAL',
        'old.odcs.yaml:11 PROPERTY_REMOVED',
      ],
    );
  });
});
