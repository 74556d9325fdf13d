import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { readProvenance, sha256 } from '@meshkit/domain-template';
import { newDomain, newProduct, type NewOptions } from '../src/commands/new.js';
import { bufferIo } from '../src/io.js';
import { runAsMesh } from '../src/mesh-error.js';

const repoConfig = fileURLToPath(new URL('../../../mesh.config.yaml', import.meta.url));

function tempMesh(): string {
  const dir = mkdtempSync(join(tmpdir(), 'mesh-new-'));
  copyFileSync(repoConfig, join(dir, 'mesh.config.yaml'));
  return dir;
}

/** Every file under `dir` with its content (a snapshot of the tree). */
function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const n of readdirSync(d)) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else out[relative(dir, p)] = readFileSync(p, 'utf8');
    }
  };
  walk(dir);
  return out;
}

async function withDomain(): Promise<string> {
  const root = tempMesh();
  const io = bufferIo(root);
  assert.equal(await newDomain('sales', { yes: true }, io), 0, io.err);
  return root;
}

describe('mesh new', () => {
  test('domain then product: files, classes and provenance hashes', async (t) => {
    const root = await withDomain();
    t.after(() => rmSync(root, { recursive: true, force: true }));
    const io = bufferIo(root);
    assert.equal(await newProduct('sales/orders', { yes: true, ingestion: 'stream' }, io), 0, io.err);
    const dir = join(root, 'domains/sales/products/orders');
    for (const f of [
      'product.yaml',
      'contract.odcs.yaml',
      'transform.sql',
      'infra/app.ts',
      'infra/stack.ts',
      'fixtures/raw.jsonl',
      'test/product.test.ts',
      'package.json',
      'README.md',
    ]) {
      assert.ok(existsSync(join(dir, f)), f);
    }
    const p = readProvenance(dir)!;
    assert.equal(p.answers.ingestion, 'stream');
    assert.equal(p.answers.owner, 'team-sales', "the default owner is the domain's");
    assert.equal(p.answers.scope, '@example');
    for (const [path, f] of Object.entries(p.files))
      assert.equal(sha256(readFileSync(join(dir, path), 'utf8')), f.sha256, path);
    assert.equal(p.files['infra/app.ts']?.class, 'managed');
    assert.equal(p.files['contract.odcs.yaml']?.class, 'seeded');
    assert.equal(p.files['infra/stack.ts']?.class, 'merged');
    assert.ok(readProvenance(join(root, 'domains/sales'))?.files['domain.yaml']);
    assert.ok(!existsSync(join(root, '.mesh')), 'no staging left behind');
  });

  test('golden: generating again with --force changes nothing', async (t) => {
    const root = await withDomain();
    t.after(() => rmSync(root, { recursive: true, force: true }));
    const io = bufferIo(root);
    assert.equal(await newProduct('sales/orders', { yes: true }, io), 0);
    const before = tree(root);
    assert.equal(await newProduct('sales/orders', { yes: true, force: true }, io), 0);
    assert.equal(await newDomain('sales', { yes: true, force: true }, io), 0);
    assert.deepEqual(tree(root), before);
  });

  test('bad names, unknown domain, existing product: exit 2, one line, nothing written', async (t) => {
    const root = await withDomain();
    t.after(() => rmSync(root, { recursive: true, force: true }));
    assert.equal(await newProduct('sales/orders', { yes: true }, bufferIo(root)), 0);
    const before = tree(root);
    const cases: Array<[string, RegExp]> = [
      ['../evil', /domain name '\.\.' must not contain dots/],
      ['Sales/Orders', /domain name 'Sales' must be lowercase kebab-case/],
      ['sales/a', /product name 'a' must be 2–40 characters/],
      [`sales/${'p'.repeat(41)}`, /it has 41/],
      ['sales/node_modules', /'node_modules' is reserved/],
      ['sales/x.y', /'x\.y' must not contain dots/],
      ['sales', /is not <domain>\/<product>/],
      ['nope/orders', /unknown domain 'nope' \(domains: sales\)/],
      ['sales/orders', /already exists/],
    ];
    for (const [ref, message] of cases) {
      const io = bufferIo(root);
      assert.equal(await runAsMesh(() => newProduct(ref, { yes: true }, io), io), 2, ref);
      assert.match(io.err, message, ref);
      assert.equal(io.err.trim().split('\n').length, 1, `${ref}: one line`);
      assert.equal(io.out, '');
    }
    for (const bad of ['../evil', 'Sales', 'a', 'node_modules', 'x.y', 'sales']) {
      const io = bufferIo(root);
      assert.equal(await runAsMesh(() => newDomain(bad, { yes: true }, io), io), 2, bad);
    }
    assert.deepEqual(tree(root), before);
  });

  test('no terminal and no --yes: exit 2 naming the flags; flags alone are enough', async (t) => {
    const root = await withDomain();
    t.after(() => rmSync(root, { recursive: true, force: true }));
    const io = bufferIo(root);
    assert.equal(await runAsMesh(() => newProduct('sales/orders', {}, io), io), 2);
    assert.match(io.err, /no terminal to ask on: pass --ingestion <batch\|stream>, --owner <team> or --yes/);
    assert.ok(!existsSync(join(root, 'domains/sales/products/orders')));
    assert.equal(await newProduct('sales/orders', { ingestion: 'batch', owner: 'team-x' }, bufferIo(root)), 0);
    assert.equal(readProvenance(join(root, 'domains/sales/products/orders'))?.answers.owner, 'team-x');
  });

  test('prompts ask for what flags did not give', async (t) => {
    const root = await withDomain();
    t.after(() => rmSync(root, { recursive: true, force: true }));
    const asked: string[] = [];
    const prompt: NewOptions['prompt'] = async (q, def) => {
      asked.push(`${q} [${def}]`);
      return q.startsWith('Ingestion') ? 'stream' : '';
    };
    assert.equal(await newProduct('sales/clicks', { prompt }, bufferIo(root)), 0);
    assert.deepEqual(asked, ['Ingestion, batch or stream? [batch]', 'Owning team? [team-sales]']);
    const p = readProvenance(join(root, 'domains/sales/products/clicks'))!;
    assert.equal(p.answers.ingestion, 'stream');
    assert.equal(p.answers.owner, 'team-sales');
  });

  test('--dry-run prints every file and its diff and writes nothing', async (t) => {
    const root = await withDomain();
    t.after(() => rmSync(root, { recursive: true, force: true }));
    const before = tree(root);
    const io = bufferIo(root);
    assert.equal(await newProduct('sales/orders', { yes: true, dryRun: true }, io), 0);
    assert.deepEqual(tree(root), before);
    assert.match(io.out, /^create domains\/sales\/products\/orders\/contract\.odcs\.yaml \(seeded\)$/m);
    assert.match(io.out, /^\+apiVersion: v3\.1\.0$/m);
    assert.match(io.out, /^create domains\/sales\/products\/orders\/\.meshkit\/provenance\.json \(provenance\)$/m);
    // Against an edited product: only the edit shows as a diff.
    assert.equal(await newProduct('sales/orders', { yes: true }, bufferIo(root)), 0);
    const file = join(root, 'domains/sales/products/orders/transform.sql');
    writeFileSync(file, readFileSync(file, 'utf8').replace('WHERE record_id IS NOT NULL', "WHERE record_id <> ''"));
    const edited = tree(root);
    const io2 = bufferIo(root);
    assert.equal(await newProduct('sales/orders', { yes: true, dryRun: true }, io2), 0);
    assert.deepEqual(tree(root), edited);
    assert.match(io2.out, /^overwrite domains\/sales\/products\/orders\/transform\.sql \(seeded\)$/m);
    assert.match(io2.out, /^-WHERE record_id <> ''$/m);
    assert.match(io2.out, /^\+WHERE record_id IS NOT NULL$/m);
    assert.match(io2.out, /^unchanged domains\/sales\/products\/orders\/infra\/app\.ts \(managed\)$/m);
    assert.match(io2.out, /dry run: 1 file\(s\) would change, nothing written/);
  });

  test('a failure before the final move leaves the tree as before', async (t) => {
    const root = await withDomain();
    t.after(() => rmSync(root, { recursive: true, force: true }));
    const before = tree(root);
    const fail = () => {
      throw new Error('injected');
    };
    await assert.rejects(newProduct('sales/orders', { yes: true, beforeCommit: fail }, bufferIo(root)), /injected/);
    assert.deepEqual(tree(root), before);
    assert.ok(!existsSync(join(root, '.mesh')));
    // Also over an existing product with --force: nothing of the new render lands.
    assert.equal(await newProduct('sales/orders', { yes: true }, bufferIo(root)), 0);
    writeFileSync(join(root, 'domains/sales/products/orders/transform.sql'), 'SELECT 1 AS x FROM raw\n');
    const edited = tree(root);
    await assert.rejects(
      newProduct('sales/orders', { yes: true, force: true, beforeCommit: fail }, bufferIo(root)),
      /injected/,
    );
    assert.deepEqual(tree(root), edited);
  });

  test('a process killed mid-way leaves the tree as before (stale staging is cleaned by the next run)', async (t) => {
    const root = await withDomain();
    t.after(() => rmSync(root, { recursive: true, force: true }));
    const before = tree(root);
    const child = join(root, 'child.mts');
    writeFileSync(
      child,
      [
        `import { newProduct } from ${JSON.stringify(fileURLToPath(new URL('../src/commands/new.ts', import.meta.url)))};`,
        `import { bufferIo } from ${JSON.stringify(fileURLToPath(new URL('../src/io.ts', import.meta.url)))};`,
        `await newProduct('sales/orders', { yes: true, beforeCommit: () => { process.stdout.write('staged\\n'); Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 60000); } }, bufferIo(${JSON.stringify(root)}));`,
      ].join('\n'),
    );
    const proc = spawn(process.execPath, ['--conditions=development', '--import', 'tsx', child], {
      cwd: fileURLToPath(new URL('..', import.meta.url)),
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise<void>((resolve, reject) => {
      proc.stdout.on('data', (d: Buffer) => {
        if (d.toString().includes('staged')) {
          proc.kill('SIGKILL');
          resolve();
        }
      });
      proc.on('exit', (code) => reject(new Error(`child exited ${code} before staging`)));
    });
    await new Promise((r) => proc.once('exit', r));
    rmSync(child);
    const after = tree(root);
    assert.deepEqual(
      Object.keys(after).filter((f) => !f.startsWith('.mesh/')),
      Object.keys(before),
    );
    assert.ok(!existsSync(join(root, 'domains/sales/products/orders')));
    // The next run removes the dead process's staging folder.
    assert.equal(await newProduct('sales/orders', { yes: true }, bufferIo(root)), 0);
    assert.ok(!existsSync(join(root, '.mesh')));
  });
});
