import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { PAUSE_AT_LINK_ENV, PAUSED_AT_LINK } from '@meshkit/testing';
import { LocalCatalog } from '../src/index.js';

const WORKER = fileURLToPath(new URL('./fixtures/publish-worker.ts', import.meta.url));
const PKG = fileURLToPath(new URL('..', import.meta.url));
/** Preload that blocks the worker just before link(2) of its temp file (see @meshkit/testing). */
const PAUSE_AT_LINK = import.meta.resolve('@meshkit/testing/pause-at-link');

function worker(dir: string, index: number, count: number, env: NodeJS.ProcessEnv = {}, preload: string[] = []) {
  const child = spawn(
    process.execPath,
    ['--conditions=development', '--import', 'tsx', ...preload, WORKER, dir, String(index), String(count)],
    { cwd: PKG, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => {
    stdout += String(d);
  });
  child.stderr.on('data', (d) => {
    stderr += String(d);
  });
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>(
    (res) => child.on('close', (code, signal) => res({ code, signal, stdout, stderr })),
  );
  return { child, done, stderr: () => stderr };
}

describe('LocalCatalog under concurrent processes', () => {
  it('8 processes × 50 versions: every version present exactly once, nothing corrupted', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'meshkit-catalog-conc-'));
    const runs = await Promise.all(Array.from({ length: 8 }, (_, i) => worker(dir, i, 50).done));
    let sharedPublished = 0;
    for (const r of runs) {
      assert.equal(r.code, 0, r.stderr);
      const counts = JSON.parse(r.stdout) as { published: number; unchanged: number };
      assert.equal(counts.published + counts.unchanged, 100);
      sharedPublished += counts.published - 50; // each worker's own 50 versions are always new
    }
    assert.equal(sharedPublished, 50, 'each shared version published by exactly one process');
    const cat = new LocalCatalog(dir);
    const shared = await cat.versions('shared', 'product');
    assert.equal(shared.length, 50);
    assert.equal(new Set(shared).size, 50);
    for (let i = 0; i < 8; i++) assert.equal((await cat.versions('workers', `worker-${i}`)).length, 50);
    for (const p of await cat.list()) for (const v of p.versions) assert.ok(await cat.get(p.domain, p.product, v)); // verifies hashes
    assert.deepEqual(
      readdirSync(join(dir, 'shared/product/v1')).filter((f) => f.endsWith('.tmp')),
      [],
    );
  });

  it('a publish killed after writing its temp file leaves no partial version; the temp file is ignored, then cleaned', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'meshkit-catalog-kill-'));
    const w = worker(dir, 0, 1, { [PAUSE_AT_LINK_ENV]: '60000' }, ['--import', PAUSE_AT_LINK]);
    await new Promise<void>((res, rej) => {
      const t = setInterval(() => {
        if (w.stderr().includes(PAUSED_AT_LINK)) {
          clearInterval(t);
          res();
        }
      }, 20);
      void w.done.then((r) => {
        clearInterval(t);
        rej(new Error(`worker ended early: ${r.stderr}`));
      });
    });
    w.child.kill('SIGKILL');
    const r = await w.done;
    assert.equal(r.signal, 'SIGKILL');
    const files = readdirSync(join(dir, 'shared/product/v1'));
    assert.equal(files.length, 1);
    assert.match(files[0]!, /^\.1\.0\.0\.json\..*\.tmp$/);
    const cat = new LocalCatalog(dir);
    assert.deepEqual(await cat.versions('shared', 'product'), []);
    assert.equal(await cat.get('shared', 'product', '1.0.0'), undefined);
    assert.deepEqual(cat.removeStaleTempFiles(60_000), [], 'a fresh temp file may belong to a live publish');
    assert.equal(cat.removeStaleTempFiles(0).length, 1);
    assert.deepEqual(readdirSync(join(dir, 'shared/product/v1')), []);
  });
});
