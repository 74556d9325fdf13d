import { existsSync, readFileSync, renameSync, rmSync, unlinkSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { isSeq, parseDocument } from 'yaml';
import { majorOf, MeshError, writeFileDurable } from '@meshkit/contracts';
import { judgeConsumers, requireProduct, type ConsumerImpact } from './impact.js';
import { loadMeshModel, type LoadMeshOptions, type MeshModel } from './mesh.js';
import { servedVersions } from './resolve.js';

/** Options of {@link retireMajor}. */
export interface RetireOptions extends LoadMeshOptions {
  /** Check only: report who still depends on the major, change nothing. @default false */
  dryRun?: boolean;
  /** An already loaded mesh. @default loaded from `root` */
  model?: MeshModel;
  /**
   * Test hook, called after the folder is moved aside and before product.yaml is replaced; a
   * throw there must leave the product unchanged. @default none
   */
  beforeCommit?: () => void;
}

/** Result of {@link retireMajor}. */
export interface RetireResult {
  product: string;
  major: number;
  /** `retired`: product.yaml edited and the folder deleted; `refused`: consumers still depend on it (nothing changed); `dry-run`: nothing changed. */
  outcome: 'retired' | 'refused' | 'dry-run';
  /** Consumers whose range only the retired major satisfies (the impact analysis of retiring it). */
  dependents: ConsumerImpact[];
  /** Every consumer judged (direct and transitive). */
  consumers: ConsumerImpact[];
  /** Files and folders removed (absolute paths). */
  removed: string[];
  /** Files the entry named outside `majors/v<major>/`, left in place (absolute paths). */
  kept: string[];
}

/**
 * `mesh retire <d>/<p>@<major>`: stops serving an older major. Refused while a consumer's range
 * is satisfied only by that major (judged like `mesh impact`: the served set without the major);
 * otherwise removes the `servedMajors` entry from product.yaml (edited with the `yaml` Document
 * API, so comments and formatting survive) and deletes the major's folder `majors/v<major>/`.
 *
 * Atomic enough: the new product.yaml is written to a temp file first, the folder is renamed
 * aside, then the temp file replaces product.yaml (rename); a failure at any step undoes the
 * earlier ones, so the product is either unchanged or fully retired. The renamed-aside folder is
 * deleted last.
 *
 * Published catalog versions of the major stay (they are immutable); they are no longer served.
 * @throws MeshError (exit 2) for an unknown product, the current major, or a major that is not in `servedMajors`
 */
export async function retireMajor(
  root: string,
  ref: string,
  major: number,
  options: RetireOptions = {},
): Promise<RetireResult> {
  const model = options.model ?? loadMeshModel(root, options);
  const producer = requireProduct(model, ref);
  const c = producer.readContract();
  const current = 'loaded' in c && c.loaded.contract ? majorOf(c.loaded.contract.version, { loose: true }) : undefined;
  if (current === major) {
    throw new MeshError(
      'USAGE',
      `${ref}@${major} is the current major: only older majors listed in servedMajors can be retired`,
      { exitCode: 2 },
    );
  }
  const entry = producer.servedMajorEntries.find((m) => m.major === major);
  if (!entry) {
    const listed = producer.servedMajorEntries.map((m) => m.major);
    throw new MeshError(
      'USAGE',
      `${ref} does not serve major ${major} side by side${listed.length ? ` (servedMajors: ${listed.join(', ')})` : ' (servedMajors is empty)'}`,
      {
        file: producer.manifestFile,
        exitCode: 2,
      },
    );
  }
  const before = await servedVersions(model, producer);
  const after = await servedVersions(model, producer, { withoutMajor: major });
  const consumers = judgeConsumers(model, producer, before, after);
  const dependents = consumers.filter((x) => x.direct && x.verdict === 'breaks');
  const base = { product: ref, major, dependents, consumers, removed: [] as string[], kept: [] as string[] };
  if (dependents.length) return { ...base, outcome: 'refused' };
  if (options.dryRun) return { ...base, outcome: 'dry-run' };

  // The new product.yaml, comments kept.
  const text = readFileSync(producer.manifestFile, 'utf8');
  const doc = parseDocument(text);
  const seq = doc.get('servedMajors', true);
  if (!isSeq(seq))
    throw new MeshError('INVALID_CONFIG', 'servedMajors is not a list', { file: producer.manifestFile, exitCode: 2 });
  seq.items.splice(entry.index, 1);
  if (!seq.items.length) doc.delete('servedMajors');
  const next = doc.toString();

  const folder = join(producer.dir, 'majors', `v${major}`);
  const hasFolder = existsSync(folder);
  const stamp = `${process.pid}-${Date.now()}`;
  const tempYaml = join(producer.dir, `.product.yaml.${stamp}.tmp`);
  const aside = join(dirname(folder), `.v${major}.retiring-${stamp}`);
  writeFileDurable(tempYaml, next);
  try {
    if (hasFolder) renameSync(folder, aside);
    try {
      options.beforeCommit?.();
      renameSync(tempYaml, producer.manifestFile);
    } catch (e) {
      if (hasFolder) renameSync(aside, folder);
      throw e;
    }
  } catch (e) {
    if (existsSync(tempYaml)) unlinkSync(tempYaml);
    throw new MeshError('USAGE', `could not retire ${ref}@${major}, nothing changed: ${(e as Error).message}`, {
      file: producer.manifestFile,
      exitCode: 2,
      cause: e,
    });
  }
  if (hasFolder) rmSync(aside, { recursive: true, force: true });
  const removed = hasFolder ? [folder] : [];
  // Files of the entry outside majors/v<N>/ are left in place (they may be shared): reported as kept.
  const kept = [entry.contractFile, entry.compatibilitySqlFile].filter(
    (f) => relative(folder, f).startsWith('..') && existsSync(f),
  );
  return { ...base, outcome: 'retired', removed, kept };
}
