import type { Diagnostic } from '../diagnostic.js';
import type { FormatOptions } from './options.js';

// Characters XML 1.0 does not allow at all (they are dropped).
const INVALID_XML =
  // eslint-disable-next-line no-control-regex -- the control characters are what is matched
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Escapes text for XML element content and attribute values (line breaks kept in attributes). */
export function escapeXml(s: string): string {
  return s
    .replace(INVALID_XML, '')
    .replace(/[&<>"'\n\r\t]/g, (c) =>
      c === '&'
        ? '&amp;'
        : c === '<'
          ? '&lt;'
          : c === '>'
            ? '&gt;'
            : c === '"'
              ? '&quot;'
              : c === "'"
                ? '&apos;'
                : `&#${c.charCodeAt(0)};`,
    );
}

/** Escapes element content (line breaks left as they are). */
function escapeContent(s: string): string {
  return s.replace(INVALID_XML, '').replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'));
}

/**
 * JUnit XML: one `<testsuite>` per file (in order of first appearance), one `<testcase>` per
 * rule and location, with a `<failure>` when any diagnostic there is an error or a warning
 * (several diagnostics of the same rule at the same place share the test case). Info-only test
 * cases pass and carry their messages in `<system-out>`.
 */
export function formatJunit(diagnostics: readonly Diagnostic[], options: FormatOptions = {}): string {
  const suites = new Map<string, Map<string, Diagnostic[]>>();
  for (const d of diagnostics) {
    const { file, line, column } = d.location;
    let cases = suites.get(file);
    if (!cases) suites.set(file, (cases = new Map()));
    const key = `${d.rule}\u0000${line}\u0000${column}`;
    const list = cases.get(key);
    if (list) list.push(d);
    else cases.set(key, [d]);
  }
  const out: string[] = [];
  let tests = 0;
  let failures = 0;
  for (const [file, cases] of suites) {
    const body: string[] = [];
    let suiteFailures = 0;
    for (const list of cases.values()) {
      const first = list[0]!;
      const { line, column } = first.location;
      const failing = list.filter((d) => d.severity !== 'info');
      body.push(
        `    <testcase classname="${escapeXml(file)}" name="${escapeXml(`${first.rule} ${file}:${line}:${column}`)}" file="${escapeXml(file)}" line="${line}">`,
      );
      if (failing.length) {
        suiteFailures++;
        const type = failing.some((d) => d.severity === 'error') ? 'error' : 'warning';
        const message = failing.map((d) => d.message).join('; ');
        const detail = failing
          .map(
            (d) =>
              `${file}:${line}:${column} ${d.severity} ${d.rule} ${d.message}${d.rationale ? `\n${d.rationale}` : ''}`,
          )
          .join('\n');
        body.push(`      <failure type="${type}" message="${escapeXml(message)}">${escapeContent(detail)}</failure>`);
      } else {
        body.push(
          `      <system-out>${escapeContent(list.map((d) => `${d.severity} ${d.rule} ${d.message}`).join('\n'))}</system-out>`,
        );
      }
      body.push('    </testcase>');
    }
    tests += cases.size;
    failures += suiteFailures;
    out.push(
      `  <testsuite name="${escapeXml(file)}" tests="${cases.size}" failures="${suiteFailures}" errors="0">`,
      ...body,
      '  </testsuite>',
    );
  }
  const name = escapeXml(options.toolName ?? 'mesh');
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${name}" tests="${tests}" failures="${failures}" errors="0">`,
    ...out,
    '</testsuites>',
    '',
  ].join('\n');
}
