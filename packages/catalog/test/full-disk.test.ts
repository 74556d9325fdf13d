// No silent loss: a record the disk does not keep whole is never reported as published.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, openSync, readdirSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { copyExampleMesh } from '@meshkit/testing';
import { isMeshError, writeAllSync, type WriteFn } from '@meshkit/contracts';
import { LocalCatalog, publishProduct } from '../src/index.js';
import { editOrders } from './helpers.js';

const NOW = new Date('2026-01-02T03:04:05Z');

/** A write that stops after `budget` bytes, like a disk that fills up: short writes, then nothing. */
function fillingDisk(budget: number): WriteFn {
  let left = budget;
  return (fd, buffer, offset, length) => {
    const n = Math.min(length, left, 4096);
    left -= n;
    return n > 0 ? writeSync(fd, buffer, offset, n) : 0;
  };
}

async function fails(p: Promise<unknown>) {
  try {
    await p;
  } catch (e) {
    if (isMeshError(e)) return e;
    throw e;
  }
  return assert.fail('expected a MeshError');
}

describe('publishing onto a full disk', () => {
  it('writeAllSync continues short writes and reports a write that makes no progress as ENOSPC', () => {
    const dir = mkdtempSync(join(tmpdir(), 'meshkit-write-'));
    const fd = (name: string) => openSync(join(dir, name), 'w');
    const data = 'x'.repeat(10_000);
    let calls = 0;
    const halves: WriteFn = (f, b, o, l) => {
      calls++;
      return writeSync(f, b, o, Math.ceil(l / 2));
    };
    assert.equal(writeAllSync(fd('a'), data, halves), 10_000);
    assert.ok(calls > 1, 'several short writes');
    assert.throws(
      () => writeAllSync(fd('b'), data, fillingDisk(4096)),
      (e: NodeJS.ErrnoException) => e.code === 'ENOSPC' && /wrote 4096 of 10000 bytes/.test(e.message),
    );
  });

  it('an injected short write (disk full after 4096 bytes): exit 2, "nothing was published", the catalog stays readable', async () => {
    const root = copyExampleMesh({ prefix: 'meshkit-catalog-' });
    const dir = join(root, '.mesh/catalog');
    assert.equal(
      (await publishProduct({ root, product: 'sales/orders', catalog: new LocalCatalog(dir, root), now: NOW })).outcome,
      'published',
    );
    editOrders(root, { version: '1.2.0', purpose: 'Every order, now with more words.' });
    const full = new LocalCatalog(dir, root, fillingDisk(4096));
    const e = await fails(publishProduct({ root, product: 'sales/orders', catalog: full, now: NOW }));
    assert.equal(e.exitCode, 2);
    assert.match(e.message, /nothing was published/);
    assert.match(e.message, /ENOSPC/);
    const catalog = new LocalCatalog(dir, root);
    assert.equal(await catalog.get('sales', 'orders', '1.2.0'), undefined, 'no truncated record');
    assert.deepEqual(
      (await catalog.list()).map((p) => p.versions),
      [['1.1.0']],
      'every later catalog command still reads it',
    );
    assert.deepEqual(readdirSync(join(dir, 'sales/orders/v1')), ['1.1.0.json'], 'no temp file left');
    // With room again, the same publish succeeds.
    assert.equal((await publishProduct({ root, product: 'sales/orders', catalog, now: NOW })).outcome, 'published');
  });

  it('a real full file system (a 64 KiB tmpfs, when it can be mounted): exit 2 and the catalog stays readable', async (t) => {
    const mnt = mkdtempSync(join(tmpdir(), 'meshkit-tmpfs-'));
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', mnt], { stdio: 'ignore' });
    } catch {
      if (process.env.CI === 'true' && process.getuid?.() === 0) assert.fail('cannot mount a tmpfs as root in CI');
      t.skip('cannot mount a tmpfs here (needs root): the injected short write above covers it');
      return;
    }
    try {
      const root = copyExampleMesh({ prefix: 'meshkit-catalog-' });
      const dir = join(mnt, 'catalog');
      mkdirSync(dir);
      const catalog = new LocalCatalog(dir, root);
      assert.equal((await publishProduct({ root, product: 'sales/orders', catalog, now: NOW })).outcome, 'published');
      // Fill the file system, leaving a little under one record's size.
      let i = 0;
      try {
        for (;;) writeFileSync(join(mnt, `fill-${i++}`), Buffer.alloc(4096));
      } catch {
        /* full */
      }
      editOrders(root, { version: '1.2.0' });
      const e = await fails(publishProduct({ root, product: 'sales/orders', catalog, now: NOW }));
      assert.equal(e.exitCode, 2);
      assert.match(e.message, /nothing was published/);
      assert.equal(await catalog.get('sales', 'orders', '1.2.0'), undefined);
      assert.deepEqual(
        (await catalog.list()).map((p) => p.versions),
        [['1.1.0']],
      );
    } finally {
      execFileSync('umount', [mnt]);
    }
  });
});
