import { isAbsolute } from 'node:path';
import { displayPath } from '@meshkit/contracts';
import type { ConsumerImpact, ImpactReport, ServedDeprecation } from './impact.js';
import { describeServed } from './resolve.js';

/**
 * A file name of a diagnostic or report as the user in `cwd` sees it: an absolute path by
 * `displayPath` (relative when inside `cwd`); anything else (a relative name, a catalog label) as is.
 */
export function shownFile(file: string, cwd: string): string {
  return isAbsolute(file) ? displayPath(file, cwd) : file;
}

/** Aligned columns: each cell padded to the widest of its column (the last column is not padded). */
export function formatTable(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: readonly string[]) =>
    r
      .map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

/** One line per served contract: `1.2.0 (current): deprecated, end of support 2027-01-31, end of life 2027-06-30`. */
export function formatDeprecation(list: readonly ServedDeprecation[]): string[] {
  return list.map((d) => {
    const dates = [d.endOfSupport && `end of support ${d.endOfSupport}`, d.endOfLife && `end of life ${d.endOfLife}`]
      .filter(Boolean)
      .join(', ');
    return `${d.version} (${d.from === 'current' ? 'current' : `served major ${d.major}`}): ${d.phase}${dates ? `, ${dates}` : ''}`;
  });
}

/** The consumers table of an impact report or a retire check. */
export function formatConsumers(consumers: readonly ConsumerImpact[]): string {
  if (!consumers.length) return 'no consumers';
  const rows = consumers.map((c) => [
    c.consumer,
    c.direct ? 'direct' : `via ${c.path.slice(1, -1).join(' → ')}`,
    c.range ?? '',
    c.direct ? (c.columns ? c.columns.join(',') : '*') : '',
    c.direct ? `${c.before ?? '-'} → ${c.after ?? '-'}` : '',
    c.verdict === 'breaks' ? 'BREAKS' : c.verdict,
    c.reasons.join('; '),
  ]);
  return formatTable(['CONSUMER', 'PATH', 'RANGE', 'COLUMNS', 'RESOLVES', 'VERDICT', 'REASON'], rows);
}

/** The text form of `mesh impact`. */
export function formatImpactText(r: ImpactReport): string {
  const out: string[] = [];
  if (!r.baseline || !r.diff) out.push(`${r.product} ${r.version}: no baseline (first version): no pending change`);
  else {
    const breaking = r.diff.changes.filter((c) => c.severity === 'error').length;
    out.push(
      `${r.product} ${r.baseline.version} (${r.baseline.label}) → ${r.version} (working copy): ${r.diff.changes.length} change(s), ` +
        `${breaking} breaking under ${r.diff.mode}; requires a ${r.diff.requiredBump} bump`,
    );
    for (const c of r.diff.changes)
      out.push(`  ${c.severity === 'error' ? 'breaking' : c.severity.padEnd(8)} ${c.rule} ${c.path}: ${c.message}`);
  }
  out.push(`served before: ${describeServed(r.served.before)}`, `served after:  ${describeServed(r.served.after)}`);
  out.push(...formatDeprecation(r.deprecation).map((l) => `deprecation: ${l}`));
  out.push('', formatConsumers(r.consumers), '');
  const ok = r.consumers.length - r.breaks - r.affected;
  out.push(`${r.consumers.length} consumer(s): ${r.breaks} break, ${r.affected} affected, ${ok} ok`);
  return out.join('\n') + '\n';
}
