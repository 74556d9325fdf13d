import { execFileSync } from 'node:child_process';
import { GlueClient } from '@aws-sdk/client-glue';
import { LakeFormationClient } from '@aws-sdk/client-lakeformation';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { startGlueEmulator, type GlueEmulator } from '../src/aws/emulator.js';
import { GlueSchemaRegistryCatalog } from '../src/aws/index.js';
import { demoMesh } from './helpers.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

/** Real SDK clients pointed at the emulator. */
export function clientsFor(em: GlueEmulator, maxAttempts = 3) {
  const common = {
    region: 'us-east-1', endpoint: em.url, credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts,
    requestHandler: new NodeHttpHandler(),
  };
  return { glue: new GlueClient(common), lakeFormation: new LakeFormationClient(common) };
}

/** A temp demo mesh in a git repository with one commit, an emulator, and a Glue catalog over it. */
export async function glueSetup(options: { git?: boolean } = {}) {
  const root = demoMesh();
  if (options.git !== false) commitAll(root, 'initial');
  const em = await startGlueEmulator();
  const clients = clientsFor(em);
  const catalog = new GlueSchemaRegistryCatalog({ root, clients, pollIntervalMs: 1 });
  return { root, em, clients, catalog };
}

/** `git add -A && git commit` in `root` (initialising the repository first when needed). */
export function commitAll(root: string, message: string): void {
  const git = (...args: string[]) => execFileSync('git', args, { cwd: root, stdio: 'ignore' });
  try {
    git('rev-parse', '--git-dir');
  } catch {
    git('init', '-q');
  }
  git('add', '-A');
  git('-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'commit.gpgsign=false', 'commit', '-q', '-m', message);
}
