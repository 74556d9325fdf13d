import { execFileSync } from 'node:child_process';
import { copyExampleMesh } from '@meshkit/testing';
import { GlueSchemaRegistryCatalog } from '../src/aws/index.js';
import type { GluePeerHandle } from './aws-peers.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

/** A temp copy of the example mesh in a git repository with one commit, a peer emptied of every resource, and a Glue catalog over it. */
export async function glueSetup(peer: GluePeerHandle, options: { git?: boolean } = {}) {
  const root = copyExampleMesh({ prefix: 'meshkit-catalog-' });
  if (options.git !== false) commitAll(root, 'initial');
  await peer.reset();
  const clients = peer.clients();
  const catalog = new GlueSchemaRegistryCatalog({ root, clients, pollIntervalMs: 1 });
  return { root, em: peer, clients, catalog };
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
  git(
    '-c',
    'user.name=t',
    '-c',
    'user.email=t@example.com',
    '-c',
    'commit.gpgsign=false',
    'commit',
    '-q',
    '-m',
    message,
  );
}
