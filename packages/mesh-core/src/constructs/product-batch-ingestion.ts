import { Stack, aws_events as events, aws_glue as glue, aws_iam as iam, type aws_s3 as s3 } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { MeshError } from '@meshkit/contracts';

/** Properties of {@link ProductBatchIngestion}. */
export interface ProductBatchIngestionProps {
  /** The raw zone; must send its events to EventBridge (`ProductZoneBucket.eventBridgeEnabled`). */
  readonly rawBucket: s3.IBucket;
  /**
   * Prefix of the raw zone where files land, ending in `/`.
   * @default 'landing/'
   */
  readonly landingPrefix?: string;
  /** Name of the Glue job to start. */
  readonly jobName: string;
  /** Name of the Glue workflow started by landing events (unique per account and region). */
  readonly workflowName: string;
  /**
   * Landing events that start one run (Glue event batching, 1–100).
   * @default 100
   */
  readonly batchSize?: number;
  /**
   * Seconds Glue waits for more events before starting a run (1–900).
   * @default 300
   */
  readonly batchWindowSeconds?: number;
}

/**
 * Batch ingestion: S3 "Object Created" events under the landing prefix (EventBridge) notify a
 * Glue workflow whose EVENT trigger starts the product's job (events batched): the one trigger
 * path of a batch product's job (no schedule beside it, which would collide with the running job
 * under `maxConcurrentRuns: 1`). This is the documented EventBridge → Glue path: the rule targets
 * the workflow with a role allowed `glue:NotifyEvent` on it.
 */
export class ProductBatchIngestion extends Construct {
  /** The workflow started by landing events. */
  readonly workflow: glue.CfnWorkflow;
  /** The workflow's EVENT trigger (starts the job). */
  readonly eventTrigger: glue.CfnTrigger;
  /** The EventBridge rule matching landing object-created events. */
  readonly rule: events.Rule;
  /** The role EventBridge uses to notify the workflow. */
  readonly eventsRole: iam.Role;
  /** The landing prefix. */
  readonly landingPrefix: string;

  constructor(scope: Construct, id: string, props: ProductBatchIngestionProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.landingPrefix = props.landingPrefix ?? 'landing/';
    if (!this.landingPrefix.endsWith('/') || this.landingPrefix.startsWith('/')) {
      throw new MeshError(
        'INVALID_CONFIG',
        `landingPrefix must end with '/' and not start with it (got '${this.landingPrefix}')`,
      );
    }
    const batchSize = props.batchSize ?? 100;
    const batchWindow = props.batchWindowSeconds ?? 300;
    if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 100)
      throw new MeshError('INVALID_CONFIG', `batchSize must be 1–100 (got ${batchSize})`);
    if (!Number.isInteger(batchWindow) || batchWindow < 1 || batchWindow > 900)
      throw new MeshError('INVALID_CONFIG', `batchWindowSeconds must be 1–900 (got ${batchWindow})`);

    this.workflow = new glue.CfnWorkflow(this, 'Workflow', {
      name: props.workflowName,
      description: `Starts ${props.jobName} when files land under ${this.landingPrefix}`,
      maxConcurrentRuns: 1,
    });
    this.eventTrigger = new glue.CfnTrigger(this, 'EventTrigger', {
      name: `${props.workflowName}-on-landing`,
      type: 'EVENT',
      workflowName: props.workflowName,
      eventBatchingCondition: { batchSize, batchWindow },
      actions: [{ jobName: props.jobName }],
    });
    this.eventTrigger.node.addDependency(this.workflow);

    const workflowArn = stack.formatArn({ service: 'glue', resource: 'workflow', resourceName: props.workflowName });
    this.eventsRole = new iam.Role(this, 'EventsRole', {
      assumedBy: new iam.ServicePrincipal('events.amazonaws.com'),
      description: `EventBridge notifies Glue workflow ${props.workflowName}`,
    });
    this.eventsRole.addToPolicy(new iam.PolicyStatement({ actions: ['glue:NotifyEvent'], resources: [workflowArn] }));

    this.rule = new events.Rule(this, 'LandingRule', {
      description: `Files landed under s3://…/${this.landingPrefix} start ${props.jobName}`,
      eventPattern: {
        source: ['aws.s3'],
        detailType: ['Object Created'],
        detail: {
          bucket: { name: [props.rawBucket.bucketName] },
          object: { key: events.Match.prefix(this.landingPrefix) },
        },
      },
    });
    const role = this.eventsRole;
    this.rule.addTarget({ bind: () => ({ arn: workflowArn, role }) });
  }
}
