import { violation, type PolicyRule } from '../../rule.js';
import { BUCKET, bucketEncryption, isAccessLogTarget } from '../../s3-structure.js';
import { MESH_POLICY_PACK_VERSION } from '../../version.js';
import { keyProblem, keyProblemMessage } from './aws-managed-key.js';

/** S3 buckets are encrypted with SSE-KMS and a customer-managed key (the access-log bucket may use SSE-S3). */
export const S3BucketKmsRule: PolicyRule = {
  id: 'MESH-ENC-S3',
  area: 'ENC',
  title: 'S3 buckets use SSE-KMS with a customer-managed key',
  rationale:
    "Data at rest must be encrypted with the domain's customer-managed key so access is governed by the key policy and auditable in CloudTrail. The one exception: a bucket that receives other buckets' server access logs may use SSE-S3 (AES256), the only encryption S3 server access logging supports for its target; it is recognised from the template structure (other buckets' LoggingConfiguration points at it), never from a tag.",
  fix: 'Set `encryption: BucketEncryption.KMS` with `encryptionKey: domain.key` (DataProduct and DomainFoundation do), or on an L1 `BucketEncryption.ServerSideEncryptionConfiguration[].ServerSideEncryptionByDefault = { SSEAlgorithm: "aws:kms", KMSMasterKeyID: <key arn> }`.',
  since: MESH_POLICY_PACK_VERSION,
  resourceTypes: [BUCKET],
  check(bucket, ctx) {
    const rules = bucketEncryption(bucket);
    if (rules.length === 0) return violation('bucket has no BucketEncryption: use SSE-KMS with the domain key');
    for (const { algorithm, keyId } of rules) {
      if (algorithm === 'aws:kms' || algorithm === 'aws:kms:dsse') {
        const problem = keyProblem(keyId, ctx);
        if (problem?.kind === 'missing')
          return violation(
            `bucket uses ${algorithm} without KMSMasterKeyID${problem.branch ? ' in one branch of its Fn::If' : ''} (the AWS managed key aws/s3): use the domain's customer-managed key`,
          );
        if (problem) return violation(keyProblemMessage(problem, 'bucket', 'KMSMasterKeyID'));
        continue;
      }
      if (algorithm === 'AES256') {
        if (isAccessLogTarget(bucket, ctx)) continue;
        return violation(
          "bucket uses SSE-S3 (AES256): only the bucket receiving other buckets' server access logs may; data buckets use SSE-KMS with the domain key",
        );
      }
      return violation(`bucket uses SSEAlgorithm ${JSON.stringify(algorithm)}: use aws:kms with the domain key`);
    }
    return 'compliant';
  },
};
