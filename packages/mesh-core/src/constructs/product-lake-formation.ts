import { Stack, aws_lakeformation as lf, type CfnResource } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { Classification } from '@meshkit/contracts';

import { LF_TAG_CLASSIFICATION, LF_TAG_DOMAIN } from './foundation-defaults.js';

/** Lake Formation permissions on one table, granted to one principal by name (not by tag). */
export interface ProductTablePermission {
  /** IAM role ARN of the principal. */
  readonly principalArn: string;
  /** Table the permissions apply to (in the domain database). */
  readonly tableName: string;
  /** Permissions, e.g. `['SELECT', 'INSERT', 'DESCRIBE']`. */
  readonly permissions: readonly string[];
}

/** Properties of {@link ProductLakeFormation}. */
export interface ProductLakeFormationProps {
  /** Domain name (value of the `domain` LF-tag). */
  readonly domainName: string;
  /** The domain's Glue database. */
  readonly databaseName: string;
  /** The product's output table. */
  readonly tableName: string;
  /** The product's classification (value of the table's `classification` LF-tag). */
  readonly classification: Classification;
  /**
   * Columns that carry their own `classification` LF-tag, by classification
   * (e.g. `{ restricted: ['customer_email'] }`).
   * @default none
   */
  readonly columnClassifications?: Partial<Record<Classification, readonly string[]>>;
  /**
   * Named-resource permissions for the product's own roles (e.g. its Glue job).
   * @default none
   */
  readonly tablePermissions?: readonly ProductTablePermission[];
  /**
   * The table resources the associations and grants wait for.
   * @default none
   */
  readonly dependsOn?: readonly CfnResource[];
}

/**
 * Lake Formation for one product: LF-tag associations on the output table (`domain`,
 * `classification`) and on sensitive columns (`classification`), and named grants for the
 * product's own roles. Consumers are granted once per domain, by tag, in `DomainFoundation`
 * (`consumers`): the tags set here bring the table under those grants.
 */
export class ProductLakeFormation extends Construct {
  /** The table's tag association. */
  readonly tableTags: lf.CfnTagAssociation;
  /** Column-level tag associations, by classification. */
  readonly columnTags: Partial<Record<Classification, lf.CfnTagAssociation>> = {};
  /** Named-resource grants, in the order of `tablePermissions`. */
  readonly tableGrants: lf.CfnPrincipalPermissions[] = [];

  constructor(scope: Construct, id: string, props: ProductLakeFormationProps) {
    super(scope, id);
    const catalogId = Stack.of(this).account;
    const depend = (r: CfnResource) => {
      for (const d of props.dependsOn ?? []) r.node.addDependency(d);
    };

    this.tableTags = new lf.CfnTagAssociation(this, 'TableTags', {
      resource: { table: { catalogId, databaseName: props.databaseName, name: props.tableName } },
      lfTags: [
        { catalogId, tagKey: LF_TAG_DOMAIN, tagValues: [props.domainName] },
        { catalogId, tagKey: LF_TAG_CLASSIFICATION, tagValues: [props.classification] },
      ],
    });
    depend(this.tableTags);

    for (const [classification, columns] of Object.entries(props.columnClassifications ?? {}) as Array<
      [Classification, readonly string[]]
    >) {
      if (!columns.length) continue;
      const assoc = new lf.CfnTagAssociation(this, `ColumnTags-${classification}`, {
        resource: {
          tableWithColumns: {
            catalogId,
            databaseName: props.databaseName,
            name: props.tableName,
            columnNames: [...columns],
          },
        },
        lfTags: [{ catalogId, tagKey: LF_TAG_CLASSIFICATION, tagValues: [classification] }],
      });
      // Tagging the columns after the table: the column tag overrides the inherited one.
      assoc.node.addDependency(this.tableTags);
      this.columnTags[classification] = assoc;
    }

    (props.tablePermissions ?? []).forEach((p, i) => {
      const grant = new lf.CfnPrincipalPermissions(this, `TableGrant${i}`, {
        catalog: catalogId,
        principal: { dataLakePrincipalIdentifier: p.principalArn },
        resource: { table: { catalogId, databaseName: props.databaseName, name: p.tableName } },
        permissions: [...p.permissions],
        permissionsWithGrantOption: [],
      });
      depend(grant);
      this.tableGrants.push(grant);
    });
  }
}
