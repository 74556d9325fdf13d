import { violation, type PolicyRule } from '../../rule.js';
import { isPublicPrincipal, statements } from '../../iam-statements.js';
import { BUCKET, bucketPoliciesOf, deniesInsecureTransport } from '../../s3-structure.js';
import { MESH_POLICY_PACK_VERSION } from '../../version.js';

/** Every bucket has a bucket policy denying requests without TLS. */
export const S3SslOnlyRule: PolicyRule = {
  id: 'MESH-NET-S3-SSL-ONLY',
  area: 'NET',
  title: 'S3 buckets have a bucket policy denying non-TLS requests (aws:SecureTransport false)',
  rationale: 'Data in transit must be encrypted; only a bucket policy can refuse plain-HTTP requests.',
  fix: 'Create the bucket with `enforceSSL: true` (DataProduct and DomainFoundation do), or add a Deny statement for Principal `*`, Action `s3:*`, the bucket and its objects, with `Condition: { Bool: { "aws:SecureTransport": "false" } }`.',
  since: MESH_POLICY_PACK_VERSION,
  resourceTypes: [BUCKET],
  check(bucket, ctx) {
    for (const pol of bucketPoliciesOf(bucket, ctx)) {
      for (const s of statements(pol.properties.PolicyDocument)) {
        if (
          s.effect === 'Deny' &&
          isPublicPrincipal(s.principal) &&
          s.actions.some((a) => a === 's3:*' || a === '*') &&
          deniesInsecureTransport(s.condition)
        ) {
          return 'compliant';
        }
      }
    }
    return violation('no bucket policy denies requests with aws:SecureTransport false');
  },
};
