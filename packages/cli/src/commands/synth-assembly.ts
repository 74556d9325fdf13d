// Cloud assembly surgery of the parallel synth (synth-parallel.ts): one app's assembly split into
// the assemblies of its units, the units' assemblies merged into one (files are hard-linked), and
// what a domain's product templates import from its foundation.
import { createHash } from 'node:crypto';
import {
  cpSync,
  existsSync,
  linkSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { domainStackName, productStackName, type MeshStackInfo } from '@meshkit/core';

interface Artifact {
  type: string;
  properties?: { file?: string; templateFile?: string };
  additionalMetadataFile?: string;
  [k: string]: unknown;
}
interface Manifest {
  version: string;
  artifacts?: Record<string, Artifact>;
  [k: string]: unknown;
}
interface TreeFile {
  version?: string;
  tree?: { id: string; path: string; children?: Record<string, unknown> };
}

/**
 * Splits the cloud assembly `out` into parts, each a cloud assembly of some of its stacks
 * (`stacks`, by name) at `part.out`: the stacks' artifacts and their asset manifests' artifacts in
 * its `manifest.json`, their nodes in its `tree.json` (with the app's nodes that are no stack),
 * their files (template, asset manifest, metadata, assets) hard-linked, and the assembly's other
 * files (not of any stack) in every part.
 */
export function splitAssembly(out: string, parts: Array<{ out: string; stacks: string[] }>): void {
  const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as Manifest;
  const tree = existsSync(join(out, 'tree.json'))
    ? (JSON.parse(readFileSync(join(out, 'tree.json'), 'utf8')) as TreeFile)
    : undefined;
  const artifacts = manifest.artifacts ?? {};
  const allStacks = Object.entries(artifacts)
    .filter(([, a]) => a.type === 'aws:cloudformation:stack')
    .map(([id]) => id);
  const filesOf = (id: string): string[] => {
    const a = artifacts[id];
    if (!a) return [];
    const files = [a.properties?.file, a.properties?.templateFile, a.additionalMetadataFile].filter(
      (f): f is string => typeof f === 'string',
    );
    if (a.type === 'cdk:asset-manifest' && a.properties?.file) {
      const assets = JSON.parse(readFileSync(join(out, a.properties.file), 'utf8')) as {
        files?: Record<string, { source?: { path?: string } }>;
        dockerImages?: Record<string, { source?: { directory?: string } }>;
      };
      for (const f of Object.values(assets.files ?? {})) if (f.source?.path) files.push(f.source.path);
      for (const f of Object.values(assets.dockerImages ?? {})) if (f.source?.directory) files.push(f.source.directory);
    }
    return files;
  };
  const ofStack = (stack: string) => [stack, `${stack}.assets`].filter((id) => artifacts[id]);
  const claimed = new Set(allStacks.flatMap((s) => ofStack(s).flatMap(filesOf)));
  const shared = readdirSync(out).filter((f) => f !== 'manifest.json' && f !== 'tree.json' && !claimed.has(f));
  for (const part of parts) {
    mkdirSync(part.out, { recursive: true });
    const ids = part.stacks.flatMap(ofStack);
    const own: Record<string, Artifact> = {};
    for (const [id, a] of Object.entries(artifacts))
      if (ids.includes(id) || (a.type !== 'aws:cloudformation:stack' && a.type !== 'cdk:asset-manifest')) own[id] = a;
    // (an asset not staged in the assembly — its source outside — has nothing to link)
    for (const f of new Set([...ids.flatMap(filesOf), ...shared]))
      if (existsSync(join(out, f))) linkTree(join(out, f), join(part.out, f));
    writeFileSync(join(part.out, 'manifest.json'), JSON.stringify({ ...manifest, artifacts: own }, null, 2));
    if (tree?.tree) {
      const children = Object.fromEntries(
        Object.entries(tree.tree.children ?? {}).filter(([id]) => !allStacks.includes(id) || part.stacks.includes(id)),
      );
      writeFileSync(join(part.out, 'tree.json'), JSON.stringify({ ...tree, tree: { ...tree.tree, children } }));
    }
  }
}

/**
 * Puts `src` (a file or a folder, recursively) at `dest` as hard links: the unit caches and the
 * merged assembly share the files (nothing rewrites an assembly in place: a synth replaces it
 * whole), so merging 50 units costs links, not copies. Copies where linking fails (another device).
 */
function linkTree(src: string, dest: string): void {
  if (statSync(src).isDirectory()) {
    mkdirSync(dest, { recursive: true });
    for (const name of readdirSync(src)) linkTree(join(src, name), join(dest, name));
    return;
  }
  if (existsSync(dest)) return; // the same asset from another unit (content-addressed name)
  try {
    linkSync(src, dest);
  } catch {
    cpSync(src, dest);
  }
}

/**
 * Merges the cloud assemblies of the units (each `<dir>/out`) into `outdir`: every file (templates,
 * asset manifests, assets) hard-linked, the manifests' artifacts joined into one `manifest.json` and
 * their construct trees into one `tree.json`. The merged assembly is written beside `outdir` and
 * renamed into place: never half-written. Returns the stacks of every unit.
 */
export function mergeAssemblies(unitDirs: string[], outdir: string): MeshStackInfo[] {
  const temp = `${outdir}.tmp-${process.pid}`;
  rmSync(temp, { recursive: true, force: true });
  mkdirSync(temp, { recursive: true });
  let manifest: Manifest | undefined;
  const children: Record<string, unknown> = {};
  let tree: { version?: string; tree?: { id: string; path: string; children?: Record<string, unknown> } } | undefined;
  const stacks: MeshStackInfo[] = [];
  for (const dir of unitDirs) {
    const out = join(dir, 'out');
    stacks.push(...(JSON.parse(readFileSync(join(dir, 'stacks.json'), 'utf8')) as MeshStackInfo[]));
    const m = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as Manifest;
    const { Tree: _tree, ...artifacts } = m.artifacts ?? {};
    manifest = manifest
      ? { ...manifest, artifacts: { ...manifest.artifacts, ...artifacts } }
      : { ...m, artifacts: { ...artifacts } };
    if (existsSync(join(out, 'tree.json'))) {
      const t = JSON.parse(readFileSync(join(out, 'tree.json'), 'utf8')) as NonNullable<typeof tree>;
      tree ??= t;
      Object.assign(children, t.tree?.children ?? {});
    }
    for (const name of readdirSync(out)) {
      if (name === 'manifest.json' || name === 'tree.json') continue;
      linkTree(join(out, name), join(temp, name));
    }
  }
  if (!manifest) throw new Error('no unit to merge');
  if (tree?.tree) {
    writeFileSync(join(temp, 'tree.json'), JSON.stringify({ ...tree, tree: { ...tree.tree, children } }));
    manifest.artifacts = { Tree: { type: 'cdk:tree', properties: { file: 'tree.json' } }, ...manifest.artifacts };
  }
  writeFileSync(join(temp, 'manifest.json'), JSON.stringify(manifest, null, 2));
  rmSync(outdir, { recursive: true, force: true });
  mkdirSync(join(outdir, '..'), { recursive: true });
  renameSync(temp, outdir);
  return stacks;
}

/**
 * Digest of the foundation outputs the products of `domain` import, in the order they are first
 * imported (product by product in the mesh's order), read from their units' templates: what the
 * foundation's exports are made of, in the order CDK makes them.
 */
export function importsOf(domain: string, productUnits: Array<{ product: string; out: string }>): string {
  const prefix = `${domainStackName(domain)}:`;
  const names = new Set<string>();
  for (const { product, out } of productUnits) {
    const file = join(out, `${productStackName(domain, product)}.template.json`);
    if (!existsSync(file)) return 'unknown';
    for (const m of readFileSync(file, 'utf8').matchAll(/"Fn::ImportValue":\s*"([^"]+)"/g))
      if (m[1]!.startsWith(prefix)) names.add(m[1]!);
  }
  return createHash('sha256')
    .update(JSON.stringify([...names]))
    .digest('hex')
    .slice(0, 32);
}
