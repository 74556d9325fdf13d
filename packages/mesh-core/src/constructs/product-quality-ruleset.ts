import { DqdlSyntaxError, MeshError, parseDqdl } from '@meshkit/contracts';
import { aws_glue as glue } from 'aws-cdk-lib';
import { Construct } from 'constructs';

/** Properties of {@link ProductQualityRuleset}. */
export interface ProductQualityRulesetProps {
  /** Ruleset name, unique per account and region (`<domain>-<product>-v<major>-dq`). Immutable. */
  readonly rulesetName: string;
  /**
   * The DQDL text (`toDqdl(compileQuality(contract))`). Checked at construction with the strict
   * DQDL parser (`parseDqdl`): text Glue would refuse — `Rules = []` included — is an error here.
   */
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

/**
 * A Glue Data Quality ruleset tied to the product's output table.
 *
 * @throws {@link MeshError} `DQDL_UNEXPRESSIBLE` when `dqdl` is not DQDL that Glue accepts (with
 * the line and column in the ruleset), so a bad ruleset fails synth, not the deployment.
 */
export class ProductQualityRuleset extends Construct {
  /** The ruleset's CloudFormation resource. */
  readonly ruleset: glue.CfnDataQualityRuleset;
  /** Ruleset name. */
  readonly rulesetName: string;

  constructor(scope: Construct, id: string, props: ProductQualityRulesetProps) {
    super(scope, id);
    try {
      parseDqdl(props.dqdl);
    } catch (e) {
      if (!(e instanceof DqdlSyntaxError)) throw e;
      throw new MeshError(
        'DQDL_UNEXPRESSIBLE',
        `ProductQualityRuleset ${props.rulesetName}: props.dqdl is not DQDL that Glue accepts: line ${e.line}:${e.column}: ${e.reason}`,
        { exitCode: 1, cause: e },
      );
    }
    this.rulesetName = props.rulesetName;
    this.ruleset = new glue.CfnDataQualityRuleset(this, 'Ruleset', {
      name: props.rulesetName,
      description: props.description,
      ruleset: props.dqdl,
      targetTable: { databaseName: props.databaseName, tableName: props.tableName },
    });
  }
}
