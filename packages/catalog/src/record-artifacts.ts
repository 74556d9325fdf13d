// What a catalog record derives from its contract, per schema object.
import { compileQuality, toDqdl, toJsonSchema, type OdcsContract } from '@meshkit/contracts';
import type { CatalogRecord } from './record.js';

/** The DQDL ruleset and JSON Schema of each schema object of a contract. */
export function contractArtifacts(contract: OdcsContract): Pick<CatalogRecord, 'dqdl' | 'jsonSchema'> {
  const objects = (contract.schema ?? []).map((o) => o.name);
  return {
    dqdl: Object.fromEntries(objects.map((o) => [o, toDqdl(compileQuality(contract, { object: o }))])),
    jsonSchema: Object.fromEntries(objects.map((o) => [o, toJsonSchema(contract, { object: o })])),
  };
}
