// The platform team's release train, as a platform team lives it: mandatory tags from
// mesh.config.yaml, product.yaml/domain.yaml tags applied at synth, an organisation policy pack
// (its own package) with per-rule settings, warnings with their enforcement date, --now and
// --upcoming.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
  appendFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { run, bufferIo } from '../src/index.js';
import { GENERATED_DIRS } from '@meshkit/contracts';
import { copyExampleMesh } from '@meshkit/testing';

async function mesh(args: string[], cwd: string) {
  const io = bufferIo(cwd);
  const code = await run(args, io);
  return { code, out: io.out, err: io.err };
}

const STEWARD_TAG = [
  'policy:',
  '  tags:',
  '    - domain',
  '    - product',
  '    - owner',
  '    - classification',
  '    - cost-center',
  '    - contract-version',
  '    - key: data-steward',
  '      pattern: "^[a-z.-]+@example\\\\.com$"',
  '      enforceFrom: "2030-01-01"',
  '',
].join('\n');

/** An organisation pack in platform/policies, installed as node_modules/@example/policies. */
function addPack(dir: string, rules: string, version = '1.2.0', name = '@example/policies'): void {
  const pack = join(dir, 'platform', 'policies');
  mkdirSync(join(pack, 'src'), { recursive: true });
  writeFileSync(
    join(pack, 'package.json'),
    JSON.stringify({ name, version, type: 'module', exports: { '.': './src/index.ts' } }, null, 2),
  );
  writeFileSync(join(pack, 'src', 'index.ts'), rules);
  mkdirSync(join(dir, 'node_modules', '@example'), { recursive: true });
  symlinkSync(pack, join(dir, 'node_modules', '@example', 'policies'));
}

/** A stricter KMS rule: every key of the mesh has a rotation period of at most 180 days. */
const ROTATION_PACK = `
import type { PolicyRule } from '@meshkit/core';
export const KmsRotationPeriodRule: PolicyRule = {
  id: 'ACME-ENC-KMS-ROTATION-180',
  area: 'ENC',
  title: 'KMS keys rotate at least every 180 days',
  rationale: 'The security office requires a rotation period of 180 days at most.',
  fix: 'Set rotationPeriod: Duration.days(180) on the key.',
  since: '1.2.0',
  enforceFrom: '2030-06-01',
  resourceTypes: ['AWS::KMS::Key'],
  check(r) {
    const days = r.properties.RotationPeriodInDays;
    return typeof days === 'number' && days <= 180 ? 'compliant' : { violation: 'rotation period is ' + (days ?? 365) + ' days (at most 180)' };
  },
};
export const rules = [KmsRotationPeriodRule];
`;

describe('tags as configuration', () => {
  test('a mandatory tag missing from the manifests is a warning before its enforceFrom, an error at file:line:col from it (before synth)', async () => {
    const dir = copyExampleMesh({ prefix: 'mesh-tags-' });
    appendFileSync(join(dir, 'mesh.config.yaml'), STEWARD_TAG);
    // Before enforcement: synth succeeds with MESH-TAG-MANDATORY warnings carrying the date.
    const before = await mesh(['synth', '--now', '2029-12-31', '--format', 'json'], dir);
    assert.equal(before.code, 0, before.err);
    const warnings = (
      JSON.parse(before.out).policy.stacks as Array<{
        findings: Array<{ ruleId: string; level: string; enforceFrom?: string; message: string }>;
      }>
    )
      .flatMap((s) => s.findings)
      .filter((f) => f.ruleId === 'MESH-TAG-MANDATORY');
    assert.ok(warnings.length > 0);
    assert.ok(
      warnings.every(
        (f) =>
          f.level === 'warning' &&
          f.enforceFrom === '2030-01-01' &&
          /missing mandatory tag data-steward/.test(f.message),
      ),
      JSON.stringify(warnings[0]),
    );
    // On enforcement day: refused before any synth at the manifest (domain first).
    const on = await mesh(['synth', '--now', '2030-01-01'], dir);
    assert.equal(on.code, 2, on.out);
    assert.match(
      on.err,
      /domains\/marketing\/domain\.yaml:3:1: MANIFEST-TAG-REQUIRED: mandatory tag 'data-steward' has no value for domain marketing: set tags\.data-steward/,
    );
  });

  test('product.yaml and domain.yaml tags are applied at synth; a product complies through its own tags', async () => {
    const dir = copyExampleMesh({ prefix: 'mesh-tags-' });
    appendFileSync(join(dir, 'mesh.config.yaml'), STEWARD_TAG);
    for (const d of ['sales', 'marketing'])
      appendFileSync(
        join(dir, 'domains', d, 'domain.yaml'),
        `tags:\n  data-steward: ${d}-lead@example.com\n  team-channel: "#${d}"\n`,
      );
    appendFileSync(
      join(dir, 'domains/sales/products/orders/product.yaml'),
      'tags:\n  data-steward: orders.owner@example.com\n',
    );
    const r = await mesh(['synth', '--now', '2030-02-01'], dir);
    assert.equal(r.code, 0, r.out + r.err);
    const tagsOf = (stack: string, type: string) => {
      const t = JSON.parse(readFileSync(join(dir, 'cdk.out', `${stack}.template.json`), 'utf8')) as {
        Resources: Record<string, { Type: string; Properties: { Tags?: Array<{ Key: string; Value: string }> } }>;
      };
      const res = Object.values(t.Resources).find((x) => x.Type === type)!;
      return Object.fromEntries((res.Properties.Tags ?? []).map((x) => [x.Key, x.Value]));
    };
    assert.equal(tagsOf('mesh-sales-orders', 'AWS::S3::Bucket')['data-steward'], 'orders.owner@example.com');
    assert.equal(tagsOf('mesh-sales-orders', 'AWS::S3::Bucket')['team-channel'], '#sales');
    assert.equal(tagsOf('mesh-sales-clickstream', 'AWS::S3::Bucket')['data-steward'], 'sales-lead@example.com');
    assert.equal(tagsOf('mesh-sales-foundation', 'AWS::KMS::Key')['data-steward'], 'sales-lead@example.com');
    assert.equal(tagsOf('mesh-sales-orders', 'AWS::S3::Bucket').domain, 'sales');
  });

  test('a tag value breaking its pattern is a lint error at product.yaml:line:col', async () => {
    const dir = copyExampleMesh({ prefix: 'mesh-tags-' });
    appendFileSync(join(dir, 'mesh.config.yaml'), STEWARD_TAG.replace('      enforceFrom: "2030-01-01"\n', ''));
    for (const d of ['sales', 'marketing'])
      appendFileSync(join(dir, 'domains', d, 'domain.yaml'), `tags:\n  data-steward: ${d}-lead@example.com\n`);
    const file = join(dir, 'domains/sales/products/orders/product.yaml');
    appendFileSync(file, 'tags:\n  data-steward: Orders Team\n');
    const line =
      readFileSync(file, 'utf8')
        .split('\n')
        .findIndex((l) => l.startsWith('  data-steward')) + 1;
    const r = await mesh(['synth'], dir);
    assert.equal(r.code, 2);
    assert.equal(
      r.err.trim(),
      `mesh: domains/sales/products/orders/product.yaml:${line}:17: MANIFEST-TAG-VALUE: tag 'data-steward' is 'Orders Team', which does not match the pattern ^[a-z.-]+@example\\.com$ of mesh.config.yaml policy.tags`,
    );
    // mesh lint shows it too, with the same position.
    const lint = await mesh(['lint'], dir);
    assert.equal(lint.code, 1, lint.out + lint.err);
    assert.match(lint.out, new RegExp(`product\\.yaml:${line}:17.*MANIFEST-TAG-VALUE`));
  });

  test('a manifest cannot set a tag Meshkit sets itself', async () => {
    const dir = copyExampleMesh({ prefix: 'mesh-tags-' });
    appendFileSync(join(dir, 'domains/sales/products/orders/product.yaml'), 'tags:\n  owner: someone-else\n');
    const r = await mesh(['synth'], dir);
    assert.equal(r.code, 2);
    assert.match(r.err, /product\.yaml:\d+:3: MANIFEST-TAG-RESERVED: tags\.owner: Meshkit sets the 'owner' tag itself/);
  });
});

describe('organisation policy packs', () => {
  test('synth and policy report run the pack; the report names its pack and version and the warning its enforcement date', async () => {
    const dir = copyExampleMesh({ prefix: 'mesh-pack-' });
    addPack(dir, ROTATION_PACK);
    appendFileSync(join(dir, 'mesh.config.yaml'), 'policy:\n  packs: ["@example/policies"]\n');
    const r = await mesh(['policy', 'report', '--now', '2030-05-01'], dir);
    assert.equal(r.code, 0, r.out + r.err);
    assert.match(
      r.out,
      /warning ACME-ENC-KMS-ROTATION-180 \(@example\/policies 1\.2\.0\) mesh-sales-foundation\/Foundation\/Key\/Resource: rotation period is 365 days \(at most 180\) \(an error from 2030-06-01\)/,
    );
    assert.match(r.out, /pack @example\/policies 1\.2\.0: 1 rule\(s\)/);
    const json = JSON.parse((await mesh(['policy', 'report', '--now', '2030-05-01', '--format', 'json'], dir)).out);
    assert.deepEqual(
      json.packs.map((p: { name: string; version: string }) => `${p.name}@${p.version}`),
      ['@meshkit/core@0.1.0', '@example/policies@1.2.0'],
    );
    const w = json.stacks
      .flatMap((s: { warnings: unknown[] }) => s.warnings)
      .find((x: { rule: string }) => x.rule === 'ACME-ENC-KMS-ROTATION-180');
    assert.deepEqual(
      { pack: w.pack, packVersion: w.packVersion, enforceFrom: w.enforceFrom },
      { pack: '@example/policies', packVersion: '1.2.0', enforceFrom: '2030-06-01' },
    );
    // Enforcement day, previewed: the same finding is an error, the report fails.
    const day = await mesh(['policy', 'report', '--now', '2030-06-01'], dir);
    assert.equal(day.code, 1);
    assert.match(day.out, /error {3}ACME-ENC-KMS-ROTATION-180 \(@example\/policies 1\.2\.0\) mesh-sales-foundation/);
  });

  test('--upcoming lists what turns into an error within the period', async () => {
    const dir = copyExampleMesh({ prefix: 'mesh-pack-' });
    addPack(dir, ROTATION_PACK);
    appendFileSync(join(dir, 'mesh.config.yaml'), 'policy:\n  packs: ["@example/policies"]\n');
    const soon = await mesh(['policy', 'report', '--now', '2030-05-15', '--upcoming', '30d'], dir);
    assert.equal(soon.code, 0, soon.err);
    assert.match(
      soon.out,
      /^2030-06-01 {2}sales \(foundation\): ACME-ENC-KMS-ROTATION-180 \(@example\/policies 1\.2\.0\) becomes an error/m,
    );
    const later = await mesh(['policy', 'report', '--now', '2030-04-01', '--upcoming', '30d'], dir);
    assert.match(later.out, /^0 finding\(s\) turn into errors by 2030-05-01/m);
    const bad = await mesh(['policy', 'report', '--upcoming', 'soon'], dir);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /--upcoming 'soon' is not a period such as 30d/);
  });

  test('policy.rules settings: level and enforceFrom of a pack rule and of a core rule; an unknown id is refused at its line', async () => {
    const dir = copyExampleMesh({ prefix: 'mesh-pack-' });
    addPack(dir, ROTATION_PACK);
    appendFileSync(
      join(dir, 'mesh.config.yaml'),
      'policy:\n  packs: ["@example/policies"]\n  rules:\n    ACME-ENC-KMS-ROTATION-180:\n      enforceFrom: "2031-01-01"\n',
    );
    const r = await mesh(['policy', 'report', '--now', '2030-07-01', '--format', 'json'], dir);
    assert.equal(r.code, 0, r.err);
    assert.ok(r.out.includes('"enforceFrom": "2031-01-01"'));
    writeFileSync(
      join(dir, 'mesh.config.yaml'),
      readFileSync(join(dir, 'mesh.config.yaml'), 'utf8').replace('enforceFrom: "2031-01-01"', 'level: "off"'),
    );
    const off = await mesh(['policy', 'report', '--now', '2031-07-01', '--format', 'json'], dir);
    assert.equal(off.code, 0, off.err);
    const offJson = JSON.parse(off.out) as {
      packs: Array<{ ruleIds: string[] }>;
      stacks: Array<{ warnings: Array<{ rule: string }>; violations: Array<{ rule: string }> }>;
    };
    assert.ok(
      offJson.stacks.every((s) =>
        [...s.warnings, ...s.violations].every((f) => f.rule !== 'ACME-ENC-KMS-ROTATION-180'),
      ),
      'an off rule does not run',
    );
    appendFileSync(join(dir, 'mesh.config.yaml'), '    ACME-NOPE-RULE:\n      level: warning\n');
    const unknown = await mesh(['synth'], dir);
    assert.equal(unknown.code, 2);
    assert.match(
      unknown.err,
      /mesh\.config\.yaml:\d+:5: policy\.rules: no rule ACME-NOPE-RULE in @meshkit\/core or the packs \(@example\/policies\)/,
    );
  });

  test('a pack that fails to load, exports no rules or duplicates a rule id: exit 2 naming the pack and the id', async () => {
    const cases: Array<[string, RegExp]> = [
      [
        "throw new Error('boom at load');\nexport const rules = [];",
        /policy pack '@example\/policies' 1\.2\.0 failed to load: boom at load/,
      ],
      ['export const rules = [];', /policy pack '@example\/policies' 1\.2\.0 exports no rules/],
      [
        ROTATION_PACK.replace("id: 'ACME-ENC-KMS-ROTATION-180'", "id: 'MESH-ENC-S3'"),
        /policy pack '@example\/policies' 1\.2\.0: rule id MESH-ENC-S3 is already defined by @meshkit\/core 0\.1\.0/,
      ],
      [
        ROTATION_PACK.replace(
          'export const rules = [KmsRotationPeriodRule];',
          'export const rules = [KmsRotationPeriodRule, KmsRotationPeriodRule];',
        ),
        /rule id ACME-ENC-KMS-ROTATION-180 is already defined by this pack/,
      ],
      [
        ROTATION_PACK.replace("fix: 'Set rotationPeriod: Duration.days(180) on the key.',", ''),
        /rule ACME-ENC-KMS-ROTATION-180 has no fix/,
      ],
    ];
    for (const [source, expected] of cases) {
      const dir = copyExampleMesh({ prefix: 'mesh-pack-' });
      addPack(dir, source);
      appendFileSync(join(dir, 'mesh.config.yaml'), 'policy:\n  packs: ["@example/policies"]\n');
      const r = await mesh(['policy', 'report'], dir);
      assert.equal(r.code, 2, `${expected}: ${r.out}${r.err}`);
      assert.match(r.err, expected);
      assert.equal(r.err.trim().split('\n').length, 1, r.err);
    }
    const dir = copyExampleMesh({ prefix: 'mesh-pack-' });
    appendFileSync(join(dir, 'mesh.config.yaml'), 'policy:\n  packs: ["@example/not-installed"]\n');
    const missing = await mesh(['synth'], dir);
    assert.equal(missing.code, 2);
    assert.match(
      missing.err,
      /policy pack '@example\/not-installed' \(mesh\.config\.yaml policy\.packs\) is not installed/,
    );
  });
});

/** node_modules of a temp repository: the root's packages (aws-cdk-lib, @meshkit/*), linked one by one so the repository can add its own. */
function linkModules(dir: string): void {
  const modules = fileURLToPath(new URL('../../../node_modules', import.meta.url));
  mkdirSync(join(dir, 'node_modules'));
  for (const name of readdirSync(modules))
    if (name !== '@example') symlinkSync(join(modules, name), join(dir, 'node_modules', name));
}

describe('the generated pack (platform/policies)', () => {
  test('the pack rendered by @meshkit/domain-template (as in the example repository) loads, runs and names its version', async () => {
    const dir = copyExampleMesh({ prefix: 'mesh-generated-pack-' });
    linkModules(dir);
    mkdirSync(join(dir, 'node_modules', '@example'));
    cpSync(fileURLToPath(new URL('../../../platform/policies', import.meta.url)), join(dir, 'platform', 'policies'), {
      recursive: true,
    });
    symlinkSync(join(dir, 'platform', 'policies'), join(dir, 'node_modules', '@example', 'policies'));
    appendFileSync(
      join(dir, 'mesh.config.yaml'),
      'policy:\n  packs: ["@example/policies"]\n  rules:\n    EXAMPLE-ENC-KMS-ROTATION-PERIOD: { enforceFrom: "2030-06-01" }\n',
    );
    const r = await mesh(['policy', 'report', '--now', '2030-01-01'], dir);
    assert.equal(r.code, 0, r.out + r.err);
    assert.match(
      r.out,
      /warning EXAMPLE-ENC-KMS-ROTATION-PERIOD \(@example\/policies 0\.1\.0\) mesh-sales-foundation\/Foundation\/Key\/Resource: the key rotates every 365 days; at most 180 allowed \(an error from 2030-06-01\)/,
    );
  });
});

describe('domain foundations are customisable', () => {
  test('domains/<d>/foundation/stack.ts customize(stack, domain) is synthesized and checked; it can fix a foundation-level finding', async () => {
    const dir = copyExampleMesh({ prefix: 'mesh-domain-customize-' });
    // As in a repository: aws-cdk-lib and @meshkit/* from the root node_modules, the pack beside them.
    linkModules(dir);
    mkdirSync(join(dir, 'domains/sales/foundation'), { recursive: true });
    writeFileSync(
      join(dir, 'domains/sales/foundation/stack.ts'),
      [
        "import { aws_kms as kms, type Stack } from 'aws-cdk-lib';",
        'export function customize(stack: Stack, domain: { name: string }): void {',
        "  const key = stack.node.findChild('Foundation').node.findChild('Key').node.defaultChild as kms.CfnKey;",
        '  key.rotationPeriodInDays = 180;',
        "  if (domain.name !== 'sales') throw new Error('wrong domain');",
        '}',
      ].join('\n'),
    );
    // The organisation's rule (enforced): marketing (and the platform key) still fail, sales complies through its customize.
    addPack(dir, ROTATION_PACK.replace("  enforceFrom: '2030-06-01',\n", ''));
    appendFileSync(join(dir, 'mesh.config.yaml'), 'policy:\n  packs: ["@example/policies"]\n');
    const r = await mesh(['synth', '--format', 'json'], dir);
    assert.equal(r.code, 1, r.err);
    const findings = (
      JSON.parse(r.out).policy.stacks as Array<{ stackName: string; findings: Array<{ ruleId: string }> }>
    )
      .filter((s) => s.findings.some((f) => f.ruleId === 'ACME-ENC-KMS-ROTATION-180'))
      .map((s) => s.stackName);
    assert.deepEqual(findings.sort(), ['mesh-marketing-foundation', 'mesh-platform']);
  });
});

describe('classification drives defaults', () => {
  test('a new product switched to restricted gets the restricted retention and lifecycle (the template no longer pins retentionDays)', async () => {
    const dir = copyExampleMesh({ prefix: 'mesh-classification-' });
    const created = await mesh(['new', 'product', 'sales/refunds', '--yes'], dir);
    assert.equal(created.code, 0, created.out + created.err);
    const manifest = join(dir, 'domains/sales/products/refunds/product.yaml');
    assert.doesNotMatch(readFileSync(manifest, 'utf8'), /^retentionDays:/m);
    writeFileSync(
      manifest,
      readFileSync(manifest, 'utf8').replace('classification: internal', 'classification: restricted'),
    );
    const r = await mesh(['synth', 'sales/refunds'], dir);
    assert.equal(r.code, 0, r.out + r.err);
    const t = JSON.parse(
      readFileSync(join(dir, 'domains/sales/products/refunds/cdk.out/mesh-sales-refunds.template.json'), 'utf8'),
    ) as {
      Resources: Record<
        string,
        {
          Type: string;
          Properties: {
            LifecycleConfiguration?: {
              Rules: Array<{ ExpirationInDays?: number; NoncurrentVersionExpiration?: { NoncurrentDays: number } }>;
            };
            Tags?: Array<{ Key: string; Value: string }>;
          };
        }
      >;
    };
    const curated = Object.values(t.Resources).find(
      (x) =>
        x.Type === 'AWS::S3::Bucket' &&
        x.Properties.Tags?.some((g) => g.Key === 'classification' && g.Value === 'restricted') &&
        x.Properties.LifecycleConfiguration,
    )!;
    const expirations = curated.Properties.LifecycleConfiguration!.Rules.map((x) => x.ExpirationInDays).filter(
      (x) => x !== undefined,
    );
    assert.deepEqual(expirations, [2555]);
  });
});

describe('npm run demo: the release train', () => {
  test('an organisation rule warned now and enforced later, the fleet, enforcement day with --now, a product complying through product.yaml tags', async () => {
    const { releaseTrain } = await import('../src/commands/demo.js');
    const dir = mkdtempSync(join(tmpdir(), 'mesh-demo-train-'));
    const io = bufferIo(dir);
    const steps: Array<[string, number, number]> = [];
    await releaseTrain(dir, io, async (title, _command, expected, fn) => {
      steps.push([title, expected, await fn()]);
    });
    assert.deepEqual(
      steps.map(([t, want, got]) => `${t.split('.')[0]}: ${got}/${want}`),
      ['18: 0/0', '19: 0/0', '20: 0/0', '21: 2/2', '23: 0/0'],
    );
    assert.match(
      io.out,
      /warning EXAMPLE-ENC-KMS-ROTATION-PERIOD \(@example\/policies 0\.1\.0\) mesh-sales-foundation\/Foundation\/Key\/Resource: .* \(an error from 2027-03-01\)/,
    );
    assert.match(
      io.out,
      /warning MESH-TAG-MANDATORY mesh-sales-orders\/.*missing mandatory tag data-steward \(an error from 2027-03-01\)/,
    );
    assert.match(io.out, /^2027-03-01 {2}sales\/orders: MESH-TAG-MANDATORY becomes an error/m);
    assert.match(
      io.out,
      /^fleet at 2027-02-15: template 0\.1\.0; packs @meshkit\/core 0\.1\.0, @example\/policies 0\.1\.0$/m,
    );
    assert.match(
      io.err,
      /domains\/marketing\/domain\.yaml:3:1: MANIFEST-TAG-REQUIRED: mandatory tag 'data-steward' has no value for domain marketing/,
    );
    assert.match(io.out, /policy pack 0\.1\.0 \+ @example\/policies 0\.1\.0: 0 violation\(s\), 0 warning\(s\)/);
  });
});

describe('mesh new platform', () => {
  test('renders platform/ with the policy pack and provenance; mesh check then sees it; again without --force is refused', async () => {
    // A mesh none of whose folders were rendered by the template (no provenance under domains/).
    const dir = copyExampleMesh({
      prefix: 'mesh-new-platform-',
      skip: new RegExp(`${GENERATED_DIRS.source}|^[/\\\\]domains[/\\\\].*[/\\\\]\\.meshkit([/\\\\]|$)`),
    });
    const r = await mesh(['new', 'platform'], dir);
    assert.equal(r.code, 0, r.err);
    for (const f of [
      'package.json',
      'README.md',
      'policies/package.json',
      'policies/src/index.ts',
      'policies/src/rules/kms-key-rotation.ts',
      '.meshkit/provenance.json',
    ]) {
      assert.match(r.out, new RegExp(`created platform/${f.replace(/\./g, '\\.')}\\n`));
    }
    const prov = JSON.parse(readFileSync(join(dir, 'platform/.meshkit/provenance.json'), 'utf8')) as {
      kind: string;
      files: Record<string, { class: string }>;
    };
    assert.equal(prov.kind, 'platform');
    assert.equal(prov.files['policies/src/index.ts']!.class, 'seeded');
    assert.equal(
      JSON.parse(readFileSync(join(dir, 'platform/policies/package.json'), 'utf8')).name,
      '@example/policies',
    );
    const check = await mesh(['check', '--format', 'json'], dir);
    assert.equal(check.code, 0, check.out + check.err);
    assert.deepEqual(
      JSON.parse(check.out).units.map((u: { id: string; behind: boolean }) => [u.id, u.behind]),
      [['platform', false]],
    );
    const again = await mesh(['new', 'platform'], dir);
    assert.equal(again.code, 2);
    assert.match(again.err, /platform\/ already exists: pass --force/);
  });
});

describe('a pack is an input of every stack', () => {
  test('mesh verify accepts the assembly synthesized with the pack, and calls it stale once the pack changes', async () => {
    const dir = copyExampleMesh({ prefix: 'mesh-pack-inputs-' });
    addPack(dir, ROTATION_PACK);
    appendFileSync(join(dir, 'mesh.config.yaml'), 'policy:\n  packs: ["@example/policies"]\n');
    const synth = await mesh(['synth', '--now', '2030-01-01'], dir);
    assert.equal(synth.code, 0, synth.out + synth.err);
    const template = JSON.parse(readFileSync(join(dir, 'cdk.out', 'mesh-sales-orders.template.json'), 'utf8')) as {
      Metadata: Record<string, { packs?: string[] }>;
    };
    assert.deepEqual(template.Metadata['meshkit:inputs']!.packs, ['platform/policies']);
    const fresh = await mesh(['verify'], dir);
    assert.notEqual(fresh.code, 2, fresh.err);
    appendFileSync(join(dir, 'platform', 'policies', 'src', 'index.ts'), '// stricter next release\n');
    const stale = await mesh(['verify'], dir);
    assert.equal(stale.code, 2);
    assert.match(stale.err, /mesh-sales-orders \(sales\/orders changed since it was synthesized\)/);
  });
});
