/**
 * Publish benchmark (issue 6):
 * 1. 200 generated contracts (distinct products) published to a fresh local catalog
 *    (`publishProduct` + `LocalCatalog`), against the floor: a plain `fs.writeFileSync` of the same
 *    200 records into a fresh directory, in the same run. Medians of `rounds`; goal ≤ 2 s.
 * 2. A second, identical publish into the same catalog: files created or modified (goal 0).
 * 3. Against the Glue emulator (real SDK clients over HTTP): API calls per changed contract
 *    (first publish: new schemas; then a patch version of every 4th product) and per unchanged
 *    contract (identical re-publish). Goal ≤ 3 writes per changed, 0 per unchanged.
 *
 *   npm run bench:publish              # 200 products, 3 rounds
 *   npm run bench:publish -- 50 5      # products, rounds
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GlueClient } from '@aws-sdk/client-glue';
import { LakeFormationClient } from '@aws-sdk/client-lakeformation';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { LocalCatalog, publishProduct } from '@meshkit/catalog';
import { GlueSchemaRegistryCatalog } from '@meshkit/catalog/aws';
import { startGlueEmulator } from '@meshkit/catalog/emulator';
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
  writeFileSync(join(dir, 'product.yaml'), `domain: bench\nname: ${name}\nowner: team-bench\ningestion:\n  mode: batch\n`);
  writeFileSync(join(dir, 'contract.odcs.yaml'), contract(name, '1.0.0'));
}
writeFileSync(join(root, 'domains/bench/domain.yaml'), 'name: bench\nowner: team-bench\ncostCenter: cc-1\n');
const git = (...a: string[]) => execFileSync('git', a, { cwd: root, stdio: ['ignore', 'pipe', 'ignore'], encoding: 'utf8' }).trim();
git('init', '-q');
git('add', '-A');
git('-c', 'user.name=bench', '-c', 'user.email=bench@example.com', '-c', 'commit.gpgsign=false', 'commit', '-qm', 'bench');
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
      else { const s = statSync(p); out.set(p, `${s.ino}:${s.mtimeMs}:${s.size}`); }
    }
  };
  walk(dir);
  return out;
}

async function publishAll(catalog: LocalCatalog | GlueSchemaRegistryCatalog): Promise<Record<string, number>> {
  const outcomes: Record<string, number> = {};
  for (const name of names) {
    const r = await publishProduct({ root, product: `bench/${name}`, catalog, config, now, gitCommit });
    if (r.outcome === 'blocked') throw new Error(`bench/${name} blocked: ${r.diagnostics.map((d) => d.message).join('; ')}`);
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
  changedFiles = Math.max(changedFiles, [...after].filter(([p, sig]) => before.get(p) !== sig).length + [...before.keys()].filter((p) => !after.has(p)).length);
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
console.log(`  floor (fs.writeFileSync of the same ${count} records) ${median(floorMs).toFixed(1)} ms → ratio ${(ms / median(floorMs)).toFixed(1)}×`);
console.log(`  identical re-publish ${median(againMs).toFixed(0)} ms, files created or modified: ${changedFiles} (goal 0) ${changedFiles === 0 ? 'OK' : 'OVER GOAL'}`);

// 3: Glue emulator.
const em = await startGlueEmulator();
const common = { region: 'us-east-1', endpoint: em.url, credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' }, maxAttempts: 3, requestHandler: new NodeHttpHandler() };
const glue = new GlueSchemaRegistryCatalog({ root, config, clients: { glue: new GlueClient(common), lakeFormation: new LakeFormationClient(common) }, pollIntervalMs: 1 });
const per = (label: string, n: number, goal: string) => {
  const writes = em.writes;
  console.log(`  ${label.padEnd(40)} ${(writes / n).toFixed(2)} writes, ${(em.reads / n).toFixed(1)} reads per contract (${writes} writes, ${em.reads} reads for ${n}) goal ${goal}`);
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
t = performance.now();
const second = await publishAll(glue);
const unchanged = per('unchanged (identical re-publish)', count, '0');
if (second.unchanged !== count) throw new Error(`expected ${count} unchanged, got ${JSON.stringify(second)}`);
const bumped = names.filter((_, i) => i % 4 === 0);
for (const name of bumped) writeFileSync(join(root, 'domains/bench/products', name, 'contract.odcs.yaml'), contract(name, '1.0.1').replace('Generated product', 'Regenerated product'));
const third = await publishAll(glue);
if (third.published !== bumped.length) throw new Error(`expected ${bumped.length} published, got ${JSON.stringify(third)}`);
const writesNewVersion = em.writes / bumped.length;
console.log(`  ${`changed (new version) ${bumped.length} + unchanged ${count - bumped.length}`.padEnd(40)} ${writesNewVersion.toFixed(2)} writes per changed contract (${em.writes} writes, ${em.reads} reads in all)`);
em.resetCounts();
console.log(`  verdict: ≤3 writes per changed ${Math.max(changedNew, writesNewVersion) <= 3 ? 'OK' : 'OVER GOAL'}, 0 per unchanged ${unchanged === 0 ? 'OK' : 'OVER GOAL'}`);
await em.close();
rmSync(root, { recursive: true, force: true });
