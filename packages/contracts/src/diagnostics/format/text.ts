import type { Diagnostic, Severity } from '../diagnostic.js';
import { codeFrame, splitLines, type FrameStyle } from './code-frame.js';
import { countSeverities, plural } from './counts.js';
import type { FormatOptions } from './options.js';

const ansi = (code: string) => (s: string) => `\u001b[${code}m${s}\u001b[0m`;
const COLOURS: Record<Severity, (s: string) => string> = { error: ansi('31'), warning: ansi('33'), info: ansi('36') };
const id = (s: string) => s;

/**
 * Human-readable output: `file:line:col severity RULE message` per diagnostic, followed by a
 * code frame when `options.sources` has the file's text, then a summary line
 * `N errors, N warnings` (`, N infos` when there are any). No ANSI escapes unless `options.color`.
 */
export function formatText(diagnostics: readonly Diagnostic[], options: FormatOptions = {}): string {
  const color = options.color ?? false;
  const dim = color ? ansi('2') : id;
  const bold = color ? ansi('1') : id;
  const lineCache = new Map<string, string[] | undefined>();
  const linesOf = (file: string): string[] | undefined => {
    if (!lineCache.has(file)) {
      const text = options.sources?.get(file);
      lineCache.set(file, text === undefined ? undefined : splitLines(text));
    }
    return lineCache.get(file);
  };
  const blocks: string[] = [];
  for (const d of diagnostics) {
    const { file, line, column } = d.location;
    const sev = color ? COLOURS[d.severity](d.severity) : d.severity;
    let block = `${bold(`${file}:${line}:${column}`)} ${sev} ${dim(d.rule)} ${d.message}`;
    const lines = linesOf(file);
    if (lines) {
      const style: FrameStyle = { gutter: dim, marker: color ? COLOURS[d.severity] : id };
      const frame = codeFrame(lines, d.location, style);
      if (frame) block += `\n${frame}\n`;
    }
    blocks.push(block);
  }
  const c = countSeverities(diagnostics);
  let summary = `${plural(c.errors, 'error')}, ${plural(c.warnings, 'warning')}`;
  if (c.infos) summary += `, ${plural(c.infos, 'info')}`;
  if (color) summary = c.errors ? COLOURS.error(summary) : c.warnings ? COLOURS.warning(summary) : summary;
  blocks.push(summary);
  return blocks.join('\n') + '\n';
}
