// The text renderer: one line per diagnostic, babel-style code frames, summary, colour.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { codeFrame, formatDiagnostics, formatText, MeshError, type Diagnostic } from '../src/index.js';

const SOURCE = 'apiVersion: v3.1.0\nkind: DataContract\nversion: 1.0\nstatus: active\n';
const d = (
  over: Partial<Diagnostic> & { line: number; column: number; endLine?: number; endColumn?: number },
): Diagnostic => {
  const { line, column, endLine, endColumn, ...rest } = over;
  return {
    rule: 'CONTRACT-VERSION-SEMVER',
    severity: 'error',
    message: 'version "1.0" is not a semantic version',
    location: {
      file: 'c.yaml',
      line,
      column,
      ...(endLine !== undefined ? { endLine } : {}),
      ...(endColumn !== undefined ? { endColumn } : {}),
    },
    ...rest,
  };
};

describe('text format', () => {
  test('file:line:col severity RULE message, then the summary', () => {
    const out = formatText([
      d({ line: 3, column: 10 }),
      d({ line: 1, column: 1, severity: 'warning', rule: 'CONTRACT-OWNER', message: 'no owner' }),
    ]);
    assert.equal(
      out,
      'c.yaml:3:10 error CONTRACT-VERSION-SEMVER version "1.0" is not a semantic version\n' +
        'c.yaml:1:1 warning CONTRACT-OWNER no owner\n1 error, 1 warning\n',
    );
  });
  test('a code frame with the line before, the line, and carets across the span', () => {
    const out = formatText([d({ line: 3, column: 10, endLine: 3, endColumn: 13 })], {
      sources: new Map([['c.yaml', SOURCE]]),
    });
    assert.equal(
      out,
      [
        'c.yaml:3:10 error CONTRACT-VERSION-SEMVER version "1.0" is not a semantic version',
        '  2 | kind: DataContract',
        '> 3 | version: 1.0',
        '    |          ^^^',
        '',
        '1 error, 0 warnings',
        '',
      ].join('\n'),
    );
  });
  test('a node spanning lines gets one caret; line 1 has no line before', () => {
    const frame = codeFrame(SOURCE.split('\n'), { file: 'c.yaml', line: 1, column: 1, endLine: 4, endColumn: 1 });
    assert.equal(frame, '> 1 | apiVersion: v3.1.0\n    | ^');
  });
  test('the gutter widens with the line number and tabs keep carets aligned', () => {
    const lines = Array.from({ length: 10 }, (_, i) => (i === 9 ? '\tkey: bad' : `line ${i + 1}`));
    const frame = codeFrame(lines, { file: 'f', line: 10, column: 7, endLine: 10, endColumn: 10 });
    assert.equal(frame, '   9 | line 9\n> 10 | \tkey: bad\n     | \t     ^^^');
  });
  test('no frame for files without source or lines outside the file; CRLF handled', () => {
    const out = formatText([d({ line: 3, column: 10 }), d({ line: 99, column: 1 })], {
      sources: new Map([['other.yaml', SOURCE]]),
    });
    assert.ok(!out.includes('|'));
    const crlf = formatText([d({ line: 2, column: 1, endLine: 2, endColumn: 5 })], {
      sources: new Map([['c.yaml', SOURCE.replace(/\n/g, '\r\n')]]),
    });
    assert.ok(crlf.includes('> 2 | kind: DataContract\n'), crlf);
    assert.ok(!crlf.includes('\r'));
    const outside = formatText([d({ line: 99, column: 1 })], { sources: new Map([['c.yaml', SOURCE]]) });
    assert.ok(!outside.includes('|'));
  });
  test('summary pluralises and counts infos only when present', () => {
    assert.equal(formatText([]), '0 errors, 0 warnings\n');
    const out = formatText([d({ line: 1, column: 1, severity: 'info' }), d({ line: 1, column: 1, severity: 'info' })]);
    assert.match(out, /0 errors, 0 warnings, 2 infos\n$/);
  });
  test('no ANSI escapes by default; colours with color: true', () => {
    const plain = formatText([d({ line: 3, column: 10, endLine: 3, endColumn: 13 })], {
      sources: new Map([['c.yaml', SOURCE]]),
    });
    assert.ok(!plain.includes('\u001b['));
    const coloured = formatText([d({ line: 3, column: 10, endLine: 3, endColumn: 13 })], {
      sources: new Map([['c.yaml', SOURCE]]),
      color: true,
    });
    assert.ok(coloured.includes('\u001b[31merror\u001b[0m'));
    assert.ok(coloured.includes('\u001b[31m^^^\u001b[0m'));
    // eslint-disable-next-line no-control-regex -- ANSI escapes are what is stripped
    assert.equal(coloured.replace(/\u001b\[[0-9;]*m/g, ''), plain);
  });
  test('formatDiagnostics dispatches and rejects unknown formats with a usage error', () => {
    assert.equal(formatDiagnostics([], 'text'), '0 errors, 0 warnings\n');
    assert.throws(
      () => formatDiagnostics([], 'xml' as never),
      (e: unknown) =>
        e instanceof MeshError &&
        e.code === 'USAGE' &&
        e.exitCode === 2 &&
        /text, json, junit, github, sarif/.test(e.message),
    );
  });
});
