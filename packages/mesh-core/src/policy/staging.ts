import { CfnResource } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { MeshError } from '@meshkit/contracts';
import { GLUE_TABLE, MIN_STAGING_REASON_LENGTH, STAGING_PARAMETER } from './glue-structure.js';

/**
 * Declares a Glue table a staging table of the product: it only stages data on its way to a
 * checked output, so it needs no Data Quality ruleset of its own (MESH-DQ-TABLE-RULESET). Writes
 * the table parameter `meshkit:staging` = `reason`; the policy report lists every staging table.
 * `table` is the `CfnTable`, or a construct holding it (`ProductTable`, an L2 whose defaultChild
 * is the table). A product output table (`meshkit:contract-id`, `<product>_v<major>`) is never exempted.
 *
 * @throws MeshError (USAGE) when the reason is shorter than 10 characters or no Glue table is found.
 */
export function markStagingTable(table: IConstruct, reason: string): void {
  const where = `markStagingTable(${table.node.path})`;
  const why = typeof reason === 'string' ? reason.trim() : '';
  if (why.length < MIN_STAGING_REASON_LENGTH)
    throw new MeshError(
      'USAGE',
      `${where}: reason is required (at least ${MIN_STAGING_REASON_LENGTH} characters): why the table needs no ruleset`,
    );
  const held = (table as { table?: unknown }).table;
  const candidates = [table, held, table.node.defaultChild];
  const cfn = candidates.find(
    (c): c is CfnResource =>
      c !== undefined &&
      CfnResource.isCfnResource(c as IConstruct) &&
      (c as CfnResource).cfnResourceType === GLUE_TABLE,
  );
  if (!cfn)
    throw new MeshError(
      'USAGE',
      `${where}: not a Glue table (AWS::Glue::Table, or a construct whose table or defaultChild is one)`,
    );
  cfn.addPropertyOverride(`TableInput.Parameters.${STAGING_PARAMETER}`, why);
}
