import { Stack, aws_glue as glue, aws_lakeformation as lf } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { MeshError } from '@meshkit/contracts';

/** One `consumes` edge of a product, resolved to the producer's output table it reads. */
export interface ConsumedProduct {
  /** `<domain>/<product>` of the producer. */
  readonly product: string;
  /** The range as written in product.yaml (e.g. `^1.2.0`). */
  readonly range: string;
  /** The producer's served major the range resolves to. */
  readonly major: number;
  /** The producer domain's Glue database. */
  readonly databaseName: string;
  /** The producer's output table of that major (`<product>_v<major>`). */
  readonly tableName: string;
  /** View name in transform.sql (`<domain>_<product>`, snake_case). */
  readonly view: string;
  /**
   * Columns the consumer reads (`consumes[].columns`): the grant is limited to them.
   * @default every column (a table-level grant)
   */
  readonly columns?: readonly string[];
  /**
   * Account of the producer's catalog when it differs from the consumer's (a cross-account
   * grant: see the construct's documentation).
   * @default the consumer's account
   */
  readonly producerAccount?: string;
  /**
   * With `producerAccount`: the resource link the consumer's job reads the shared table through
   * (named like the shared table, as Glue 5.0 requires, in a database of links this construct
   * creates).
   * @default none
   */
  readonly link?: { readonly databaseName: string; readonly tableName: string };
}

/**
 * What a reader of a product's table is granted: SELECT on the consumed columns (a column-level
 * grant), else SELECT + DESCRIBE on the whole table — the same shape for a consumer's job and for
 * a share with a consumer account.
 */
export function tableReadGrant(
  table: { catalogId: string; databaseName: string; tableName: string },
  columns?: readonly string[],
): {
  resource: lf.CfnPrincipalPermissions.ResourceProperty;
  permissions: string[];
} {
  const t = { catalogId: table.catalogId, databaseName: table.databaseName, name: table.tableName };
  return columns
    ? { resource: { tableWithColumns: { ...t, columnNames: [...columns] } }, permissions: ['SELECT'] }
    : { resource: { table: t }, permissions: ['SELECT', 'DESCRIBE'] };
}

/** Properties of {@link ProductConsumerGrants}. */
export interface ProductConsumerGrantsProps {
  /** The consumer's principal (its Glue job role ARN). */
  readonly principalArn: string;
  /** What the consumer reads. */
  readonly consumed: readonly ConsumedProduct[];
}

/**
 * The Lake Formation grants that let a consumer product's job read what it consumes: per
 * `consumes` edge, SELECT on the producer's output table of the major the range resolves to,
 * limited to the consumed columns when `columns` is given (a column-level grant, which the job
 * reads with Glue 5.0's fine-grained access control), else SELECT + DESCRIBE on the whole table.
 * No grant option. The data is read with credentials Lake Formation vends for the producer's
 * registered curated zone (`ProductDataLocation`): the consumer needs no S3 or KMS permission on
 * it, only `lakeformation:GetDataAccess` and the catalog reads its job role has.
 *
 * Same account: the grant names the producer's table in the account's catalog. Other account
 * (`producerAccount`): the producer's stack shares the table with this account
 * (`ProductCrossAccountShares`); this stack grants the job SELECT on the shared table (its catalog
 * is the producer's account) and DESCRIBE on a resource link to it in the consumer's domain
 * database, which the job reads. The consumer account accepts the AWS RAM share first (see
 * docs/wiring.md).
 */
export class ProductConsumerGrants extends Construct {
  /** One grant per consumed product, in `consumed` order. */
  readonly grants: lf.CfnPrincipalPermissions[] = [];
  /** Resource links to the tables of producers in other accounts, by consumed product. */
  readonly resourceLinks: Record<string, glue.CfnTable> = {};

  /** The databases holding the resource links, by name. */
  readonly linkDatabases: Record<string, glue.CfnDatabase> = {};

  constructor(scope: Construct, id: string, props: ProductConsumerGrantsProps) {
    super(scope, id);
    const account = Stack.of(this).account;
    const linked = new Map<string, string>();
    for (const c of props.consumed) {
      if (c.producerAccount === undefined || !c.link) continue;
      const key = `${c.link.databaseName}.${c.link.tableName}`;
      const clash = linked.get(key);
      if (clash !== undefined)
        throw new MeshError(
          'INVALID_CONFIG',
          `consumes ${clash} and ${c.product}: both are read through a resource link named ${key} (links are named like the shared table); consume one of them from a product of its own`,
        );
      linked.set(key, c.product);
      if (!this.linkDatabases[c.link.databaseName] && c.link.databaseName) {
        this.linkDatabases[c.link.databaseName] = new glue.CfnDatabase(
          this,
          `LinkDatabase${Object.keys(this.linkDatabases).length}`,
          {
            catalogId: account,
            databaseInput: {
              name: c.link.databaseName,
              description: 'Resource links to the tables this product consumes from other accounts',
              createTableDefaultPermissions: [],
            },
          },
        );
      }
    }
    props.consumed.forEach((c, i) => {
      if (c.columns && c.columns.length === 0)
        throw new MeshError('INVALID_CONFIG', `consumes ${c.product}: columns, when given, lists at least one column`);
      const producerCatalog = c.producerAccount ?? account;
      // The grant is made in this account's catalog; the table is the producer's (shared with
      // this account when it is another one).
      const grant = new lf.CfnPrincipalPermissions(this, `Consumes${i}`, {
        catalog: account,
        principal: { dataLakePrincipalIdentifier: props.principalArn },
        ...tableReadGrant(
          { catalogId: producerCatalog, databaseName: c.databaseName, tableName: c.tableName },
          c.columns,
        ),
        permissionsWithGrantOption: [],
      });
      grant.addMetadata('meshkit:consumes', {
        product: c.product,
        range: c.range,
        major: c.major,
        ...(c.columns ? { columns: [...c.columns] } : {}),
      });
      this.grants.push(grant);
      if (c.producerAccount !== undefined && c.link) {
        // The job reads the shared table through a resource link in its own catalog.
        const link = new glue.CfnTable(this, `Link${i}`, {
          catalogId: account,
          databaseName: c.link.databaseName,
          tableInput: {
            name: c.link.tableName,
            targetTable: { catalogId: c.producerAccount, databaseName: c.databaseName, name: c.tableName },
          },
        });
        const describe = new lf.CfnPrincipalPermissions(this, `DescribeLink${i}`, {
          catalog: account,
          principal: { dataLakePrincipalIdentifier: props.principalArn },
          resource: { table: { catalogId: account, databaseName: c.link.databaseName, name: c.link.tableName } },
          permissions: ['DESCRIBE'],
          permissionsWithGrantOption: [],
        });
        describe.node.addDependency(link);
        const db = this.linkDatabases[c.link.databaseName];
        if (db) link.node.addDependency(db);
        this.resourceLinks[c.product] = link;
      }
    });
  }
}
