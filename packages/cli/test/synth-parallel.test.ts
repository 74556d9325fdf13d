// `mesh synth` of a large mesh (issue 19): one cached unit per stack (platform, each foundation,
// each product), stale ones synthesized in parallel worker processes, the units merged into one
// cloud assembly identical to a single app's, unchanged units from the cache.
import assert from 'node:assert/strict';
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { EXAMPLE_MESH } from '@meshkit/testing';
import { verifyMesh } from '@meshkit/verify';
import { bufferIo, run } from '../src/index.js';
import { synthMesh } from '../src/commands/synth.js';
import { PARALLEL_MIN_DOMAINS, PLATFORM_UNIT, synthMeshParallel } from '../src/commands/synth-parallel.js';

process.env.CDK_VALIDATION = 'false';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

/**
 * `domains` domains of two products each, copies of the example mesh's sales/orders (batch) and
 * sales/clickstream (stream); product-1 of each domain but the first consumes three columns of the
 * previous domain's product-0.
 */
function writeMesh(root: string, domains: number): void {
  copyFileSync(join(EXAMPLE_MESH, 'mesh.config.yaml'), join(root, 'mesh.config.yaml'));
  for (let d = 0; d < domains; d++) {
    const dir = join(root, 'domains', `domain-${d}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'domain.yaml'), `name: domain-${d}\nowner: team-${d}\ncostCenter: cc-${d}\n`);
    for (const [p, source] of [
      [0, 'orders'],
      [1, 'clickstream'],
    ] as const) {
      const pdir = join(dir, 'products', `product-${p}`);
      mkdirSync(pdir, { recursive: true });
      for (const f of ['contract.odcs.yaml', 'transform.sql'])
        copyFileSync(join(EXAMPLE_MESH, 'domains/sales/products', source, f), join(pdir, f));
      const ingestion = p === 0 ? '  mode: batch\n  format: csv\n' : '  mode: stream\n  format: jsonl\n';
      const consumes =
        p === 1 && d > 0
          ? `consumes:\n  - product: domain-${d - 1}/product-0\n    version: ^1.0.0\n    columns: [order_id, amount, order_date]\n`
          : '';
      writeFileSync(
        join(pdir, 'product.yaml'),
        `domain: domain-${d}\nname: product-${p}\nowner: team-${d}\ningestion:\n${ingestion}classification: internal\n${consumes}`,
      );
    }
  }
}

/** Every unit of a mesh written by `writeMesh`: the platform, each domain's foundation and products. */
const ALL_UNITS = (domains: number) =>
  [
    PLATFORM_UNIT,
    ...Array.from({ length: domains }, (_, i) => [
      `domain-${i}`,
      `domain-${i}/product-0`,
      `domain-${i}/product-1`,
    ]).flat(),
  ].sort();

let root: string;
before(() => {
  root = mkdtempSync(join(tmpdir(), 'mesh-synth-parallel-'));
  writeMesh(root, PARALLEL_MIN_DOMAINS);
});
after(() => rmSync(root, { recursive: true, force: true }));

/** Templates and asset manifests (`*.metadata.json` hold construct creation stack traces: they differ by process). */
const files = (dir: string) =>
  readdirSync(dir)
    .filter((f) => f.endsWith('.template.json') || f.endsWith('.assets.json'))
    .sort();
const artifacts = (dir: string) =>
  (JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { artifacts: Record<string, unknown> }).artifacts;

describe('synthMeshParallel', () => {
  it('merges the units into the assembly one app writes: the same templates, asset manifests and artifacts; verify finds nothing', async () => {
    const merged = join(root, 'out-parallel');
    const single = join(root, 'out-single');
    const r = await synthMeshParallel(root, merged, { workers: 2 });
    await synthMesh(root, undefined, single);
    assert.deepEqual(r.synthesized.sort(), ALL_UNITS(PARALLEL_MIN_DOMAINS));
    assert.deepEqual(files(merged), files(single));
    for (const f of files(single))
      assert.equal(readFileSync(join(merged, f), 'utf8'), readFileSync(join(single, f), 'utf8'), f);
    assert.deepEqual(Object.keys(artifacts(merged)).sort(), Object.keys(artifacts(single)).sort());
    for (const [k, v] of Object.entries(artifacts(single))) assert.deepEqual(artifacts(merged)[k], v, k);
    assert.equal(r.stacks.length, 1 + PARALLEL_MIN_DOMAINS * 3);
    assert.equal(r.report.ok, true);
    assert.deepEqual(verifyMesh({ assemblyDir: merged, root, cwd: root }).findings, []);
  });

  /** The merged assembly is the one a single app writes of the mesh as it is now (templates, asset manifests, artifacts). */
  const assertSameAsOneApp = async (out: string, label: string) => {
    const single = join(root, `out-single-${label}`);
    await synthMesh(root, undefined, single);
    assert.deepEqual(files(out), files(single));
    for (const f of files(single))
      assert.equal(readFileSync(join(out, f), 'utf8'), readFileSync(join(single, f), 'utf8'), `${label}: ${f}`);
    for (const [k, v] of Object.entries(artifacts(single))) assert.deepEqual(artifacts(out)[k], v, `${label}: ${k}`);
    assert.deepEqual(
      verifyMesh({ assemblyDir: out, root, cwd: root }).findings,
      [],
      `${label}: the merged assembly is fresh: verify accepts it`,
    );
  };
  const edit = (file: string, change: (text: string) => string) => {
    const text = readFileSync(join(root, file), 'utf8');
    writeFileSync(join(root, file), change(text));
    assert.notEqual(readFileSync(join(root, file), 'utf8'), text, file);
  };

  it('takes unchanged units from the cache; an edited contract re-synthesizes that product only', async () => {
    const out = join(root, 'out-cache');
    const again = await synthMeshParallel(root, out);
    assert.deepEqual(again.synthesized, []);
    assert.equal(again.cached.length, ALL_UNITS(PARALLEL_MIN_DOMAINS).length);
    // domain-3/product-1 consumes domain-2/product-0: it reads the table its range resolves to
    // (product_0_v1), not the contract's text; the foundation exports what its products import.
    edit('domains/domain-2/products/product-0/contract.odcs.yaml', (t) =>
      t.replace(/^(\s+description: )(.*)$/m, '$1$2 (edited)'),
    );
    const edited = await synthMeshParallel(root, out, { workers: 2 });
    assert.deepEqual(edited.synthesized, ['domain-2/product-0']);
    assert.equal(edited.cached.length, ALL_UNITS(PARALLEL_MIN_DOMAINS).length - 1);
    await assertSameAsOneApp(out, 'contract');
  });

  it('an edited consumes entry re-synthesizes the consumer only; an edited domain.yaml its foundation and products', async () => {
    const out = join(root, 'out-cache');
    await synthMeshParallel(root, out);
    edit('domains/domain-3/products/product-1/product.yaml', (t) =>
      t.replace('columns: [order_id, amount, order_date]', 'columns: [order_id, amount]'),
    );
    assert.deepEqual((await synthMeshParallel(root, out)).synthesized, ['domain-3/product-1']);
    await assertSameAsOneApp(out, 'consumes');
    edit('domains/domain-4/domain.yaml', (t) => t.replace('costCenter: cc-4', 'costCenter: cc-44'));
    assert.deepEqual((await synthMeshParallel(root, out)).synthesized, [
      'domain-4',
      'domain-4/product-0',
      'domain-4/product-1',
    ]);
    await assertSameAsOneApp(out, 'domain');
    // A restricted product is listed by the platform stack (Lake Formation): the platform unit too.
    edit('domains/domain-4/products/product-0/product.yaml', (t) =>
      t.replace('classification: internal', 'classification: restricted'),
    );
    assert.deepEqual((await synthMeshParallel(root, out)).synthesized, [PLATFORM_UNIT, 'domain-4/product-0']);
    await assertSameAsOneApp(out, 'restricted');
  });

  it('a removed product leaves the cache; a foundation whose products import other outputs (here: none left) is re-synthesized', async () => {
    const out = join(root, 'out-cache');
    await synthMeshParallel(root, out);
    rmSync(join(root, 'domains/domain-7/products/product-1'), { recursive: true });
    const removed = await synthMeshParallel(root, out);
    // The platform lists only restricted and replicated products; the foundation exports what product-0 still imports.
    assert.deepEqual(removed.synthesized, []);
    assert.ok(!removed.cached.includes('domain-7/product-1'));
    assert.deepEqual(readdirSync(join(root, '.mesh/synth-cache/default/domain-7')).sort(), [
      '_foundation',
      'product-0',
    ]);
    await assertSameAsOneApp(out, 'removed');
    const foundationOutputs = () =>
      Object.keys(
        (JSON.parse(readFileSync(join(out, 'mesh-domain-7-foundation.template.json'), 'utf8')) as { Outputs?: object })
          .Outputs ?? {},
      );
    assert.ok(foundationOutputs().length > 0);
    rmSync(join(root, 'domains/domain-7/products/product-0'), { recursive: true });
    const none = await synthMeshParallel(root, out);
    assert.deepEqual(none.synthesized, ['domain-7']);
    assert.deepEqual(foundationOutputs(), [], 'no product imports from the foundation: no exports');
    await assertSameAsOneApp(out, 'no products');
  });

  it('mesh synth of the whole mesh takes this path and says which units it synthesized', async () => {
    const io = bufferIo(root);
    const code = await run(['synth', '--out', join(root, 'out-cli')], io);
    assert.equal(code, 0, io.err);
    assert.match(
      io.out,
      new RegExp(
        `units: 0 synthesized, ${ALL_UNITS(PARALLEL_MIN_DOMAINS).length - 2} unchanged \\(from \\.mesh/synth-cache\\)`,
      ),
    );
    const fresh = bufferIo(root);
    assert.equal(
      await run(['synth', '--out', join(root, 'out-cli'), '--fresh', '--format', 'json'], fresh),
      0,
      fresh.err,
    );
    assert.equal(
      (JSON.parse(fresh.out) as { units: { synthesized: string[] } }).units.synthesized.length,
      ALL_UNITS(PARALLEL_MIN_DOMAINS).length - 2,
    );
  });
});

// What main brought to mesh synth, on the parallel path too: the organisation's policy packs
// (rules and pack inputs in every unit), domain foundations' customize, and --now.
const ROTATION_PACK = `
import type { PolicyRule } from '@meshkit/core';
export const rules: PolicyRule[] = [{
  id: 'ACME-ENC-KMS-ROTATION-180', area: 'ENC', title: 'KMS keys rotate at least every 180 days',
  rationale: 'The security office requires it.', fix: 'Set rotationPeriod: Duration.days(180) on the key.',
  since: '1.0.0', enforceFrom: '2030-06-01', resourceTypes: ['AWS::KMS::Key'],
  check(r) {
    const days = r.properties.RotationPeriodInDays;
    return typeof days === 'number' && days <= 180 ? 'compliant' : { violation: 'rotation period is ' + (days ?? 365) + ' days (at most 180)' };
  },
}];
`;

describe('synthMeshParallel with organisation packs, foundation customize and --now', () => {
  let packRoot: string;
  before(() => {
    packRoot = mkdtempSync(join(tmpdir(), 'mesh-synth-parallel-packs-'));
    writeMesh(packRoot, PARALLEL_MIN_DOMAINS);
    const pack = join(packRoot, 'platform', 'policies');
    mkdirSync(join(pack, 'src'), { recursive: true });
    writeFileSync(
      join(pack, 'package.json'),
      JSON.stringify({
        name: '@example/policies',
        version: '1.0.0',
        type: 'module',
        exports: { '.': './src/index.ts' },
      }),
    );
    writeFileSync(join(pack, 'src', 'index.ts'), ROTATION_PACK);
    mkdirSync(join(packRoot, 'node_modules', '@example'), { recursive: true });
    symlinkSync(pack, join(packRoot, 'node_modules', '@example', 'policies'));
    writeFileSync(
      join(packRoot, 'mesh.config.yaml'),
      readFileSync(join(packRoot, 'mesh.config.yaml'), 'utf8') + 'policy:\n  packs: ["@example/policies"]\n',
    );
    mkdirSync(join(packRoot, 'domains/domain-1/foundation'), { recursive: true });
    writeFileSync(
      join(packRoot, 'domains/domain-1/foundation/stack.ts'),
      "export function customize(stack: { templateOptions: { description?: string } }, domain: { name: string }): void {\n  stack.templateOptions.description = 'customized ' + domain.name;\n}\n",
    );
  });
  after(() => rmSync(packRoot, { recursive: true, force: true }));

  const packFindings = (report: {
    stacks: Array<{ findings: Array<{ ruleId: string; level: string; enforceFrom?: string }> }>;
  }) => report.stacks.flatMap((s) => s.findings).filter((f) => f.ruleId === 'ACME-ENC-KMS-ROTATION-180');

  it('the same assembly as one app (pack inputs recorded, foundation customized); pack rules run, judged at --now', async () => {
    const merged = join(packRoot, 'out-parallel');
    const single = join(packRoot, 'out-single');
    const now = new Date('2029-01-01T00:00:00Z');
    const r = await synthMeshParallel(packRoot, merged, { workers: 2, now });
    await synthMesh(packRoot, undefined, single, undefined, now);
    for (const f of files(single))
      assert.equal(readFileSync(join(merged, f), 'utf8'), readFileSync(join(single, f), 'utf8'), f);
    const foundation = JSON.parse(readFileSync(join(merged, 'mesh-domain-1-foundation.template.json'), 'utf8')) as {
      Description?: string;
      Metadata: Record<string, { packs?: string[] }>;
    };
    assert.equal(foundation.Description, 'customized domain-1');
    assert.deepEqual(foundation.Metadata['meshkit:inputs']!.packs, ['platform/policies']);
    assert.ok(r.report.packs.some((p) => p.name === '@example/policies' && p.version === '1.0.0'));
    const before = packFindings(r.report);
    assert.ok(
      before.length > 0 && before.every((f) => f.level === 'warning' && f.enforceFrom === '2030-06-01'),
      JSON.stringify(before[0]),
    );
    assert.equal(r.report.ok, true);
    const day = await synthMeshParallel(packRoot, merged, { now: new Date('2030-06-01T00:00:00Z') });
    assert.deepEqual(day.synthesized, [], 'the clock changes the judgement, not the templates');
    assert.ok(packFindings(day.report).every((f) => f.level === 'error'));
    assert.equal(day.report.ok, false);
  });

  it('a pack edit re-synthesizes every unit; a foundation customize edit only its domain (the foundation and the products importing from it)', async () => {
    const out = join(packRoot, 'out-cache');
    await synthMeshParallel(packRoot, out);
    const index = join(packRoot, 'platform/policies/src/index.ts');
    writeFileSync(index, readFileSync(index, 'utf8') + '// edited\n');
    assert.equal((await synthMeshParallel(packRoot, out)).synthesized.length, ALL_UNITS(PARALLEL_MIN_DOMAINS).length);
    const stack = join(packRoot, 'domains/domain-1/foundation/stack.ts');
    writeFileSync(stack, readFileSync(stack, 'utf8').replace("'customized '", "'customised '"));
    const edited = await synthMeshParallel(packRoot, out);
    assert.deepEqual(edited.synthesized, ['domain-1', 'domain-1/product-0', 'domain-1/product-1']);
    assert.equal(
      (
        JSON.parse(readFileSync(join(out, 'mesh-domain-1-foundation.template.json'), 'utf8')) as {
          Description?: string;
        }
      ).Description,
      'customised domain-1',
    );
  });
});
