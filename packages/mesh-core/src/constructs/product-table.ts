import { Stack, aws_glue as glue, type aws_s3 as s3 } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { GlueColumn } from '@meshkit/contracts';

/** Hive input format of Parquet tables. */
export const PARQUET_INPUT_FORMAT = 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat';
/** Hive output format of Parquet tables. */
export const PARQUET_OUTPUT_FORMAT = 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat';
/** SerDe of Parquet tables. */
export const PARQUET_SERDE = 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe';

/** Properties of {@link ProductTable}. */
export interface ProductTableProps {
  /** Glue database holding the table (the domain's). */
  readonly databaseName: string;
  /** Table name (snake_case), e.g. `orders_v1`. */
  readonly tableName: string;
  /** Data columns (from `toGlueColumns`). */
  readonly columns: readonly GlueColumn[];
  /**
   * Partition keys (from `toGlueColumns`).
   * @default none
   */
  readonly partitionKeys?: readonly GlueColumn[];
  /** Bucket holding the data. */
  readonly bucket: s3.IBucket;
  /**
   * Key prefix of the data in the bucket, ending in `/`.
   * @default `<tableName>/`
   */
  readonly prefix?: string;
  /**
   * Table parameters, added to `classification: parquet`.
   * @default none
   */
  readonly parameters?: Record<string, string>;
  /**
   * Table description.
   * @default none
   */
  readonly description?: string;
}

/**
 * A Parquet Glue table (`EXTERNAL_TABLE`, Parquet SerDe and formats, `classification: parquet`)
 * in the account's Data Catalog.
 */
export class ProductTable extends Construct {
  /** The table's CloudFormation resource. */
  readonly table: glue.CfnTable;
  /** Database name. */
  readonly databaseName: string;
  /** Table name. */
  readonly tableName: string;
  /** `s3://bucket/prefix/` of the data. */
  readonly location: string;
  /** ARN of the table. */
  readonly tableArn: string;

  constructor(scope: Construct, id: string, props: ProductTableProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.databaseName = props.databaseName;
    this.tableName = props.tableName;
    this.location = `s3://${props.bucket.bucketName}/${props.prefix ?? `${props.tableName}/`}`;
    this.tableArn = stack.formatArn({
      service: 'glue',
      resource: 'table',
      resourceName: `${props.databaseName}/${props.tableName}`,
    });
    const partitionKeys = props.partitionKeys ?? [];
    this.table = new glue.CfnTable(this, 'Table', {
      catalogId: stack.account,
      databaseName: props.databaseName,
      tableInput: {
        name: props.tableName,
        description: props.description,
        tableType: 'EXTERNAL_TABLE',
        parameters: { classification: 'parquet', 'parquet.compression': 'SNAPPY', ...props.parameters },
        partitionKeys: partitionKeys.length ? partitionKeys.map(column) : undefined,
        storageDescriptor: {
          location: this.location,
          columns: props.columns.map(column),
          inputFormat: PARQUET_INPUT_FORMAT,
          outputFormat: PARQUET_OUTPUT_FORMAT,
          compressed: false,
          storedAsSubDirectories: false,
          serdeInfo: { serializationLibrary: PARQUET_SERDE, parameters: { 'serialization.format': '1' } },
        },
      },
    });
  }
}

function column(c: GlueColumn): glue.CfnTable.ColumnProperty {
  return c.comment === undefined ? { name: c.name, type: c.type } : { name: c.name, type: c.type, comment: c.comment };
}
