import { existsSync } from 'node:fs';
import {
  compareDiagnostics,
  displayPath,
  errorDiagnostic,
  formatDiagnostics,
  lintContract,
  lintRules,
  MeshError,
  productManifestFile,
  PRODUCT_REF_PATTERN,
  type Diagnostic,
  type LintRuleSetting,
} from '@meshkit/contracts';
import { lintMesh, productLintRules } from '@meshkit/consumers';
import type { DiagnosticFormat } from '../context.js';
import { EXIT, type ExitCode } from '../exit.js';
import type { Io } from '../io.js';
import { requireRepoRoot } from './mesh-target.js';

export interface LintOptions {
  /** @default 'text' */
  format: DiagnosticFormat;
  /** ISO 8601 instant deprecation windows are judged at. @default now */
  now?: string;
}

/** Parses `--now` (an ISO 8601 date or instant). @throws MeshError USAGE (exit 2) */
export function parseNow(now: string | undefined): Date {
  if (now === undefined) return new Date();
  const d = new Date(now);
  if (!/^\d{4}-\d{2}-\d{2}/.test(now) || Number.isNaN(d.getTime())) {
    throw new MeshError(
      'USAGE',
      `--now '${now}' is not an ISO 8601 date or instant (e.g. 2027-01-31 or 2027-01-31T12:00:00Z)`,
      { exitCode: 2 },
    );
  }
  return d;
}

/**
 * `mesh lint [<domain>/<product>]`: the contract lint of every product contract (current and
 * served older majors) plus the product lint (consumes edges, deprecation windows, package
 * version, served majors). Exit 0 with warnings only, 1 on errors, 2 for unreadable input.
 */
export async function meshLint(target: string | undefined, options: LintOptions, io: Io): Promise<ExitCode> {
  if (target !== undefined && !PRODUCT_REF_PATTERN.test(target))
    throw new MeshError('USAGE', `'${target}' is not <domain>/<product>`, { exitCode: 2 });
  const now = parseNow(options.now);
  const root = requireRepoRoot(io);
  const result = await lintMesh(root, { now, cwd: io.cwd, ...(target ? { only: [target] } : {}) });
  const { model } = result;
  const [domain, product] = (target ?? '/').split('/');
  if (target && !existsSync(productManifestFile(root, domain!, product!))) {
    throw new MeshError('USAGE', `no product '${target}' in ${root}`, { exitCode: 2 });
  }
  // Contract lint: the CONTRACT-… settings of the same configuration map.
  const rules: Record<string, LintRuleSetting> = Object.fromEntries(
    Object.entries(model.config.contracts.lint.rules).filter(([id]) => !id.startsWith('PRODUCT-')),
  );
  const diagnostics: Diagnostic[] = [...result.diagnostics];
  const bad: Diagnostic[] = [...result.unreadable];
  const sources = new Map(result.sources);
  for (const p of model.products.values()) {
    if (target && p.ref !== target) continue;
    for (const c of p.contractFiles) {
      const name = displayPath(c.contractFile, io.cwd);
      const r = c.readContract();
      if ('error' in r) {
        // A missing older-major contract is PRODUCT-SERVED-MAJOR's finding; anything else is unreadable input.
        if (c !== p && r.error.code === 'FILE_NOT_FOUND') continue;
        const d = errorDiagnostic(name, r.error);
        d.location = { ...d.location, file: displayPath(d.location.file, io.cwd) };
        bad.push(d);
        diagnostics.push(d);
        continue;
      }
      sources.set(name, r.loaded.source.text);
      for (const d of lintContract(r.loaded, { rules, defaultClassification: model.config.defaults.classification }))
        diagnostics.push({ ...d, location: { ...d.location, file: displayPath(d.location.file, io.cwd) } });
    }
  }
  diagnostics.sort(compareDiagnostics);
  const text = formatDiagnostics(diagnostics, options.format, {
    sources,
    color: io.isTTY,
    rules: [...lintRules, ...productLintRules],
  });
  if (text) io.stdout(text.endsWith('\n') ? text : text + '\n');
  if (bad.length) return EXIT.USAGE;
  return diagnostics.some((d) => d.severity === 'error') ? EXIT.FAILED : EXIT.OK;
}
