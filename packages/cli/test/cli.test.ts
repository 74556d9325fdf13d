import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { copyExampleMesh } from '@meshkit/testing';
import { run, bufferIo } from '../src/index.js';

const DEMO = fileURLToPath(new URL('../demo/', import.meta.url));
const BIN = fileURLToPath(new URL('../bin/mesh.js', import.meta.url));
const demo = (f: string) => join(DEMO, f);

async function mesh(args: string[], cwd = DEMO) {
  const io = bufferIo(cwd);
  const code = await run(args, io);
  return { code, out: io.out, err: io.err };
}

describe('mesh', () => {
  test('--help lists the commands', async () => {
    const r = await mesh(['--help']);
    assert.equal(r.code, 0);
    assert.match(r.out, /contract/);
    assert.match(r.out, /demo/);
    const c = await mesh(['contract', '--help']);
    for (const sub of ['lint', 'diff', 'export', 'check']) assert.match(c.out, new RegExp(`\\b${sub}\\b`));
  });

  test('an unknown command or option is bad usage (exit 2)', async () => {
    assert.equal((await mesh(['frobnicate'])).code, 2);
    const none = await mesh([]);
    assert.equal(none.code, 2);
    assert.match(none.err, /Usage: mesh/);
    assert.equal((await mesh(['contract', 'lint', '--format', 'xml', 'x.yaml'])).code, 2);
    const r = await mesh(['contract', 'diff', 'only-one.yaml']);
    assert.equal(r.code, 2);
    assert.match(r.err, /at least two files/);
  });
});

describe('mesh contract lint', () => {
  test('clean contracts exit 0', async () => {
    const r = await mesh(['contract', 'lint', 'orders.v1.odcs.yaml', 'orders.v1.1.odcs.yaml']);
    assert.equal(r.code, 0, r.out + r.err);
  });

  test('errors exit 1 with file:line:col, rule id and a code frame', async () => {
    const r = await mesh(['contract', 'lint', 'invalid.odcs.yaml']);
    assert.equal(r.code, 1);
    assert.match(r.out, /^invalid\.odcs\.yaml:\d+:\d+ error CONTRACT-[A-Z-]+ /m);
    assert.match(r.out, /\^/); // caret line of the code frame
    // The PII property left public is reported where it is declared.
    const pii = r.out.split('\n').find((l) => /PII|pii/.test(l) && /error/.test(l));
    assert.ok(pii, r.out);
  });

  test('unreadable input exits 2 with one clear line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mesh-cli-'));
    writeFileSync(join(dir, 'dup.yaml'), 'id: a\nid: b\n');
    const r = await mesh(['contract', 'lint', 'dup.yaml', 'missing.yaml', '.'], dir);
    assert.equal(r.code, 2);
    assert.match(r.out, /dup\.yaml:2:1 error YAML_DUPLICATE_KEY/);
    assert.match(r.out, /missing\.yaml:1:1 error FILE_NOT_FOUND/);
    assert.match(r.out, /NOT_A_FILE/);
  });

  test('SARIF, JUnit, GitHub and JSON formats', async () => {
    const sarif = JSON.parse((await mesh(['contract', 'lint', 'invalid.odcs.yaml', '--format', 'sarif'])).out);
    assert.equal(sarif.version, '2.1.0');
    assert.ok(sarif.runs[0].results.length > 0);
    const gh = (await mesh(['contract', 'lint', 'invalid.odcs.yaml', '--format', 'github'])).out;
    assert.match(gh, /^::error file=invalid\.odcs\.yaml,line=\d+,col=\d+/m);
    const junit = (await mesh(['contract', 'lint', 'invalid.odcs.yaml', '--format', 'junit'])).out;
    assert.match(junit, /<testsuites[\s>]/);
    const json = JSON.parse((await mesh(['contract', 'lint', 'invalid.odcs.yaml', '--format', 'json'])).out);
    assert.ok(json.errors > 0);
  });
});

describe('mesh contract diff', () => {
  test('a compatible change exits 0 and names the bump', async () => {
    const r = await mesh(['contract', 'diff', 'orders.v1.odcs.yaml', 'orders.v1.1.odcs.yaml']);
    assert.equal(r.code, 0, r.out + r.err);
    assert.match(r.out, /PROPERTY_ADDED_OPTIONAL/);
    assert.match(r.out, /compatible under FULL.*minor/);
  });

  test('a breaking change exits 1; JSON follows the spec', async () => {
    const r = await mesh([
      'contract',
      'diff',
      'orders.v1.1.odcs.yaml',
      'orders.v1.2-breaking.odcs.yaml',
      '--format',
      'json',
    ]);
    assert.equal(r.code, 1);
    const j = JSON.parse(r.out);
    assert.deepEqual(Object.keys(j), ['compatible', 'mode', 'requiredBump', 'changes']);
    assert.equal(j.compatible, false);
    assert.equal(j.requiredBump, 'major');
    const rules = j.changes.map((c: { rule: string }) => c.rule);
    for (const rule of ['PROPERTY_REMOVED', 'TYPE_NARROWED', 'ENUM_VALUE_REMOVED'])
      assert.ok(rules.includes(rule), rules.join());
    const removed = j.changes.find((c: { rule: string }) => c.rule === 'PROPERTY_REMOVED');
    assert.equal(removed.path, 'schema[orders].properties[customer_email]');
    assert.equal(removed.location.file, 'orders.v1.1.odcs.yaml'); // removals point into the old file
  });

  test('--mode NONE makes it compatible', async () => {
    const r = await mesh([
      'contract',
      'diff',
      'orders.v1.1.odcs.yaml',
      'orders.v1.2-breaking.odcs.yaml',
      '--mode',
      'NONE',
    ]);
    assert.equal(r.code, 0);
  });

  test('an invalid contract cannot be diffed (exit 2)', async () => {
    const r = await mesh(['contract', 'diff', 'orders.v1.odcs.yaml', 'nope.yaml']);
    assert.equal(r.code, 2);
    assert.match(r.err, /nope\.yaml/);
  });
});

describe('mesh contract export', () => {
  test('every target compiles the demo contract', async () => {
    for (const to of ['json-schema', 'json-schema-draft-07', 'typescript', 'validator', 'glue', 'dqdl', 'sql']) {
      const r = await mesh(['contract', 'export', 'orders.v1.odcs.yaml', '--to', to]);
      assert.equal(r.code, 0, `${to}: ${r.err}`);
      assert.ok(r.out.length > 50, to);
    }
    const dqdl = (await mesh(['contract', 'export', 'orders.v1.odcs.yaml', '--to', 'dqdl'])).out;
    assert.match(dqdl, /^Rules = \[/m);
    assert.match(dqdl, /IsComplete "order_id"/);
    const glue = JSON.parse((await mesh(['contract', 'export', 'orders.v1.odcs.yaml', '--to', 'glue'])).out);
    assert.deepEqual(
      glue.partitionKeys.map((k: { name: string }) => k.name),
      ['order_date'],
    );
  });

  test('an unknown target is bad usage', async () => {
    assert.equal((await mesh(['contract', 'export', 'orders.v1.odcs.yaml', '--to', 'avro'])).code, 2);
  });
});

describe('mesh contract check (version gate)', () => {
  test('a minor version for a breaking change fails', async () => {
    const r = await mesh(['contract', 'check', 'orders.v1.2-breaking.odcs.yaml', '--against', 'orders.v1.1.odcs.yaml']);
    assert.equal(r.code, 1);
    assert.match(r.out, /VERSION_BUMP_INSUFFICIENT/);
  });

  test('against a git ref, with changesets', async () => {
    const repo = mkdtempSync(join(tmpdir(), 'mesh-git-'));
    const git = (...a: string[]) => execFileSync('git', a, { cwd: repo, stdio: 'pipe' });
    git('init', '-q', '-b', 'main');
    git('config', 'user.email', 't@example.com');
    git('config', 'user.name', 'T');
    writeFileSync(join(repo, 'mesh.config.yaml'), 'organisation: T\nnpmScope: "@t"\n');
    const product = join(repo, 'domains', 'sales', 'products', 'orders');
    mkdirSync(product, { recursive: true });
    mkdirSync(join(repo, '.changeset'));
    writeFileSync(join(product, 'package.json'), JSON.stringify({ name: '@t/sales.orders', version: '1.0.0' }));
    writeFileSync(join(product, 'contract.odcs.yaml'), readFileSync(demo('orders.v1.odcs.yaml')));
    git('add', '-A');
    git('commit', '-qm', 'v1');
    // An added optional column with the version unchanged and no changeset: not bumped.
    const v11 = readFileSync(demo('orders.v1.1.odcs.yaml'), 'utf8').replace('version: 1.1.0', 'version: 1.0.0');
    writeFileSync(join(product, 'contract.odcs.yaml'), v11);
    let r = await mesh(['contract', 'check', 'sales/orders'], repo);
    assert.equal(r.code, 1, r.out + r.err);
    assert.match(r.out, /VERSION_NOT_BUMPED/);
    // A pending minor changeset declares the bump.
    writeFileSync(join(repo, '.changeset', 'brave-owls.md'), '---\n"@t/sales.orders": minor\n---\n\nAdd channel.\n');
    r = await mesh(['contract', 'check', 'sales/orders'], repo);
    assert.equal(r.code, 0, r.out + r.err);
    // An unknown ref is unreadable input.
    r = await mesh(['contract', 'check', 'sales/orders', '--against', 'no-such-ref'], repo);
    assert.equal(r.code, 2);
  });
});

test('mesh contract lint (of the repository) and check <domain>/<product> read the contract product.yaml names (`contract:`), not contract.odcs.yaml', async () => {
  const root = copyExampleMesh({ prefix: 'mesh-contract-file-' });
  const orders = join(root, 'domains', 'sales', 'products', 'orders');
  const text = readFileSync(join(orders, 'contract.odcs.yaml'), 'utf8');
  rmSync(join(orders, 'contract.odcs.yaml'));
  // A contract with a lint error (a property without a type), under the name product.yaml gives.
  writeFileSync(join(orders, 'orders.odcs.yaml'), text.replace(/\n {8}logicalType: string\n/, '\n'));
  writeFileSync(
    join(orders, 'product.yaml'),
    readFileSync(join(orders, 'product.yaml'), 'utf8') + 'contract: orders.odcs.yaml\n',
  );
  const all = await mesh(['contract', 'lint'], root);
  assert.equal(all.code, 1, all.out + all.err);
  assert.match(all.out, /domains\/sales\/products\/orders\/orders\.odcs\.yaml:\d+:\d+/);
  const check = await mesh(['contract', 'check', 'sales/orders'], root);
  assert.doesNotMatch(check.out + check.err, /contract\.odcs\.yaml does not exist/);
});

test('mesh demo runs end to end and writes its exports', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mesh-demo-'));
  const r = await mesh(['demo', '--out', join(dir, 'out')], dir);
  assert.equal(r.code, 0, r.out + r.err);
  assert.match(r.out, /a breaking change is caught/);
  assert.ok(existsSync(join(dir, 'out', 'orders.dqdl')));
  assert.ok(existsSync(join(dir, 'out', 'catalog', 'index.html')), 'the catalog site is exported');
  assert.match(
    r.out,
    /marketing\/campaign-performance\s+direct\s+\S+\s+\S+\s+\S+ → \S+\s+BREAKS/,
    'mesh impact names the broken consumer',
  );
  assert.doesNotMatch(r.out, /✗/);
});

describe(
  'the built binary',
  { skip: !existsSync(fileURLToPath(new URL('../dist/index.js', import.meta.url))) && 'run npm run build first' },
  () => {
    test('user mistakes give one line and exit 2, never a stack trace', () => {
      const r = spawnSync(process.execPath, [BIN, 'contract', 'export', '/nonexistent/c.yaml', '--to', 'dqdl'], {
        encoding: 'utf8',
      });
      assert.equal(r.status, 2);
      assert.doesNotMatch(r.stderr + r.stdout, /^\s+at /m);
      assert.match(r.stderr + r.stdout, /nonexistent\/c\.yaml/);
    });

    test('--version', () => {
      const r = spawnSync(process.execPath, [BIN, '--version'], { encoding: 'utf8' });
      assert.equal(r.status, 0);
      assert.match(r.stdout, /^\d+\.\d+\.\d+/);
    });
  },
);
