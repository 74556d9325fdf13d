import { relative } from 'node:path';
import { MeshError, NAME_SOURCE } from '@meshkit/contracts';
import { formatConsumers, retireMajor } from '@meshkit/consumers';
import { EXIT, type ExitCode } from '../exit.js';
import type { Io } from '../io.js';
import { requireRepoRoot } from './mesh-target.js';

export interface RetireCommandOptions {
  /** Report who still depends on the major; change nothing. @default false */
  dryRun?: boolean;
  /** @default 'text' */
  format: 'text' | 'json';
}

/** `<domain>/<product>@<major>` (groups: the product reference, the major). */
const REF = new RegExp(`^(${NAME_SOURCE}\\/${NAME_SOURCE})@v?(\\d+)$`);

/**
 * `mesh retire <domain>/<product>@<major>`: stop serving an older major. Exit 1 (nothing
 * changed) while consumers depend only on it, 2 for bad usage (the current major, a major not
 * served side by side, an unknown product).
 */
export async function meshRetire(target: string, options: RetireCommandOptions, io: Io): Promise<ExitCode> {
  const m = REF.exec(target);
  if (!m)
    throw new MeshError('USAGE', `'${target}' is not <domain>/<product>@<major> (e.g. sales/orders@1)`, {
      exitCode: 2,
    });
  const root = requireRepoRoot(io);
  const r = await retireMajor(root, m[1]!, Number(m[2]), { dryRun: options.dryRun ?? false });
  const rel = (f: string) => relative(io.cwd, f) || '.';
  if (options.format === 'json') {
    io.stdout(
      JSON.stringify(
        {
          ok: r.outcome !== 'refused',
          product: r.product,
          major: r.major,
          outcome: r.outcome,
          dependents: r.dependents,
          removed: r.removed.map(rel),
          kept: r.kept.map(rel),
        },
        null,
        2,
      ) + '\n',
    );
  } else if (r.outcome === 'refused') {
    io.stderr(
      `mesh: refusing to retire ${r.product}@${r.major}: ${r.dependents.length} consumer(s) depend on it only\n`,
    );
    for (const d of r.dependents) {
      const at = d.location
        ? `${relative(io.cwd, d.location.file) || d.location.file}:${d.location.line}:${d.location.column}: `
        : '';
      io.stderr(
        `  ${at}${d.consumer} consumes ${r.product} ${d.range} (resolves to ${d.before ?? '-'}): move it to a served major first\n`,
      );
    }
  } else {
    io.stdout(
      r.outcome === 'dry-run'
        ? `${r.product}@${r.major} can be retired: no consumer depends on it only (dry run: nothing changed)\n`
        : `retired ${r.product}@${r.major}: servedMajors entry removed from product.yaml${r.removed.length ? `, ${r.removed.map(rel).join(', ')} deleted` : ''}\n`,
    );
    for (const k of r.kept)
      io.stdout(`  kept ${rel(k)} (outside majors/v${r.major}/): delete it yourself if nothing else uses it\n`);
    if (r.consumers.length) io.stdout(formatConsumers(r.consumers) + '\n');
  }
  return r.outcome === 'refused' ? EXIT.FAILED : EXIT.OK;
}
