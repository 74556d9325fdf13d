import { violation, type PolicyRule } from '../../rule.js';
import { GLUE_TABLE, isProductTable, rulesetsFor } from '../../glue-structure.js';
import { MESH_POLICY_PACK_VERSION } from '../../version.js';

/** Every product output table has a Glue Data Quality ruleset targeting it. */
export const ProductTableHasRulesetRule: PolicyRule = {
  id: 'MESH-DQ-TABLE-RULESET',
  area: 'DQ',
  title: 'Every product output table has an AWS::Glue::DataQualityRuleset whose TargetTable is that table',
  rationale: 'The contract\'s quality rules are the product\'s promise to consumers; a table without a ruleset publishes data nobody checked. A product output table is a Glue table whose parameters carry `meshkit:contract-id` or whose name follows `<product>_v<major>`; a resource link (a `TargetTable` and no storage) holds no data and is not one.',
  fix: 'Build the table with DataProduct (it compiles the contract\'s quality rules to DQDL), or add a `CfnDataQualityRuleset` with `targetTable: { databaseName, tableName }` equal to the table\'s database and name, in the same stack.',
  since: MESH_POLICY_PACK_VERSION,
  resourceTypes: [GLUE_TABLE],
  check(table, ctx) {
    if (!isProductTable(table)) return 'not-applicable';
    return rulesetsFor(table, ctx).length > 0 ? 'compliant' : violation('product table has no Glue Data Quality ruleset targeting it (TargetTable database + table name)');
  },
};
