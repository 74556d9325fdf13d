import { violation, type PolicyRule } from '../../rule.js';
import {
  DQ_RULESET_ARGUMENT,
  GLUE_TABLE,
  isProductTable,
  isRulesetPassedToJob,
  rulesetsFor,
} from '../../glue-structure.js';
import { MESH_POLICY_PACK_VERSION } from '../../version.js';

/** The product's Glue job receives the table's ruleset (`--dq-ruleset-name`). */
export const JobEvaluatesRulesetRule: PolicyRule = {
  id: 'MESH-DQ-JOB-EVALUATES',
  area: 'DQ',
  title: `The product's Glue job evaluates the table's ruleset (job argument ${DQ_RULESET_ARGUMENT})`,
  rationale:
    "A ruleset nobody evaluates is decoration: the job writing the table must run it (EvaluateDataQuality) and quarantine failing rows. By convention the job receives the ruleset name in the DefaultArguments (or a trigger's Arguments) key `--dq-ruleset-name`; the table of an older major served side by side has its ruleset named in the job's `--served-majors` list.",
  fix: `Set the Glue job's DefaultArguments \`${DQ_RULESET_ARGUMENT}\` to the ruleset's Name (DataProduct does).`,
  since: MESH_POLICY_PACK_VERSION,
  resourceTypes: [GLUE_TABLE],
  check(table, ctx) {
    if (!isProductTable(table)) return 'not-applicable';
    const rulesets = rulesetsFor(table, ctx);
    if (rulesets.length === 0) return 'not-applicable'; // MESH-DQ-TABLE-RULESET reports it
    if (rulesets.some((rs) => isRulesetPassedToJob(rs, ctx))) return 'compliant';
    return violation(
      `no Glue job of the stack passes the table's ruleset (${rulesets.map((r) => (typeof r.properties.Name === 'string' ? r.properties.Name : r.logicalId)).join(', ')}) as ${DQ_RULESET_ARGUMENT}`,
    );
  },
};
