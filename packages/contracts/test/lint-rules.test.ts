// Every lint rule: a compliant and a non-compliant contract, in a few lines each.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  compatibilityMode,
  contractOwner,
  contractVersionSemver,
  piiClassification,
  portableRegex,
  primaryKeyRequired,
  propertyClassification,
  propertyDescription,
  propertyLogicalType,
  schemaQuality,
  slaValue,
  uniqueIds,
} from '../src/lint/rules/index.js';
import { assertCompliant, assertNonCompliant, contract, dedent } from './lint-utils.js';
import { lintContract, resolveMode } from '../src/index.js';

const BARE = 'apiVersion: v3.1.0\nkind: DataContract\nid: c1\nversion: 1.0.0\nstatus: active\n';

/** One schema object with one property given as YAML lines (indented under the property). */
const prop = (lines: string, objectExtra = '') => `
schema:
  - name: orders
${objectExtra}    properties:
      - name: p
${dedent(lines)
  .split('\n')
  .filter((l) => l.trim())
  .map((l) => `        ${l}`)
  .join('\n')}
`;

describe('CONTRACT-OWNER', () => {
  test('accepts a v3.1 team object with a name', () => assertCompliant(contractOwner, 'team:\n  name: sales\n', BARE));
  test('accepts a team object with members only', () =>
    assertCompliant(contractOwner, 'team:\n  members:\n    - username: ann\n', BARE));
  test('accepts a v3.0 team array', () =>
    assertCompliant(contractOwner, 'team:\n  - username: ann\n    role: owner\n', BARE));
  test('accepts an owner custom property', () =>
    assertCompliant(contractOwner, 'customProperties:\n  - property: owner\n    value: sales-team\n', BARE));
  test('rejects a contract without any owner, at the top', () => {
    const [d] = assertNonCompliant(contractOwner, '', 1, BARE);
    assert.match(d!.message, /no owner/);
    assert.equal(d!.severity, 'warning');
    assert.equal(d!.location.line, 1);
  });
  test('rejects an empty team, at its key', () => {
    const [d] = assertNonCompliant(contractOwner, 'team:\n  description: nobody\n', 1, BARE);
    assert.equal(d!.path, 'team');
    assert.deepEqual([d!.location.line, d!.location.column], [6, 1]);
  });
  test('rejects an empty v3.0 team array and a blank owner', () => {
    assertNonCompliant(contractOwner, 'team: []\n', 1, BARE);
    const [d] = assertNonCompliant(contractOwner, "customProperties:\n  - property: owner\n    value: ' '\n", 1, BARE);
    assert.equal(d!.path, 'customProperties[0].value');
  });
});

describe('CONTRACT-VERSION-SEMVER', () => {
  const header = (v: string) => BARE.replace('version: 1.0.0', `version: ${v}`) + 'team:\n  name: a\n';
  for (const v of ['1.0.0', '0.1.0', '2.0.0-rc.1', '1.2.3+build.5']) {
    test(`accepts ${v}`, () => assertCompliant(contractVersionSemver, '', header(v)));
  }
  for (const v of ["'1.0'", 'v1.0.0', "'1.0.0 '", 'latest', '01.0.0']) {
    test(`rejects ${v}`, () => {
      const [d] = assertNonCompliant(contractVersionSemver, '', 1, header(v));
      assert.equal(d!.severity, 'error');
      assert.equal(d!.path, 'version');
      assert.deepEqual([d!.location.line, d!.location.column], [4, 10]);
    });
  }
});

describe('CONTRACT-UNIQUE-IDS', () => {
  test('accepts distinct ids everywhere', () =>
    assertCompliant(
      uniqueIds,
      `
    schema:
      - id: obj
        name: orders
        properties:
          - id: p1
            name: a
          - id: p2
            name: b
            quality:
              - id: q1
                metric: nullValues
                mustBe: 0
  `,
    ));
  test('reports each repetition with the first use, across lists', () => {
    const found = assertNonCompliant(
      uniqueIds,
      `
      servers:
        - id: x
          server: s
          type: custom
      schema:
        - id: obj
          name: orders
          properties:
            - id: x
              name: a
              quality:
                - id: obj
                  metric: nullValues
                  mustBe: 0
    `,
      2,
    );
    assert.equal(found[0]!.path, 'schema[0].properties[0].id');
    assert.match(found[0]!.message, /id 'x' is already used by servers\[0\]/);
    assert.equal(found[1]!.path, 'schema[0].properties[0].quality[0].id');
    assert.match(found[1]!.message, /already used by schema\[0\]/);
  });
  test('clashes with the contract id are reported too', () => {
    const [d] = assertNonCompliant(uniqueIds, 'schema:\n  - id: c1\n    name: orders\n');
    assert.match(d!.message, /already used by the contract/);
  });
  test('ignores ids inside free-form custom property values', () =>
    assertCompliant(
      uniqueIds,
      `
    customProperties:
      - property: a
        value: { id: c1 }
      - property: b
        value: [ { id: c1 } ]
  `,
    ));
});

describe('CONTRACT-COMPATIBILITY-MODE', () => {
  const cp = (v: string) => `customProperties:\n  - property: meshkit.compatibility\n    value: ${v}\n`;
  test('accepts every mode name', () => {
    for (const m of [
      'NONE',
      'BACKWARD',
      'FORWARD',
      'FULL',
      'BACKWARD_TRANSITIVE',
      'FORWARD_TRANSITIVE',
      'FULL_TRANSITIVE',
    ])
      assertCompliant(compatibilityMode, cp(m));
  });
  test('accepts a contract without the property', () => assertCompliant(compatibilityMode, ''));
  test('rejects an unknown mode at its value', () => {
    const [d] = assertNonCompliant(compatibilityMode, cp('STRICT'));
    assert.equal(d!.path, 'customProperties[0].value');
    assert.deepEqual([d!.location.line, d!.location.column], [10, 12]);
  });
  test('one spelling rule with the diff: any case, blanks ignored', () => {
    for (const m of ['backward', ' Full_Transitive ', 'none'])
      assertCompliant(compatibilityMode, cp(JSON.stringify(m)));
    const c = contract(cp('backward'));
    assert.equal(resolveMode({ contract: c.contract!, source: c.source }), 'BACKWARD');
  });
  test('what lint rejects, the diff rejects too', () => {
    const body = cp('backwards');
    assertNonCompliant(compatibilityMode, body);
    const c = contract(body);
    assert.throws(
      () => resolveMode({ contract: c.contract!, source: c.source }),
      /meshkit\.compatibility is "backwards"/,
    );
  });
});

describe('CONTRACT-PROPERTY-LOGICAL-TYPE', () => {
  test('accepts typed properties, nested and items', () =>
    assertCompliant(
      propertyLogicalType,
      `
    schema:
      - name: o
        properties:
          - name: tags
            logicalType: array
            items:
              logicalType: string
          - name: addr
            logicalType: object
            properties:
              - name: city
                logicalType: string
  `,
    ));
  test('accepts a physicalType the type table maps, without logicalType (ODCS does not require one)', () =>
    assertCompliant(
      propertyLogicalType,
      `
    schema:
      - name: o
        properties:
          - name: a
            physicalType: int4
          - name: b
            physicalType: timestamp(6) with time zone
          - name: c
            physicalType: map<string,bigint>
  `,
    ));
  test('rejects untyped top-level, nested and item properties', () => {
    const found = assertNonCompliant(
      propertyLogicalType,
      `
      schema:
        - name: o
          properties:
            - name: a
            - name: tags
              logicalType: array
              items:
                physicalType: Name
            - name: addr
              logicalType: object
              properties:
                - name: city
    `,
      3,
    );
    assert.deepEqual(
      found.map((d) => d.path),
      ['schema[0].properties[0]', 'schema[0].properties[1].items', 'schema[0].properties[2].properties[0]'],
    );
    assert.match(
      found[1]!.message,
      /'o\.tags\[\]' has no logicalType and its physicalType 'Name' is not one Meshkit can map/,
    );
    assert.match(found[2]!.message, /'o\.addr\.city'/);
    assert.equal(found[0]!.severity, 'error');
  });
});

describe('CONTRACT-PROPERTY-DESCRIPTION', () => {
  test('accepts described properties (items exempt)', () =>
    assertCompliant(
      propertyDescription,
      prop('description: the p\nlogicalType: array\nitems:\n  logicalType: string'),
    ));
  test('rejects a missing or blank description', () => {
    assertNonCompliant(propertyDescription, prop('logicalType: string'));
    const [d] = assertNonCompliant(propertyDescription, prop("description: '  '"));
    assert.equal(d!.severity, 'warning');
  });
});

describe('CONTRACT-PROPERTY-CLASSIFICATION', () => {
  test('accepts classified properties; nested ones inherit', () =>
    assertCompliant(
      propertyClassification,
      prop(`
    classification: Internal
    logicalType: object
    properties:
      - name: inner
        logicalType: string
  `),
    ));
  test('rejects a missing classification at the property', () => {
    const [d] = assertNonCompliant(propertyClassification, prop('logicalType: string'));
    assert.equal(d!.path, 'schema[0].properties[0]');
  });
  test('honours the configured default classification (mesh.config.yaml defaults.classification)', () => {
    const found = lintContract(contract(prop('logicalType: string')), {
      ruleSet: [propertyClassification],
      defaultClassification: 'internal',
    });
    assert.deepEqual(found, []);
    const bad = lintContract(contract(prop('logicalType: string\nclassification: secret')), {
      ruleSet: [propertyClassification],
      defaultClassification: 'internal',
    });
    assert.equal(bad.length, 1);
  });
  test('rejects a level outside the platform levels at the value', () => {
    const [d] = assertNonCompliant(propertyClassification, prop('classification: secret'));
    assert.equal(d!.path, 'schema[0].properties[0].classification');
    assert.match(d!.message, /public, internal, confidential or restricted/);
  });
});

describe('CONTRACT-PII-CLASSIFICATION', () => {
  test('accepts PII classified restricted or confidential', () => {
    assertCompliant(piiClassification, prop('tags: [pii]\nclassification: restricted'));
    assertCompliant(piiClassification, prop('tags: [PII:email]\nclassification: Confidential'));
    assertCompliant(
      piiClassification,
      prop('customProperties:\n  - property: pii\n    value: true\nclassification: restricted'),
    );
  });
  test('tags that deny PII are not PII: pii:false, pii: false, pii=no, non-pii', () => {
    for (const t of ['"pii:false"', '"pii: false"', '"PII=no"', 'non-pii', 'no_pii'])
      assertCompliant(piiClassification, prop(`tags: [${t}]\nclassification: public`));
    assertCompliant(
      piiClassification,
      prop('customProperties:\n  - property: pii\n    value: false\nclassification: public'),
    );
    assertNonCompliant(piiClassification, prop('tags: ["pii:true"]\nclassification: public'));
  });
  test('accepts non-PII properties with any classification, and "pii" inside other words', () => {
    assertCompliant(piiClassification, prop('classification: public'));
    assertCompliant(piiClassification, prop('tags: [copiiloted]\nclassification: public'));
  });
  test('rejects PII classified public, at the classification', () => {
    const [d] = assertNonCompliant(piiClassification, prop('tags: [finance, Pii]\nclassification: public'));
    assert.equal(d!.path, 'schema[0].properties[0].classification');
    assert.equal(d!.severity, 'error');
  });
  test('rejects PII by custom property without classification, at the property', () => {
    const [d] = assertNonCompliant(piiClassification, prop("customProperties:\n  - property: pii\n    value: 'true'"));
    assert.equal(d!.path, 'schema[0].properties[0]');
    assert.match(d!.message, /no classification/);
  });
  test('nested PII inherits the enclosing classification', () => {
    const nested = (c: string) =>
      prop(`classification: ${c}\nlogicalType: object\nproperties:\n  - name: email\n    tags: [pii]`);
    assertCompliant(piiClassification, nested('restricted'));
    const [d] = assertNonCompliant(piiClassification, nested('internal'));
    assert.equal(d!.path, 'schema[0].properties[0].classification');
  });
});

describe('CONTRACT-PRIMARY-KEY-REQUIRED', () => {
  test('accepts a required primary key and non-key optional properties', () => {
    assertCompliant(primaryKeyRequired, prop('primaryKey: true\nrequired: true'));
    assertCompliant(primaryKeyRequired, prop('required: false'));
  });
  test('rejects a primary key without required, at primaryKey', () => {
    const [d] = assertNonCompliant(primaryKeyRequired, prop('primaryKey: true'));
    assert.equal(d!.path, 'schema[0].properties[0].primaryKey');
    assert.equal(d!.severity, 'warning');
  });
  test('rejects a primary key with required: false, at required', () => {
    const [d] = assertNonCompliant(primaryKeyRequired, prop('primaryKey: true\nrequired: false'));
    assert.equal(d!.path, 'schema[0].properties[0].required');
  });
});

describe('CONTRACT-SCHEMA-QUALITY', () => {
  test('accepts object-level, property-level and implied checks', () => {
    assertCompliant(
      schemaQuality,
      prop('logicalType: string', '    quality:\n      - metric: rowCount\n        mustBeGreaterThan: 0\n'),
    );
    assertCompliant(schemaQuality, prop('quality:\n  - metric: nullValues\n    mustBe: 0'));
    assertCompliant(schemaQuality, prop('required: true'));
    assertCompliant(schemaQuality, prop('unique: true'));
    assertCompliant(schemaQuality, prop('logicalType: object\nproperties:\n  - name: k\n    primaryKey: true'));
  });
  test('rejects an object without any, at the object', () => {
    const [d] = assertNonCompliant(schemaQuality, prop('required: false\nquality: []'));
    assert.equal(d!.path, 'schema[0]');
    assert.match(d!.message, /'orders' has no quality rule/);
  });
  test('rejects an object without properties', () => {
    assertNonCompliant(schemaQuality, 'schema:\n  - name: topic\n');
  });
});

describe('CONTRACT-PORTABLE-REGEX', () => {
  test('accepts portable patterns', () => {
    assertCompliant(portableRegex, prop("logicalType: string\nlogicalTypeOptions:\n  pattern: '^[A-Z]{2}[0-9]+$'"));
    assertCompliant(
      portableRegex,
      prop("quality:\n  - metric: invalidValues\n    arguments:\n      pattern: '^(?:a|b)*$'\n    mustBe: 0"),
    );
  });
  test('rejects a look-ahead in logicalTypeOptions.pattern with its column', () => {
    const [d] = assertNonCompliant(
      portableRegex,
      prop("logicalType: string\nlogicalTypeOptions:\n  pattern: '^a(?=b)'"),
    );
    assert.equal(d!.path, 'schema[0].properties[0].logicalTypeOptions.pattern');
    assert.match(d!.message, /column 3 of the pattern: look-ahead '\(\?='/);
  });
  test('rejects patterns in quality arguments at object and property level', () => {
    const found = assertNonCompliant(
      portableRegex,
      prop(
        "quality:\n  - metric: invalidValues\n    arguments:\n      pattern: '(a)\\1'\n    mustBe: 0",
        "    quality:\n      - name: codes\n        metric: invalidValues\n        arguments:\n          pattern: '\\p{L}+'\n        mustBe: 0\n",
      ),
      2,
    );
    assert.deepEqual(
      found.map((d) => d.path),
      ['schema[0].quality[0].arguments.pattern', 'schema[0].properties[0].quality[0].arguments.pattern'],
    );
    assert.match(found[0]!.message, /quality rule 'codes' of 'orders'.*Unicode property/);
    assert.match(found[1]!.message, /back-reference/);
  });
});

describe('CONTRACT-SLA-VALUE', () => {
  test('accepts every form the diff reads', () =>
    assertCompliant(
      slaValue,
      `
    slaProperties:
      - property: availability
        value: 99.9%
      - property: latency
        value: 25h
      - property: freshness
        value: PT15M
      - property: retention
        value: 7
        unit: d
      - property: frequency
        value: 15m
      - property: endOfSupport
        value: "2027-12-31"
      - property: generalAvailability
        value: whenever
  `,
    ));
  test('warns at a value it cannot read', () => {
    const [d] = assertNonCompliant(slaValue, 'slaProperties:\n  - property: latency\n    value: next business day\n');
    assert.equal(d!.severity, 'warning');
    assert.equal(d!.path, 'slaProperties[0].value');
    assert.deepEqual([d!.location.line, d!.location.column], [10, 12]);
    assert.match(d!.message, /SLA 'latency' value "next business day" cannot be compared/);
  });
});
