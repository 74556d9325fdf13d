// Releases that do not break the next product: rendered package.json files take the installed
// @meshkit/* versions, and `mesh check` tells a release's version bump from a hand edit.
import { strict as assert } from 'node:assert';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import {
  checkMesh,
  installedMeshkitVersions,
  onlyVersionsDiffer,
  provenanceOf,
  renderPlatform,
  renderTemplate,
  writeProvenance,
  type TemplateAnswers,
} from '../src/index.js';
import { makeFixture, type Fixture } from './upgrade-fixture.js';

const own = (dir: string) =>
  (
    JSON.parse(readFileSync(fileURLToPath(new URL(`../../${dir}/package.json`, import.meta.url)), 'utf8')) as {
      version: string;
    }
  ).version;

describe('templates take the installed @meshkit/* versions at render time', () => {
  it('installedMeshkitVersions reads the packages the repository has', () => {
    assert.deepEqual(installedMeshkitVersions(), {
      cli: own('cli'),
      contracts: own('contracts'),
      core: own('mesh-core'),
      runtime: own('runtime'),
    });
  });

  it('a product, a domain foundation and the platform depend on the given versions (a release after 0.1.0)', () => {
    const meshkitVersions = { cli: '0.3.0', contracts: '0.2.1', core: '0.4.0', runtime: '0.2.0' };
    const product = renderTemplate(
      {
        kind: 'product',
        domain: 'sales',
        product: 'refunds',
        ingestion: 'stream',
        owner: 'team-sales',
        scope: '@example',
      },
      { meshkitVersions },
    );
    const pkg = JSON.parse(product.find((f) => f.path === 'package.json')!.content) as {
      devDependencies: Record<string, string>;
      peerDependencies: Record<string, string>;
    };
    assert.deepEqual(
      ['cli', 'contracts', 'core', 'runtime'].map((n) => pkg.devDependencies[`@meshkit/${n}`]),
      ['0.3.0', '0.2.1', '0.4.0', '0.2.0'],
    );
    assert.equal(pkg.peerDependencies['@meshkit/runtime'], '0.2.0');
    const domain = renderTemplate(
      { kind: 'domain', domain: 'sales', owner: 'team-sales', scope: '@example' },
      { meshkitVersions },
    );
    assert.equal(
      (
        JSON.parse(domain.find((f) => f.path === 'foundation/package.json')!.content) as {
          dependencies: Record<string, string>;
        }
      ).dependencies['@meshkit/core'],
      '0.4.0',
    );
    const platform = renderPlatform({ scope: '@example', organisation: 'Example' }, { meshkitVersions });
    assert.equal(
      (JSON.parse(platform.find((f) => f.path === 'package.json')!.content) as { dependencies: Record<string, string> })
        .dependencies['@meshkit/cli'],
      '0.3.0',
    );
  });
});

describe('mesh check after a release', () => {
  let f: Fixture;
  const DOMAIN = 'domains/sales';
  const answers: TemplateAnswers = { kind: 'domain', domain: 'sales', owner: 'team-sales', scope: '@example' };
  const foundation = () => join(f.root, DOMAIN, 'foundation/package.json');
  before(() => {
    f = makeFixture();
    const rendered = renderTemplate(answers, { templateDir: f.v1, version: '1.0.0' });
    for (const r of rendered) {
      mkdirSync(dirname(join(f.root, DOMAIN, r.path)), { recursive: true });
      writeFileSync(join(f.root, DOMAIN, r.path), r.content);
    }
    writeProvenance(join(f.root, DOMAIN), provenanceOf(rendered, answers, '1.0.0'));
  });
  after(() => f.cleanup());

  it("a release's version bump of a managed package.json (its version, @meshkit/* ranges) is not drift", () => {
    const pkg = JSON.parse(readFileSync(foundation(), 'utf8')) as {
      version: string;
      dependencies: Record<string, string>;
    };
    pkg.version = '0.1.1';
    pkg.dependencies['@meshkit/core'] = '0.2.0';
    writeFileSync(foundation(), JSON.stringify(pkg, null, 2) + '\n');
    const r = checkMesh(f.root, { templates: f.templates });
    assert.equal(r.ok, true, JSON.stringify(r.units));
    assert.deepEqual(r.units.find((u) => u.id === 'sales')!.drift, [
      { path: `${DOMAIN}/foundation/package.json`, class: 'managed', state: 'released' },
    ]);
  });

  it('a hand edit of the same file still is', () => {
    const pkg = JSON.parse(readFileSync(foundation(), 'utf8')) as { scripts: Record<string, string> };
    pkg.scripts.deploy = 'cdk deploy';
    writeFileSync(foundation(), JSON.stringify(pkg, null, 2) + '\n');
    const r = checkMesh(f.root, { templates: f.templates });
    assert.equal(r.ok, false);
    assert.deepEqual(
      r.units.find((u) => u.id === 'sales')!.drift.map((d) => d.state),
      ['edited'],
    );
  });

  it('onlyVersionsDiffer: versions of dependencies both list, never a dependency added or removed', () => {
    const base = '{"name":"a","version":"1.0.0","dependencies":{"x":"1.0.0"}}';
    assert.equal(onlyVersionsDiffer(base, '{"name":"a","version":"1.1.0","dependencies":{"x":"2.0.0"}}'), true);
    assert.equal(
      onlyVersionsDiffer(base, '{"name":"a","version":"1.1.0","dependencies":{"x":"2.0.0","y":"1.0.0"}}'),
      false,
    );
    assert.equal(onlyVersionsDiffer(base, '{"name":"b","version":"1.0.0","dependencies":{"x":"1.0.0"}}'), false);
  });
});
