import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bufferIo } from '../src/io.js';
import { progress } from '../src/progress.js';

describe('progress', () => {
  it('is quiet when stdout is not a terminal, and with --format json', () => {
    const pipe = bufferIo('/');
    const bar = progress(pipe, 'publishing');
    bar.update(1, 2, 'a/b');
    bar.print('a/b 1.0.0: published\n');
    bar.done();
    assert.equal(pipe.err, '');
    assert.equal(pipe.out, 'a/b 1.0.0: published\n');
    const tty = { ...bufferIo('/'), isTTY: true };
    const json = progress(tty, 'publishing', { format: 'json' });
    json.update(2, 2);
    json.done();
    assert.equal(tty.err, '');
  });

  it('on a terminal: a line rewritten in place on stderr, cleared before output and at the end', () => {
    const io = bufferIo('/');
    const tty = Object.assign(io, { isTTY: true });
    const bar = progress(tty, 'publishing');
    bar.update(1, 4, 'd/p1');
    assert.equal(io.err, '\r\x1b[Kpublishing 1/4 (25%) d/p1');
    bar.update(2, 4, 'd/p2'); // within 100 ms: not redrawn
    assert.equal(io.err, '\r\x1b[Kpublishing 1/4 (25%) d/p1');
    bar.print('d/p1 1.0.0: published\n');
    assert.equal(io.out, 'd/p1 1.0.0: published\n');
    assert.ok(io.err.endsWith('\r\x1b[K\r\x1b[Kpublishing 2/4 (50%) d/p2'), JSON.stringify(io.err));
    bar.update(4, 4); // the last count is always drawn
    assert.ok(io.err.endsWith('publishing 4/4 (100%)'));
    bar.done();
    assert.ok(io.err.endsWith('\r\x1b[K'));
  });
});
