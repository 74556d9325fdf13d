import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import semver from 'semver';
import { sha256 } from './provenance.js';
import type { FileClass } from './render.js';
import { hasConflictMarkers } from './upgrade/merge3.js';
import {
  findUnits,
  installedTemplates,
  renderRecorded,
  type TemplateSource,
  type TemplateUnit,
} from './upgrade/units.js';

/**
 * A file that differs from what the template rendered, in a way the team should look at:
 * - `edited`: a managed file changed by hand (the next upgrade 3-way merges it, or conflicts);
 * - `conflict`: a managed or merged file still holding conflict markers from an upgrade;
 * - `deleted`: a managed file removed (informational: deletions are kept by upgrades);
 * - `released`: a managed package.json whose only changes are versions — its own `version` and
 *   the versions of dependencies it already had — as a release (`mesh version`) writes them
 *   (informational, not drift).
 */
export interface DriftFinding {
  /** Path relative to the repository root. */
  path: string;
  class: FileClass;
  state: 'edited' | 'conflict' | 'deleted' | 'released';
}

const DEPENDENCY_FIELDS = ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies'] as const;

/**
 * True when `current` differs from `rendered` (both package.json texts) in versions only: the
 * package's `version` and the version ranges of dependencies both list — what a release writes.
 */
export function onlyVersionsDiffer(rendered: string, current: string): boolean {
  let r: Record<string, unknown>, c: Record<string, unknown>;
  try {
    r = JSON.parse(rendered) as Record<string, unknown>;
    c = JSON.parse(current) as Record<string, unknown>;
  } catch {
    return false;
  }
  if (typeof c.version === 'string') r.version = c.version;
  for (const field of DEPENDENCY_FIELDS) {
    const rd = r[field] as Record<string, unknown> | undefined;
    const cd = c[field] as Record<string, unknown> | undefined;
    if (!rd || !cd || typeof rd !== 'object' || typeof cd !== 'object') continue;
    for (const k of Object.keys(rd)) if (typeof cd[k] === 'string') rd[k] = cd[k];
  }
  return JSON.stringify(r) === JSON.stringify(c);
}

/** One product, domain or the platform, as `mesh check` sees it. */
export interface CheckedUnit {
  id: string;
  /** Folder relative to the repository root. */
  path: string;
  /** Recorded template version. */
  version: string;
  /** True when `version` is older than the latest template version. */
  behind: boolean;
  /** Edited managed files and leftover conflict markers (`deleted` ones are listed but do not fail). */
  drift: DriftFinding[];
}

/** Result of {@link checkMesh}. */
export interface CheckReport {
  template: string;
  /** Latest template version (the installed one by default). */
  latest: string;
  units: CheckedUnit[];
  /** Number of units behind `latest`. */
  behind: number;
  /** Number of failing findings (`edited` and `conflict`). */
  drift: number;
  /** False when there is drift (exit 1). Lagging alone does not fail. */
  ok: boolean;
}

/** Options of {@link checkMesh}. */
export interface CheckOptions {
  /** Where the latest version comes from. @default the installed templates */
  templates?: TemplateSource;
}

/**
 * `mesh check`: for every folder with `.meshkit/provenance.json`, whether it is behind the latest
 * template version and which managed files were edited by hand (their sha256 differs from the
 * recorded one) or still hold conflict markers. Reads only; no rendering.
 */
export function checkMesh(root: string, options: CheckOptions = {}): CheckReport {
  const templates = options.templates ?? installedTemplates();
  const latest = templates.latest;
  const units: CheckedUnit[] = [];
  let template = '';
  for (const u of findUnits(root)) {
    template ||= u.provenance.template;
    const drift: DriftFinding[] = [];
    for (const [path, rec] of Object.entries(u.provenance.files).sort(([a], [b]) => (a < b ? -1 : 1))) {
      if (rec.class === 'seeded') continue;
      const file = join(u.dir, ...path.split('/'));
      const shown = `${u.path}/${path}`;
      if (!existsSync(file)) {
        if (rec.class === 'managed') drift.push({ path: shown, class: rec.class, state: 'deleted' });
        continue;
      }
      const content = readFileSync(file, 'utf8');
      if (hasConflictMarkers(content)) drift.push({ path: shown, class: rec.class, state: 'conflict' });
      else if (rec.class === 'managed' && sha256(content) !== rec.sha256) {
        drift.push({
          path: shown,
          class: rec.class,
          state: path.endsWith('package.json') && releasedOnly(u, path, content, templates) ? 'released' : 'edited',
        });
      }
    }
    const version = u.provenance.version;
    units.push({
      id: u.id,
      path: u.path,
      version,
      behind: !semver.valid(version) || semver.lt(version, latest),
      drift,
    });
  }
  const failing = units.reduce(
    (n, u) => n + u.drift.filter((d) => d.state === 'edited' || d.state === 'conflict').length,
    0,
  );
  return {
    template: template || '@meshkit/domain-template',
    latest,
    units,
    behind: units.filter((u) => u.behind).length,
    drift: failing,
    ok: failing === 0,
  };
}

/** The recorded render of a managed package.json (re-rendered at the recorded version), compared to the file by {@link onlyVersionsDiffer}. */
function releasedOnly(u: TemplateUnit, path: string, content: string, templates: TemplateSource): boolean {
  const dir = templates.dirFor(u.provenance.version);
  if (!dir) return false;
  let rendered: string | undefined;
  try {
    rendered = renderRecorded(u.provenance, u.provenance.version, dir).find((f) => f.path === path)?.content;
  } catch {
    return false;
  }
  return rendered !== undefined && onlyVersionsDiffer(rendered, content);
}
