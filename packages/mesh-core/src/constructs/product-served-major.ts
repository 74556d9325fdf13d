import { Construct } from 'constructs';
import {
  compileQuality,
  selectObject,
  toDqdl,
  toGlueColumns,
  type Classification,
  type OdcsContract,
} from '@meshkit/contracts';
import type { IDomain } from '../domain/domain.js';
import { ProductLakeFormation } from './product-lake-formation.js';
import { ProductQualityRuleset } from './product-quality-ruleset.js';
import { ProductTable } from './product-table.js';
import type { aws_s3 as s3 } from 'aws-cdk-lib';

/** Properties of {@link ProductServedMajor}. */
export interface ProductServedMajorProps {
  /** The product's domain (database, LF-tag value). */
  readonly domain: IDomain;
  /** Product name (kebab-case). */
  readonly productName: string;
  /** The major version served. */
  readonly major: number;
  /** The frozen contract of that major. */
  readonly contract: OdcsContract;
  /** Output table name (`<product>_v<major>`). */
  readonly tableName: string;
  /** DQ ruleset name (`<domain>-<product>-v<major>-dq`). */
  readonly rulesetName: string;
  /** The curated zone (data under `<tableName>/`). */
  readonly bucket: s3.IBucket;
  /** Value of the table's `classification` LF-tag. */
  readonly classification: Classification;
  /** Columns carrying their own `classification` LF-tag (see `columnClassifications`). @default none */
  readonly columnClassifications?: Partial<Record<Classification, readonly string[]>>;
  /** Table parameters (the product's; the contract id and version are the frozen contract's). @default none */
  readonly parameters?: Record<string, string>;
  /** ARN of the product job's role, granted on the table like on the current one. */
  readonly jobRoleArn: string;
  /**
   * Schema object of the frozen contract that is the output port.
   * @default the contract's first schema object
   */
  readonly outputObject?: string;
}

/**
 * The output port of an older major a product still serves side by side: its own table
 * `<product>_v<major>` compiled from the frozen contract (columns, partition keys, the contract's
 * id and version as parameters), its own DQ ruleset (the frozen contract's DQDL), LF-tag
 * associations (table and sensitive columns) and the product job's grant. The job derives its
 * data from the current output with the compatibility SQL (`ProductGlueJob` `servedMajors`).
 */
export class ProductServedMajor extends Construct {
  /** The major version served. */
  readonly major: number;
  /** The output table. */
  readonly table: ProductTable;
  /** The DQ ruleset. */
  readonly qualityRuleset: ProductQualityRuleset;
  /** The DQDL compiled from the frozen contract. */
  readonly dqdl: string;
  /** LF-tags and the job's grant on the table. */
  readonly lakeFormation: ProductLakeFormation;

  constructor(scope: Construct, id: string, props: ProductServedMajorProps) {
    super(scope, id);
    const { contract, domain } = props;
    this.major = props.major;
    const objectName = props.outputObject ?? selectObject(contract).object.name;
    const { object } = selectObject(contract, objectName);
    const glue = toGlueColumns(contract, { object: objectName });
    this.dqdl = toDqdl(compileQuality(contract, { object: objectName }));
    const label = `${domain.domainName}/${props.productName}`;
    this.table = new ProductTable(this, 'Table', {
      databaseName: domain.databaseName,
      tableName: props.tableName,
      columns: glue.columns,
      partitionKeys: glue.partitionKeys,
      bucket: props.bucket,
      description: (object.description ?? contract.description?.purpose)?.slice(0, 2048),
      parameters: {
        ...props.parameters,
        'meshkit:contract-id': contract.id,
        'meshkit:contract-version': contract.version,
        'meshkit:served-major': String(props.major),
      },
    });
    this.qualityRuleset = new ProductQualityRuleset(this, 'Quality', {
      rulesetName: props.rulesetName,
      dqdl: this.dqdl,
      databaseName: domain.databaseName,
      tableName: props.tableName,
      description: `Quality of ${label} v${props.major} (served side by side), compiled from contract ${contract.id} ${contract.version}`,
    });
    this.qualityRuleset.ruleset.node.addDependency(this.table.table);
    this.lakeFormation = new ProductLakeFormation(this, 'LakeFormation', {
      domainName: domain.domainName,
      databaseName: domain.databaseName,
      tableName: props.tableName,
      classification: props.classification,
      columnClassifications: props.columnClassifications,
      tablePermissions: [
        {
          principalArn: props.jobRoleArn,
          tableName: props.tableName,
          permissions: ['SELECT', 'INSERT', 'DELETE', 'DESCRIBE', 'ALTER'],
        },
      ],
      dependsOn: [this.table.table],
    });
  }
}
