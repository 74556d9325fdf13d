import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import semver from 'semver';
import { sha256 } from './provenance.js';
import type { FileClass } from './render.js';
import { hasConflictMarkers } from './upgrade/merge3.js';
import { findUnits, installedTemplates, type TemplateSource } from './upgrade/units.js';

/**
 * A file that differs from what the template rendered, in a way the team should look at:
 * - `edited`: a managed file changed by hand (the next upgrade 3-way merges it, or conflicts);
 * - `conflict`: a managed or merged file still holding conflict markers from an upgrade;
 * - `deleted`: a managed file removed (informational: deletions are kept by upgrades).
 */
export interface DriftFinding {
  /** Path relative to the repository root. */
  path: string;
  class: FileClass;
  state: 'edited' | 'conflict' | 'deleted';
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
  const latest = (options.templates ?? installedTemplates()).latest;
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
      else if (rec.class === 'managed' && sha256(content) !== rec.sha256) drift.push({ path: shown, class: rec.class, state: 'edited' });
    }
    const version = u.provenance.version;
    units.push({ id: u.id, path: u.path, version, behind: !semver.valid(version) || semver.lt(version, latest), drift });
  }
  const failing = units.reduce((n, u) => n + u.drift.filter((d) => d.state !== 'deleted').length, 0);
  return {
    template: template || '@meshkit/domain-template', latest, units,
    behind: units.filter((u) => u.behind).length, drift: failing, ok: failing === 0,
  };
}
