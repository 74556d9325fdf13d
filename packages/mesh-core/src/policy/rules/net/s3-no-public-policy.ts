import { violation, type PolicyRule } from '../../rule.js';
import { isPublicPrincipal, statements } from '../../iam-statements.js';
import { isObject } from '../../refs.js';
import { BUCKET_POLICY } from '../../s3-structure.js';
import { MESH_POLICY_PACK_VERSION } from '../../version.js';

/** No bucket policy allows everyone without conditions. */
export const S3NoPublicPolicyRule: PolicyRule = {
  id: 'MESH-NET-S3-NO-PUBLIC-POLICY',
  area: 'NET',
  title: 'Bucket policies have no Allow statement for Principal `*` without a Condition',
  rationale: 'An unconditional Allow to `*` makes the bucket public (anyone, any account).',
  fix: 'Grant to named principals (roles, service principals such as logging.s3.amazonaws.com), or restrict a `*` principal with conditions (aws:SourceAccount, aws:PrincipalOrgID, aws:SourceArn).',
  since: MESH_POLICY_PACK_VERSION,
  resourceTypes: [BUCKET_POLICY],
  check(pol) {
    const bad = statements(pol.properties.PolicyDocument).filter(
      (s) => s.effect === 'Allow' && isPublicPrincipal(s.principal) && !(isObject(s.condition) && Object.keys(s.condition).length > 0),
    );
    return bad.length === 0 ? 'compliant' : violation(`bucket policy allows Principal '*' without a condition (${bad.map((s) => s.sid ?? s.actions.map(String).join(',')).join('; ')})`);
  },
};
