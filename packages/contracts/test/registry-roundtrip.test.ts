/**
 * A real npm registry round trip: Verdaccio 6 on 127.0.0.1 with a temporary storage and no uplink
 * (offline), the example producer sales/orders built with buildContractPackage and `npm publish`ed
 * (1.0.0 and a 2.0.0), then `npm install @example/sales.orders@^1` into a consumer project outside
 * the workspace, which type-checks a use of the record type with the repository's tsc and
 * validates a good and a bad record with the shipped validator.
 */
import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { buildContractPackage } from '../src/index.js';
import { tempDir } from './helpers.js';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const PRODUCER = join(ROOT, 'domains/sales/products/orders');
const VERDACCIO = join(ROOT, 'node_modules/verdaccio/bin/verdaccio');
const TSC = join(ROOT, 'node_modules/typescript/bin/tsc');
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const SKIP_COPY = new Set(['node_modules', 'dist', '.mesh', 'cdk.out', '.turbo']);

let work: string;
let verdaccio: ChildProcess | undefined;
let registry: string;
let npmrc: string;
let consumer: string;
let verdaccioLog = '';

async function freePort(): Promise<number> {
  return await new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/** npm with only our settings: none inherited from an `npm test` around us, nothing to the internet. */
async function npm(args: string[], cwd: string): Promise<string> {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^npm_/i.test(k)) env[k] = v;
  Object.assign(env, {
    npm_config_userconfig: npmrc,
    npm_config_cache: join(work, 'npm-cache'),
    npm_config_registry: registry,
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
    npm_config_loglevel: 'warn',
  });
  try {
    const { stdout } = await run(NPM, args, { cwd, env, encoding: 'utf8', timeout: 60_000 });
    return stdout;
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string; message: string };
    throw new Error(
      `npm ${args.join(' ')} failed: ${err.message}\n${err.stdout ?? ''}${err.stderr ?? ''}\nverdaccio:\n${verdaccioLog}`,
      { cause: e },
    );
  }
}

/** A copy of the producer folder (as a team's checkout: infra, tests, fixtures and all). */
function copyProducer(to: string, version?: string): string {
  cpSync(PRODUCER, to, {
    recursive: true,
    filter: (src) => !SKIP_COPY.has(relative(PRODUCER, src).split(/[\\/]/)[0]!),
  });
  if (version) {
    for (const f of ['contract.odcs.yaml', 'package.json']) {
      const file = join(to, f);
      writeFileSync(
        file,
        readFileSync(file, 'utf8')
          .replace(/^version: 1\.1\.0$/m, `version: ${version}`)
          .replace(/"version": "1\.1\.0"/, `"version": "${version}"`),
      );
    }
  }
  return to;
}

async function publish(dir: string): Promise<void> {
  await buildContractPackage(dir);
  // prepack (`mesh contract package`) would rebuild the same bytes: the build above is that step.
  await npm(['publish', '--ignore-scripts', '--registry', registry], dir);
}

/** Every package folder under node_modules (scoped ones as `@scope/name`). */
function installed(dir: string): string[] {
  const out: string[] = [];
  const walk = (nm: string): void => {
    if (!existsSync(nm)) return;
    for (const name of readdirSync(nm)) {
      if (name.startsWith('.')) continue;
      if (name.startsWith('@')) {
        for (const sub of readdirSync(join(nm, name))) {
          out.push(`${name}/${sub}`);
          walk(join(nm, name, sub, 'node_modules'));
        }
      } else {
        out.push(name);
        walk(join(nm, name, 'node_modules'));
      }
    }
  };
  walk(join(dir, 'node_modules'));
  return out.sort();
}

function filesUnder(dir: string, base = dir): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) =>
      e.isDirectory() ? filesUnder(join(dir, e.name), base) : [relative(base, join(dir, e.name)).split('\\').join('/')],
    )
    .sort();
}

before(async () => {
  work = tempDir('meshkit-registry-');
  const port = await freePort();
  registry = `http://127.0.0.1:${port}/`;
  writeFileSync(
    join(work, 'config.yaml'),
    [
      `storage: ${JSON.stringify(join(work, 'storage'))}`,
      'uplinks: {}',
      'packages:',
      "  '**':",
      '    access: $all',
      '    publish: $all',
      '    unpublish: $all',
      'auth:',
      '  htpasswd:',
      `    file: ${JSON.stringify(join(work, 'htpasswd'))}`,
      '    max_users: -1',
      'web:',
      '  enable: false',
      'middlewares:',
      '  audit:',
      '    enabled: false',
      'log: { type: stdout, format: pretty, level: warn }',
      '',
    ].join('\n'),
  );
  npmrc = join(work, '.npmrc');
  writeFileSync(
    npmrc,
    `registry=${registry}\n@example:registry=${registry}\n//127.0.0.1:${port}/:_authToken=meshkit-test\n`,
  );
  verdaccio = spawn(
    process.execPath,
    [VERDACCIO, '--config', join(work, 'config.yaml'), '--listen', `127.0.0.1:${port}`],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  verdaccio.stdout!.on('data', (d: Buffer) => {
    verdaccioLog += d.toString();
  });
  verdaccio.stderr!.on('data', (d: Buffer) => {
    verdaccioLog += d.toString();
  });
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (verdaccio.exitCode !== null) throw new Error(`verdaccio exited (${verdaccio.exitCode}):\n${verdaccioLog}`);
    try {
      if ((await fetch(`${registry}-/ping`)).ok) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) throw new Error(`verdaccio did not start within 30 s:\n${verdaccioLog}`);
    await new Promise((r) => setTimeout(r, 100));
  }

  await publish(copyProducer(join(work, 'producer-1'), '1.0.0')); // (the example mesh's is at 1.1.0)
  await publish(copyProducer(join(work, 'producer-2'), '2.0.0'));

  consumer = join(work, 'consumer');
  mkdirSync(consumer);
  writeFileSync(
    join(consumer, 'package.json'),
    JSON.stringify({ name: 'orders-consumer', version: '0.0.0', private: true, type: 'module' }, null, 2),
  );
  await npm(['install', '@example/sales.orders@^1', '--registry', registry], consumer);
});

after(async () => {
  if (verdaccio && verdaccio.exitCode === null) {
    const exited = new Promise((r) => verdaccio!.once('exit', r));
    verdaccio.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
    if (verdaccio.exitCode === null) verdaccio.kill('SIGKILL');
  }
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('contract package through a real npm registry (Verdaccio)', () => {
  it('the registry holds both published versions; the range ^1 installs 1.0.0', async () => {
    const versions = JSON.parse(await npm(['view', '@example/sales.orders', 'versions', '--json'], work)) as string[];
    assert.deepEqual(versions, ['1.0.0', '2.0.0']);
    const pkg = JSON.parse(readFileSync(join(consumer, 'node_modules/@example/sales.orders/package.json'), 'utf8')) as {
      version: string;
      dependencies?: unknown;
    };
    assert.equal(pkg.version, '1.0.0');
    assert.equal(pkg.dependencies, undefined);
  });

  it('ships only dist/, the contract and the README: no infra, tests, fixtures or SQL', () => {
    const files = filesUnder(join(consumer, 'node_modules/@example/sales.orders'));
    assert.deepEqual(files, [
      'README.md',
      'contract.odcs.yaml',
      'dist/contract.odcs.yaml',
      'dist/index.d.ts',
      'dist/index.js',
      'dist/schema.json',
      'dist/v1/index.d.ts',
      'dist/v1/index.js',
      'package.json',
    ]);
  });

  it('the installed tree holds no aws-cdk-lib and no AWS SDK: nothing but the contract package', () => {
    const tree = installed(consumer);
    assert.deepEqual(tree, ['@example/sales.orders']);
    assert.ok(!tree.some((p) => p === 'aws-cdk-lib' || p.startsWith('@aws-sdk/') || p.startsWith('@meshkit/')));
  });

  it("type-checks a consumer's use of the record type with the repository's tsc", async () => {
    writeFileSync(
      join(consumer, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          noEmit: true,
          types: [],
          skipLibCheck: false,
          resolveJsonModule: true,
        },
        files: ['use.ts'],
      }),
    );
    writeFileSync(
      join(consumer, 'use.ts'),
      `
import { isRecord, validate, type ContractRecord, type OrdersRecord } from '@example/sales.orders';
import schema from '@example/sales.orders/schema.json' with { type: 'json' };
export function total(lines: unknown[]): number {
  let sum = 0;
  for (const line of lines) if (isRecord(line)) sum += line.amount;
  return sum;
}
export function parse(text: string): ContractRecord {
  const r = validate(JSON.parse(text) as unknown);
  if (!r.valid) throw new Error(r.errors.map((e) => e.message).join('; '));
  return r.record;
}
export const title: unknown = schema.title;
// @ts-expect-error status is one of NEW, PAID, SHIPPED
export const lost: OrdersRecord = { order_id: 'o-1', customer_email: 'a@example.com', amount: 1, status: 'LOST', order_date: '2026-11-01' };
`,
    );
    try {
      await run(process.execPath, [TSC, '-p', 'tsconfig.json'], { cwd: consumer, encoding: 'utf8' });
    } catch (e) {
      const err = e as { stdout?: string; stderr?: string };
      assert.fail(`tsc failed:\n${err.stdout ?? ''}${err.stderr ?? ''}`);
    }
  });

  it('validates a good and a bad record with the shipped validator; the error names the property', async () => {
    writeFileSync(
      join(consumer, 'check.mjs'),
      `
import { validate, assertRecord, contractVersion } from '@example/sales.orders';
const good = { order_id: '4f6c1a52-3b1e-4d0e-9c8a-2f9e3c1d7b10', customer_email: 'ana@example.com', amount: 129.5, status: 'PAID', order_date: '2026-11-01' };
const bad = { ...good, amount: -3 };
let thrown = null;
try { assertRecord(bad); } catch (e) { thrown = { name: e.name, message: e.message }; }
console.log(JSON.stringify({ contractVersion, good: validate(good), bad: validate(bad), thrown }));
`,
    );
    const { stdout } = await run(process.execPath, ['check.mjs'], { cwd: consumer, encoding: 'utf8' });
    const out = JSON.parse(stdout) as {
      contractVersion: string;
      good: { valid: boolean };
      thrown: { name: string; message: string };
      bad: { valid: boolean; errors: Array<{ property: string; keyword: string; message: string }> };
    };
    assert.equal(out.contractVersion, '1.0.0');
    assert.equal(out.good.valid, true);
    assert.equal(out.bad.valid, false);
    assert.deepEqual(
      out.bad.errors.map((e) => [e.property, e.keyword, e.message]),
      [['amount', 'minimum', 'amount: must be >= 0']],
    );
    assert.deepEqual(out.thrown, {
      name: 'RecordValidationError',
      message: 'invalid orders record: amount: must be >= 0',
    });
  });
});
