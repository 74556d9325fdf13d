import type { Location } from '../../load/source.js';

/** Colours of a code frame (identity functions when colour is off). */
export interface FrameStyle {
  gutter: (s: string) => string;
  marker: (s: string) => string;
}

const PLAIN: FrameStyle = { gutter: (s) => s, marker: (s) => s };

/**
 * A code frame in the style of babel's: the line before, the line of `location` marked with
 * `>`, and a caret line under the span (carets from `column` up to `endColumn` when the node
 * ends on the same line, else one caret). Tabs before the column are kept so carets line up.
 *
 * @param lines the file's lines (without line breaks)
 * @returns the frame, or `''` when the line is outside the file
 */
export function codeFrame(lines: readonly string[], location: Location, style: FrameStyle = PLAIN): string {
  const line = location.line;
  const text = lines[line - 1];
  if (text === undefined) return '';
  const first = Math.max(1, line - 1);
  const width = String(line).length;
  const out: string[] = [];
  for (let n = first; n <= line; n++) {
    const src = lines[n - 1] ?? '';
    const mark = n === line ? '>' : ' ';
    out.push(style.gutter(`${mark} ${String(n).padStart(width)} |`) + (src ? ` ${src}` : ''));
  }
  const col = Math.min(Math.max(1, location.column), text.length + 1);
  const sameLine = location.endLine === line && location.endColumn !== undefined;
  const span = sameLine ? Math.max(1, Math.min(location.endColumn!, text.length + 1) - col) : 1;
  const pad = text.slice(0, col - 1).replace(/[^\t]/g, ' ');
  out.push(style.gutter(`  ${' '.repeat(width)} |`) + ` ${pad}` + style.marker('^'.repeat(span)));
  return out.join('\n');
}

/** Splits a text into lines (LF or CRLF). */
export function splitLines(text: string): string[] {
  return text.split(/\r?\n/);
}
