/**
 * Publish benchmark (issue 6):
 * 1. 200 generated contracts (distinct products) published to a fresh local catalog
 *    (`publishProduct` + `LocalCatalog`), against the floor: a plain `fs.writeFileSync` of the same
 *    200 records into a fresh directory, in the same run. Medians of `rounds`; goal ≤ 2 s.
 * 2. A second, identical publish into the same catalog: files created or modified (goal 0).
 * 3. Against the Glue emulator (real SDK clients over HTTP): API calls per changed contract
 *    (first publish: new schemas; then a patch version of every 4th product) and per unchanged
 *    contract (identical re-publish). Goal ≤ 3 writes per changed, 0 per unchanged.
 * 4. `mesh publish --all --catalog glue` through the built CLI (build first), all products new,
 *    against an emulator answering each call after 50 ms: goal ≤ 15 s for 200, against the same
 *    calls made one at a time (calls × 50 ms).
 *
 *   npm run bench:publish              # 200 products, 3 rounds
 *   npm run bench:publish -- 50 5      # products, rounds
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GlueClient } from '@aws-sdk/client-glue';
import { LakeFormationClient } from '@aws-sdk/client-lakeformation';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { LocalCatalog, publishProduct } from '@meshkit/catalog';
import { GlueSchemaRegistryCatalog } from '@meshkit/catalog/aws';
import { startGlueEmulator } from '@meshkit/testing';
import { loadMeshConfig } from '@meshkit/contracts';

const count = Number(process.argv[2] ?? 200);
const rounds = Number(process.argv[3] ?? 3);
const root = mkdtempSync(join(tmpdir(), 'meshkit-bench-publish-'));
writeFileSync(join(root, 'mesh.config.yaml'), 'organisation: Bench Corp\nnpmScope: "@bench"\n');
const names = Array.from({ length: count }, (_, i) => `p${String(i).padStart(3, '0')}`);
const contract = (name: string, version: string) => `apiVersion: v3.1.0
kind: DataContract
id: bench-${name}
name: ${name}
version: ${version}
status: active
description:
  purpose: Generated product ${name}.
customProperties:
  - property: meshkit.compatibility
    value: BACKWARD
schema:
  - name: ${name.replace(/-/g, '_')}
    physicalType: table
    description: Rows of ${name}.
    quality:
      - { id: not_empty, metric: rowCount, mustBeGreaterThan: 0 }
    properties:
      - { name: id, logicalType: string, required: true, unique: true, description: Identifier. }
      - { name: amount, logicalType: number, logicalTypeOptions: { minimum: 0 }, description: Amount. }
      - { name: status, logicalType: string, description: Status., quality: [{ metric: invalidValues, arguments: { validValues: [NEW, DONE] }, mustBe: 0 }] }
${Array.from({ length: 12 }, (_, k) => `      - { name: c${k}, logicalType: ${k % 2 ? 'integer' : 'string'}, description: Column ${k}. }`).join('\n')}
      - { name: day, logicalType: date, required: true, partitioned: true, partitionKeyPosition: 1 }
`;
for (const name of names) {
  const dir = join(root, 'domains/bench/products', name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'product.yaml'),
    `domain: bench\nname: ${name}\nowner: team-bench\ningestion:\n  mode: batch\n`,
  );
  writeFileSync(join(dir, 'contract.odcs.yaml'), contract(name, '1.0.0'));
}
writeFileSync(join(root, 'domains/bench/domain.yaml'), 'name: bench\nowner: team-bench\ncostCenter: cc-1\n');
const git = (...a: string[]) =>
  execFileSync('git', a, { cwd: root, stdio: ['ignore', 'pipe', 'ignore'], encoding: 'utf8' }).trim();
git('init', '-q');
git('add', '-A');
git(
  '-c',
  'user.name=bench',
  '-c',
  'user.email=bench@example.com',
  '-c',
  'commit.gpgsign=false',
  'commit',
  '-qm',
  'bench',
);
const gitCommit = git('rev-parse', 'HEAD');
const config = loadMeshConfig(join(root, 'mesh.config.yaml')).value;
const now = new Date('2026-11-27T00:00:00Z');

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
/** Every file under a directory (dot files included) with its mtime and inode. */
function snapshot(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else {
        const s = statSync(p);
        out.set(p, `${s.ino}:${s.mtimeMs}:${s.size}`);
      }
    }
  };
  walk(dir);
  return out;
}

async function publishAll(catalog: LocalCatalog | GlueSchemaRegistryCatalog): Promise<Record<string, number>> {
  const outcomes: Record<string, number> = {};
  for (const name of names) {
    const r = await publishProduct({ root, product: `bench/${name}`, catalog, config, now, gitCommit });
    if (r.outcome === 'blocked')
      throw new Error(`bench/${name} blocked: ${r.diagnostics.map((d) => d.message).join('; ')}`);
    outcomes[r.outcome] = (outcomes[r.outcome] ?? 0) + 1;
  }
  return outcomes;
}

// 1 + 2: local catalog.
const publishMs: number[] = [];
const floorMs: number[] = [];
const againMs: number[] = [];
let changedFiles = 0;
for (let round = 0; round < rounds; round++) {
  const dir = join(root, `.mesh/catalog-${round}`);
  const catalog = new LocalCatalog(dir);
  let t = performance.now();
  const first = await publishAll(catalog);
  publishMs.push(performance.now() - t);
  if (first.published !== count) throw new Error(`expected ${count} published, got ${JSON.stringify(first)}`);
  const before = snapshot(dir);
  t = performance.now();
  const second = await publishAll(catalog);
  againMs.push(performance.now() - t);
  if (second.unchanged !== count) throw new Error(`expected ${count} unchanged, got ${JSON.stringify(second)}`);
  const after = snapshot(dir);
  changedFiles = Math.max(
    changedFiles,
    [...after].filter(([p, sig]) => before.get(p) !== sig).length +
      [...before.keys()].filter((p) => !after.has(p)).length,
  );
  // Floor: the same records written with plain fs.writeFileSync into a fresh directory.
  const records = [...before.keys()].map((p) => readFileSync(p, 'utf8'));
  const floorDir = join(root, `.floor-${round}`);
  mkdirSync(floorDir);
  t = performance.now();
  records.forEach((text, i) => writeFileSync(join(floorDir, `${i}.json`), text));
  floorMs.push(performance.now() - t);
  rmSync(floorDir, { recursive: true });
}
const ms = median(publishMs);
console.log(`local catalog, ${count} contracts (median of ${rounds}):`);
console.log(`  first publish      ${ms.toFixed(0)} ms (goal ≤ 2000 ms) ${ms <= 2000 ? 'OK' : 'OVER GOAL'}`);
console.log(
  `  floor (fs.writeFileSync of the same ${count} records) ${median(floorMs).toFixed(1)} ms → ratio ${(ms / median(floorMs)).toFixed(1)}×`,
);
console.log(
  `  identical re-publish ${median(againMs).toFixed(0)} ms, files created or modified: ${changedFiles} (goal 0) ${changedFiles === 0 ? 'OK' : 'OVER GOAL'}`,
);

// 3: Glue emulator.
const em = await startGlueEmulator();
const common = {
  region: 'us-east-1',
  endpoint: em.url,
  credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
  maxAttempts: 3,
  requestHandler: new NodeHttpHandler(),
};
const glue = new GlueSchemaRegistryCatalog({
  root,
  config,
  clients: { glue: new GlueClient(common), lakeFormation: new LakeFormationClient(common) },
  pollIntervalMs: 1,
});
const per = (label: string, n: number, goal: string) => {
  const writes = em.writes;
  console.log(
    `  ${label.padEnd(40)} ${(writes / n).toFixed(2)} writes, ${(em.reads / n).toFixed(1)} reads per contract (${writes} writes, ${em.reads} reads for ${n}) goal ${goal}`,
  );
  em.resetCounts();
  return writes / n;
};
console.log(`Glue emulator, ${count} contracts (API calls; CreateRegistry is once per organisation):`);
let t = performance.now();
await publishAll(glue);
const createRegistry = em.calls.get('CreateRegistry') ?? 0;
em.calls.set('CreateRegistry', 0);
const changedNew = per('changed (new schema, first version)', count, '≤ 3');
console.log(`    (+ ${createRegistry} CreateRegistry; ${(performance.now() - t).toFixed(0)} ms)`);
const second = await publishAll(glue);
const unchanged = per('unchanged (identical re-publish)', count, '0');
if (second.unchanged !== count) throw new Error(`expected ${count} unchanged, got ${JSON.stringify(second)}`);
const bumped = names.filter((_, i) => i % 4 === 0);
for (const name of bumped)
  writeFileSync(
    join(root, 'domains/bench/products', name, 'contract.odcs.yaml'),
    contract(name, '1.0.1').replace('Generated product', 'Regenerated product'),
  );
const third = await publishAll(glue);
if (third.published !== bumped.length)
  throw new Error(`expected ${bumped.length} published, got ${JSON.stringify(third)}`);
const writesNewVersion = em.writes / bumped.length;
console.log(
  `  ${`changed (new version) ${bumped.length} + unchanged ${count - bumped.length}`.padEnd(40)} ${writesNewVersion.toFixed(2)} writes per changed contract (${em.writes} writes, ${em.reads} reads in all)`,
);
em.resetCounts();
console.log(
  `  verdict: ≤3 writes per changed ${Math.max(changedNew, writesNewVersion) <= 3 ? 'OK' : 'OVER GOAL'}, 0 per unchanged ${unchanged === 0 ? 'OK' : 'OVER GOAL'}`,
);
await em.close();

// 4: `mesh publish --all --catalog glue` end to end (the built CLI, a new process) of the same
// products, all new (--allow-dirty: part 3 left edited contracts uncommitted), against an emulator
// answering every call after 50 ms (issue 19: ≤ 15 s for
// 200). Baseline, same run: the calls it made × 50 ms, i.e. the same calls one at a time.
const slow = await startGlueEmulator({ latencyMs: 50 });
const cli = join(fileURLToPath(new URL('../../packages/cli/bin/mesh.js', import.meta.url)));
const env = {
  ...process.env,
  MESH_GLUE_ENDPOINT: slow.url,
  MESH_GLUE_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
};
t = performance.now();
const run = await new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
  const child = spawn(
    process.execPath,
    [cli, 'publish', '--all', '--catalog', 'glue', '--allow-dirty', '--format', 'json'],
    { cwd: root, env },
  );
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => {
    out += d;
  });
  child.stderr.on('data', (d: Buffer) => {
    err += d;
  });
  child.on('close', (code) => resolve({ code, out, err }));
});
const cliMs = performance.now() - t;
if (run.code !== 0) throw new Error(`mesh publish --all --catalog glue exited ${run.code}: ${run.err.slice(-2000)}`);
const outcomes = (JSON.parse(run.out) as { results: Array<{ outcome: string }> }).results.map((r) => r.outcome);
if (outcomes.filter((o) => o === 'published').length !== count)
  throw new Error(`expected ${count} published: ${JSON.stringify(outcomes.slice(0, 5))}`);
const calls = [...slow.calls.values()].reduce((a, b) => a + b, 0);
const sequential = calls * 50;
console.log(`mesh publish --all --catalog glue, ${count} new products, 50 ms per call (built CLI, new process):`);
console.log(
  `  ${(cliMs / 1000).toFixed(1)} s end to end (goal ≤ 15 s for 200) ${cliMs <= 15_000 * (count / 200) ? 'OK' : 'OVER GOAL'}; ${calls} calls, at most ${slow.peakInFlight} at once`,
);
console.log(
  `  ratio: ${(cliMs / sequential).toFixed(2)}× the same calls made one at a time (${(sequential / 1000).toFixed(1)} s)`,
);
await slow.close();
rmSync(root, { recursive: true, force: true });
