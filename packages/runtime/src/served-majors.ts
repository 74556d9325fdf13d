import {
  loadServedMajorContracts,
  selectObject,
  type OdcsContract,
  type ProductManifest,
  type ServedMajorContract,
} from '@meshkit/contracts';
import { contractColumns, type ContractColumn } from './types.js';

/**
 * An older major a product still serves side by side (`servedMajors` of product.yaml), loaded:
 * the repository model's {@link ServedMajorContract} plus what a run reads of its contract.
 */
export interface ServedMajor extends ServedMajorContract {
  /** Name of its output schema object (the first one). */
  object: string;
  /** Its output columns (data columns, then partition keys). */
  columns: ContractColumn[];
}

/** A loaded served major with its output object and columns. */
export function servedMajorOf(m: ServedMajorContract): ServedMajor {
  return { ...m, object: selectObject(m.contract).object.name, columns: contractColumns(m.contract) };
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
  return loadServedMajorContracts(root, productDir, manifest, current).map(servedMajorOf);
}
