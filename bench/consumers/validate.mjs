/**
 * Consumer validation benchmark: the validator a contract package ships (ajv standalone code,
 * precompiled and bundled into dist/index.js by `mesh contract package`) against compiling the
 * same JSON Schema with ajv at run time (Ajv2019 + ajv-formats, the same options), on the example
 * mesh's sales/orders contract.
 *
 * Measured in the same run, medians of several rounds:
 *   - start-up, each round in a fresh `node` process (cold module cache):
 *       shipped: import dist/index.js (load + evaluate the precompiled module);
 *       runtime: import ajv + ajv-formats, new Ajv2019, addFormats, compile(schema);
 *   - steady state, in this process: records/s over N generated records (a mix of good and bad,
 *     ~20 % bad: wrong type, below minimum, unknown enum value, bad date, missing property), the
 *     boolean check of each (`isRecord` vs the compiled ajv function), and the shipped
 *     `validate()` with typed errors for reference.
 * Goal: the same steady-state speed, far lower start-up.
 *
 *   node --conditions=development --import tsx bench/consumers/validate.mjs [records] [rounds]
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import { buildContractPackage, PACKAGE_AJV_OPTIONS } from '@meshkit/contracts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CONTRACTS = join(ROOT, 'packages/contracts');
const N = Number(process.argv[2] ?? 200_000);
const ROUNDS = Number(process.argv[3] ?? 7);

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const fmt = (n) => Math.round(n).toLocaleString('en-US');

// 1. The shipped package, built from the example producer into a scratch folder.
const work = mkdtempSync(join(tmpdir(), 'meshkit-bench-consumers-'));
const product = join(work, 'orders');
cpSync(join(ROOT, 'domains/sales/products/orders'), product, {
  recursive: true,
  filter: (s) => !/[\\/](node_modules|dist|\.mesh|cdk\.out|\.turbo)([\\/]|$)/.test(s.slice(ROOT.length)),
});
await buildContractPackage(product);
const shippedUrl = pathToFileURL(join(product, 'dist/index.js')).href;
const shipped = await import(shippedUrl);
const schema = shipped.schema;

// 2. Start-up in fresh processes (cold module cache).
const startupScript = {
  shipped: `const t0 = performance.now(); await import(${JSON.stringify(shippedUrl)}); console.log(performance.now() - t0);`,
  runtime: `const t0 = performance.now();
const { default: Ajv2019 } = await import('ajv/dist/2019.js');
const { default: addFormats } = await import('ajv-formats');
const ajv = new Ajv2019(${JSON.stringify(PACKAGE_AJV_OPTIONS)});
addFormats(ajv);
ajv.compile(${JSON.stringify(schema)});
console.log(performance.now() - t0);`,
};
const startup = { shipped: [], runtime: [] };
for (let r = 0; r < ROUNDS; r++) {
  for (const kind of r % 2 ? ['runtime', 'shipped'] : ['shipped', 'runtime']) {
    // cwd: packages/contracts, where ajv and ajv-formats resolve for the runtime variant.
    const out = spawnSync(process.execPath, ['--input-type=module', '-e', startupScript[kind]], {
      cwd: CONTRACTS,
      encoding: 'utf8',
    });
    if (out.status !== 0) throw new Error(`start-up probe (${kind}) failed: ${out.stderr}`);
    startup[kind].push(Number(out.stdout.trim()));
  }
}

// 3. Steady state in this process.
const { default: Ajv2019 } = await import('ajv/dist/2019.js');
const { default: addFormats } = await import('ajv-formats');
const ajv = new Ajv2019({ ...PACKAGE_AJV_OPTIONS });
addFormats(ajv);
const compiled = ajv.compile(schema);

let seed = 42;
const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
const STATUSES = ['NEW', 'ACTIVE', 'CLOSED'];
const records = Array.from({ length: N }, (_, i) => {
  const day = 1 + (i % 28);
  const good = {
    record_id: `r-${i}`,
    amount: Math.round(rand() * 100000) / 100,
    status: STATUSES[i % 3],
    record_date: `2026-11-${String(day).padStart(2, '0')}`,
  };
  if (rand() >= 0.2) return good;
  switch (i % 5) {
    case 0:
      return { ...good, amount: String(good.amount) };
    case 1:
      return { ...good, amount: -1 };
    case 2:
      return { ...good, status: 'LOST' };
    case 3:
      return { ...good, record_date: '2026-13-40' };
    default: {
      const { status: _, ...rest } = good;
      return rest;
    }
  }
});

function rate(check) {
  let valid = 0;
  const t0 = performance.now();
  for (let i = 0; i < records.length; i++) if (check(records[i])) valid++;
  const ms = performance.now() - t0;
  return { perSecond: records.length / (ms / 1000), valid };
}
const steady = { shipped: [], runtime: [], typed: [] };
const valid = {};
for (const f of [shipped.isRecord, compiled]) rate(f); // warm-up (JIT)
for (let r = 0; r < ROUNDS; r++) {
  const order = r % 2 ? ['runtime', 'shipped'] : ['shipped', 'runtime'];
  for (const kind of order) {
    const res = rate(kind === 'shipped' ? shipped.isRecord : compiled);
    steady[kind].push(res.perSecond);
    valid[kind] = res.valid;
  }
  const typed = rate((rec) => shipped.validate(rec).valid);
  steady.typed.push(typed.perSecond);
  valid.typed = typed.valid;
}
if (valid.shipped !== valid.runtime || valid.typed !== valid.shipped)
  throw new Error(`the validators disagree: ${JSON.stringify(valid)}`);
rmSync(work, { recursive: true, force: true });

const su = { shipped: median(startup.shipped), runtime: median(startup.runtime) };
const st = { shipped: median(steady.shipped), runtime: median(steady.runtime), typed: median(steady.typed) };
console.log(
  `consumers/validate: sales/orders contract, ${fmt(N)} records (${fmt(valid.shipped)} valid, ${fmt(N - valid.shipped)} invalid), medians of ${ROUNDS} rounds`,
);
console.log(`  start-up  shipped (import precompiled dist/index.js)        ${su.shipped.toFixed(1).padStart(8)} ms`);
console.log(`  start-up  runtime (import ajv + ajv-formats, compile)      ${su.runtime.toFixed(1).padStart(8)} ms`);
console.log(`  steady    shipped isRecord                                 ${fmt(st.shipped).padStart(12)} records/s`);
console.log(`  steady    runtime ajv.compile(schema)                      ${fmt(st.runtime).padStart(12)} records/s`);
console.log(`  steady    shipped validate() with typed errors (reference) ${fmt(st.typed).padStart(12)} records/s`);
console.log(
  `  ratio start-up runtime/shipped: ${(su.runtime / su.shipped).toFixed(1)}x lower start-up with the shipped validator`,
);
console.log(`  ratio steady shipped/runtime:   ${(st.shipped / st.runtime).toFixed(2)} (goal ≈ 1.00)`);
