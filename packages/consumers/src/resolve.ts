import semver from 'semver';
import { majorOf, type OdcsContract, type RepositoryProduct } from '@meshkit/contracts';
import type { MeshModel } from './mesh.js';

/** Where a served version was found. */
export type VersionSource = 'catalog' | 'workspace';

/** A version of a producer's contract that consumers can resolve to. */
export interface ServedVersion {
  version: string;
  major: number;
  /** `catalog`: published; `workspace`: a contract file of the producer not published yet. */
  source: VersionSource;
  /** The contract file, for workspace versions (absolute path). */
  file?: string;
}

/** What a producer serves. */
export interface ServedSet {
  /** Majors served: the current contract's and those of `servedMajors`, ascending. */
  majors: number[];
  /** Every served version, ascending (a version published and in the workspace is listed once, as `catalog`). */
  versions: ServedVersion[];
}

/** Options of {@link servedVersions}. */
export interface ServedOptions {
  /** Leave this major out (what would be served after `mesh retire`). @default none */
  withoutMajor?: number;
  /**
   * Take this as the current contract's version instead of the working copy's (what was served
   * before a pending change: the baseline's version); `null`: no current version. @default the working copy's
   */
  currentVersion?: string | null;
}

/**
 * The versions a producer serves: the versions published in the catalog whose major is still
 * served by its product.yaml (the current contract's major or a `servedMajors` entry), plus the
 * workspace contracts (current and `servedMajors`) whose version is not published yet.
 * Unreadable or invalid contracts contribute nothing (their own lint reports them).
 */
export async function servedVersions(
  model: MeshModel,
  producer: RepositoryProduct,
  options: ServedOptions = {},
): Promise<ServedSet> {
  const workspace: Array<{ version: string; file: string }> = [];
  const majors = new Set<number>();
  const current = producer.readContract();
  const currentVersion =
    options.currentVersion !== undefined
      ? options.currentVersion
      : 'loaded' in current && current.loaded.contract
        ? String(current.loaded.contract.version)
        : null;
  if (currentVersion !== null) {
    const major = majorOf(currentVersion, { loose: true });
    if (major !== undefined) majors.add(major);
    workspace.push({ version: currentVersion, file: producer.contractFile });
  }
  for (const m of producer.servedMajorEntries) {
    majors.add(m.major);
    const r = m.readContract();
    if ('loaded' in r && r.loaded.contract)
      workspace.push({ version: String(r.loaded.contract.version), file: m.contractFile });
  }
  if (options.withoutMajor !== undefined) majors.delete(options.withoutMajor);
  const out = new Map<string, ServedVersion>();
  for (const v of await model.catalog.versions(producer.domain, producer.product)) {
    const major = majorOf(v, { loose: true });
    if (semver.valid(v) && major !== undefined && majors.has(major))
      out.set(v, { version: v, major, source: 'catalog' });
  }
  for (const w of workspace) {
    const v = semver.valid(w.version);
    const major = majorOf(w.version, { loose: true });
    if (v && major !== undefined && majors.has(major) && !out.has(v))
      out.set(v, { version: v, major, source: 'workspace', file: w.file });
  }
  return {
    majors: [...majors].sort((a, b) => a - b),
    versions: [...out.values()].sort((a, b) => semver.compare(a.version, b.version)),
  };
}

/** The highest served version satisfying `range` (undefined when none does or the range is malformed). */
export function highestSatisfying(served: readonly ServedVersion[], range: string): ServedVersion | undefined {
  if (semver.validRange(range) === null) return undefined;
  let best: ServedVersion | undefined;
  for (const s of served)
    if (semver.satisfies(s.version, range) && (!best || semver.gt(s.version, best.version))) best = s;
  return best;
}

/** The contract of a served version: the published record's, or the workspace file's. */
export async function contractOfVersion(
  model: MeshModel,
  producer: RepositoryProduct,
  v: ServedVersion,
): Promise<OdcsContract | undefined> {
  if (v.source === 'catalog') return (await model.catalog.get(producer.domain, producer.product, v.version))?.contract;
  const f = producer.contractFiles.find((c) => c.contractFile === v.file);
  const r = f?.readContract();
  return r && 'loaded' in r ? r.loaded.contract : undefined;
}

/**
 * The producer's workspace contract (current or a `servedMajors` one) whose version is `version`,
 * if any. Deprecation windows are judged on it: a producer deprecates a version by editing that
 * file after the version was published, and published records never change.
 */
export function workspaceContractOf(producer: RepositoryProduct, version: string): OdcsContract | undefined {
  for (const f of producer.contractFiles) {
    const r = f.readContract();
    const c = 'loaded' in r ? r.loaded.contract : undefined;
    if (c && semver.valid(String(c.version)) === version) return c;
  }
  return undefined;
}

/** `1.0.0, 1.1.0 (catalog); 2.0.0 (workspace)`: served versions for messages. */
export function describeServed(set: ServedSet): string {
  if (!set.versions.length)
    return set.majors.length ? `no version of major ${set.majors.join(', ')} is readable` : 'nothing';
  const groups: string[] = [];
  for (const source of ['catalog', 'workspace'] as const) {
    const vs = set.versions.filter((v) => v.source === source).map((v) => v.version);
    if (vs.length) groups.push(`${vs.join(', ')} (${source})`);
  }
  return groups.join('; ');
}

/** How one `consumes` entry resolved. */
export type ResolutionStatus = 'resolved' | 'bad-range' | 'unknown' | 'self' | 'unsatisfied';

/** One `consumes` entry of a product and what it resolves to. */
export interface Resolution {
  /** The consuming product. */
  consumer: RepositoryProduct;
  /** Index of the entry in `consumes`. */
  index: number;
  /** `<domain>/<product>` of the producer, as written. */
  producer: string;
  range: string;
  /** Columns the consumer reads; undefined: every column. */
  columns: string[] | undefined;
  status: ResolutionStatus;
  /** What the producer serves (absent for `unknown`, `self`, `bad-range`). */
  served?: ServedSet;
  /** The highest served version satisfying the range (status `resolved`), and its contract. */
  resolved?: ServedVersion & { contract: OdcsContract | undefined };
}

/**
 * Resolves every `consumes` entry of `consumer` against what its producers serve: the resolved
 * version is the highest served version satisfying the range.
 */
export async function resolveConsumes(model: MeshModel, consumer: RepositoryProduct): Promise<Resolution[]> {
  const out: Resolution[] = [];
  const cache = new Map<string, ServedSet>();
  for (const [index, c] of consumer.manifest.consumes.entries()) {
    const base = { consumer, index, producer: c.product, range: c.version, columns: c.columns };
    if (c.product === consumer.ref) {
      out.push({ ...base, status: 'self' });
      continue;
    }
    const producer = model.products.get(c.product);
    if (!producer) {
      out.push({ ...base, status: 'unknown' });
      continue;
    }
    if (semver.validRange(c.version) === null) {
      out.push({ ...base, status: 'bad-range' });
      continue;
    }
    let served = cache.get(c.product);
    if (!served) cache.set(c.product, (served = await servedVersions(model, producer)));
    const best = highestSatisfying(served.versions, c.version);
    if (!best) {
      out.push({ ...base, status: 'unsatisfied', served });
      continue;
    }
    out.push({
      ...base,
      status: 'resolved',
      served,
      resolved: { ...best, contract: await contractOfVersion(model, producer, best) },
    });
  }
  return out;
}

/** Column names of a contract: the top-level properties of every schema object. */
export function columnsOf(contract: OdcsContract | undefined): string[] {
  const out: string[] = [];
  for (const o of Array.isArray(contract?.schema) ? contract.schema : []) {
    for (const p of Array.isArray(o?.properties) ? o.properties : [])
      if (p && typeof p.name === 'string') out.push(p.name);
  }
  return out;
}
