/**
 * The global policy pack: every rule of @meshkit/core, in report order (like cdk-nag's
 * AwsSolutions pack, a list of rules). Each rule lives in `rules/<area>/<rule>.ts`.
 */
import type { PolicyRule } from './rule.js';
import { AthenaWorkgroupEncryptionRule } from './rules/enc/athena-workgroup-encryption.js';
import { FirehoseEncryptionRule } from './rules/enc/firehose-encryption.js';
import { GlueJobSecurityConfigurationRule } from './rules/enc/glue-job-security-configuration.js';
import { GlueSecurityConfigurationKmsRule } from './rules/enc/glue-security-configuration-kms.js';
import { KmsKeyPolicyRule } from './rules/enc/kms-key-policy.js';
import { KinesisStreamKmsRule } from './rules/enc/kinesis-stream-kms.js';
import { LogGroupKmsRule } from './rules/enc/log-group-kms.js';
import { S3BucketKmsRule } from './rules/enc/s3-bucket-kms.js';
import { SnsTopicKmsRule } from './rules/enc/sns-topic-kms.js';
import { SqsQueueKmsRule } from './rules/enc/sqs-queue-kms.js';
import { MandatoryTagsRule } from './rules/tag/mandatory-tags.js';
import { ProductTableHasRulesetRule } from './rules/dq/product-table-has-ruleset.js';
import { JobEvaluatesRulesetRule } from './rules/dq/job-evaluates-ruleset.js';
import { NoWildcardActionsRule } from './rules/iam/no-wildcard-actions.js';
import { NoWildcardDataResourcesRule } from './rules/iam/no-wildcard-data-resources.js';
import { S3SslOnlyRule } from './rules/net/s3-ssl-only.js';
import { S3BlockPublicAccessRule } from './rules/net/s3-block-public-access.js';
import { S3NoPublicPolicyRule } from './rules/net/s3-no-public-policy.js';
import { NoPublicResourcePolicyRule } from './rules/net/no-public-resource-policy.js';
import { NoIamAllowedPrincipalsRule } from './rules/lf/no-iam-allowed-principals.js';
import { NoGrantableAllRule } from './rules/lf/no-grantable-all.js';
import { DataLakeSettingsSafeRule } from './rules/lf/data-lake-settings.js';
import { S3AccessLoggingRule } from './rules/log/s3-access-logging.js';
import { CriticalReplicationRule } from './rules/dr/critical-replication.js';
import { UnknownResourceTypeRule } from './rules/res/unknown-type.js';
import { CustomResourceRule } from './rules/res/custom-resource.js';
import { DeployTimeMutationRule } from './rules/res/deploy-time-mutation.js';
import { DanglingReferenceRule } from './rules/cfn/dangling-ref.js';

/** Every rule of the pack. */
export const MESH_POLICY_RULES: readonly PolicyRule[] = Object.freeze([
  S3BucketKmsRule,
  KinesisStreamKmsRule,
  SnsTopicKmsRule,
  SqsQueueKmsRule,
  LogGroupKmsRule,
  GlueSecurityConfigurationKmsRule,
  AthenaWorkgroupEncryptionRule,
  FirehoseEncryptionRule,
  GlueJobSecurityConfigurationRule,
  KmsKeyPolicyRule,
  MandatoryTagsRule,
  ProductTableHasRulesetRule,
  JobEvaluatesRulesetRule,
  NoWildcardActionsRule,
  NoWildcardDataResourcesRule,
  S3SslOnlyRule,
  S3BlockPublicAccessRule,
  S3NoPublicPolicyRule,
  NoPublicResourcePolicyRule,
  NoIamAllowedPrincipalsRule,
  NoGrantableAllRule,
  DataLakeSettingsSafeRule,
  S3AccessLoggingRule,
  CriticalReplicationRule,
  DanglingReferenceRule,
  UnknownResourceTypeRule,
  CustomResourceRule,
  DeployTimeMutationRule,
]);

export {
  S3BucketKmsRule,
  KinesisStreamKmsRule,
  SnsTopicKmsRule,
  SqsQueueKmsRule,
  LogGroupKmsRule,
  GlueSecurityConfigurationKmsRule,
  AthenaWorkgroupEncryptionRule,
  FirehoseEncryptionRule,
  GlueJobSecurityConfigurationRule,
  MandatoryTagsRule,
  ProductTableHasRulesetRule,
  JobEvaluatesRulesetRule,
  NoWildcardActionsRule,
  NoWildcardDataResourcesRule,
  S3SslOnlyRule,
  S3BlockPublicAccessRule,
  S3NoPublicPolicyRule,
  NoIamAllowedPrincipalsRule,
  NoGrantableAllRule,
  DataLakeSettingsSafeRule,
  S3AccessLoggingRule,
  CriticalReplicationRule,
  KmsKeyPolicyRule,
  DanglingReferenceRule,
  UnknownResourceTypeRule,
  CustomResourceRule,
  DeployTimeMutationRule,
  NoPublicResourcePolicyRule,
};
