import { violation, type PolicyRule } from '../../rule.js';
import { isTrue } from '../../refs.js';
import { BUCKET } from '../../s3-structure.js';
import { MESH_POLICY_PACK_VERSION } from '../../version.js';

const FLAGS = ['BlockPublicAcls', 'BlockPublicPolicy', 'IgnorePublicAcls', 'RestrictPublicBuckets'] as const;

/** All four block-public-access flags are true. */
export const S3BlockPublicAccessRule: PolicyRule = {
  id: 'MESH-NET-S3-BLOCK-PUBLIC',
  area: 'NET',
  title: 'S3 buckets set all four PublicAccessBlockConfiguration flags to true',
  rationale: 'Product data is never public; block public access stops a later ACL or policy change from exposing it.',
  fix: 'Create the bucket with `blockPublicAccess: BlockPublicAccess.BLOCK_ALL` (L1: `PublicAccessBlockConfiguration` with BlockPublicAcls, BlockPublicPolicy, IgnorePublicAcls, RestrictPublicBuckets all true).',
  since: MESH_POLICY_PACK_VERSION,
  resourceTypes: [BUCKET],
  check(bucket) {
    const cfg = bucket.properties.PublicAccessBlockConfiguration as Record<string, unknown> | undefined;
    const off = FLAGS.filter((f) => !isTrue(cfg?.[f]));
    return off.length === 0
      ? 'compliant'
      : violation(`block public access flag${off.length > 1 ? 's' : ''} not true: ${off.join(', ')}`);
  },
};
