// The machine formats: json, junit, github workflow commands, sarif 2.1.0.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { escapeXml } from '../src/diagnostics/format/junit.js';
import {
  escapeGithubProperty,
  formatDiagnostics,
  lintContract,
  lintRules,
  parseContract,
  type Diagnostic,
} from '../src/index.js';

const DIAGS: Diagnostic[] = [
  {
    rule: 'CONTRACT-PII-CLASSIFICATION',
    severity: 'error',
    message: "property 'email' is tagged PII but classified 'public'",
    location: { file: 'domains/sales/orders.yaml', line: 18, column: 25, endLine: 18, endColumn: 31 },
    path: 'schema[0].properties[1].classification',
    rationale: 'PII must be protected.',
  },
  {
    rule: 'CONTRACT-OWNER',
    severity: 'warning',
    message: 'no owner',
    location: { file: 'domains/sales/orders.yaml', line: 1, column: 1 },
  },
  {
    rule: 'X-INFO',
    severity: 'info',
    message: 'fyi',
    location: { file: 'b.yaml', line: 2, column: 3, endLine: 4, endColumn: 1 },
  },
];

describe('json format', () => {
  test('diagnostics with error and warning counts', () => {
    const out = JSON.parse(formatDiagnostics(DIAGS, 'json'));
    assert.deepEqual(Object.keys(out), ['diagnostics', 'errors', 'warnings']);
    assert.equal(out.errors, 1);
    assert.equal(out.warnings, 1);
    assert.deepEqual(out.diagnostics, DIAGS);
  });
});

describe('junit format', () => {
  const xml = formatDiagnostics(DIAGS, 'junit');
  test('one suite per file, one case per rule and location, failures for errors and warnings', () => {
    assert.ok(
      xml.startsWith(
        '<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="mesh" tests="3" failures="2" errors="0">',
      ),
    );
    const suites = [...xml.matchAll(/<testsuite name="([^"]*)" tests="(\d+)" failures="(\d+)"/g)].map((m) =>
      m.slice(1),
    );
    assert.deepEqual(suites, [
      ['domains/sales/orders.yaml', '2', '2'],
      ['b.yaml', '1', '0'],
    ]);
    assert.equal((xml.match(/<testcase /g) ?? []).length, 3);
    assert.match(
      xml,
      /<testcase classname="domains\/sales\/orders.yaml" name="CONTRACT-PII-CLASSIFICATION domains\/sales\/orders.yaml:18:25" file="domains\/sales\/orders.yaml" line="18">\n {6}<failure type="error" message="property &apos;email&apos; is tagged PII but classified &apos;public&apos;">/,
    );
    assert.match(xml, /<failure type="warning" message="no owner">/);
    assert.match(xml, /<system-out>info X-INFO fyi<\/system-out>/);
  });
  test('the same rule at the same place shares one test case', () => {
    const twice = formatDiagnostics([DIAGS[1]!, { ...DIAGS[1]!, message: 'again' }], 'junit');
    assert.equal((twice.match(/<testcase /g) ?? []).length, 1);
    assert.match(twice, /message="no owner; again"/);
  });
  test('escapes XML in attributes and content, drops invalid characters', () => {
    const nasty: Diagnostic = {
      rule: 'R<&>',
      severity: 'error',
      message: 'a "b" <c> & \'d\'\nnext\u0001',
      location: { file: 'x&y.yaml', line: 1, column: 1 },
    };
    const out = formatDiagnostics([nasty], 'junit', { toolName: 'me"sh' });
    assert.ok(out.includes('<testsuites name="me&quot;sh"'));
    assert.ok(out.includes('name="R&lt;&amp;&gt; x&amp;y.yaml:1:1"'));
    assert.ok(out.includes('message="a &quot;b&quot; &lt;c&gt; &amp; &apos;d&apos;&#10;next"'));
    assert.ok(out.includes('>x&amp;y.yaml:1:1 error R&lt;&amp;&gt; a "b" &lt;c&gt; &amp; \'d\'\nnext</failure>'));
    assert.ok(!out.includes('\u0001'));
    assert.equal(escapeXml('\u{1F600}'), '\u{1F600}');
  });
  test('no diagnostics: an empty, valid document', () => {
    assert.equal(
      formatDiagnostics([], 'junit'),
      '<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="mesh" tests="0" failures="0" errors="0">\n</testsuites>\n',
    );
  });
});

describe('github format', () => {
  test('one workflow command per diagnostic; warning and notice levels; optional end position', () => {
    const lines = formatDiagnostics(DIAGS, 'github').split('\n');
    assert.deepEqual(lines, [
      "::error file=domains/sales/orders.yaml,line=18,col=25,endLine=18,endColumn=31,title=CONTRACT-PII-CLASSIFICATION::property 'email' is tagged PII but classified 'public'",
      '::warning file=domains/sales/orders.yaml,line=1,col=1,title=CONTRACT-OWNER::no owner',
      '::notice file=b.yaml,line=2,col=3,endLine=4,endColumn=1,title=X-INFO::fyi',
      '',
    ]);
  });
  test('escapes % CR LF in the message and also : , in properties', () => {
    const out = formatDiagnostics(
      [
        {
          rule: 'A:B,C',
          severity: 'error',
          message: '100%\r\ndone: a,b',
          location: { file: 'dir,x/f:1.yaml', line: 1, column: 1 },
        },
      ],
      'github',
    );
    assert.equal(out, '::error file=dir%2Cx/f%3A1.yaml,line=1,col=1,title=A%3AB%2CC::100%25%0D%0Adone: a,b\n');
    assert.equal(escapeGithubProperty('%:,\n'), '%25%3A%2C%0A');
  });
  test('absolute paths become relative to baseDir with forward slashes', () => {
    const abs: Diagnostic = { ...DIAGS[1]!, location: { file: resolve('/repo/domains/a.yaml'), line: 1, column: 1 } };
    assert.match(formatDiagnostics([abs], 'github', { baseDir: '/repo' }), /file=domains\/a\.yaml,/);
  });
});

describe('sarif format', () => {
  const sarif = JSON.parse(
    formatDiagnostics(DIAGS, 'sarif', {
      rules: lintRules,
      toolVersion: '0.1.0',
      informationUri: 'https://example.com/mesh',
    }),
  );
  const run = sarif.runs[0];
  test('top level: $schema, version 2.1.0, exactly one run', () => {
    assert.equal(sarif.$schema, 'https://json.schemastore.org/sarif-2.1.0.json');
    assert.equal(sarif.version, '2.1.0');
    assert.equal(sarif.runs.length, 1);
  });
  test('driver: name, version, informationUri, the rule metadata then the rules only seen in results', () => {
    const driver = run.tool.driver;
    assert.equal(driver.name, 'mesh');
    assert.equal(driver.version, '0.1.0');
    assert.equal(driver.informationUri, 'https://example.com/mesh');
    assert.deepEqual(
      driver.rules.map((r: { id: string }) => r.id),
      [...lintRules.map((r) => r.id), 'X-INFO'],
    );
    const pii = driver.rules.find((r: { id: string }) => r.id === 'CONTRACT-PII-CLASSIFICATION');
    const meta = lintRules.find((r) => r.id === 'CONTRACT-PII-CLASSIFICATION')!;
    assert.deepEqual(pii.shortDescription, { text: meta.rationale });
    assert.deepEqual(pii.fullDescription, { text: meta.description });
    assert.deepEqual(pii.defaultConfiguration, { level: 'error' });
    assert.deepEqual(driver.rules.find((r: { id: string }) => r.id === 'CONTRACT-OWNER').defaultConfiguration, {
      level: 'warning',
    });
    assert.deepEqual(driver.rules.at(-1), {
      id: 'X-INFO',
      shortDescription: { text: 'X-INFO' },
      defaultConfiguration: { level: 'note' },
    });
  });
  test('results: ruleId, ruleIndex pointing at the rule, level, message, physical location', () => {
    assert.equal(run.results.length, 3);
    for (const r of run.results) {
      assert.equal(run.tool.driver.rules[r.ruleIndex].id, r.ruleId);
      assert.ok(['error', 'warning', 'note'].includes(r.level));
      assert.equal(typeof r.message.text, 'string');
      assert.equal(r.locations.length, 1);
      const loc = r.locations[0].physicalLocation;
      assert.equal(typeof loc.artifactLocation.uri, 'string');
      assert.ok(Number.isInteger(loc.region.startLine) && loc.region.startLine >= 1);
      assert.ok(Number.isInteger(loc.region.startColumn) && loc.region.startColumn >= 1);
    }
    assert.deepEqual(
      run.results.map((r: { level: string }) => r.level),
      ['error', 'warning', 'note'],
    );
    assert.deepEqual(run.results[0].locations[0].physicalLocation, {
      artifactLocation: { uri: 'domains/sales/orders.yaml' },
      region: { startLine: 18, startColumn: 25, endLine: 18, endColumn: 31 },
    });
    assert.deepEqual(run.results[1].locations[0].physicalLocation.region, { startLine: 1, startColumn: 1 });
  });
  test('uris are relative, with forward slashes and percent-encoding', () => {
    const out = JSON.parse(
      formatDiagnostics([{ ...DIAGS[1]!, location: { file: '/repo/my dir/c#1.yaml', line: 1, column: 1 } }], 'sarif', {
        baseDir: '/repo',
      }),
    );
    assert.equal(out.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri, 'my%20dir/c%231.yaml');
    assert.equal(out.runs[0].tool.driver.name, 'mesh');
    const win = JSON.parse(
      formatDiagnostics([{ ...DIAGS[1]!, location: { file: 'domains\\a.yaml', line: 1, column: 1 } }], 'sarif'),
    );
    assert.equal(win.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri, 'domains/a.yaml');
  });
  test('end to end: lint findings render in every format', () => {
    const loaded = parseContract(
      'c.yaml',
      'apiVersion: v3.1.0\nkind: DataContract\nid: c\nversion: v1\nstatus: active\n',
    );
    const found = lintContract(loaded);
    for (const f of ['text', 'json', 'junit', 'github', 'sarif'] as const) {
      assert.match(
        formatDiagnostics(found, f, { sources: new Map([['c.yaml', loaded.source.text]]), rules: lintRules }),
        /CONTRACT-VERSION-SEMVER/,
      );
    }
    assert.match(
      formatDiagnostics(found, 'text', { sources: new Map([['c.yaml', loaded.source.text]]) }),
      /> 4 \| version: v1\n {4}\| {10}\^\^\n/,
    );
  });
});
