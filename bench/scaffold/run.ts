// bench/scaffold: cold `mesh new product` end to end (process start to files on disk, `--yes`)
// against bare node-plop rendering the same files (bare-plop.mjs), alternating, in the same run.
// Prints the medians and their ratio. Goal: mesh new ≤ 1.0 s median.
//   npm run bench:scaffold [-- <runs>]
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const runs = Number(process.argv[2] ?? 9);
const bin = join(root, 'packages/cli/bin/mesh.js');

if (!existsSync(join(root, 'packages/cli/dist/index.js'))) throw new Error('build first: npx turbo run build');

const mesh = mkdtempSync(join(tmpdir(), 'bench-scaffold-'));
copyFileSync(join(root, 'mesh.config.yaml'), join(mesh, 'mesh.config.yaml'));
mkdirSync(join(mesh, 'domains/sales'), { recursive: true });
writeFileSync(join(mesh, 'domains/sales/domain.yaml'), 'name: sales\nowner: team-sales\ncostCenter: cc-4100\n');

function time(args: string[]): number {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { cwd: mesh, encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`${args.join(' ')} failed: ${r.stderr}`);
  return ms;
}
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

const cli: number[] = [];
const plop: number[] = [];
for (let i = 0; i < runs; i++) {
  cli.push(time([bin, 'new', 'product', `sales/p${i}`, '--ingestion', i % 2 ? 'stream' : 'batch', '--yes']));
  plop.push(time([join(root, 'bench/scaffold/bare-plop.mjs'), mesh, 'sales', `q${i}`, i % 2 ? 'stream' : 'batch']));
}
const files = readdirSync(join(mesh, 'domains/sales/products')).length;
rmSync(mesh, { recursive: true, force: true });
const c = median(cli);
const p = median(plop);
console.log(`bench/scaffold: ${runs} runs each, ${files} products generated`);
console.log(
  `  mesh new product (cold process, validated, staged, provenance): median ${c.toFixed(0)} ms  [${cli.map((x) => x.toFixed(0)).join(', ')}]`,
);
console.log(
  `  bare node-plop (cold process, same templates):                  median ${p.toFixed(0)} ms  [${plop.map((x) => x.toFixed(0)).join(', ')}]`,
);
console.log(
  `  ratio mesh new / node-plop: ${(c / p).toFixed(2)}   goal mesh new ≤ 1000 ms: ${c <= 1000 ? 'met' : 'NOT met'}`,
);
