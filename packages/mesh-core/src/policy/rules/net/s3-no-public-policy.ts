import { violation, type PolicyRule } from '../../rule.js';
import { publicGrants } from '../../public-access.js';
import { BUCKET_POLICY } from '../../s3-structure.js';
import { stackOf } from '../../values.js';
import { MESH_POLICY_PACK_VERSION } from '../../version.js';

/** No bucket policy lets anyone in. */
export const S3NoPublicPolicyRule: PolicyRule = {
  id: 'MESH-NET-S3-NO-PUBLIC-POLICY',
  area: 'NET',
  title:
    'Bucket policies allow no one outside named principals: no Allow to Principal `*` without a condition that limits who, no Allow with NotPrincipal',
  rationale:
    'An Allow to `*` makes the bucket public (anyone, any account). Decided with the same principal and condition logic as mesh verify (AWS\'s policy evaluation), for a caller of another account: a condition on keys the caller chooses (aws:SecureTransport, aws:UserAgent, request tags…) or that is always true (`StringLike aws:PrincipalArn "*"`) counts as none; `Allow` with `NotPrincipal` grants everyone not listed; a Principal or Condition built with `Fn::Sub`/`Fn::Join`/`Fn::If` is resolved (every branch), and what cannot be resolved counts as public.',
  fix: 'Grant to named principals (roles, service principals such as logging.s3.amazonaws.com), or restrict a `*` principal with conditions the caller cannot choose (aws:PrincipalOrgID, aws:PrincipalAccount, aws:SourceAccount, aws:SourceArn, aws:SourceVpce); never use NotPrincipal in an Allow.',
  since: MESH_POLICY_PACK_VERSION,
  resourceTypes: [BUCKET_POLICY],
  check(pol, ctx) {
    const name = stackOf(ctx).resolve(pol.properties.Bucket ?? null);
    const resourceArn = `arn:aws:s3:::${typeof name === 'string' ? name : 'zz-probe-own-bucket'}`;
    const grants = publicGrants(pol.properties.PolicyDocument, ctx, { service: 's3', resourceArn });
    if (grants.length === 0) return 'compliant';
    return violation(
      `bucket policy lets anyone in: ${grants.map((g) => `${g.statement} (${g.actions}) ${g.why}`).join('; ')}. Grant to named principals, or limit a '*' principal with aws:PrincipalOrgID / aws:SourceAccount / aws:SourceArn`,
    );
  },
};
