/**
 * Changeset files (`.changeset/*.md`, the changesets format): a YAML front matter mapping
 * package names to bumps, then a Markdown summary that `changeset version` copies into the
 * package's CHANGELOG.md. Reading, rendering and writing them atomically.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { compareBumps, MeshError, type Bump, type Change, type DiffResult } from '@meshkit/contracts';

/** The folder changesets keeps its pending changesets and config in, at the repository root. */
export const CHANGESET_DIR = '.changeset';

const BUMPS = new Set<string>(['major', 'minor', 'patch', 'none']);
const FRONT_MATTER = /^\uFEFF?---[ \t]*\r?\n([\s\S]*?)\r?\n?---[ \t]*(?:\r?\n|$)/;

/** One pending changeset. */
export interface PendingChangeset {
  /** File name inside `.changeset/`, e.g. `sales-orders-1a2b3c4d.md`. */
  name: string;
  /** Absolute path. */
  file: string;
  /** Bump per package name, as its front matter declares. */
  releases: Record<string, Bump>;
  /** The Markdown after the front matter. */
  summary: string;
}

/**
 * Every pending changeset of a repository (`<root>/.changeset/*.md` except README.md), sorted by
 * name; `[]` when the folder does not exist. Files without front matter are skipped (changesets
 * itself ignores them too).
 * @throws MeshError (YAML_SYNTAX, exit 2) for invalid front matter or an unknown bump.
 */
export function readPendingChangesets(root: string): PendingChangeset[] {
  const dir = join(root, CHANGESET_DIR);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const out: PendingChangeset[] = [];
  for (const name of names.sort()) {
    if (!name.endsWith('.md') || name.toLowerCase() === 'readme.md') continue;
    const file = join(dir, name);
    const text = readFileSync(file, 'utf8');
    const m = FRONT_MATTER.exec(text);
    if (!m) continue;
    let data: unknown;
    try {
      data = parse(m[1]!);
    } catch (e) {
      const pos = (e as { linePos?: Array<{ line: number; col: number }> }).linePos?.[0];
      throw new MeshError('YAML_SYNTAX', `invalid front matter in changeset: ${(e as Error).message.split('\n')[0]}`, {
        file,
        ...(pos ? { line: pos.line + 1, column: pos.col } : {}),
        cause: e,
      });
    }
    const releases: Record<string, Bump> = {};
    if (data !== null && typeof data === 'object' && !Array.isArray(data)) {
      for (const [pkg, value] of Object.entries(data as Record<string, unknown>)) {
        if (typeof value !== 'string' || !BUMPS.has(value)) {
          throw new MeshError(
            'YAML_SYNTAX',
            `changeset declares ${JSON.stringify(value)} for ${pkg}: expected major, minor, patch or none`,
            { file },
          );
        }
        releases[pkg] = value as Bump;
      }
    }
    out.push({ name, file, releases, summary: text.slice(m[0].length).trim() });
  }
  return out;
}

/** What a generated changeset says about one product. */
export interface ChangesetContent {
  /** The product's package name (its package.json `name`). */
  packageName: string;
  /** `<domain>/<product>`. */
  product: string;
  /** The bump the diff requires. */
  bump: Exclude<Bump, 'none'>;
  /** Version of the baseline (the last release). */
  baselineVersion: string;
  /** The compatibility diff against the baseline. */
  diff: DiffResult;
}

/**
 * Renders a changeset: front matter `"<package>": <bump>`, then a changelog body made from the
 * diff's rule-level changes, grouped into breaking changes (errors under the compatibility mode)
 * and compatible changes, each line `RULE_ID` at `path`: message. The first summary line is what
 * changesets puts on the CHANGELOG bullet; the groups follow as nested lists.
 */
export function renderChangeset(c: ChangesetContent): string {
  const breaking = c.diff.changes.filter((x) => x.severity === 'error');
  const compatible = c.diff.changes.filter((x) => x.severity !== 'error');
  const count = (n: number, what: string) => `${n} ${what} change${n === 1 ? '' : 's'}`;
  const parts = [
    breaking.length ? count(breaking.length, 'breaking') : '',
    compatible.length ? count(compatible.length, 'compatible') : '',
  ].filter(Boolean);
  const lines = [
    '---',
    `${JSON.stringify(c.packageName)}: ${c.bump}`,
    '---',
    '',
    `Contract of ${c.product} since ${c.baselineVersion}: ${parts.join(', ')} (compatibility mode ${c.diff.mode}; ${c.bump} bump).`,
  ];
  const group = (title: string, changes: Change[]) => {
    if (!changes.length) return;
    lines.push('', `**${title}**`, '');
    for (const x of changes) lines.push(`- \`${x.rule}\` at \`${x.path}\`: ${oneLine(x.message)}`);
  };
  group('Breaking changes', breaking);
  group('Compatible changes', compatible);
  return lines.join('\n') + '\n';
}

const oneLine = (s: string) => s.replace(/\s*\n\s*/g, ' ').trim();

/**
 * A stable changeset name, `<domain>-<product>-<8 hex>`: the hash covers the package, the
 * baseline version, the bump and the rendered content, so re-running on the same change finds
 * the same file (idempotent) and a different change gets a different name.
 */
export function changesetName(domain: string, product: string, content: string): string {
  return `${domain}-${product}-${createHash('sha256').update(content).digest('hex').slice(0, 8)}.md`;
}

/** True when `name` is a changeset generated by `mesh changeset` for `<domain>/<product>`. */
export function isGeneratedFor(name: string, domain: string, product: string): boolean {
  return (
    name.startsWith(`${domain}-${product}-`) && /^[0-9a-f]{8}\.md$/.test(name.slice(domain.length + product.length + 2))
  );
}

/** The largest bump among `changesets` for `packageName`, with the files declaring it. */
export function largestPending(
  changesets: readonly PendingChangeset[],
  packageName: string,
): { bump: Bump; files: string[] } | undefined {
  let best: { bump: Bump; files: string[] } | undefined;
  for (const c of changesets) {
    const bump = c.releases[packageName];
    if (bump === undefined) continue;
    if (!best || compareBumps(bump, best.bump) > 0) best = { bump, files: [c.name] };
    else if (compareBumps(bump, best.bump) === 0) best.files.push(c.name);
  }
  return best;
}
