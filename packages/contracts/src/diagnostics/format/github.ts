import type { Diagnostic } from '../diagnostic.js';
import type { FormatOptions } from './options.js';
import { relativePath } from './paths.js';

const COMMAND = { error: 'error', warning: 'warning', info: 'notice' } as const;

/** Escapes a workflow command's message (`%`, CR, LF), as @actions/core does. */
export function escapeGithubData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Escapes a workflow command's property value (also `:` and `,`), as @actions/core does. */
export function escapeGithubProperty(s: string): string {
  return escapeGithubData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/**
 * GitHub Actions workflow commands, one line each:
 * `::error file=…,line=…,col=…,endLine=…,endColumn=…,title=RULE::message` (warning →
 * `::warning`, info → `::notice`); absolute paths are made relative to `options.baseDir`.
 */
export function formatGithub(diagnostics: readonly Diagnostic[], options: FormatOptions = {}): string {
  return diagnostics
    .map((d) => {
      const { file, line, column, endLine, endColumn } = d.location;
      const props: Array<[string, string | number | undefined]> = [
        ['file', relativePath(file, options.baseDir)],
        ['line', line],
        ['col', column],
        ['endLine', endLine],
        ['endColumn', endLine === undefined ? undefined : endColumn],
        ['title', d.rule],
      ];
      const list = props
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => `${k}=${escapeGithubProperty(String(v))}`)
        .join(',');
      return `::${COMMAND[d.severity]} ${list}::${escapeGithubData(d.message)}\n`;
    })
    .join('');
}
