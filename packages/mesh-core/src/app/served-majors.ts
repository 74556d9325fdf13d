import { statSync } from 'node:fs';
import { relative } from 'node:path';
import {
  loadServedMajorContracts,
  MeshError,
  type MeshConfig,
  type OdcsContract,
  type ProductManifest,
  type ServedMajorContract,
} from '@meshkit/contracts';
import { MAX_TRANSFORM_SQL_BYTES } from '../constructs/product-glue-job.js';

/** An older major a product still serves (`servedMajors` of product.yaml), loaded for synth: the repository model's. */
export type ServedMajorSource = Readonly<ServedMajorContract>;

/**
 * Loads the served majors of the product in `dir` with `loadServedMajorContracts` of
 * @meshkit/contracts (frozen contracts valid without lint errors, majors consistent, files
 * present; errors at the product.yaml entry), and checks each compatibility SQL fits in a Glue job
 * argument (at most `MAX_TRANSFORM_SQL_BYTES`).
 * @param root repository root, for the paths shown in errors
 * @throws MeshError `FILE_TOO_LARGE` for an oversized compatibility SQL, and those of loadServedMajorContracts.
 */
export function loadServedMajorSources(
  root: string,
  dir: string,
  manifest: ProductManifest,
  current: OdcsContract,
  config?: MeshConfig,
): ServedMajorSource[] {
  return loadServedMajorContracts(root, dir, manifest, current, { rules: config?.contracts.lint.rules ?? {} }).map(
    (m) => {
      const size = statSync(m.compatibilitySqlFile).size;
      if (size > MAX_TRANSFORM_SQL_BYTES) {
        const shown = relative(root, m.compatibilitySqlFile) || m.compatibilitySqlFile;
        throw new MeshError(
          'FILE_TOO_LARGE',
          `${shown} is ${size} bytes: the Glue job receives it as a job argument, at most ${MAX_TRANSFORM_SQL_BYTES} bytes`,
          { file: shown },
        );
      }
      return m;
    },
  );
}
