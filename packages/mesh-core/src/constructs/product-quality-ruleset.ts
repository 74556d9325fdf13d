import { aws_glue as glue } from 'aws-cdk-lib';
import { Construct } from 'constructs';

/** Properties of {@link ProductQualityRuleset}. */
export interface ProductQualityRulesetProps {
  /** Ruleset name, unique per account and region (`<domain>-<product>-v<major>-dq`). Immutable. */
  readonly rulesetName: string;
  /** The DQDL text (`toDqdl(compileQuality(contract))`). */
  readonly dqdl: string;
  /** Database of the table the ruleset evaluates. */
  readonly databaseName: string;
  /** Table the ruleset evaluates. */
  readonly tableName: string;
  /**
   * Description.
   * @default none
   */
  readonly description?: string;
}

/** A Glue Data Quality ruleset tied to the product's output table. */
export class ProductQualityRuleset extends Construct {
  /** The ruleset's CloudFormation resource. */
  readonly ruleset: glue.CfnDataQualityRuleset;
  /** Ruleset name. */
  readonly rulesetName: string;

  constructor(scope: Construct, id: string, props: ProductQualityRulesetProps) {
    super(scope, id);
    this.rulesetName = props.rulesetName;
    this.ruleset = new glue.CfnDataQualityRuleset(this, 'Ruleset', {
      name: props.rulesetName,
      description: props.description,
      ruleset: props.dqdl,
      targetTable: { databaseName: props.databaseName, tableName: props.tableName },
    });
  }
}
