import { Stack, aws_lakeformation as lf } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { MeshError } from '@meshkit/contracts';
import { tableReadGrant } from './product-consumer-grants.js';

/** A consumer of this product in another AWS account. */
export interface CrossAccountConsumer {
  /** `<domain>/<product>` of the consumer. */
  readonly product: string;
  /** The consumer's account (12 digits). */
  readonly account: string;
  /** The table of this product the consumer's range resolves to (in this product's domain database). */
  readonly tableName: string;
  /** Columns it consumes. @default every column */
  readonly columns?: readonly string[];
}

/** Properties of {@link ProductCrossAccountShares}. */
export interface ProductCrossAccountSharesProps {
  /** The product's domain database. */
  readonly databaseName: string;
  /** The consumers in other accounts. */
  readonly consumers: readonly CrossAccountConsumer[];
}

/**
 * The producer's side of `consumes` across accounts: per consumer in another account, a Lake
 * Formation grant of SELECT (on the consumed columns, else SELECT + DESCRIBE on the table) to that
 * account, with the grant option on exactly those permissions, so that the consumer account's data
 * lake administrator can grant them to the consumer's job (its stack does, `ProductConsumerGrants`).
 * Lake Formation shares the table with the account through AWS RAM: the consumer account accepts
 * the share (automatic within one AWS Organization with RAM sharing enabled).
 */
export class ProductCrossAccountShares extends Construct {
  /** The grants, in `consumers` order. */
  readonly grants: lf.CfnPrincipalPermissions[] = [];

  constructor(scope: Construct, id: string, props: ProductCrossAccountSharesProps) {
    super(scope, id);
    const account = Stack.of(this).account;
    props.consumers.forEach((c, i) => {
      if (!/^\d{12}$/.test(c.account))
        throw new MeshError(
          'INVALID_CONFIG',
          `cross-account consumer ${c.product}: account '${c.account}' is not 12 digits`,
        );
      const { resource, permissions } = tableReadGrant(
        { catalogId: account, databaseName: props.databaseName, tableName: c.tableName },
        c.columns,
      );
      const grant = new lf.CfnPrincipalPermissions(this, `Share${i}`, {
        catalog: account,
        principal: { dataLakePrincipalIdentifier: c.account },
        resource,
        permissions,
        permissionsWithGrantOption: permissions,
      });
      grant.addMetadata('meshkit:share', {
        consumer: c.product,
        account: c.account,
        ...(c.columns ? { columns: [...c.columns] } : {}),
      });
      this.grants.push(grant);
    });
  }
}
