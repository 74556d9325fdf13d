import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkLicenses, isCopyleft } from '../check-licenses.mjs';

function writePkg(dir, pkg, files = {}) {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify(pkg));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
}

test('SPDX expressions: GPL, AGPL and SSPL are copyleft unless an OR offers a permissive licence', () => {
  assert.equal(isCopyleft('GPL-3.0-only'), true);
  assert.equal(isCopyleft('AGPL-3.0'), true);
  assert.equal(isCopyleft('SSPL-1.0'), true);
  assert.equal(isCopyleft('MIT AND GPL-2.0'), true);
  assert.equal(isCopyleft('(MIT OR GPL-3.0)'), false);
  assert.equal(isCopyleft('LGPL-2.1'), false);
  assert.equal(isCopyleft('Apache-2.0'), false);
});

test('a published package that pulls in a GPL package through a transitive dependency fails; a private one is not checked', () => {
  const root = mkdtempSync(join(tmpdir(), 'meshkit-licenses-'));
  try {
    writePkg(root, { name: 'root', private: true, workspaces: ['packages/*'] });
    writePkg(join(root, 'packages/pub'), {
      name: '@x/pub',
      version: '1.0.0',
      dependencies: { ok: '1', nolicense: '1' },
    });
    writePkg(join(root, 'packages/priv'), { name: '@x/priv', private: true, dependencies: { bad2: '1' } });
    writePkg(join(root, 'node_modules/ok'), {
      name: 'ok',
      version: '1.0.0',
      license: 'MIT',
      dependencies: { bad: '1' },
    });
    writePkg(join(root, 'node_modules/bad'), { name: 'bad', version: '2.0.0', license: 'GPL-3.0-or-later' });
    writePkg(join(root, 'node_modules/bad2'), { name: 'bad2', version: '1.0.0', license: 'AGPL-3.0' });
    writePkg(
      join(root, 'node_modules/nolicense'),
      { name: 'nolicense', version: '1.0.0' },
      { README: '# x\n## License\nMIT\n' },
    );
    const { problems } = checkLicenses(root);
    assert.deepEqual(problems, [
      { package: 'bad@2.0.0', license: 'GPL-3.0-or-later', via: '@x/pub > ok@1.0.0 > bad@2.0.0' },
    ]);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('the repository itself: no published package depends on a copyleft or unlicensed package', () => {
  const { checked, problems } = checkLicenses();
  assert.ok(checked > 100, `checked ${checked}`);
  assert.deepEqual(problems, []);
});
