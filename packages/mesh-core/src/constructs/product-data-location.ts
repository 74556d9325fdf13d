import { aws_iam as iam, aws_lakeformation as lf, type aws_s3 as s3 } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { IDomain } from '../domain/domain.js';
import { acknowledgeWildcardResources } from './product-nag.js';

/** Properties of {@link ProductDataLocation}. */
export interface ProductDataLocationProps {
  /** The product's domain (its key encrypts the location). */
  readonly domain: IDomain;
  /** Product name (kebab-case). */
  readonly productName: string;
  /** The bucket registered (the product's curated zone: every served major's table lives in it). */
  readonly bucket: s3.IBucket;
}

/**
 * Registers a product's curated zone with Lake Formation, so that principals granted SELECT on
 * its tables (consumer products' jobs, the domain's tag-based consumers) read the data with
 * credentials Lake Formation vends, and need no S3 or KMS permission of their own on it.
 *
 * The registration uses a dedicated role (not the Lake Formation service-linked role, which
 * cannot be given the domain's customer-managed key): `lakeformation.amazonaws.com` may assume
 * it; it reads and writes the bucket's objects and uses the domain key, as Lake Formation
 * requires of a registration role (the credentials it vends are limited to this role's, and a
 * Glue 5.0 job in Full Table Access mode writes its own registered output through them). Who may
 * read or write is decided by Lake Formation grants, not by this role.
 */
export class ProductDataLocation extends Construct {
  /** The role Lake Formation assumes to vend credentials for the location. */
  readonly role: iam.Role;
  /** The `AWS::LakeFormation::Resource` registration. */
  readonly registration: lf.CfnResource;

  constructor(scope: Construct, id: string, props: ProductDataLocationProps) {
    super(scope, id);
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lakeformation.amazonaws.com'),
      description: `Lake Formation reads the curated zone of ${props.domain.domainName}/${props.productName} for its grantees`,
    });
    const policy = new iam.Policy(this, 'Policy', {
      statements: [
        new iam.PolicyStatement({
          sid: 'ListLocation',
          actions: ['s3:ListBucket', 's3:GetBucketLocation'],
          resources: [props.bucket.bucketArn],
        }),
        new iam.PolicyStatement({
          sid: 'ReadWriteLocation',
          actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
          resources: [props.bucket.arnForObjects('*')],
        }),
        new iam.PolicyStatement({
          sid: 'UseDomainKey',
          actions: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'],
          resources: [props.domain.key.keyArn],
        }),
      ],
    });
    policy.attachToRole(this.role);
    acknowledgeWildcardResources(
      policy,
      'Lake Formation vends credentials for every table of the registered location: the objects of exactly this bucket, no action wildcards; who gets them is decided by Lake Formation grants.',
    );
    this.registration = new lf.CfnResource(this, 'Registration', {
      resourceArn: props.bucket.bucketArn,
      useServiceLinkedRole: false,
      roleArn: this.role.roleArn,
      hybridAccessEnabled: false,
    });
    this.registration.node.addDependency(policy);
  }
}
