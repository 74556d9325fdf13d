import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  checkVersion,
  displayPath,
  errorDiagnostic,
  findRepoRoot,
  formatDiagnostics,
  isMeshError,
  pendingChangesetBump,
  MeshError,
  type CompatibilityMode,
  type ContractInput,
  type Diagnostic,
  type GateResult,
} from '@meshkit/contracts';
import { productContracts, readContracts, resolveContractArg, type DiagnosticFormat } from '../context.js';
import { EXIT, type ExitCode } from '../exit.js';
import type { Io } from '../io.js';

export interface ContractCheckOptions {
  /**
   * Baseline: a contract file or a git ref.
   * @default the latest version of the same major in the catalog, else 'HEAD' (the committed version)
   */
  against?: string;
  mode?: CompatibilityMode;
  /** @default 'text' */
  format: DiagnosticFormat;
}

/**
 * `mesh contract check [<domain>/<product>|<file>]`: the version gate. Compares each contract
 * with its baseline and checks that its declared bump (version field, else pending changesets)
 * covers the bump its changes require. Exit 0 ok, 1 insufficient or missing bump, 2 unreadable.
 */
export async function contractCheck(arg: string | undefined, options: ContractCheckOptions, io: Io): Promise<ExitCode> {
  const files = arg ? [resolveContractArg(arg, io)] : productContracts(findRepoRoot(io.cwd) ?? io.cwd);
  if (!files.length) throw new MeshError('USAGE', 'no contract to check: name a <domain>/<product> or a contract file');
  const run: CheckRun = { diagnostics: [], results: [], sources: new Map(), status: EXIT.OK };
  for (const file of files) await checkFile(file, options, io, run);
  if (options.format === 'json') {
    printJson(run, io);
    return run.status;
  }
  const { diagnostics, sources, results } = run;
  if (diagnostics.length) io.stdout(formatDiagnostics(diagnostics, options.format, { sources }) + '\n');
  if (options.format === 'text') {
    for (const { file, result } of results) {
      io.stdout(
        result
          ? `${file}: ${result.baselineVersion} → ${result.version}; changes require ${result.diff.requiredBump}, declared ${result.declaredBump ?? 'none'}${result.declaredFrom ? ` (from ${result.declaredFrom})` : ''}: ${result.ok ? 'ok' : 'FAILED'}\n`
          : `${file}: no baseline (first version): ok\n`,
      );
    }
  }
  return run.status;
}

/** What the gate found so far: its diagnostics (with their sources), one result per contract, the exit code. */
interface CheckRun {
  diagnostics: Diagnostic[];
  results: Array<{ file: string; result?: GateResult; baseline?: string }>;
  sources: Map<string, string>;
  status: ExitCode;
}

/** Checks one contract file against its baseline, recording into `run`. */
async function checkFile(file: string, options: ContractCheckOptions, io: Io, run: CheckRun): Promise<void> {
  const { diagnostics, results, sources } = run;
  const name = displayPath(file, io.cwd);
  const { loaded, unreadable: bad } = readContracts([file], io);
  const current = loaded[0];
  if (!current?.contract) {
    diagnostics.push(...bad, ...(current?.diagnostics ?? []));
    if (current) sources.set(current.source.file, current.source.text);
    run.status = bad.length ? EXIT.USAGE : EXIT.FAILED;
    return;
  }
  sources.set(current.source.file, current.source.text);
  let baseline: ContractInput | undefined;
  try {
    const { releaseBaseline } = await import('@meshkit/catalog');
    baseline = await releaseBaseline(file, current as ContractInput, {
      ...(options.against !== undefined ? { against: options.against } : {}),
      cwd: io.cwd,
    });
  } catch (e) {
    if (!isMeshError(e)) throw e;
    diagnostics.push(errorDiagnostic(name, e));
    run.status = EXIT.USAGE;
    return;
  }
  if (!baseline) {
    results.push({ file: name });
    return;
  }
  const changesetBump = changesetBumpFor(file);
  const result = checkVersion(baseline, current as ContractInput, {
    ...(options.mode ? { mode: options.mode } : {}),
    ...(changesetBump ? { changesetBump } : {}),
  });
  results.push({ file: name, result, baseline: baseline.source.file });
  diagnostics.push(...result.findings);
  if (!result.ok && run.status === EXIT.OK) run.status = EXIT.FAILED;
}

/** `--format json`: every contract's verdict and the diagnostics. */
function printJson({ status, results, diagnostics }: CheckRun, io: Io): void {
  io.stdout(
    JSON.stringify(
      {
        ok: status === EXIT.OK,
        contracts: results.map(({ file, result, baseline }) =>
          result
            ? {
                file,
                baseline,
                ok: result.ok,
                baselineVersion: result.baselineVersion,
                version: result.version,
                requiredBump: result.diff.requiredBump,
                declaredBump: result.declaredBump ?? null,
                declaredFrom: result.declaredFrom ?? null,
                findings: result.findings,
              }
            : { file, baseline: null, ok: true, note: 'no baseline: first version' },
        ),
        diagnostics,
      },
      null,
      2,
    ) + '\n',
  );
}

/** Largest pending changeset bump of the package that holds the contract, if any. */
function changesetBumpFor(file: string) {
  const root = findRepoRoot(dirname(file));
  if (!root) return undefined;
  for (let dir = dirname(file); dir.startsWith(root); dir = dirname(dir)) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) {
      const name = (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name;
      return name ? pendingChangesetBump(root, name) : undefined;
    }
    if (dir === root) break;
  }
  return undefined;
}
