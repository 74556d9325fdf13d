import { violation, type PolicyRule } from '../../rule.js';
import {
  GLUE_TABLE, MIN_STAGING_REASON_LENGTH, STAGING_PARAMETER, isProductTable, isResourceLink, rulesetsFor, stagingDeclaration,
} from '../../glue-structure.js';
import { path } from '../../refs.js';
import { MESH_POLICY_PACK_VERSION } from '../../version.js';

/** Every Glue table has a Glue Data Quality ruleset targeting it, or is a declared staging table. */
export const ProductTableHasRulesetRule: PolicyRule = {
  id: 'MESH-DQ-TABLE-RULESET',
  area: 'DQ',
  title: 'Every Glue table has an AWS::Glue::DataQualityRuleset whose TargetTable is that table, or is declared a staging table of the product (table parameter `meshkit:staging`)',
  rationale: 'The contract\'s quality rules are the product\'s promise to consumers; a table without a ruleset publishes data nobody checked. Every Glue table of every stack (nested stacks included) is checked, whatever its name or parameters — not only the product output tables (parameter `meshkit:contract-id` or name `<product>_v<major>`). A table that only stages data on its way to a checked output (e.g. the raw table of a stream product, `<product>_v<major>_raw`) is declared with the table parameter `meshkit:staging` = the reason (markStagingTable); staging tables are listed in the policy report. A product output table cannot be declared staging. A resource link (a `TargetTable` and no storage) holds no data and is not checked.',
  fix: 'Build the table with DataProduct (it compiles the contract\'s quality rules to DQDL), or add a `CfnDataQualityRuleset` with `targetTable: { databaseName, tableName }` equal to the table\'s database and name, in the same stack; for a table that only stages data for a checked output, `markStagingTable(table, reason)` (table parameter `meshkit:staging`).',
  since: MESH_POLICY_PACK_VERSION,
  resourceTypes: [GLUE_TABLE],
  check(table, ctx) {
    if (isResourceLink(table)) return 'not-applicable';
    if (rulesetsFor(table, ctx).length > 0) return 'compliant';
    const name = path(table.properties.TableInput, 'Name');
    const what = `Glue table ${typeof name === 'string' ? name : table.logicalId}`;
    const staging = stagingDeclaration(table);
    if (isProductTable(table)) {
      return violation(`${what} is a product output table and has no Glue Data Quality ruleset targeting it (TargetTable database + table name)${staging === undefined ? '' : `; ${STAGING_PARAMETER} does not exempt an output table`}: add its ruleset (DataProduct compiles it from the contract)`);
    }
    if (staging === undefined) {
      return violation(`${what} has no Glue Data Quality ruleset targeting it (TargetTable database + table name) and is not declared a staging table: add a CfnDataQualityRuleset for it, or — if it only stages data for a checked output — markStagingTable(table, reason) (table parameter ${STAGING_PARAMETER})`);
    }
    if (typeof staging !== 'string' || staging.trim().length < MIN_STAGING_REASON_LENGTH) {
      return violation(`${what} is declared a staging table without a reason (${STAGING_PARAMETER} must be a literal text of at least ${MIN_STAGING_REASON_LENGTH} characters, got ${JSON.stringify(staging)}): say why it needs no ruleset, or add a CfnDataQualityRuleset for it`);
    }
    return 'compliant';
  },
};
