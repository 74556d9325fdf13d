import type { IConstruct } from 'constructs';
import type { aws_kms as kms, aws_s3 as s3 } from 'aws-cdk-lib';

/**
 * What a data product needs from its domain's foundation (implemented by `DomainFoundation`,
 * usable across stacks: CDK turns the references into exports/imports).
 */
export interface IDomain extends IConstruct {
  /** Domain name, kebab-case (e.g. `sales`). */
  readonly domainName: string;
  /** The domain's customer-managed KMS key: every product's data is encrypted with it. */
  readonly key: kms.IKey;
  /** Name of the domain's Glue database (snake_case of the domain name). */
  readonly databaseName: string;
  /** Name of the Glue security configuration jobs must use. */
  readonly securityConfigurationName: string;
  /** Bucket receiving S3 server access logs of the domain's data buckets. */
  readonly accessLogsBucket: s3.IBucket;
  /** Name of the domain's Athena workgroup. */
  readonly workgroupName: string;
}
