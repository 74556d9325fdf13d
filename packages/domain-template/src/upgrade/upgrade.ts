import { join } from 'node:path';
import semver from 'semver';
import { MeshError } from '@meshkit/contracts';
import { PROVENANCE_FILE, provenanceOf, serializeProvenance } from '../provenance.js';
import { TEMPLATE_PACKAGE } from '../render.js';
import { changesetFor } from './changeset.js';
import { dirtyFiles } from './git.js';
import { runMigrations, type Migration } from './migrate.js';
import { MIGRATIONS } from './migrations/index.js';
import { planUpgrade, type FileOutcome } from './plan.js';
import { readTree } from './tree.js';
import {
  findUnits,
  installedTemplates,
  renderRecorded,
  selectUnits,
  type TemplateSource,
  type TemplateUnit,
} from './units.js';
import { commitWrites, type FileWrite } from './write.js';

/** Options of {@link upgradeMesh}. */
export interface UpgradeOptions {
  /** `<domain>/<product>` or `<domain>`; exactly one of `target` and `all`. */
  target?: string;
  /** Every product and domain (and the platform) with provenance. @default false */
  all?: boolean;
  /** Target template version. @default the latest version of `templates` */
  to?: string;
  /** Write nothing; the result carries the plan and the unified diff. @default false */
  dryRun?: boolean;
  /** Where template versions come from. @default the installed templates ({@link installedTemplates}) */
  templates?: TemplateSource;
  /** Template migrations. @default the template's own ({@link MIGRATIONS}) */
  migrations?: readonly Migration[];
  /** Refuse to upgrade a folder with uncommitted changes (`git status`). Not checked for dry runs. @default true */
  requireClean?: boolean;
}

/** What happened to one product, domain or the platform. */
export interface UnitUpgrade {
  id: string;
  /** Folder relative to the repository root. */
  path: string;
  from: string;
  to: string;
  /** `conflict`: upgraded, with conflict markers left in `conflicts`. */
  status: 'up-to-date' | 'upgraded' | 'conflict';
  /** Every file of the old and new render (empty when up to date). */
  files: FileOutcome[];
  /** Files left with conflict markers, relative to the repository root. */
  conflicts: string[];
  /** Ids of the migrations that changed the tree. */
  migrations: string[];
  /** The changeset written, relative to the repository root (domains and the platform; products get none: their version is their contract's). */
  changeset?: string;
}

/** Result of {@link upgradeMesh}. */
export interface UpgradeResult {
  template: string;
  to: string;
  dryRun: boolean;
  units: UnitUpgrade[];
  /** Files written (or that would be), relative to the repository root. */
  written: string[];
  /** Files deleted (or that would be), relative to the repository root. */
  deleted: string[];
  /** Unified diff of every change (dry runs only). */
  diff: string;
  /** False when a file was left with conflict markers. */
  ok: boolean;
}

/**
 * `mesh upgrade`: brings products and domains to a template version. For each selected folder
 * behind the target: the working tree is read into memory (ours), the template migrations
 * between the recorded and the target version run on it, the recorded answers are rendered with
 * the target version (theirs) and merged file by file against the recorded render (the base —
 * stored in provenance for merged files, or re-rendered when the recorded template version is
 * available) with {@link planUpgrade}. Then, in one write phase ({@link commitWrites}), the
 * changed files, a changeset per domain foundation and the platform
 * (`.changeset/meshkit-upgrade-<id>-<version>.md`, a patch bump; none for products, whose version
 * is their contract's and no contract changed) and the new provenance (last) are written. Conflicts are left as markers and listed.
 *
 * @throws MeshError `USAGE` (exit 2): bad target, unknown or older target version, a folder with
 *   uncommitted changes (naming the files); `GIT` (exit 2) when git cannot tell.
 */
export async function upgradeMesh(root: string, options: UpgradeOptions): Promise<UpgradeResult> {
  if (options.all && options.target) throw new MeshError('USAGE', 'give either <domain>/<product> or --all, not both');
  if (!options.all && !options.target)
    throw new MeshError('USAGE', 'name what to upgrade: <domain>/<product>, <domain> or --all');
  const templates = options.templates ?? installedTemplates();
  const to = options.to ?? templates.latest;
  if (!semver.valid(to)) throw new MeshError('USAGE', `--to ${to} is not a semver version`);
  const units = selectUnits(findUnits(root), options.all ? undefined : options.target);
  const result: UpgradeResult = {
    template: TEMPLATE_PACKAGE,
    to,
    dryRun: Boolean(options.dryRun),
    units: [],
    written: [],
    deleted: [],
    diff: '',
    ok: true,
  };
  const behind = unitsBehind(units, to, Boolean(options.all), result.units);
  const toDir = behind.length ? templates.dirFor(to) : undefined;
  if (behind.length && !toDir)
    throw new MeshError('USAGE', `template version ${to} is not available offline (available: ${templates.latest})`);
  if (!options.dryRun && options.requireClean !== false) assertClean(root, behind);

  const writes: FileWrite[] = [];
  const changesets: FileWrite[] = [];
  const provenances: FileWrite[] = [];
  for (const u of behind) {
    const planned = upgradeUnit(root, u, {
      to,
      toDir: toDir!,
      templates,
      migrations: options.migrations ?? MIGRATIONS,
    });
    writes.push(...planned.writes);
    if (planned.changeset) changesets.push(planned.changeset);
    provenances.push(planned.provenance);
    result.units.push(planned.unit);
    if (planned.unit.status === 'conflict') result.ok = false;
  }
  result.units.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  if (behind.length === 0) return result;
  // Provenance last: an interrupted run leaves the recorded version as it was, and re-running
  // merges again (files already upgraded merge cleanly with themselves).
  const committed = await commitWrites([...writes, ...changesets, ...provenances], {
    cwd: root,
    dryRun: options.dryRun ?? false,
  });
  result.written = committed.written;
  result.deleted = committed.deleted;
  result.diff = committed.diff;
  return result;
}

/**
 * The units behind `to`; those already there (or, with `all`, ahead of it) are added to
 * `upToDate`.
 * @throws MeshError `INVALID_CONFIG` for a recorded version that is not semver, `USAGE` for a
 *   named unit ahead of `to` (upgrades never go back)
 */
function unitsBehind(
  units: readonly TemplateUnit[],
  to: string,
  all: boolean,
  upToDate: UnitUpgrade[],
): TemplateUnit[] {
  const behind: TemplateUnit[] = [];
  for (const u of units) {
    const from = u.provenance.version;
    if (!semver.valid(from))
      throw new MeshError('INVALID_CONFIG', `recorded template version '${from}' is not semver`, {
        file: join(u.dir, PROVENANCE_FILE),
        line: 1,
        column: 1,
      });
    if (semver.gt(from, to) && !all)
      throw new MeshError('USAGE', `${u.id} is at template ${from}, newer than ${to}: upgrades never go back`);
    // A unit ahead of `to` (with `all`) stays where it is.
    if (semver.gt(from, to)) upToDate.push(upToDateUnit(u, from, from));
    else if (semver.eq(from, to)) upToDate.push(upToDateUnit(u, from, to));
    else behind.push(u);
  }
  return behind;
}

const upToDateUnit = (u: TemplateUnit, from: string, to: string): UnitUpgrade => ({
  id: u.id,
  path: u.path,
  from,
  to,
  status: 'up-to-date',
  files: [],
  conflicts: [],
  migrations: [],
});

/** @throws MeshError `USAGE` naming the files with uncommitted changes in what would be upgraded */
function assertClean(root: string, behind: readonly TemplateUnit[]): void {
  const dirty = behind.flatMap((u) => dirtyFiles(root, u.path, u.exclude));
  if (dirty.length) {
    const shown = dirty.slice(0, 10).join(', ') + (dirty.length > 10 ? `, … (${dirty.length} files)` : '');
    throw new MeshError('USAGE', `uncommitted changes in what would be upgraded: ${shown}; commit or stash them first`);
  }
}

/** What upgrading one unit writes: its files, its changeset (foundations and the platform) and its provenance. */
interface PlannedUnit {
  readonly unit: UnitUpgrade;
  readonly writes: FileWrite[];
  readonly changeset?: FileWrite;
  readonly provenance: FileWrite;
}

/**
 * Plans the upgrade of one unit: its working tree migrated, then merged with the target render
 * against the recorded render ({@link planUpgrade}). Nothing is written.
 */
function upgradeUnit(
  root: string,
  u: TemplateUnit,
  target: { to: string; toDir: string; templates: TemplateSource; migrations: readonly Migration[] },
): PlannedUnit {
  const { to, templates } = target;
  const p = u.provenance;
  const from = p.version;
  const ours = readTree(u.dir, { exclude: u.exclude });
  const migrated = new Map(ours);
  const migrations = runMigrations(migrated, target.migrations, { from, to, answers: p.answers });
  const fromDir = templates.dirFor(from);
  const oldRender = fromDir ? new Map(renderRecorded(p, from, fromDir).map((f) => [f.path, f.content])) : undefined;
  const theirs = renderRecorded(p, to, target.toDir);
  const plan = planUpgrade({
    provenance: p,
    ours: migrated,
    theirs,
    base: (path) => p.base?.[path] ?? oldRender?.get(path),
    labels: { ours: 'ours (working tree)', theirs: `theirs (${p.template} ${to})` },
  });
  const writes: FileWrite[] = [];
  for (const path of [...new Set([...ours.keys(), ...plan.tree.keys()])].sort()) {
    const next = plan.tree.get(path);
    if (next !== ours.get(path)) writes.push({ path: join(u.dir, path), content: next ?? null });
  }
  const unit: UnitUpgrade = {
    id: u.id,
    path: u.path,
    from,
    to,
    status: plan.conflicts.length ? 'conflict' : 'upgraded',
    files: plan.files,
    conflicts: plan.conflicts.map((c) => `${u.path}/${c}`),
    migrations,
  };
  const provenance = {
    path: join(u.dir, PROVENANCE_FILE),
    content: serializeProvenance({ ...provenanceOf(theirs, p.answers, to, p.template), kind: p.kind }),
  };
  // A product's version is its contract's: a template upgrade changes no contract, so it
  // releases no product version (the next contract change does). Foundations and the platform
  // are released with a patch.
  if (p.kind === 'product') return { unit, writes, provenance };
  const cs = changesetFor({ packageName: packageName(plan.tree, u), unitId: u.id, template: p.template, from, to });
  unit.changeset = `.changeset/${cs.name}`;
  return { unit, writes, changeset: { path: join(root, '.changeset', cs.name), content: cs.content }, provenance };
}

function packageName(tree: Map<string, string>, u: TemplateUnit): string {
  const file = u.provenance.kind === 'domain' ? 'foundation/package.json' : 'package.json';
  try {
    const name = (JSON.parse(tree.get(file) ?? '') as { name?: unknown }).name;
    if (typeof name === 'string' && name) return name;
  } catch {
    /* conflict markers or no file: fall back to the recorded answers */
  }
  const a = u.provenance.answers;
  if ((u.provenance.kind as string) === 'platform') return `${a.scope}/platform`;
  return a.kind === 'product' ? `${a.scope}/${a.domain}.${a.product ?? ''}` : `${a.scope}/${a.domain}.foundation`;
}
