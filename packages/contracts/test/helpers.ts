import { mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Folder of the 18 official ODCS examples (vendored from bitol-io/open-data-contract-standard). */
export const EXAMPLES_DIR = fileURLToPath(new URL('./fixtures/odcs-examples/', import.meta.url));

/** Every official example file, sorted. */
export function officialExamples(): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const n of readdirSync(d)) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else if (n.endsWith('.yaml')) out.push(p);
    }
  };
  walk(EXAMPLES_DIR);
  return out.sort();
}

/** A fresh temporary directory. */
export function tempDir(prefix = 'meshkit-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Writes `content` to `name` in a fresh temporary directory and returns the path. */
export function tempFile(name: string, content: string | Uint8Array): string {
  const p = join(tempDir(), name);
  writeFileSync(p, content);
  return p;
}
