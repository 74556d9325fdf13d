import { Stack, aws_events as events, aws_glue as glue, aws_iam as iam, aws_s3 as s3 } from 'aws-cdk-lib';
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
   * Optional schedule: `cron(…)` (6 fields, as EventBridge and Glue read it) or `rate(N unit)`
   * convertible to a cron (minutes dividing 60, hours dividing 24, or 1 day).
   * @default no schedule (landing events only)
   */
  readonly schedule?: string;
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
 * Glue workflow whose EVENT trigger starts the product's job (events batched), plus an optional
 * SCHEDULED trigger. This is the documented EventBridge → Glue path: the rule targets the
 * workflow with a role allowed `glue:NotifyEvent` on it.
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
  /** The SCHEDULED trigger, when a schedule is set. */
  readonly scheduleTrigger?: glue.CfnTrigger;
  /** The landing prefix. */
  readonly landingPrefix: string;

  constructor(scope: Construct, id: string, props: ProductBatchIngestionProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.landingPrefix = props.landingPrefix ?? 'landing/';
    if (!this.landingPrefix.endsWith('/') || this.landingPrefix.startsWith('/')) {
      throw new MeshError('INVALID_CONFIG', `landingPrefix must end with '/' and not start with it (got '${this.landingPrefix}')`);
    }
    const batchSize = props.batchSize ?? 100;
    const batchWindow = props.batchWindowSeconds ?? 300;
    if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 100) throw new MeshError('INVALID_CONFIG', `batchSize must be 1–100 (got ${batchSize})`);
    if (!Number.isInteger(batchWindow) || batchWindow < 1 || batchWindow > 900) throw new MeshError('INVALID_CONFIG', `batchWindowSeconds must be 1–900 (got ${batchWindow})`);

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
        detail: { bucket: { name: [props.rawBucket.bucketName] }, object: { key: events.Match.prefix(this.landingPrefix) } },
      },
    });
    const role = this.eventsRole;
    this.rule.addTarget({ bind: () => ({ arn: workflowArn, role }) });

    if (props.schedule !== undefined) {
      this.scheduleTrigger = new glue.CfnTrigger(this, 'ScheduleTrigger', {
        name: `${props.workflowName}-scheduled`,
        type: 'SCHEDULED',
        schedule: glueSchedule(props.schedule),
        startOnCreation: true,
        actions: [{ jobName: props.jobName }],
      });
    }
  }
}

/**
 * A Glue trigger schedule (`cron(…)`) from an EventBridge schedule expression: cron expressions
 * pass through; `rate(N minutes|hours|days)` becomes the equivalent cron when there is one.
 * @throws MeshError `INVALID_CONFIG` naming `ingestion.schedule` otherwise
 */
export function glueSchedule(expression: string): string {
  const e = expression.trim();
  const cron = /^cron\(([^)]*)\)$/.exec(e);
  if (cron) {
    const fields = cron[1]!.trim().split(/\s+/);
    if (fields.length !== 6) throw new MeshError('INVALID_CONFIG', `ingestion.schedule: a cron expression has 6 fields (minutes hours day-of-month month day-of-week year), got '${e}'`);
    return `cron(${fields.join(' ')})`;
  }
  const rate = /^rate\(\s*(\d+)\s+(minute|minutes|hour|hours|day|days)\s*\)$/.exec(e);
  if (rate) {
    const n = Number(rate[1]);
    const unit = rate[2]!;
    if (unit.startsWith('minute') && n >= 1 && n < 60 && 60 % n === 0) return n === 1 ? 'cron(* * * * ? *)' : `cron(0/${n} * * * ? *)`;
    if (unit.startsWith('minute') && n >= 60 && n % 60 === 0 && 24 % (n / 60) === 0) return glueSchedule(`rate(${n / 60} hours)`);
    if (unit.startsWith('hour') && n >= 1 && n < 24 && 24 % n === 0) return n === 1 ? 'cron(0 * * * ? *)' : `cron(0 0/${n} * * ? *)`;
    if ((unit.startsWith('hour') && n === 24) || (unit.startsWith('day') && n === 1)) return 'cron(0 0 * * ? *)';
  }
  throw new MeshError('INVALID_CONFIG', `ingestion.schedule '${e}' cannot start a Glue job: use cron(…) or a rate of minutes dividing 60, hours dividing 24, or 1 day`);
}
