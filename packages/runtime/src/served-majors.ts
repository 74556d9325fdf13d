import { loadServedMajorContracts, selectObject, type OdcsContract, type ProductManifest } from '@meshkit/contracts';
import { contractColumns, type ContractColumn } from './types.js';

/** An older major a product still serves side by side (`servedMajors` of product.yaml), loaded. */
export interface ServedMajor {
  major: number;
  /** The frozen contract of that major. */
  contract: OdcsContract;
  /** Absolute path of the frozen contract. */
  contractFile: string;
  /** Name of its output schema object (the first one). */
  object: string;
  /** Its output columns (data columns, then partition keys). */
  columns: ContractColumn[];
  /** Absolute path of the compatibility SQL. */
  sqlFile: string;
  /** The compatibility SQL: a portable SELECT from the relation `current` (the current major's output). */
  sql: string;
}

/**
 * Loads the served majors of a product (`servedMajors` of product.yaml, newest first) with
 * `loadServedMajorContracts` of @meshkit/contracts (frozen contracts valid, majors consistent,
 * files present; errors at the product.yaml entry), plus each one's output object and columns.
 */
export function loadServedMajors(
  root: string,
  productDir: string,
  manifest: ProductManifest,
  current?: OdcsContract,
): ServedMajor[] {
  return loadServedMajorContracts(root, productDir, manifest, current).map((m) => ({
    major: m.major,
    contract: m.contract,
    contractFile: m.contractFile,
    object: selectObject(m.contract).object.name,
    columns: contractColumns(m.contract),
    sqlFile: m.compatibilitySqlFile,
    sql: m.compatibilitySql,
  }));
}
