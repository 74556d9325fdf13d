// setContractVersion: the one edit `mesh version` and `mesh major` make to a contract (moved here
// from @meshkit/cli's release tests with the function).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isMeshError, setContractVersion } from '../src/index.js';

test('setContractVersion replaces only the value and keeps its quoting and trailing comment', () => {
  const text = '# head\napiVersion: v3.1.0\nversion: "1.0.0" # keep me\nschema:\n  - name: x\n    version: 9.9.9\n';
  assert.equal(setContractVersion(text, '2.0.0', 'c.yaml'), text.replace('"1.0.0"', '"2.0.0"'));
  assert.equal(setContractVersion("version: '0.1.0'\n", '0.2.0', 'c.yaml'), "version: '0.2.0'\n");
  assert.equal(setContractVersion('id: a\nversion: 1.0.0\n', '1.0.1', 'c.yaml'), 'id: a\nversion: 1.0.1\n');
  assert.throws(
    () => setContractVersion('id: a\n', '1.0.0', 'c.yaml'),
    (e) => isMeshError(e) && e.code === 'INVALID_CONTRACT' && e.file === 'c.yaml',
  );
  assert.throws(
    () => setContractVersion('version: [1\n', '1.0.0', 'c.yaml'),
    (e) => isMeshError(e) && e.code === 'YAML_SYNTAX' && e.line !== undefined,
  );
});
