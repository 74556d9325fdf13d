#!/usr/bin/env node
// Reads ESLint's JSON report (`eslint --format json`) on stdin and prints the problems counted per
// rule and per package (fixable ones apart), worst first. Used by scripts/lint-fix-all.sh.
//   npx eslint packages --format json | node scripts/lint-summary.mjs
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
let input = '';
for await (const chunk of process.stdin) input += chunk;
const results = JSON.parse(input || '[]');
const packageOf = (file) => {
  const parts = relative(root, file).split('/');
  return parts[0] === 'packages' || parts[0] === 'bench' ? parts.slice(0, 2).join('/') : parts[0];
};
const rules = new Map();
let total = 0,
  fixable = 0;
for (const r of results) {
  for (const m of r.messages) {
    const rule = m.ruleId ?? (m.fatal ? 'parse error' : 'other');
    const e = rules.get(rule) ?? { total: 0, fixable: 0, packages: new Map() };
    e.total++;
    total++;
    if (m.fix) {
      e.fixable++;
      fixable++;
    }
    const p = packageOf(r.filePath);
    e.packages.set(p, (e.packages.get(p) ?? 0) + 1);
    rules.set(rule, e);
  }
}
for (const [rule, e] of [...rules].sort((a, b) => b[1].total - a[1].total)) {
  const where = [...e.packages]
    .sort((a, b) => b[1] - a[1])
    .map(([p, n]) => `${p} ${n}`)
    .join(', ');
  console.log(`${String(e.total).padStart(5)}  ${rule}${e.fixable ? ` (${e.fixable} auto-fixable)` : ''}: ${where}`);
}
console.log(
  `${total} problem(s), ${fixable} auto-fixable, in ${results.filter((r) => r.messages.length).length} file(s)`,
);
