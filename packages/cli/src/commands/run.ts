import { join, resolve } from 'node:path';
import { MeshError } from '@meshkit/contracts';
import {
  formatRunSummary,
  formatStreamSummary,
  loadRunTarget,
  runProduct,
  runProductStream,
  type RunReport,
  type StreamRunReport,
} from '@meshkit/runtime';
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
  /**
   * Run the stream path: replay the input through a Kinesis stream (kinesalite on 127.0.0.1
   * unless `endpoint` is given), consume every shard and run the micro-batches through the same
   * pipeline (see `runProductStream` in @meshkit/runtime). @default false
   */
  stream?: boolean;
  /** Kinesis(-compatible) endpoint for `stream` (e.g. http://127.0.0.1:4567). @default a kinesalite started for the run */
  endpoint?: string;
}

/**
 * `mesh run <domain>/<product>`: runs the product locally on DuckDB (see `runProduct` in
 * @meshkit/runtime); prints a one-screen summary (text) or the run report (json). Exit 0 when
 * the run passed (warnings allowed), 1 when a dataset rule at error severity failed, the SQL
 * failed or the output does not match the contract, 2 on bad usage or missing input.
 * With `--stream` the input is replayed through a Kinesis stream first (`runProductStream`);
 * exit 2 also when the endpoint cannot be reached, 1 when records could not be delivered.
 */
export async function meshRun(target: string, options: RunOptions, io: Io): Promise<ExitCode> {
  const sel = parseTarget(target);
  if (!sel.product) throw new MeshError('USAGE', `'${target}' is not <domain>/<product>`);
  let now: Date | undefined;
  if (options.now !== undefined) {
    now = new Date(options.now);
    if (Number.isNaN(now.getTime()))
      throw new MeshError('USAGE', `--now '${options.now}' is not an ISO 8601 timestamp (e.g. 2026-11-02T00:00:00Z)`);
  }
  if (options.endpoint !== undefined && !options.stream)
    throw new MeshError('USAGE', '--endpoint is an option of the stream path: add --stream');
  if (options.endpoint !== undefined && !/^https?:\/\/[^\s/]+/.test(options.endpoint)) {
    throw new MeshError('USAGE', `--endpoint '${options.endpoint}' is not an http(s) URL (e.g. http://127.0.0.1:4567)`);
  }
  const root = requireRepoRoot(io);
  const product = loadRunTarget(root, sel.domain!, sel.product);
  const started = Date.now();
  const progress =
    io.isTTY && options.format === 'text'
      ? (step: string) => io.stderr(`\r\x1b[2K[${((Date.now() - started) / 1000).toFixed(1)} s] ${target}: ${step}…`)
      : undefined;
  try {
    const runOptions = {
      root,
      productDir: product.dir,
      manifest: product.manifest,
      contract: product.contract,
      ...(options.input !== undefined ? { input: resolve(io.cwd, options.input) } : {}),
      ...(options.out !== undefined ? { out: resolve(io.cwd, options.out) } : {}),
      ...(now ? { now } : {}),
      ...(progress ? { onProgress: progress } : {}),
    };
    if (options.stream) process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
    const report: RunReport | StreamRunReport = options.stream
      ? await runProductStream({
          ...runOptions,
          ...(options.endpoint !== undefined ? { endpoint: options.endpoint } : {}),
        })
      : await runProduct(runOptions);
    if (progress) io.stderr('\r\x1b[2K');
    if (options.format === 'json') io.stdout(JSON.stringify(report, null, 2) + '\n');
    else
      io.stdout(
        formatRunSummary(report) + ('stream' in report ? formatStreamSummary((report as StreamRunReport).stream) : ''),
      );
    if (report.status === 'failed' && options.format === 'text') {
      io.stderr(
        `mesh: ${target} failed dataset rule(s) at error severity; the last good output was kept (this run is in ${join(report.paths.dir)})\n`,
      );
    }
    return report.status === 'failed' ? EXIT.FAILED : EXIT.OK;
  } catch (e) {
    if (progress) io.stderr('\r\x1b[2K');
    if (e instanceof MeshError && e.details.length > 1) {
      for (const d of e.details.slice(1))
        io.stderr(`${d.location.file}:${d.location.line}:${d.location.column}: ${d.message} [${d.rule}]\n`);
    }
    throw e;
  }
}
