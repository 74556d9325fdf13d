import { join, resolve } from 'node:path';
import { MeshError } from '@meshkit/contracts';
import { formatRunSummary, loadRunTarget, runProduct } from '@meshkit/runtime';
import { EXIT, type ExitCode } from '../exit.js';
import type { Io } from '../io.js';
import { parseTarget, requireRepoRoot } from './mesh-target.js';

/** Options of `mesh run`. */
export interface RunOptions {
  /** Input file (CSV, JSON lines or Parquet by extension). @default the product's fixtures/raw.* */
  input?: string;
  /** Output directory. @default `.mesh/runs/<domain>/<product>` at the repository root */
  out?: string;
  /** Instant freshness is evaluated at (ISO 8601). @default now */
  now?: string;
  format: 'text' | 'json';
}

/**
 * `mesh run <domain>/<product>`: runs the product locally on DuckDB (see `runProduct` in
 * @meshkit/runtime); prints a one-screen summary (text) or the run report (json). Exit 0 when
 * the run passed (warnings allowed), 1 when a dataset rule at error severity failed, the SQL
 * failed or the output does not match the contract, 2 on bad usage or missing input.
 */
export async function meshRun(target: string, options: RunOptions, io: Io): Promise<ExitCode> {
  const sel = parseTarget(target);
  if (!sel.product) throw new MeshError('USAGE', `'${target}' is not <domain>/<product>`);
  let now: Date | undefined;
  if (options.now !== undefined) {
    now = new Date(options.now);
    if (Number.isNaN(now.getTime())) throw new MeshError('USAGE', `--now '${options.now}' is not an ISO 8601 timestamp (e.g. 2026-11-02T00:00:00Z)`);
  }
  const root = requireRepoRoot(io);
  const product = loadRunTarget(root, sel.domain!, sel.product);
  const started = Date.now();
  const progress = io.isTTY && options.format === 'text'
    ? (step: string) => io.stderr(`\r\x1b[2K[${((Date.now() - started) / 1000).toFixed(1)} s] ${target}: ${step}…`)
    : undefined;
  try {
    const report = await runProduct({
      root, productDir: product.productDir, manifest: product.manifest, contract: product.contract,
      ...(options.input !== undefined ? { input: resolve(io.cwd, options.input) } : {}),
      ...(options.out !== undefined ? { out: resolve(io.cwd, options.out) } : {}),
      ...(now ? { now } : {}),
      ...(progress ? { onProgress: progress } : {}),
    });
    if (progress) io.stderr('\r\x1b[2K');
    if (options.format === 'json') io.stdout(JSON.stringify(report, null, 2) + '\n');
    else io.stdout(formatRunSummary(report));
    if (report.status === 'failed' && options.format === 'text') {
      io.stderr(`mesh: ${target} failed dataset rule(s) at error severity; the last good output was kept (this run is in ${join(report.paths.dir)})\n`);
    }
    return report.status === 'failed' ? EXIT.FAILED : EXIT.OK;
  } catch (e) {
    if (progress) io.stderr('\r\x1b[2K');
    if (e instanceof MeshError && e.details.length > 1) {
      for (const d of e.details.slice(1)) io.stderr(`${d.location.file}:${d.location.line}:${d.location.column}: ${d.message} [${d.rule}]\n`);
    }
    throw e;
  }
}
