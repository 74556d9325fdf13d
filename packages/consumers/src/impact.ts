import semver from 'semver';
import {
  deprecationOf,
  diffContracts,
  majorOf,
  MeshError,
  type Change,
  type ContractInput,
  type Deprecation,
  type DiffResult,
  type Location,
  type OdcsContract,
  type RepositoryProduct,
} from '@meshkit/contracts';
import { releaseBaseline } from '@meshkit/catalog';
import { closeMatch } from './rules/helpers.js';
import { loadMeshModel, type LoadMeshOptions, type MeshModel } from './mesh.js';
import { columnsOf, describeServed, highestSatisfying, servedVersions, type ServedSet } from './resolve.js';
import { formatDeprecation, shownFile } from './render.js';

/** What a change does to one consumer. */
export type ConsumerVerdict = 'breaks' | 'affected' | 'ok';

/** One direct or transitive consumer of the product and what the change does to it. */
export interface ConsumerImpact {
  /** `<domain>/<product>` of the consumer. */
  consumer: string;
  /** Consumes the product itself (else through other consumers). */
  direct: boolean;
  /** Shortest chain of consumes edges from the product to the consumer: `[product, …, consumer]`. */
  path: string[];
  /** The consumer's range of the product (direct consumers). */
  range?: string;
  /** Columns the consumer reads (direct consumers); null: every column. */
  columns?: string[] | null;
  /** Version the range resolves to before the change (direct consumers); null: none. */
  before?: string | null;
  /** Version the range resolves to after the change (direct consumers); null: none. */
  after?: string | null;
  verdict: ConsumerVerdict;
  /** Why, one sentence each (empty for a consumer the change leaves alone). */
  reasons: string[];
  /** The consumer's `consumes` entry in its product.yaml (direct consumers). */
  location?: Location;
}

/** The deprecation window of one served contract of the product. */
export interface ServedDeprecation extends Deprecation {
  version: string;
  major: number;
  /** `current` or `servedMajors`. */
  from: 'current' | 'servedMajors';
}

/** Result of {@link analyzeImpact}. */
export interface ImpactReport {
  /** `<domain>/<product>`. */
  product: string;
  /** The working-copy contract version. */
  version: string;
  /** What the working copy was compared with; null when there is none (a first version). */
  baseline: { label: string; version: string } | null;
  /** The compatibility diff baseline → working copy; null without a baseline. */
  diff: DiffResult | null;
  /** Served versions before and after the change. */
  served: { before: ServedSet; after: ServedSet };
  /** Deprecation windows of the current contract and of every served older major. */
  deprecation: ServedDeprecation[];
  /** Every direct and transitive consumer, direct first, then by depth and name. */
  consumers: ConsumerImpact[];
  /** Number of consumers the change breaks / affects through a broken consumer. */
  breaks: number;
  affected: number;
}

/** Options of {@link analyzeImpact}. */
export interface ImpactOptions extends LoadMeshOptions {
  /**
   * Baseline: a contract file (relative to `cwd`) or a git ref.
   * @default the latest published version of the same major in the catalog, else git HEAD (`releaseBaseline`)
   */
  against?: string;
  /** Directory `against` and display names are relative to. @default process.cwd() */
  cwd?: string;
  /** The instant deprecation windows are judged at. @default new Date() */
  now?: Date;
  /** An already loaded mesh. @default loaded from `root` */
  model?: MeshModel;
}

/** The pending change of a producer, as the consumer judgement sees it. */
export interface PendingChange {
  /** Version of the working copy. */
  version: string;
  baseline: OdcsContract;
  next: OdcsContract;
  diff: DiffResult;
}

interface Edge {
  consumer: RepositoryProduct;
  index: number;
}

/** Reverse `consumes` edges between existing products (self edges left out): producer → its consumers. */
export function consumersIndex(model: MeshModel): Map<string, Edge[]> {
  const rev = new Map<string, Edge[]>();
  for (const [ref, p] of model.products) {
    p.manifest.consumes.forEach((c, index) => {
      if (c.product === ref || !model.products.has(c.product)) return;
      let list = rev.get(c.product);
      if (!list) rev.set(c.product, (list = []));
      list.push({ consumer: p, index });
    });
  }
  return rev;
}

const COLUMN_PATH = /^schema\[[^\]]*\]\.properties\[([^\]]*)\]/;

/** The column (top-level property) a change is about, else undefined (object- or contract-level). */
export function changedColumn(change: Pick<Change, 'path'>): string | undefined {
  return COLUMN_PATH.exec(change.path)?.[1];
}

/**
 * Why a pending change breaks a consumer reading `columns` (undefined: every column) of the
 * new version: a consumed column removed or renamed, a breaking change to a consumed column, or
 * a breaking change not tied to a column. Empty when it breaks nothing the consumer reads.
 */
export function breakingReasons(change: PendingChange, columns: readonly string[] | undefined): string[] {
  const reasons: string[] = [];
  const newColumns = new Set(columnsOf(change.next));
  const read = columns ?? columnsOf(change.baseline);
  const gone = new Set<string>();
  for (const c of read) {
    if (newColumns.has(c) || !columnsOf(change.baseline).includes(c)) continue;
    gone.add(c);
    const rename = change.diff.changes.find(
      (x) => x.rule === 'PROPERTY_RENAMED' && x.message.includes(`'${c}' renamed to`),
    );
    reasons.push(rename ? `consumed column '${c}' renamed (${rename.message})` : `consumed column '${c}' removed`);
  }
  for (const ch of change.diff.changes) {
    if (ch.severity !== 'error') continue;
    const col = changedColumn(ch);
    if (col === undefined) reasons.push(`${ch.rule}: ${ch.message} (a breaking change inside the accepted range)`);
    else if (!gone.has(col) && (columns === undefined || columns.includes(col)) && ch.rule !== 'PROPERTY_REMOVED') {
      reasons.push(`${ch.rule} on consumed column '${col}': ${ch.message}`);
    }
  }
  return reasons;
}

/**
 * Judges every direct and transitive consumer of `producer` when what it serves goes from
 * `before` to `after` and, optionally, its working copy carries `change`:
 * - a direct consumer breaks when its range is no longer satisfied by any served version, or
 *   when it would read the changed version and {@link breakingReasons} finds something;
 * - a consumer that keeps reading another served version (e.g. the old major served side by
 *   side) is not broken by the change;
 * - every consumer downstream of a broken one (through consumes edges) is `affected`.
 */
export function judgeConsumers(
  model: MeshModel,
  producer: RepositoryProduct,
  before: ServedSet,
  after: ServedSet,
  change?: PendingChange,
): ConsumerImpact[] {
  const rev = consumersIndex(model);
  const out = new Map<string, ConsumerImpact>();
  // Breadth first from the producer: shortest paths and depths.
  const queue: Array<{ ref: string; path: string[] }> = [{ ref: producer.ref, path: [producer.ref] }];
  const seen = new Set([producer.ref]);
  while (queue.length) {
    const { ref, path } = queue.shift()!;
    for (const e of rev.get(ref) ?? []) {
      const cref = e.consumer.ref;
      if (ref === producer.ref) {
        // Several entries for the same producer are judged together; the first is kept for position.
        const c = e.consumer.manifest.consumes[e.index]!;
        const prior = out.get(cref);
        const judged = judgeDirect(e, c, before, after, change);
        if (prior?.direct) {
          prior.reasons.push(...judged.reasons);
          if (judged.verdict === 'breaks') prior.verdict = 'breaks';
        } else {
          out.set(cref, { ...judged, path: [producer.ref, cref] });
        }
      }
      if (seen.has(cref)) continue;
      seen.add(cref);
      if (!out.has(cref))
        out.set(cref, { consumer: cref, direct: false, path: [...path, cref], verdict: 'ok', reasons: [] });
      queue.push({ ref: cref, path: [...path, cref] });
    }
  }
  // Downstream of a broken consumer: affected. One breadth-first walk from every broken consumer
  // at once gives each affected consumer its chain from the nearest one.
  const broken = [...out.values()]
    .filter((c) => c.verdict === 'breaks')
    .map((c) => c.consumer)
    .sort();
  const chainOf = new Map<string, string[]>(broken.map((b) => [b, [b]]));
  const q = [...broken];
  for (let i = 0; i < q.length; i++) {
    const ref = q[i]!;
    for (const e of rev.get(ref) ?? []) {
      const cref = e.consumer.ref;
      if (chainOf.has(cref) || cref === producer.ref) continue;
      const chain = [...chainOf.get(ref)!, cref];
      chainOf.set(cref, chain);
      q.push(cref);
      const c = out.get(cref);
      if (c && c.verdict !== 'breaks') {
        c.reasons = c.reasons.filter((r) => !r.startsWith('reads '));
        c.verdict = 'affected';
        c.reasons.push(`through ${chain.join(' → ')}: ${chain[0]} breaks, so its output may change or stop`);
      }
    }
  }
  return [...out.values()].sort(
    (a, b) =>
      Number(b.direct) - Number(a.direct) || a.path.length - b.path.length || a.consumer.localeCompare(b.consumer),
  );
}

function judgeDirect(
  e: Edge,
  c: { version: string; columns?: string[] },
  before: ServedSet,
  after: ServedSet,
  change?: PendingChange,
): Omit<ConsumerImpact, 'path'> {
  const base = {
    consumer: e.consumer.ref,
    direct: true,
    range: c.version,
    columns: c.columns ?? null,
    location: e.consumer.loadedManifest.source.locate(['consumes', e.index]),
  };
  if (semver.validRange(c.version) === null) {
    return {
      ...base,
      before: null,
      after: null,
      verdict: 'ok',
      reasons: [`range '${c.version}' is not a semver range (mesh lint reports it)`],
    };
  }
  const b = highestSatisfying(before.versions, c.version);
  const a = highestSatisfying(after.versions, c.version);
  const versions = { before: b?.version ?? null, after: a?.version ?? null };
  if (!a) {
    return b
      ? {
          ...base,
          ...versions,
          verdict: 'breaks',
          reasons: [
            `range ${c.version} is no longer satisfied by any served version: served after the change ${describeServed(after)}`,
          ],
        }
      : {
          ...base,
          ...versions,
          verdict: 'ok',
          reasons: [`range ${c.version} was not satisfied before the change either (mesh lint reports it)`],
        };
  }
  if (change && a.version === change.version) {
    const reasons = breakingReasons(change, c.columns);
    if (reasons.length) return { ...base, ...versions, verdict: 'breaks', reasons };
    return { ...base, ...versions, verdict: 'ok', reasons: [] };
  }
  return {
    ...base,
    ...versions,
    verdict: 'ok',
    reasons: change ? [`reads ${a.version} (major ${a.major} still served), not the changed ${change.version}`] : [],
  };
}

/** The product named `ref`, or a usage error naming the closest one. */
export function requireProduct(model: MeshModel, ref: string): RepositoryProduct {
  const p = model.products.get(ref);
  if (p) return p;
  const near = closeMatch(ref, [...model.products.keys()]);
  throw new MeshError('USAGE', `no product '${ref}' in ${model.root}${near ? ` (did you mean ${near}?)` : ''}`, {
    exitCode: 2,
  });
}

/** The working-copy contract of a product, or a MeshError (exit 2) when it is unreadable or invalid. */
export function requireContract(p: RepositoryProduct): ContractInput {
  const r = p.readContract();
  if ('error' in r) throw r.error;
  if (!r.loaded.contract) {
    const d = r.loaded.diagnostics[0];
    throw new MeshError(
      'INVALID_CONTRACT',
      `the contract of ${p.ref} is not valid: ${d?.message ?? 'see mesh contract lint'}`,
      {
        file: r.loaded.source.file,
        line: d?.location.line,
        column: d?.location.column,
        exitCode: 2,
        details: r.loaded.diagnostics,
      },
    );
  }
  return r.loaded as ContractInput;
}

/** Deprecation windows of the current contract and every served older major of a product. */
export function servedDeprecations(p: RepositoryProduct, now: Date): ServedDeprecation[] {
  const out: ServedDeprecation[] = [];
  const add = (contract: OdcsContract | undefined, from: ServedDeprecation['from']) => {
    const major = majorOf(contract?.version, { loose: true });
    if (contract && major !== undefined)
      out.push({ ...deprecationOf(contract, now), version: String(contract.version), major, from });
  };
  const c = p.readContract();
  add('loaded' in c ? c.loaded.contract : undefined, 'current');
  for (const m of p.servedMajorEntries) {
    const r = m.readContract();
    add('loaded' in r ? r.loaded.contract : undefined, 'servedMajors');
  }
  return out;
}

/**
 * `mesh impact`: the pending change of a product (its working-copy contract against its release
 * baseline, `releaseBaseline` of @meshkit/catalog, diffed with `diffContracts`) and what it does
 * to every direct and transitive consumer (see {@link judgeConsumers}).
 * @throws MeshError (exit 2) for an unknown product, an unreadable or invalid contract or baseline
 */
export async function analyzeImpact(root: string, ref: string, options: ImpactOptions = {}): Promise<ImpactReport> {
  const model = options.model ?? loadMeshModel(root, options);
  const producer = requireProduct(model, ref);
  const current = requireContract(producer);
  const cwd = options.cwd ?? process.cwd();
  const baseline = await releaseBaseline(producer.contractFile, current, {
    ...(options.against !== undefined ? { against: options.against } : {}),
    cwd,
  });
  const version = String(current.contract.version);
  const after = await servedVersions(model, producer);
  let diff: DiffResult | null = null;
  let change: PendingChange | undefined;
  let before = after;
  if (baseline) {
    diff = diffContracts([baseline], current);
    change = { version, baseline: baseline.contract, next: current.contract, diff };
    before = await servedVersions(model, producer, { currentVersion: String(baseline.contract.version) });
  }
  const consumers = judgeConsumers(model, producer, before, after, change);
  for (const c of consumers) if (c.location) c.location = { ...c.location, file: shownFile(c.location.file, cwd) };
  // A direct consumer left alone by the change may still read a deprecated or end-of-life
  // version: said here as mesh lint (PRODUCT-CONSUMES-DEPRECATED) judges it, so both agree.
  const deprecation = servedDeprecations(producer, options.now ?? new Date());
  for (const c of consumers) {
    const d = c.direct && c.after ? deprecation.find((x) => x.version === c.after) : undefined;
    if (!d || d.phase === 'active') continue;
    const fails = d.phase === 'end-of-life' || d.phase === 'retired';
    c.reasons.push(
      `resolves to ${formatDeprecation([d])[0]}: mesh lint ${fails ? 'fails' : 'warns'} (PRODUCT-CONSUMES-DEPRECATED)`,
    );
  }
  return {
    product: producer.ref,
    version,
    baseline: baseline
      ? { label: shownFile(baseline.source.file, cwd), version: String(baseline.contract.version) }
      : null,
    diff,
    served: { before, after },
    deprecation,
    consumers,
    breaks: consumers.filter((c) => c.verdict === 'breaks').length,
    affected: consumers.filter((c) => c.verdict === 'affected').length,
  };
}
