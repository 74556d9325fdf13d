// The CDK construct-library convention: @meshkit/core takes aws-cdk-lib and constructs as peer
// dependencies (so an app has exactly one aws-cdk-lib), tests against the minimum version its
// range allows (the development dependency pins it), and everything that depends on
// @meshkit/core — the workspaces of this repository and the templates `mesh new` renders — declares
// both itself, inside the supported range.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import semver from 'semver';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const CORE = fileURLToPath(new URL('../', import.meta.url));
const PEERS = ['aws-cdk-lib', 'constructs'] as const;

interface Manifest {
  name: string;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}
const readJson = (file: string): Manifest => JSON.parse(readFileSync(file, 'utf8')) as Manifest;
const core = readJson(join(CORE, 'package.json'));
const peer = (name: string): string => {
  const range = core.peerDependencies?.[name];
  assert.ok(range && semver.validRange(range), `@meshkit/core declares a peer range for ${name}`);
  return range;
};

test('@meshkit/core: aws-cdk-lib and constructs are peer dependencies, never dependencies', () => {
  for (const name of PEERS) {
    peer(name);
    assert.equal(core.dependencies?.[name], undefined, `${name} must not be a dependency of @meshkit/core`);
  }
});

test('@meshkit/core is built and tested against the minimum version of each peer range', () => {
  const require = createRequire(join(CORE, 'package.json'));
  for (const name of PEERS) {
    const min = semver.minVersion(peer(name))?.version;
    assert.equal(
      core.devDependencies?.[name],
      min,
      `devDependencies pins ${name} to ${min}, the minimum of ${peer(name)}`,
    );
    const installed = (require(`${name}/package.json`) as { version: string }).version;
    assert.equal(installed, min, `the ${name} installed for @meshkit/core is the minimum (run npm install)`);
  }
});

test('the constructs range is one the supported aws-cdk-lib accepts', () => {
  const require = createRequire(join(CORE, 'package.json'));
  const cdk = require('aws-cdk-lib/package.json') as Manifest;
  const cdkConstructs = cdk.peerDependencies?.constructs;
  assert.ok(cdkConstructs, 'aws-cdk-lib declares its constructs peer range');
  assert.ok(semver.subset(peer('constructs'), cdkConstructs), `${peer('constructs')} ⊆ aws-cdk-lib's ${cdkConstructs}`);
});

/** Workspace package.json files (expanding the root's `workspaces` globs, `*` per segment). */
function workspaceManifests(): string[] {
  const globs = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { workspaces: string[] }).workspaces;
  const out: string[] = [];
  const expand = (base: string, parts: string[]): void => {
    if (!parts.length) {
      if (existsSync(join(base, 'package.json'))) out.push(join(base, 'package.json'));
      return;
    }
    const [head, ...tail] = parts as [string, ...string[]];
    if (head !== '*') return expand(join(base, head), tail);
    if (!existsSync(base)) return;
    for (const name of readdirSync(base)) if (statSync(join(base, name)).isDirectory()) expand(join(base, name), tail);
  };
  for (const glob of globs) expand(ROOT, glob.split('/'));
  return out;
}

test('every workspace that depends on @meshkit/core declares aws-cdk-lib and constructs inside the peer ranges', () => {
  const dependents = workspaceManifests()
    .map((file) => ({ file, pkg: readJson(file) }))
    .filter(({ pkg }) => pkg.name !== core.name)
    .filter(({ pkg }) =>
      [pkg.dependencies, pkg.devDependencies, pkg.peerDependencies].some((d) => d?.['@meshkit/core']),
    );
  assert.ok(
    dependents.length >= 5,
    `the CLI, the platform, the foundations and the products depend on @meshkit/core (found ${dependents.length})`,
  );
  for (const { file, pkg } of dependents) {
    for (const name of PEERS) {
      const declared = [pkg.dependencies, pkg.devDependencies, pkg.peerDependencies]
        .map((d) => d?.[name])
        .filter((r): r is string => r !== undefined);
      assert.ok(declared.length, `${relative(ROOT, file)} declares ${name}`);
      for (const range of declared)
        assert.ok(semver.subset(range, peer(name)), `${relative(ROOT, file)}: ${name} ${range} ⊆ ${peer(name)}`);
    }
  }
});

test('the templates that render a package depending on @meshkit/core pin aws-cdk-lib and constructs inside the peer ranges', () => {
  const templates = join(ROOT, 'packages/domain-template/templates');
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name === 'package.json.hbs') files.push(p);
    }
  };
  walk(templates);
  const dependents = files.filter((f) => readFileSync(f, 'utf8').includes('"@meshkit/core"'));
  assert.ok(dependents.length >= 3, 'platform, foundation and product templates');
  for (const file of dependents) {
    const text = readFileSync(file, 'utf8');
    for (const name of PEERS) {
      const ranges = [...text.matchAll(new RegExp(`"${name}": "([^"]+)"`, 'g'))].map((m) => m[1]!);
      assert.ok(ranges.length, `${relative(ROOT, file)} declares ${name}`);
      for (const range of ranges)
        assert.ok(semver.subset(range, peer(name)), `${relative(ROOT, file)}: ${name} ${range} ⊆ ${peer(name)}`);
    }
  }
});
