import { randomBytes } from 'node:crypto';
import {
  existsSync,
  linkSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  realpathSync,
  statSync,
  unlinkSync,
} from 'node:fs';
import { join, relative, resolve, isAbsolute } from 'node:path';
import semver from 'semver';
import {
  MeshError,
  NAME_PATTERN,
  syncDirectory,
  writeFileAtomic,
  writeNewFileDurable,
  type WriteFn,
} from '@meshkit/contracts';
import type { CatalogBackend, CatalogProduct, PublishOutcome } from './backend.js';
import {
  manifestProblem,
  recordProblem,
  sameContract,
  sealManifest,
  sealRecord,
  type CatalogRecord,
  type ProductManifestRecord,
  type StoredManifestRecord,
  type StoredRecord,
} from './record.js';

const TEMP = /^\..*\.tmp$/;

/**
 * The embedded local catalog: plain files, one immutable JSON record per version at
 * `<dir>/<domain>/<product>/v<major>/<version>.json`. A version is written to a temp file in
 * the same directory, then published with link(2), which fails if the name exists — so several
 * processes may publish at once without locks, a version is never overwritten, and a reader
 * sees a whole record or none. Temp files (`.<version>.json.<pid>.<random>.tmp`) are ignored by
 * readers and removed by {@link LocalCatalog.removeStaleTempFiles}.
 */
export class LocalCatalog implements CatalogBackend {
  readonly kind = 'local';
  /** Absolute directory of the catalog. */
  readonly location: string;
  /** Repository root the catalog belongs to, when opened for one. */
  readonly root?: string;

  /**
   * @param dir the catalog directory (created on first publish).
   * @param root the repository root it belongs to, when known (`openLocalCatalog` passes it).
   * @param write @internal the write function of record files (tests inject short writes). @default fs.writeSync
   */
  constructor(
    dir: string,
    root?: string,
    private readonly write?: WriteFn,
  ) {
    this.location = resolve(dir);
    if (root !== undefined) this.root = resolve(root);
  }

  async list(): Promise<CatalogProduct[]> {
    const out: CatalogProduct[] = [];
    for (const domain of this.dirs(this.location)) {
      for (const product of this.dirs(join(this.location, domain))) {
        const versions = this.versionsSync(domain, product);
        if (versions.length) out.push({ domain, product, versions, majors: groupByMajor(versions) });
      }
    }
    return out;
  }

  /** One stat per record file and per product metadata record (inode, size, modification time), no read: see {@link CatalogBackend.fingerprints}. */
  async fingerprints(): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for (const domain of this.dirs(this.location)) {
      for (const product of this.dirs(join(this.location, domain))) {
        for (const v of this.versionsSync(domain, product)) {
          const st = statSync(this.fileOf(domain, product, v), { throwIfNoEntry: false });
          if (st) out.set(`${domain}/${product}@${v}`, `${st.ino}:${st.size}:${st.mtimeMs}`);
        }
        const meta = statSync(this.manifestFileOf(domain, product), { throwIfNoEntry: false });
        if (meta) out.set(`${domain}/${product}`, `${meta.ino}:${meta.size}:${meta.mtimeMs}`);
      }
    }
    return out;
  }

  async versions(domain: string, product: string): Promise<string[]> {
    checkNames(domain, product);
    this.guardFolders(domain, product);
    return this.versionsSync(domain, product);
  }

  async get(domain: string, product: string, version: string): Promise<StoredRecord | undefined> {
    checkNames(domain, product, version);
    this.guardFolders(domain, product, version);
    const file = this.fileOf(domain, product, version);
    if (!existsSync(file)) return undefined;
    return readRecord(file, { domain, product, version });
  }

  /** Whether the version is published (its record is read and checked: corruption is reported). */
  async has(domain: string, product: string, version: string): Promise<boolean> {
    return (await this.get(domain, product, version)) !== undefined;
  }

  async publish(record: CatalogRecord): Promise<PublishOutcome> {
    checkNames(record.domain, record.product, record.version);
    const major = semver.major(record.version);
    if (record.major !== major)
      throw new MeshError('USAGE', `record of ${record.version} says major ${record.major}`, { exitCode: 2 });
    this.guardFolders(record.domain, record.product, record.version);
    const file = this.fileOf(record.domain, record.product, record.version);
    const sealed = sealRecord(record);
    if (existsSync(file)) return this.compare(file, sealed);
    const dir = join(this.location, record.domain, record.product, `v${major}`);
    const temp = join(dir, `.${record.version}.json.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
    try {
      mkdirSync(dir, { recursive: true });
    } catch (e) {
      throw unwritable(this.location, dir, e);
    }
    try {
      try {
        // Every byte checked (a short write on a full disk is ENOSPC, not a truncated record) and fsynced.
        writeNewFileDurable(temp, JSON.stringify(sealed, null, 2) + '\n', this.write);
      } catch (e) {
        throw unwritable(this.location, temp, e);
      }
      // Read back and verified (both hashes) before it gets its name.
      verifyWritten(temp, sealed, this.location);
      try {
        linkSync(temp, file); // atomic, never replaces an existing name
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'EEXIST') return this.compare(file, sealed);
        throw unwritable(this.location, file, e);
      }
      syncDirectory(dir);
      // The published name re-read and verified before "published" is reported.
      try {
        verifyWritten(file, sealed, this.location);
      } catch (e) {
        try {
          unlinkSync(file);
        } catch {
          /* gone */
        }
        throw e;
      }
      return 'published';
    } finally {
      try {
        unlinkSync(temp);
      } catch {
        /* already gone */
      }
    }
  }

  /**
   * Removes temp files left by publishes that died half-way (they are never read).
   * @param olderThanMs only files whose last change is older than this. @default 600000 (10 min: a live publish is never that slow)
   * @returns the removed paths
   */
  removeStaleTempFiles(olderThanMs = 600_000): string[] {
    const removed: string[] = [];
    const now = Date.now();
    for (const domain of this.dirs(this.location)) {
      for (const product of this.dirs(join(this.location, domain))) {
        for (const m of this.dirs(join(this.location, domain, product))) {
          const dir = join(this.location, domain, product, m);
          for (const f of readdirSync(dir)) {
            if (!TEMP.test(f)) continue;
            const p = join(dir, f);
            try {
              if (now - statSync(p).mtimeMs >= olderThanMs) {
                unlinkSync(p);
                removed.push(p);
              }
            } catch {
              /* removed concurrently */
            }
          }
        }
      }
    }
    return removed;
  }

  /** Path of a version's record file. */
  fileOf(domain: string, product: string, version: string): string {
    return join(this.location, domain, product, `v${semver.major(version)}`, `${version}.json`);
  }

  /** The product's metadata record (`<catalog>/<domain>/<product>/product.json`). */
  manifestFileOf(domain: string, product: string): string {
    return join(this.location, domain, product, 'product.json');
  }

  async publishManifest(record: ProductManifestRecord): Promise<PublishOutcome> {
    checkNames(record.domain, record.product);
    this.guardFolders(record.domain, record.product);
    const file = this.manifestFileOf(record.domain, record.product);
    const sealed = sealManifest(record);
    if (existsSync(file) && readManifest(file).contentHash === sealed.contentHash) return 'unchanged';
    try {
      writeFileAtomic(file, JSON.stringify(sealed, null, 2) + '\n');
    } catch (e) {
      throw new MeshError(
        'USAGE',
        `cannot write the catalog ${this.location}: ${(e as Error).message.replace(/; nothing was changed$/, '')}; the product's metadata was not published (its last one stays)`,
        { file, exitCode: 2, cause: e },
      );
    }
    const back = readManifest(file);
    if (back.sha256 !== sealed.sha256) {
      throw new MeshError(
        'USAGE',
        `cannot write the catalog ${this.location}: ${file} does not read back as written; check the disk and publish again`,
        { file, exitCode: 2 },
      );
    }
    return 'published';
  }

  async getManifest(domain: string, product: string): Promise<StoredManifestRecord | undefined> {
    checkNames(domain, product);
    const file = this.manifestFileOf(domain, product);
    return existsSync(file) ? readManifest(file) : undefined;
  }

  private compare(file: string, sealed: StoredRecord): PublishOutcome {
    const existing = readRecord(file, sealed);
    // Equal content, or the same contract with other product metadata or other compiled artefacts
    // (see sameContract): the version is already published.
    if (existing.contentHash === sealed.contentHash || sameContract(existing, sealed)) return 'unchanged';
    throw new MeshError(
      'CATALOG_VERSION_CONFLICT',
      `${sealed.domain}/${sealed.product} ${sealed.version} is already published with different content (published ${existing.publishedAt}); versions are immutable: bump the contract version`,
      { file, exitCode: 1 },
    );
  }

  private versionsSync(domain: string, product: string): string[] {
    const base = join(this.location, domain, product);
    const out: string[] = [];
    for (const m of this.dirs(base)) {
      if (!/^v\d+$/.test(m)) continue;
      for (const f of readdirSync(join(base, m))) {
        if (TEMP.test(f) || !f.endsWith('.json')) continue;
        const v = f.slice(0, -'.json'.length);
        if (semver.valid(v) === v && `v${semver.major(v)}` === m) out.push(v);
      }
    }
    return out.sort(semver.compare);
  }

  private dirs(dir: string): string[] {
    if (!existsSync(dir)) return [];
    if (!statSync(dir).isDirectory()) {
      throw new MeshError(
        'INPUT_UNREADABLE',
        `the catalog ${this.location} is not a directory (${dir} is a file): set catalog.path in mesh.config.yaml to a directory`,
        { file: dir, exitCode: 2 },
      );
    }
    const out: string[] = [];
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.name.startsWith('.')) continue;
      if (e.isSymbolicLink()) {
        // A symlinked folder is followed only when it stays inside the catalog.
        const target = this.guardLink(join(dir, e.name));
        if (target !== undefined && statSync(target).isDirectory()) out.push(e.name);
      } else if (e.isDirectory()) {
        out.push(e.name);
      }
    }
    return out.sort();
  }

  /** Refuses domain and product folders (and their major folders) that are symlinks out of the catalog. */
  private guardFolders(domain: string, product: string, version?: string): void {
    let p = this.location;
    for (const part of version === undefined ? [domain, product] : [domain, product, `v${semver.major(version)}`]) {
      p = join(p, part);
      this.guardLink(p);
    }
  }

  /**
   * For a symlink: its real target, when inside the catalog (a dangling one: undefined); a symlink
   * pointing out of the catalog is refused (exit 2). Not a symlink (or absent): `path` itself.
   */
  private guardLink(path: string): string | undefined {
    let st;
    try {
      st = lstatSync(path);
    } catch {
      return path;
    }
    if (!st.isSymbolicLink()) return path;
    let target: string;
    try {
      target = realpathSync(path);
    } catch {
      return undefined;
    }
    let base: string;
    try {
      base = realpathSync(this.location);
    } catch {
      base = this.location;
    }
    const rel = relative(base, target);
    if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) {
      throw new MeshError(
        'INPUT_UNREADABLE',
        `${path} is a symlink to ${target}, outside the catalog ${this.location}: a domain or product folder of the catalog must be a real folder inside it (records are read and published there); replace the link with the folder itself`,
        { file: path, exitCode: 2 },
      );
    }
    return target;
  }
}

function groupByMajor(versions: string[]): CatalogProduct['majors'] {
  const out: CatalogProduct['majors'] = [];
  for (const v of versions) {
    const major = semver.major(v);
    const last = out[out.length - 1];
    if (last?.major === major) last.versions.push(v);
    else out.push({ major, versions: [v] });
  }
  return out;
}

/** A file-system error while writing the catalog, as an error a person can act on (exit 2). */
function unwritable(location: string, path: string, e: unknown): unknown {
  const err = e as NodeJS.ErrnoException;
  if (!err?.code) return e;
  return new MeshError(
    'USAGE',
    `cannot write the catalog ${location} (${err.code}: ${err.message}); nothing was published: make it a writable directory, or set catalog.path in mesh.config.yaml`,
    { file: path, exitCode: 2, cause: e },
  );
}

function checkNames(domain: string, product: string, version?: string): void {
  if (!NAME_PATTERN.test(domain))
    throw new MeshError('USAGE', `'${domain}' is not a domain name (lowercase kebab-case)`, { exitCode: 2 });
  if (!NAME_PATTERN.test(product))
    throw new MeshError('USAGE', `'${product}' is not a product name (lowercase kebab-case)`, { exitCode: 2 });
  if (version !== undefined && semver.valid(version) !== version) {
    throw new MeshError('USAGE', `'${version}' is not a semantic version (MAJOR.MINOR.PATCH)`, { exitCode: 2 });
  }
}

/** Reads and verifies a record file; never repairs. */
function readRecord(file: string, expected: { domain: string; product: string; version: string }): StoredRecord {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new MeshError(
      'INPUT_UNREADABLE',
      `cannot read the catalog record (${err.code ?? 'error'}: ${err.message}): check its permissions, or that it is a file`,
      { file, exitCode: 2, cause: e },
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new MeshError(
      'CATALOG_CORRUPT',
      `corrupted catalog record (not valid JSON: ${(e as Error).message}); it is not repaired automatically: restore it from a backup or republish into a fresh catalog`,
      { file, exitCode: 2 },
    );
  }
  let problem = recordProblem(value);
  const r = value as StoredRecord;
  if (!problem && (r.domain !== expected.domain || r.product !== expected.product || r.version !== expected.version)) {
    problem = `the record is ${r.domain}/${r.product} ${r.version}, but its path says ${expected.domain}/${expected.product} ${expected.version}`;
  }
  if (problem) {
    throw new MeshError(
      'CATALOG_CORRUPT',
      `corrupted catalog record (${problem}); it is not repaired automatically: restore it from a backup or republish into a fresh catalog`,
      { file, exitCode: 2 },
    );
  }
  return r;
}

/** Reads and verifies a product manifest record; never repairs. */
function readManifest(file: string): StoredManifestRecord {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new MeshError(
      'CATALOG_CORRUPT',
      `corrupted product record (${(e as Error).message}); it is not repaired automatically: publish the product again to replace it`,
      { file, exitCode: 2 },
    );
  }
  const problem = manifestProblem(value);
  if (problem)
    throw new MeshError(
      'CATALOG_CORRUPT',
      `corrupted product record (${problem}); it is not repaired automatically: publish the product again to replace it`,
      { file, exitCode: 2 },
    );
  return value as StoredManifestRecord;
}

/**
 * Re-reads a written record file and checks it is exactly `sealed` (its hashes verified): a
 * record the disk did not keep whole is never reported as published.
 * @throws MeshError (exit 2) "nothing was published"
 */
function verifyWritten(file: string, sealed: StoredRecord, location: string): void {
  let problem: string | undefined;
  try {
    const value: unknown = JSON.parse(readFileSync(file, 'utf8'));
    problem =
      recordProblem(value) ??
      ((value as StoredRecord).sha256 !== sealed.sha256 || (value as StoredRecord).contentHash !== sealed.contentHash
        ? 'its hashes differ from the record written'
        : undefined);
  } catch (e) {
    problem = `it cannot be read back: ${(e as Error).message}`;
  }
  if (problem) {
    throw new MeshError(
      'USAGE',
      `cannot write the catalog ${location}: the record written to ${file} does not read back whole (${problem}); nothing was published: check the disk (free space, errors) and publish again`,
      { file, exitCode: 2 },
    );
  }
}
