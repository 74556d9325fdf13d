import { findProducts, formatDiagnostics, MeshError, PRODUCT_REF_PATTERN, type Diagnostic } from '@meshkit/contracts';
import { applyChangesetPlans, planChangesets, type ProductChangesetPlan } from '@meshkit/release';
import { displayPath } from '@meshkit/contracts';
import { EXIT, type ExitCode } from '../exit.js';
import type { Io } from '../io.js';
import { requireRepoRoot } from './mesh-target.js';

/** Options of `mesh changeset`. */
export interface ChangesetOptions {
  /** Print what would be written; write nothing. @default false */
  dryRun?: boolean;
  /** @default 'text' */
  format?: 'text' | 'json';
}

/**
 * `mesh changeset [<domain>/<product>] [--dry-run] [--format text|json]`: writes, for each
 * product whose contract changed since its last release, a `.changeset/<domain>-<product>-<hash>.md`
 * with the bump the compatibility diff requires and a changelog of the rule-level changes.
 * Exit 0 done (also when nothing was needed), 1 a contract is invalid or its hand-set version is
 * below the required bump, 2 bad usage or unreadable input.
 */
export async function meshChangeset(target: string | undefined, options: ChangesetOptions, io: Io): Promise<ExitCode> {
  const root = requireRepoRoot(io);
  let products = findProducts(root);
  if (target !== undefined) {
    if (!PRODUCT_REF_PATTERN.test(target))
      throw new MeshError('USAGE', `'${target}' is not <domain>/<product>`, { exitCode: 2 });
    products = products.filter((p) => `${p.domain}/${p.product}` === target);
    if (!products.length) throw new MeshError('USAGE', `no product '${target}' in ${root}/domains`, { exitCode: 2 });
  }
  const plans = await planChangesets(root, { products, cwd: io.cwd });
  if (!options.dryRun) applyChangesetPlans(plans);
  const status: ExitCode = plans.some((p) => p.unreadable)
    ? EXIT.USAGE
    : plans.some((p) => !p.ok)
      ? EXIT.FAILED
      : EXIT.OK;
  const diagnostics: Diagnostic[] = plans.flatMap((p) => p.diagnostics);
  if (options.format === 'json') {
    io.stdout(
      JSON.stringify(
        {
          ok: status === EXIT.OK,
          dryRun: Boolean(options.dryRun),
          products: plans.map((p) => ({
            product: p.product,
            package: p.packageName,
            action: p.action,
            ok: p.ok,
            version: p.version ?? null,
            baseline: p.baseline ?? null,
            baselineVersion: p.baselineVersion ?? null,
            requiredBump: p.requiredBump ?? null,
            changeset: p.file ? displayPath(p.file, io.cwd) : null,
            content: p.content ?? null,
            pending: p.pending ?? null,
            supersedes: p.supersedes.map((f) => displayPath(f, io.cwd)),
            changes: p.changes.map((c) => ({ rule: c.rule, severity: c.severity, path: c.path, message: c.message })),
          })),
          diagnostics,
        },
        null,
        2,
      ) + '\n',
    );
    return status;
  }
  if (diagnostics.length) io.stdout(formatDiagnostics(diagnostics, 'text') + '\n');
  for (const p of plans) {
    io.stdout(`${p.product}: ${describe(p, Boolean(options.dryRun), io)}\n`);
    if (options.dryRun && p.action === 'write' && p.content) io.stdout(p.content.replace(/^/gm, '    ') + '\n');
  }
  const written = plans.filter((p) => p.action === 'write').length;
  io.stdout(
    options.dryRun
      ? `dry run: ${written} changeset${written === 1 ? '' : 's'} would be written; nothing was changed\n`
      : `${written} changeset${written === 1 ? '' : 's'} written\n`,
  );
  return status;
}

function describe(p: ProductChangesetPlan, dryRun: boolean, io: Io): string {
  const file = p.file ? displayPath(p.file, io.cwd) : '';
  const since = `since ${p.baselineVersion ?? '?'}, ${p.baseline ?? 'no baseline'}`;
  switch (p.action) {
    case 'write': {
      const raised = p.pending ? `; raises the pending ${p.pending.bump} bump of ${p.pending.files.join(', ')}` : '';
      const replaced = p.supersedes.length
        ? `; replaces ${p.supersedes.map((f) => displayPath(f, io.cwd)).join(', ')}`
        : '';
      return `${dryRun ? 'would write' : 'wrote'} ${file}: ${p.requiredBump} (${count(p)} ${since})${raised}${replaced}`;
    }
    case 'up-to-date':
      return `${file} already records these changes (${p.requiredBump}): nothing to do`;
    case 'covered':
      return `pending changeset ${p.pending!.files.join(', ')} already declares ${p.pending!.bump} (required: ${p.requiredBump}): no new changeset`;
    case 'unchanged':
      return (
        `contract unchanged (${since}): no changeset` +
        (p.pending
          ? `; ${p.pending.files.join(', ')} in .changeset/ was generated for changes since reverted: delete it unless you want that release`
          : '')
      );
    case 'first-version':
      return `no earlier release (first version ${p.version}): no changeset`;
    case 'version-set':
      return `version already moved by hand ${p.baselineVersion} → ${p.version}; changes require ${p.requiredBump}: ${p.ok ? 'ok, no changeset' : 'FAILED (raise the version or reset it and run mesh changeset)'}`;
    case 'invalid':
      return 'contract cannot be read or is invalid: no changeset (see the errors above)';
  }
}

function count(p: ProductChangesetPlan): string {
  const breaking = p.changes.filter((c) => c.severity === 'error').length;
  const n = p.changes.length;
  return `${n} change${n === 1 ? '' : 's'}${breaking ? `, ${breaking} breaking` : ''};`;
}
