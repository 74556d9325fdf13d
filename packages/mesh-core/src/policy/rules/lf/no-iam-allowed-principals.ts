import { violation, type PolicyRule } from '../../rule.js';
import { LF_PERMISSIONS, LF_PRINCIPAL_PERMISSIONS, grantOf } from '../../lake-formation.js';
import { MESH_POLICY_PACK_VERSION } from '../../version.js';

/** No Lake Formation grant to IAM_ALLOWED_PRINCIPALS. */
export const NoIamAllowedPrincipalsRule: PolicyRule = {
  id: 'MESH-LF-NO-IAM-ALLOWED-PRINCIPALS',
  area: 'LF',
  title: 'No Lake Formation permission is granted to IAM_ALLOWED_PRINCIPALS',
  rationale:
    'A grant to IAM_ALLOWED_PRINCIPALS hands access control back to IAM: every principal with glue:GetTable/s3 access reads the data, bypassing LF-tag based grants and column-level restrictions.',
  fix: 'Grant to consumer roles with LF-tag expressions (DomainFoundation does, from mesh.config.yaml consumers).',
  since: MESH_POLICY_PACK_VERSION,
  resourceTypes: [LF_PERMISSIONS, LF_PRINCIPAL_PERMISSIONS],
  check(r) {
    return grantOf(r).principal === 'IAM_ALLOWED_PRINCIPALS'
      ? violation('permission granted to IAM_ALLOWED_PRINCIPALS')
      : 'compliant';
  },
};
