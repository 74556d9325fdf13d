import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  loadMeshConfig,
  loadProductManifest,
  loadDomainManifest,
  findRepoRoot,
  MeshError,
  DEFAULT_TAG_REQUIREMENTS,
} from '../src/index.js';
import { tempDir, tempFile } from './helpers.js';

function meshError(fn: () => unknown): MeshError {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof MeshError, String(e));
    return e;
  }
  assert.fail('expected a MeshError');
}

describe('mesh.config.yaml', () => {
  test('loads with defaults filled', () => {
    const f = tempFile(
      'mesh.config.yaml',
      'organisation: Acme\nnpmScope: "@acme"\ncontracts:\n  lint:\n    rules:\n      CONTRACT-SEMVER: warn\n',
    );
    const { value } = loadMeshConfig(f);
    assert.equal(value.organisation, 'Acme');
    assert.deepEqual(value.environments, {});
    assert.equal(value.defaults.compatibility, 'FULL');
    assert.equal(value.defaults.classification, 'internal');
    assert.deepEqual(value.contracts.lint.rules, { 'CONTRACT-SEMVER': 'warn' });
  });

  test('policy: allow-lists with reasons and the longest suppression (default 180 days); an entry without a reason is refused at its line', () => {
    const ok = loadMeshConfig(
      tempFile(
        'mesh.config.yaml',
        'organisation: Acme\nnpmScope: "@acme"\npolicy:\n  allowedResourceTypes:\n    - type: AWS::SQS::Queue\n      reason: dead letters of the ingestion\n',
      ),
    ).value.policy;
    assert.deepEqual(ok, {
      allowedResourceTypes: [{ type: 'AWS::SQS::Queue', reason: 'dead letters of the ingestion' }],
      allowedCustomResources: [],
      maxSuppressionDays: 180,
      tags: DEFAULT_TAG_REQUIREMENTS.map((r) => ({ ...r })),
      packs: [],
      rules: {},
    });
    const e = meshError(() =>
      loadMeshConfig(
        tempFile(
          'mesh.config.yaml',
          'organisation: Acme\nnpmScope: "@acme"\npolicy:\n  allowedCustomResources:\n    - type: Custom::Thing\n',
        ),
      ),
    );
    assert.equal(e.exitCode, 2);
    assert.equal(e.line, 5);
    assert.match(e.message, /reason/);
  });

  test('environments are checked (account ids, regions)', () => {
    const f = tempFile(
      'mesh.config.yaml',
      'organisation: Acme\nnpmScope: "@acme"\nenvironments:\n  prod:\n    account: "12345"\n    region: eu-west-1\n',
    );
    const e = meshError(() => loadMeshConfig(f));
    assert.equal(e.code, 'INVALID_CONFIG');
    assert.equal(e.exitCode, 2);
    assert.deepEqual([e.line, e.column], [5, 14]);
    assert.match(e.message, /'account' must match pattern/);
  });

  test('a bad rule setting is reported at its value', () => {
    const f = tempFile(
      'mesh.config.yaml',
      'organisation: Acme\nnpmScope: "@acme"\ncontracts:\n  lint:\n    rules:\n      CONTRACT-SEMVER: loud\n',
    );
    const e = meshError(() => loadMeshConfig(f));
    assert.deepEqual([e.line, e.column], [6, 24]);
    assert.match(e.message, /"off", "warn", "error"/);
  });

  test('a missing field and an unknown one are both named', () => {
    const f = tempFile('mesh.config.yaml', 'organisation: Acme\norg: typo\n');
    const e = meshError(() => loadMeshConfig(f));
    assert.match(e.message, /npmScope/);
    assert.match(e.message, /unknown property 'org'/);
  });

  test('findRepoRoot walks up to mesh.config.yaml', () => {
    const root = tempDir();
    writeFileSync(join(root, 'mesh.config.yaml'), 'organisation: A\nnpmScope: "@a"\n');
    const deep = join(root, 'domains', 'sales', 'products');
    mkdirSync(deep, { recursive: true });
    assert.equal(findRepoRoot(deep), root);
    assert.equal(findRepoRoot('/'), undefined);
  });
});

describe('product.yaml', () => {
  test('loads with defaults filled', () => {
    const f = tempFile(
      'product.yaml',
      'domain: sales\nname: orders\nowner: team-sales\ningestion:\n  mode: batch\nconsumes:\n  - product: crm/customers\n    version: ^1.2.0\n',
    );
    const { value } = loadProductManifest(f);
    assert.equal(value.contract, 'contract.odcs.yaml');
    assert.equal(value.ingestion.mode, 'batch');
    assert.equal(value.ingestion.format, 'csv');
    assert.equal(value.ingestion.schedule, undefined);
    assert.deepEqual(value.consumes, [{ product: 'crm/customers', version: '^1.2.0' }]);
    assert.deepEqual(value.environments, []);
  });

  test('ingestion: stream defaults (jsonl, hourly); a batch schedule, batch shards or a non-JSON stream are refused at their line', () => {
    const stream = loadProductManifest(
      tempFile('product.yaml', 'domain: sales\nname: clicks\nowner: t\ningestion:\n  mode: stream\n'),
    ).value.ingestion;
    assert.deepEqual([stream.format, stream.schedule], ['jsonl', 'rate(1 hour)']);
    const cases: Array<[string, number, RegExp]> = [
      [
        '  mode: batch\n  format: csv\n  schedule: rate(1 hour)\n',
        7,
        /batch product's job starts when files land.*remove it/,
      ],
      ['  mode: batch\n  shards: 2\n', 6, /a batch product has no stream/],
      ['  mode: stream\n  format: csv\n', 6, /a stream product's records are JSON \(jsonl\)/],
    ];
    for (const [ingestion, line, message] of cases) {
      const e = meshError(() =>
        loadProductManifest(
          tempFile('product.yaml', `domain: sales\nname: orders\nowner: t\ningestion:\n${ingestion}`),
        ),
      );
      assert.equal(e.exitCode, 2);
      assert.equal(e.line, line, ingestion);
      assert.match(e.message, message);
    }
    const bad = meshError(() =>
      loadProductManifest(
        tempFile('product.yaml', 'domain: sales\nname: orders\nowner: t\ningestion:\n  mode: batch\n  format: xml\n'),
      ),
    );
    assert.deepEqual([bad.line, bad.column], [6, 11]);
  });

  test('names must be kebab-case and ingestion known', () => {
    const e = meshError(() =>
      loadProductManifest(
        tempFile('product.yaml', 'domain: Sales\nname: orders\nowner: t\ningestion:\n  mode: batch\n'),
      ),
    );
    assert.deepEqual([e.line, e.column], [1, 9]);
    const e2 = meshError(() =>
      loadProductManifest(tempFile('product.yaml', 'domain: sales\nname: orders\nowner: t\ningestion:\n  mode: ftp\n')),
    );
    assert.deepEqual([e2.line, e2.column], [5, 9]);
    assert.match(e2.message, /"batch", "stream"/);
  });

  test('an empty manifest', () => {
    const e = meshError(() => loadProductManifest(tempFile('product.yaml', '')));
    assert.match(e.message, /empty/);
  });
});

describe('domain.yaml', () => {
  test('loads with defaults filled', () => {
    const { value } = loadDomainManifest(
      tempFile('domain.yaml', 'name: sales\nowner: team-sales\ncostCenter: cc-100\n'),
    );
    assert.equal(value.athenaBytesScannedCutoff, 100 * 1024 ** 3);
    assert.deepEqual(value.environments, []);
  });

  test('a missing cost center is named', () => {
    const e = meshError(() => loadDomainManifest(tempFile('domain.yaml', 'name: sales\nowner: team-sales\n')));
    assert.match(e.message, /costCenter/);
    assert.equal(e.line, 1);
  });
});

describe('mesh.config.yaml consumers and platform', () => {
  test('consumers default to public and internal data', () => {
    const f = tempFile(
      'mesh.config.yaml',
      'organisation: A\nnpmScope: "@a"\nconsumers:\n  - name: analytics\n    roleArn: arn:aws:iam::333333333333:role/analytics\nplatform:\n  lakeFormationAdmins: [arn:aws:iam::111111111111:role/admin]\n',
    );
    const { value } = loadMeshConfig(f);
    assert.deepEqual(value.consumers[0]!.classifications, ['public', 'internal']);
    assert.deepEqual(value.platform.lakeFormationAdmins, ['arn:aws:iam::111111111111:role/admin']);
  });

  test('a consumer must be a role ARN', () => {
    const f = tempFile(
      'mesh.config.yaml',
      'organisation: A\nnpmScope: "@a"\nconsumers:\n  - name: analytics\n    roleArn: arn:aws:iam::333333333333:user/bob\n',
    );
    const e = meshError(() => loadMeshConfig(f));
    assert.deepEqual([e.line, e.column], [5, 14]);
  });
});
