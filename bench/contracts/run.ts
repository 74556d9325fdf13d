/**
 * Benchmark: lint + diff 200 generated contracts (≈30 properties, ≈10 quality rules each) and a
 * modified version of each, in one process, against a baseline measured in the same run: the
 * same 400 files read, parsed with `yaml` and validated by a bare ajv validator of the official
 * ODCS schema (compiled once, before timing). Prints medians (this machine is noisy).
 *
 *   npm run bench            # 200 pairs, 7 rounds
 *   npm run bench -- 400 9   # pairs, rounds
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import Ajv2019 from 'ajv/dist/2019.js';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';
import { diffContracts, lintContract, loadContract, toDiffJson, type ContractInput } from '@meshkit/contracts';
import { generatePairs } from './generate.js';

const pairsCount = Number(process.argv[2] ?? 200);
const rounds = Number(process.argv[3] ?? 7);
const dir = mkdtempSync(join(tmpdir(), 'meshkit-bench-'));
const pairs = generatePairs(pairsCount).map((p, i) => {
  const old = join(dir, `c${i}.v1.odcs.yaml`);
  const next = join(dir, `c${i}.v2.odcs.yaml`);
  writeFileSync(old, p.old);
  writeFileSync(next, p.next);
  return { old, next };
});
const files = pairs.flatMap((p) => [p.old, p.next]);
const bytes = files.reduce((n, f) => n + readFileSync(f).length, 0);

const schemaFile = fileURLToPath(
  new URL('../../packages/contracts/schemas/odcs-json-schema-v3.1.0.json', import.meta.url),
);
const compileStart = performance.now();
const ajv = new Ajv2019.default({ allErrors: true, strict: false });
addFormats.default(ajv);
const validate = ajv.compile(JSON.parse(readFileSync(schemaFile, 'utf8')));
const compileMs = performance.now() - compileStart;

function baseline(): number {
  let invalid = 0;
  for (const f of files) if (!validate(parse(readFileSync(f, 'utf8')))) invalid++;
  return invalid;
}

let lastStats = { errors: 0, warnings: 0, changes: 0, breaking: 0 };
function meshkit(): number {
  const stats = { errors: 0, warnings: 0, changes: 0, breaking: 0 };
  for (const p of pairs) {
    const old = loadContract(p.old);
    const next = loadContract(p.next);
    for (const d of [...lintContract(old), ...lintContract(next)])
      if (d.severity === 'error') stats.errors++;
      else stats.warnings++;
    if (!old.contract || !next.contract) continue;
    const result = diffContracts([old as ContractInput], next as ContractInput);
    JSON.stringify(toDiffJson(result)); // render, so every location is computed
    stats.changes += result.changes.length;
    if (!result.compatible) stats.breaking++;
  }
  lastStats = stats;
  return stats.errors;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const time = (fn: () => number) => {
  const t = performance.now();
  fn();
  return performance.now() - t;
};

baseline();
meshkit(); // warm-up: JIT, file cache
const tb: number[] = [];
const tm: number[] = [];
for (let i = 0; i < rounds; i++) {
  // Alternate so that machine noise hits both sides alike.
  tb.push(time(baseline));
  tm.push(time(meshkit));
}
rmSync(dir, { recursive: true, force: true });

const mb = median(tb);
const mm = median(tm);
console.log(
  `contracts benchmark: ${pairsCount} contract pairs (${files.length} files, ${(bytes / 1024 / 1024).toFixed(2)} MiB), ${rounds} rounds, medians`,
);
console.log(
  `  findings per round: ${lastStats.errors} lint errors, ${lastStats.warnings} warnings, ${lastStats.changes} changes, ${lastStats.breaking} incompatible pairs`,
);
console.log(
  `  baseline  read + yaml.parse + bare compiled ajv validate, ${files.length} files: ${mb.toFixed(0)} ms  (schema compile, once: ${compileMs.toFixed(0)} ms)`,
);
console.log(`  meshkit   load + validate + lint both + diff + render, ${pairsCount} pairs:     ${mm.toFixed(0)} ms`);
console.log(
  `  throughput: ${(pairsCount / (mm / 1000)).toFixed(0)} contracts/s (goal ≥ 200); baseline ${(pairsCount / (mb / 1000)).toFixed(0)} contracts/s`,
);
console.log(
  `  ratio meshkit/baseline time: ${(mm / mb).toFixed(2)} (${mm < mb ? `${(mb / mm).toFixed(2)}× faster` : `${(mm / mb).toFixed(2)}× slower`})`,
);
