import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { isMeshError } from '@meshkit/contracts';
import { EXIT, type ExitCode } from '../exit.js';
import type { Io } from '../io.js';
import { parseTarget, requireRepoRoot } from './mesh-target.js';
import { renderMeshError, synthMesh } from './synth.js';

export interface DeployOptions {
  /** Environment name from mesh.config.yaml (`environments`). */
  env: string;
  /** Print the command instead of running it. @default false */
  dryRun: boolean;
}

/** The AWS CDK CLI shipped with Meshkit (`aws-cdk`), run with the same node. */
function cdkCli(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('aws-cdk/package.json')), 'bin', 'cdk');
}

/**
 * `mesh deploy [<domain>[/<product>]] --env <env> [--dry-run]`: synthesizes the stacks for the
 * environment's account and region (policy violations stop it), then runs `cdk deploy` on the
 * cloud assembly. `--dry-run` prints exactly the command it would run.
 */
export async function meshDeploy(target: string | undefined, options: DeployOptions, io: Io): Promise<ExitCode> {
  const root = requireRepoRoot(io);
  parseTarget(target); // bad targets are bad usage before anything else
  const outdir = join(root, 'cdk.out', options.env);
  let result;
  try {
    result = await synthMesh(root, target, outdir, options.env);
  } catch (e) {
    if (isMeshError(e)) renderMeshError(e, io);
    throw e;
  }
  const { report, stacks } = result;
  if (!report.ok) {
    io.stderr(`mesh deploy: ${report.summary.errors} policy violation(s); run \`mesh synth\` to see them\n`);
    return EXIT.FAILED;
  }
  const names = stacks.map((s) => s.stackName);
  const args = [cdkCli(), 'deploy', '--app', outdir, '--require-approval', 'never', '--exclusively', ...names];
  const environment = result.mesh.config.environments[options.env]!;
  const envVars = {
    CDK_DEFAULT_ACCOUNT: environment.account,
    CDK_DEFAULT_REGION: environment.region,
    AWS_REGION: environment.region,
  };
  const shown = `${Object.entries(envVars)
    .map(([k, v]) => `${k}=${v}`)
    .join(
      ' ',
    )} npx cdk deploy --app ${relative(io.cwd, outdir) || '.'} --require-approval never --exclusively ${names.join(' ')}`;
  if (options.dryRun) {
    io.stdout(`${shown}\n`);
    return EXIT.OK;
  }
  io.stdout(`$ ${shown}\n`);
  const r = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...envVars } });
  return r.status === 0 ? EXIT.OK : EXIT.FAILED;
}
