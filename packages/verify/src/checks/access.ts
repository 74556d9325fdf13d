import type { MeshModel } from '../model.js';
import { AccessContext } from './access-context.js';
import { LakeFormationReads } from './access-lf.js';
import { fillMatrix } from './access-matrix.js';
import { checkAccessRules } from './access-rules.js';
import type { AccessReport } from './access-types.js';

export { RAW_ZONE, type AccessCell, type AccessReport, type PrincipalInfo } from './access-types.js';

/**
 * Computes who can read and write each product (principals × products) from IAM identity
 * policies, bucket policies, key policies, Lake Formation grants (named and LF-tag expressions,
 * column tags included) and data-location registrations, then checks the mesh's access rules.
 *
 * Principals outside the assembly (consumers' roles of mesh.config.yaml, accounts named in
 * grants or resource policies) are assumed to be allowed everything by their own identity
 * policies: what they can reach is what the assembly's resource policies and grants give them.
 */
export function analyseAccess(m: MeshModel): AccessReport {
  const ctx = new AccessContext(m);
  const lf = new LakeFormationReads(ctx);
  const matrix = fillMatrix(ctx, lf);
  checkAccessRules(ctx, matrix);
  const used = new Set(matrix.cells.map((c) => c.principal));
  return {
    principals: [...ctx.principals.values()].filter((p) => used.has(p.id)),
    cells: matrix.cells,
    findings: ctx.findings,
  };
}
