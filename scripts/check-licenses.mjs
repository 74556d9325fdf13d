#!/usr/bin/env node
// License check: fails (exit 1) when a published @meshkit package would pull in a copyleft
// package (GPL, AGPL, SSPL — LGPL and dual licences with a permissive alternative are fine) through
// its production dependencies (dependencies, optionalDependencies, peerDependencies), resolved the
// way Node resolves them from the installed node_modules. A package without any licence field is
// reported too (exit 1): nobody can tell what it allows.
//
// Usage: node scripts/check-licenses.mjs [--json]
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const readJson = (file) => JSON.parse(readFileSync(file, 'utf8'));

/** The SPDX expression of a package.json (`license`, or the legacy `licenses` array). */
export function licenseOf(pkg) {
  if (typeof pkg.license === 'string') return pkg.license;
  if (pkg.license && typeof pkg.license.type === 'string') return pkg.license.type;
  if (Array.isArray(pkg.licenses)) return pkg.licenses.map((l) => (typeof l === 'string' ? l : l.type)).join(' OR ');
  return undefined;
}

/**
 * The licence a package without a `license` field states in its LICENSE file or in its README's
 * "License" section (several older packages do only that), as an SPDX id; undefined when none.
 */
export function licenseFromFiles(dir) {
  const names = existsSync(dir) ? readdirSync(dir) : [];
  const texts = names.filter((n) => /^licen[cs]e/i.test(n)).map((n) => readFileSync(join(dir, n), 'utf8'));
  const readme = names.find((n) => /^readme(\.md)?$/i.test(n));
  if (readme) texts.push(readFileSync(join(dir, readme), 'utf8').split(/^#+\s*licen[cs]e\s*$/im)[1] ?? '');
  for (const text of texts) {
    if (/GNU AFFERO GENERAL PUBLIC LICENSE/i.test(text)) return 'AGPL-3.0';
    if (/GNU LESSER GENERAL PUBLIC LICENSE/i.test(text)) return 'LGPL-3.0';
    if (/GNU GENERAL PUBLIC LICENSE/i.test(text)) return 'GPL-3.0';
    if (/Server Side Public License/i.test(text)) return 'SSPL-1.0';
    if (/Apache License/i.test(text)) return 'Apache-2.0';
    if (/\bMIT\b/.test(text)) return 'MIT';
    if (/\bISC\b/.test(text)) return 'ISC';
  }
  return undefined;
}

/**
 * True when an SPDX expression leaves no permissive choice: every OR-alternative contains a strong
 * copyleft term (GPL, AGPL or SSPL, any version; LGPL is not one of them).
 */
export function isCopyleft(expression) {
  const alternatives = expression.replace(/[()]/g, ' ').split(/\s+OR\s+/i);
  return alternatives.every((alt) =>
    alt
      .trim()
      .split(/\s+AND\s+/i)
      .some((term) => /^(A?GPL|SSPL)\b/i.test(term.trim())),
  );
}

function resolveFrom(dir, name) {
  for (let d = dir; ; d = dirname(d)) {
    const candidate = join(d, 'node_modules', name, 'package.json');
    if (existsSync(candidate)) return candidate;
    if (dirname(d) === d) return undefined;
  }
}

function workspaces(root) {
  const globs = readJson(join(root, 'package.json')).workspaces;
  const dirs = [];
  for (const g of globs) {
    const parts = g.split('/');
    let level = [root];
    for (const part of parts) {
      level = level.flatMap((d) =>
        part === '*' ? (existsSync(d) ? readdirSync(d).map((n) => join(d, n)) : []) : [join(d, part)],
      );
    }
    dirs.push(...level.filter((d) => existsSync(join(d, 'package.json'))));
  }
  return dirs;
}

/** Checks the production dependency trees of every public workspace package under `root`. */
export function checkLicenses(root = repoRoot) {
  const problems = [];
  const checked = new Set();
  for (const dir of workspaces(root)) {
    const pkg = readJson(join(dir, 'package.json'));
    if (pkg.private) continue;
    const queue = [[join(dir, 'package.json'), [pkg.name]]];
    while (queue.length) {
      const [file, chain] = queue.shift();
      const p = readJson(file);
      const deps = { ...p.dependencies, ...p.optionalDependencies, ...p.peerDependencies };
      for (const name of Object.keys(deps)) {
        const found = resolveFrom(dirname(file), name);
        if (!found || checked.has(found)) continue;
        checked.add(found);
        const dep = readJson(found);
        const via = [...chain, `${name}@${dep.version}`];
        const license = licenseOf(dep) ?? licenseFromFiles(dirname(found));
        if (!license) problems.push({ package: via.at(-1), license: '(none)', via: via.join(' > ') });
        else if (isCopyleft(license)) problems.push({ package: via.at(-1), license, via: via.join(' > ') });
        queue.push([found, via]);
      }
    }
  }
  return { checked: checked.size, problems };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { checked, problems } = checkLicenses();
  if (process.argv.includes('--json')) console.log(JSON.stringify({ checked, problems }, null, 2));
  else {
    for (const p of problems) console.error(`license: ${p.package} is ${p.license} (via ${p.via})`);
    console.log(
      `license check: ${checked} production dependencies of the published packages, ${problems.length} problem(s)`,
    );
  }
  process.exit(problems.length ? 1 : 0);
}
