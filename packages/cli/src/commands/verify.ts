import { join, resolve } from 'node:path';
import { formatVerifyText, verifyMesh } from '@meshkit/verify';
import { EXIT, type ExitCode } from '../exit.js';
import type { Io } from '../io.js';
import { parseTarget, requireRepoRoot } from './mesh-target.js';

/**
 * `mesh verify [<domain>[/<product>]]`: reads the cloud assembly `mesh synth` wrote (all stacks)
 * and proves access and flow for the whole mesh; prints the access matrix and one line per
 * finding. Exit 1 on any finding, 2 for a missing, unreadable or stale assembly.
 */
export async function meshVerify(
  target: string | undefined,
  options: { assembly?: string; format: 'text' | 'json' },
  io: Io,
): Promise<ExitCode> {
  const root = requireRepoRoot(io);
  const select = parseTarget(target);
  const assemblyDir = resolve(io.cwd, options.assembly ?? join(root, 'cdk.out'));
  const report = verifyMesh({ assemblyDir, root, select, cwd: io.cwd });
  io.stdout(options.format === 'json' ? JSON.stringify(report, null, 2) + '\n' : formatVerifyText(report));
  return report.findings.length ? EXIT.FAILED : EXIT.OK;
}
