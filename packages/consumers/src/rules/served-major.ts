import { existsSync } from 'node:fs';
import { relative } from 'node:path';
import { majorOf } from '@meshkit/contracts';
import type { ProductLintRule } from './types.js';

/** PRODUCT-SERVED-MAJOR: each `servedMajors` entry is an older major with its files. */
export const servedMajor: ProductLintRule = {
  id: 'PRODUCT-SERVED-MAJOR',
  defaultSeverity: 'error',
  rationale:
    'An older major is served from its frozen contract and compatibility SQL; a wrong major or a missing file serves nothing.',
  description:
    "Each `servedMajors` entry must name a major below the current contract's major (reported at `major`), an " +
    'existing, valid contract whose version has that major (at `contract`), and an existing compatibility SQL file (at ' +
    '`compatibilitySql`). Two entries for the same major are reported at the second.',
  *check({ product }) {
    const c = product.readContract();
    const current =
      'loaded' in c && c.loaded.contract ? majorOf(c.loaded.contract.version, { loose: true }) : undefined;
    const seen = new Set<number>();
    for (const m of product.servedMajorEntries) {
      const at = ['servedMajors', m.index];
      if (seen.has(m.major))
        yield { path: [...at, 'major'], message: `major ${m.major} is listed twice in servedMajors` };
      seen.add(m.major);
      if (current !== undefined && m.major >= current) {
        yield {
          path: [...at, 'major'],
          message: `served major ${m.major} is not older than the current major ${current}: servedMajors lists older majors only`,
        };
      }
      const rel = (f: string) => relative(product.dir, f);
      if (!existsSync(m.contractFile)) {
        yield {
          path: [...at, 'contract'],
          message: `${rel(m.contractFile)} does not exist: the frozen contract of major ${m.major}`,
        };
      } else {
        const r = m.readContract();
        if ('error' in r)
          yield { path: [...at, 'contract'], message: `${rel(m.contractFile)} is unreadable: ${r.error.message}` };
        else if (!r.loaded.contract)
          yield {
            path: [...at, 'contract'],
            message: `${rel(m.contractFile)} is not a valid contract (see its contract lint)`,
          };
        else if (majorOf(r.loaded.contract.version, { loose: true }) !== m.major) {
          yield {
            path: [...at, 'contract'],
            message: `${rel(m.contractFile)} has version ${String(r.loaded.contract.version)}, not of major ${m.major}`,
          };
        }
      }
      if (!existsSync(m.compatibilitySqlFile)) {
        yield {
          path: [...at, 'compatibilitySql'],
          message: `${rel(m.compatibilitySqlFile)} does not exist: the SELECT deriving major ${m.major} from the current output`,
        };
      }
    }
  },
};
