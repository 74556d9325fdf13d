import { DqdlSyntaxError, parseDqdl } from '@meshkit/contracts';
import { violation, type PolicyRule } from '../../rule.js';
import {
  GLUE_TABLE,
  MIN_STAGING_REASON_LENGTH,
  STAGING_PARAMETER,
  isProductTable,
  isResourceLink,
  rulesetsFor,
  stagingDeclaration,
} from '../../glue-structure.js';
import { path } from '../../refs.js';
import { MESH_POLICY_PACK_VERSION } from '../../version.js';

/**
 * Every Glue table has a Glue Data Quality ruleset targeting it, or is a declared staging table;
 * every ruleset targeting it is DQDL that Glue accepts (the strict parser of @meshkit/contracts,
 * with Glue's post-parse validations: an empty `Rules = []` is refused).
 */
export const ProductTableHasRulesetRule: PolicyRule = {
  id: 'MESH-DQ-TABLE-RULESET',
  area: 'DQ',
  title:
    'Every Glue table has an AWS::Glue::DataQualityRuleset whose TargetTable is that table, or is declared a staging table of the product (table parameter `meshkit:staging`); each such ruleset is valid, non-empty DQDL',
  rationale:
    "The contract's quality rules are the product's promise to consumers; a table without a ruleset publishes data nobody checked. Every Glue table of every stack (nested stacks included) is checked, whatever its name or parameters — not only the product output tables (parameter `meshkit:contract-id` or name `<product>_v<major>`). A table that only stages data on its way to a checked output (e.g. the raw table of a stream product, `<product>_v<major>_raw`) is declared with the table parameter `meshkit:staging` = the reason (markStagingTable); staging tables are listed in the policy report. A product output table cannot be declared staging. A resource link (a `TargetTable` and no storage) holds no data and is not checked. A ruleset counts only if Glue would accept it: its `Ruleset` is a literal DQDL text that parses with the strict DQDL parser (the official awslabs/dqdl grammar and its validations — known rule types and parameter counts, conditions of the right type, plain decimal numbers, at least one rule: `Rules = []` is refused); otherwise the stack fails here, not at deployment.",
  fix: "Build the table with DataProduct (it compiles the contract's quality rules to DQDL), or add a `CfnDataQualityRuleset` with `targetTable: { databaseName, tableName }` equal to the table's database and name, in the same stack; for a table that only stages data for a checked output, `markStagingTable(table, reason)` (table parameter `meshkit:staging`). For a ruleset Glue would refuse, fix the DQDL at the line and column reported (`parseDqdl` of @meshkit/contracts checks it the same way).",
  since: MESH_POLICY_PACK_VERSION,
  resourceTypes: [GLUE_TABLE],
  check(table, ctx) {
    if (isResourceLink(table)) return 'not-applicable';
    const name = path(table.properties.TableInput, 'Name');
    const what = `Glue table ${typeof name === 'string' ? name : table.logicalId}`;
    const rulesets = rulesetsFor(table, ctx);
    for (const rs of rulesets) {
      const text = rs.properties.Ruleset;
      if (typeof text !== 'string') {
        return violation(
          `the Glue Data Quality ruleset ${rs.logicalId} of ${what} has no literal DQDL text (Ruleset is ${JSON.stringify(text)}): write the DQDL as a string so it can be checked`,
        );
      }
      try {
        parseDqdl(text);
      } catch (e) {
        if (!(e instanceof DqdlSyntaxError)) throw e;
        const line = text.split('\n')[e.line - 1]?.trim() ?? '';
        return violation(
          `the Glue Data Quality ruleset ${rs.logicalId} of ${what} is not DQDL that Glue accepts: line ${e.line}:${e.column}: ${e.reason}${line ? ` (in \`${line.slice(0, 120)}\`)` : ''}`,
        );
      }
    }
    if (rulesets.length > 0) return 'compliant';
    const staging = stagingDeclaration(table);
    if (isProductTable(table)) {
      return violation(
        `${what} is a product output table and has no Glue Data Quality ruleset targeting it (TargetTable database + table name)${staging === undefined ? '' : `; ${STAGING_PARAMETER} does not exempt an output table`}: add its ruleset (DataProduct compiles it from the contract)`,
      );
    }
    if (staging === undefined) {
      return violation(
        `${what} has no Glue Data Quality ruleset targeting it (TargetTable database + table name) and is not declared a staging table: add a CfnDataQualityRuleset for it, or — if it only stages data for a checked output — markStagingTable(table, reason) (table parameter ${STAGING_PARAMETER})`,
      );
    }
    if (typeof staging !== 'string' || staging.trim().length < MIN_STAGING_REASON_LENGTH) {
      return violation(
        `${what} is declared a staging table without a reason (${STAGING_PARAMETER} must be a literal text of at least ${MIN_STAGING_REASON_LENGTH} characters, got ${JSON.stringify(staging)}): say why it needs no ruleset, or add a CfnDataQualityRuleset for it`,
      );
    }
    return 'compliant';
  },
};
