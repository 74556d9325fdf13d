import { aws_s3 as s3, type aws_kms as kms } from 'aws-cdk-lib';

/**
 * The secure defaults every KMS-encrypted bucket of the mesh shares, decided in one place:
 * SSE-KMS with the given customer-managed key and an S3 bucket key, SSL-only with TLS ≥ 1.2,
 * all public access blocked, ACLs disabled (bucket owner enforced), versioning on.
 * (The access-log bucket is the one exception: see AccessLogBucket.)
 */
export function secureBucketProps(key: kms.IKey): s3.BucketProps {
  return {
    encryption: s3.BucketEncryption.KMS,
    encryptionKey: key,
    bucketKeyEnabled: true,
    enforceSSL: true,
    minimumTLSVersion: 1.2,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    versioned: true,
  };
}
