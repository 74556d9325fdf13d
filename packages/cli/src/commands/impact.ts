import { MeshError, PRODUCT_REF_PATTERN } from '@meshkit/contracts';
import { analyzeImpact, formatImpactText } from '@meshkit/consumers';
import { EXIT, type ExitCode } from '../exit.js';
import type { Io } from '../io.js';
import { parseNow } from './lint.js';
import { requireRepoRoot } from './mesh-target.js';

export interface ImpactCommandOptions {
  /**
   * Baseline: a contract file or a git ref.
   * @default the latest published version of the same major in the catalog, else git HEAD
   */
  against?: string;
  /** @default 'text' */
  format: 'text' | 'json';
  /** ISO 8601 instant the deprecation windows are shown at. @default now */
  now?: string;
}

/**
 * `mesh impact <domain>/<product>`: the pending change of the product's contract and every
 * direct and transitive consumer it breaks or affects. Exit 1 when any consumer breaks, 0
 * otherwise, 2 for bad usage or unreadable input.
 */
export async function meshImpact(target: string, options: ImpactCommandOptions, io: Io): Promise<ExitCode> {
  if (!PRODUCT_REF_PATTERN.test(target))
    throw new MeshError('USAGE', `'${target}' is not <domain>/<product>`, { exitCode: 2 });
  const now = parseNow(options.now);
  const root = requireRepoRoot(io);
  const report = await analyzeImpact(root, target, {
    cwd: io.cwd,
    now,
    ...(options.against !== undefined ? { against: options.against } : {}),
  });
  if (options.format === 'json') {
    io.stdout(
      JSON.stringify(
        {
          ok: report.breaks === 0,
          product: report.product,
          version: report.version,
          baseline: report.baseline,
          change: report.diff
            ? {
                compatible: report.diff.compatible,
                mode: report.diff.mode,
                requiredBump: report.diff.requiredBump,
                changes: report.diff.changes.map((c) => ({
                  rule: c.rule,
                  severity: c.severity,
                  breaking: c.severity === 'error',
                  path: c.path,
                  message: c.message,
                })),
              }
            : null,
          served: report.served,
          deprecation: report.deprecation,
          consumers: report.consumers,
          breaks: report.breaks,
          affected: report.affected,
        },
        null,
        2,
      ) + '\n',
    );
  } else {
    io.stdout(formatImpactText(report));
  }
  return report.breaks > 0 ? EXIT.FAILED : EXIT.OK;
}
