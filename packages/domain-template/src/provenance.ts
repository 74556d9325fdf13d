import { createHash } from 'node:crypto';
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { MeshError, writeFileAtomic } from '@meshkit/contracts';
import { TEMPLATE_PACKAGE, type FileClass, type RenderedFile, type TemplateAnswers } from './render.js';

/** Where provenance lives, relative to the product or domain folder. */
export const PROVENANCE_FILE = '.meshkit/provenance.json';

/**
 * `.meshkit/provenance.json`: what a product or domain folder was rendered from. Enough to
 * re-render it offline (`renderTemplate(answers, { version })` with the recorded version) and to
 * tell hand edits of managed files from template changes.
 */
export interface Provenance {
  /** Template package name, e.g. `@meshkit/domain-template`. */
  template: string;
  /** Template package version the folder was (last) rendered with. */
  version: string;
  kind: TemplateAnswers['kind'];
  answers: TemplateAnswers;
  /** Every rendered file (relative posix path) with its class and the sha256 (hex) of its rendered content. */
  files: Record<string, { class: FileClass; sha256: string }>;
  /**
   * Rendered content of the `merged` files, by path: the base of the next 3-way upgrade. Stored
   * here (not under `.meshkit/base/`) so provenance is one self-contained file and the base does
   * not depend on the template's old versions being installed or tagged.
   */
  base?: Record<string, string>;
}

/** sha256 (hex) of a file's content as UTF-8. */
export function sha256(content: string): string {
  return createHash('sha256').update(content, 'utf8').digest('hex');
}

/** The provenance of a render: hashes of every file, the base of the merged ones. */
export function provenanceOf(
  rendered: RenderedFile[],
  answers: TemplateAnswers,
  version: string,
  template: string = TEMPLATE_PACKAGE,
): Provenance {
  const files: Provenance['files'] = {};
  const base: Record<string, string> = {};
  for (const f of [...rendered].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
    files[f.path] = { class: f.class, sha256: sha256(f.content) };
    if (f.class === 'merged') base[f.path] = f.content;
  }
  return {
    template,
    version,
    kind: answers.kind,
    answers: sortKeys(answers),
    files,
    ...(Object.keys(base).length ? { base } : {}),
  };
}

function sortKeys<T extends object>(o: T): T {
  return Object.fromEntries(
    Object.entries(o)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : 1)),
  ) as T;
}

/** Provenance as written on disk: stable key order, two-space indent, trailing newline. */
export function serializeProvenance(p: Provenance): string {
  return JSON.stringify(p, null, 2) + '\n';
}

/**
 * Reads `<dir>/.meshkit/provenance.json`; `undefined` when the folder has none.
 * @throws MeshError `INVALID_CONFIG` (exit 2) when it is not valid provenance JSON.
 */
export function readProvenance(dir: string): Provenance | undefined {
  const file = join(dir, PROVENANCE_FILE);
  if (!existsSync(file)) return undefined;
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new MeshError('INVALID_CONFIG', `provenance is not valid JSON: ${(e as Error).message}`, {
      file,
      line: 1,
      column: 1,
      cause: e,
    });
  }
  const p = data as Partial<Provenance>;
  if (
    !p ||
    typeof p !== 'object' ||
    typeof p.template !== 'string' ||
    typeof p.version !== 'string' ||
    typeof p.answers !== 'object' ||
    typeof p.files !== 'object'
  ) {
    throw new MeshError('INVALID_CONFIG', 'provenance must have template, version, answers and files', {
      file,
      line: 1,
      column: 1,
    });
  }
  return data as Provenance;
}

/** Writes `<dir>/.meshkit/provenance.json` atomically (temp file + rename). */
export function writeProvenance(dir: string, p: Provenance): void {
  writeFileAtomic(join(dir, PROVENANCE_FILE), serializeProvenance(p));
}
