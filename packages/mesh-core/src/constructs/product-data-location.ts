import { aws_iam as iam, aws_lakeformation as lf, aws_s3 as s3 } from 'aws-cdk-lib';
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
 * it; it reads the bucket (`s3:ListBucket`, `s3:GetObject`) and decrypts with the domain key.
 * It writes nothing: the product's own job writes its zone with its IAM role.
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
        new iam.PolicyStatement({ sid: 'ListLocation', actions: ['s3:ListBucket', 's3:GetBucketLocation'], resources: [props.bucket.bucketArn] }),
        new iam.PolicyStatement({ sid: 'ReadLocation', actions: ['s3:GetObject'], resources: [props.bucket.arnForObjects('*')] }),
        new iam.PolicyStatement({ sid: 'DecryptLocation', actions: ['kms:Decrypt', 'kms:DescribeKey'], resources: [props.domain.key.keyArn] }),
      ],
    });
    policy.attachToRole(this.role);
    acknowledgeWildcardResources(policy, 'Lake Formation vends read credentials for every table of the registered location: the objects of exactly this bucket, read-only, no action wildcards.');
    this.registration = new lf.CfnResource(this, 'Registration', {
      resourceArn: props.bucket.bucketArn,
      useServiceLinkedRole: false,
      roleArn: this.role.roleArn,
      hybridAccessEnabled: false,
    });
    this.registration.node.addDependency(policy);
  }
}
