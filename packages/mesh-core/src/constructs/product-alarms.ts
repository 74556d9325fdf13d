import {
  Duration,
  aws_cloudwatch as cw,
  aws_cloudwatch_actions as cwActions,
  aws_events as events,
  aws_events_targets as targets,
  type aws_kinesis as kinesis,
  aws_sns as sns,
  aws_sns_subscriptions as subs,
} from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { MeshError, unitInMs, type OdcsContract } from '@meshkit/contracts';
import type { IDomain } from '../domain/domain.js';
import { MESH_METRICS_NAMESPACE } from './product-glue-job.js';

/** Freshness window when the contract declares neither `latency` nor `frequency`. */
export const DEFAULT_FRESHNESS_WINDOW = Duration.hours(24);
/** Longest freshness window an alarm can watch (CloudWatch evaluates at most 7 days). */
export const MAX_FRESHNESS_WINDOW = Duration.hours(168);

/** Properties of {@link ProductAlarms}. */
export interface ProductAlarmsProps {
  /** The product's domain (its key encrypts the topic). */
  readonly domain: IDomain;
  /** Product name (kebab-case). */
  readonly productName: string;
  /** Name of the product's Glue job. */
  readonly jobName: string;
  /** Name of the product's DQ ruleset. */
  readonly rulesetName: string;
  /**
   * Longest acceptable time without a successful delivery (whole hours, 1–168).
   * @default {@link freshnessWindow} of the contract
   */
  readonly freshnessWindow?: Duration;
  /**
   * E-mail subscribed to the topic.
   * @default no subscription
   */
  readonly alarmEmail?: string;
  /**
   * The product's Kinesis stream (stream products): adds the iterator-age alarm.
   * @default none
   */
  readonly stream?: kinesis.IStream;
  /**
   * Name of the product's Firehose delivery stream (stream products): adds the delivery alarms.
   * @default none
   */
  readonly deliveryStreamName?: string;
  /**
   * Iterator age above which the stream alarms.
   * @default Duration.minutes(15)
   */
  readonly maxIteratorAge?: Duration;
  /**
   * Age of the oldest undelivered record above which Firehose alarms.
   * @default Duration.minutes(30)
   */
  readonly maxDeliveryFreshness?: Duration;
  /**
   * Dashboard name.
   * @default `<domain>-<product>`
   */
  readonly dashboardName?: string;
}

/**
 * Alerting for one product, to an SNS topic encrypted with the domain key (SSL-only; optional
 * e-mail subscription): EventBridge rules for Glue job failures (FAILED, TIMEOUT, ERROR) and
 * failed data-quality evaluations; a freshness alarm (no `Meshkit/SuccessfulRuns` datapoint for
 * the SLA window); for stream products Kinesis iterator age and Firehose delivery success and
 * data freshness; and a CloudWatch dashboard.
 */
export class ProductAlarms extends Construct {
  /** The alarm topic. */
  readonly topic: sns.Topic;
  /** Job state-change rule (FAILED, TIMEOUT, ERROR → topic). */
  readonly jobFailureRule: events.Rule;
  /** Data-quality evaluation rule (FAILED → topic). */
  readonly qualityFailureRule: events.Rule;
  /** Freshness alarm. */
  readonly freshnessAlarm: cw.Alarm;
  /** Kinesis iterator-age alarm (stream products). */
  readonly iteratorAgeAlarm?: cw.Alarm;
  /** Firehose delivery-success alarm (stream products). */
  readonly deliverySuccessAlarm?: cw.Alarm;
  /** Firehose data-freshness alarm (stream products). */
  readonly deliveryFreshnessAlarm?: cw.Alarm;
  /** The product dashboard. */
  readonly dashboard: cw.Dashboard;
  /** The freshness window in hours. */
  readonly freshnessHours: number;

  constructor(scope: Construct, id: string, props: ProductAlarmsProps) {
    super(scope, id);
    const domain = props.domain.domainName;
    const product = props.productName;
    this.topic = new sns.Topic(this, 'Topic', {
      displayName: `Meshkit alarms of ${domain}/${product}`,
      masterKey: props.domain.key,
      enforceSSL: true,
    });
    if (props.alarmEmail !== undefined) {
      if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(props.alarmEmail))
        throw new MeshError('INVALID_CONFIG', `alarmEmail is not an e-mail address: '${props.alarmEmail}'`);
      this.topic.addSubscription(new subs.EmailSubscription(props.alarmEmail));
    }
    const toTopic = new targets.SnsTopic(this.topic);
    const action = new cwActions.SnsAction(this.topic);

    this.jobFailureRule = new events.Rule(this, 'JobFailure', {
      description: `Glue job ${props.jobName} of ${domain}/${product} failed`,
      eventPattern: {
        source: ['aws.glue'],
        detailType: ['Glue Job State Change'],
        detail: { jobName: [props.jobName], state: ['FAILED', 'TIMEOUT', 'ERROR'] },
      },
      targets: [toTopic],
    });
    this.qualityFailureRule = new events.Rule(this, 'QualityFailure', {
      description: `Data-quality evaluation of ${domain}/${product} failed`,
      eventPattern: {
        source: ['aws.glue-dataquality'],
        detailType: ['Data Quality Evaluation Results Available'],
        detail: {
          state: ['FAILED'],
          $or: [{ context: { jobName: [props.jobName] } }, { rulesetNames: [props.rulesetName] }],
        },
      },
      targets: [toTopic],
    });

    const hours = (props.freshnessWindow ?? DEFAULT_FRESHNESS_WINDOW).toHours({ integral: false });
    if (!Number.isInteger(hours) || hours < 1 || hours > MAX_FRESHNESS_WINDOW.toHours()) {
      throw new MeshError('INVALID_CONFIG', `freshnessWindow must be 1–168 whole hours (got ${hours})`);
    }
    this.freshnessHours = hours;
    const dims = { Domain: domain, Product: product };
    const successfulRuns = new cw.Metric({
      namespace: MESH_METRICS_NAMESPACE,
      metricName: 'SuccessfulRuns',
      dimensionsMap: dims,
      statistic: 'Sum',
      period: Duration.hours(1),
    });
    this.freshnessAlarm = new cw.Alarm(this, 'Freshness', {
      alarmDescription: `${domain}/${product} delivered no data for ${hours} h (contract freshness SLA)`,
      metric: successfulRuns,
      threshold: 1,
      comparisonOperator: cw.ComparisonOperator.LESS_THAN_THRESHOLD,
      evaluationPeriods: hours,
      datapointsToAlarm: hours,
      treatMissingData: cw.TreatMissingData.BREACHING,
    });
    const alarms: cw.Alarm[] = [this.freshnessAlarm];

    const widgets: cw.IWidget[] = [
      new cw.GraphWidget({
        title: 'Rows delivered / quarantined',
        width: 12,
        left: [
          new cw.Metric({
            namespace: MESH_METRICS_NAMESPACE,
            metricName: 'RowsWritten',
            dimensionsMap: dims,
            statistic: 'Sum',
            period: Duration.hours(1),
          }),
          new cw.Metric({
            namespace: MESH_METRICS_NAMESPACE,
            metricName: 'RowsQuarantined',
            dimensionsMap: dims,
            statistic: 'Sum',
            period: Duration.hours(1),
          }),
        ],
      }),
      new cw.GraphWidget({
        title: 'Glue job',
        width: 12,
        left: [
          new cw.Metric({
            namespace: 'Glue',
            metricName: 'glue.driver.aggregate.numFailedTasks',
            dimensionsMap: { JobName: props.jobName, JobRunId: 'ALL', Type: 'count' },
            statistic: 'Sum',
          }),
          new cw.Metric({
            namespace: 'Glue',
            metricName: 'glue.driver.aggregate.numCompletedTasks',
            dimensionsMap: { JobName: props.jobName, JobRunId: 'ALL', Type: 'count' },
            statistic: 'Sum',
          }),
        ],
        right: [successfulRuns],
      }),
    ];

    if (props.stream) {
      const age = (props.maxIteratorAge ?? Duration.minutes(15)).toMilliseconds();
      const metric = props.stream.metricGetRecordsIteratorAgeMilliseconds({
        statistic: 'Maximum',
        period: Duration.minutes(5),
      });
      this.iteratorAgeAlarm = new cw.Alarm(this, 'IteratorAge', {
        alarmDescription: `Records of ${domain}/${product} wait more than ${age / 60000} min in Kinesis`,
        metric,
        threshold: age,
        comparisonOperator: cw.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 3,
        treatMissingData: cw.TreatMissingData.NOT_BREACHING,
      });
      alarms.push(this.iteratorAgeAlarm);
      widgets.push(
        new cw.GraphWidget({
          title: 'Kinesis',
          width: 12,
          left: [metric],
          right: [props.stream.metricIncomingRecords({ statistic: 'Sum' })],
        }),
      );
    }
    if (props.deliveryStreamName !== undefined) {
      const fh = (metricName: string, statistic: string) =>
        new cw.Metric({
          namespace: 'AWS/Firehose',
          metricName,
          dimensionsMap: { DeliveryStreamName: props.deliveryStreamName! },
          statistic,
          period: Duration.minutes(5),
        });
      this.deliverySuccessAlarm = new cw.Alarm(this, 'DeliverySuccess', {
        alarmDescription: `Firehose of ${domain}/${product} fails to deliver to S3`,
        metric: fh('DeliveryToS3.Success', 'Average'),
        threshold: 1,
        comparisonOperator: cw.ComparisonOperator.LESS_THAN_THRESHOLD,
        evaluationPeriods: 3,
        treatMissingData: cw.TreatMissingData.NOT_BREACHING,
      });
      const freshness = (props.maxDeliveryFreshness ?? Duration.minutes(30)).toSeconds();
      this.deliveryFreshnessAlarm = new cw.Alarm(this, 'DeliveryFreshness', {
        alarmDescription: `Oldest undelivered record of ${domain}/${product} is older than ${freshness} s`,
        metric: fh('DeliveryToS3.DataFreshness', 'Maximum'),
        threshold: freshness,
        comparisonOperator: cw.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 3,
        treatMissingData: cw.TreatMissingData.NOT_BREACHING,
      });
      alarms.push(this.deliverySuccessAlarm, this.deliveryFreshnessAlarm);
      widgets.push(
        new cw.GraphWidget({
          title: 'Firehose',
          width: 12,
          left: [fh('DeliveryToS3.Success', 'Average')],
          right: [fh('DeliveryToS3.DataFreshness', 'Maximum')],
        }),
      );
    }
    for (const alarm of alarms) {
      alarm.addAlarmAction(action);
      alarm.addOkAction(action);
    }

    this.dashboard = new cw.Dashboard(this, 'Dashboard', {
      dashboardName: props.dashboardName ?? `${domain}-${product}`,
      widgets: [[new cw.AlarmStatusWidget({ title: `${domain}/${product}`, alarms, width: 24 })], widgets],
    });
  }
}

/**
 * The freshness window of a contract: `frequency + latency` when both SLA properties are declared,
 * else whichever is, else {@link DEFAULT_FRESHNESS_WINDOW}; rounded up to whole hours, at most
 * {@link MAX_FRESHNESS_WINDOW}. Values without a time unit are hours.
 */
export function freshnessWindow(contract: OdcsContract): Duration {
  const ms = (name: string): number | undefined => {
    const e = (contract.slaProperties ?? []).find((p) => p.property.toLowerCase() === name);
    if (!e) return undefined;
    const v =
      typeof e.value === 'number'
        ? e.value
        : typeof e.value === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(e.value)
          ? Number(e.value)
          : undefined;
    if (v === undefined || v <= 0) return undefined;
    const unit = e.unit === undefined ? 3_600_000 : unitInMs(e.unit);
    return unit === undefined ? undefined : v * unit;
  };
  const parts = [ms('frequency'), ms('latency')].filter((x): x is number => x !== undefined);
  if (!parts.length) return DEFAULT_FRESHNESS_WINDOW;
  const hours = Math.min(
    Math.max(1, Math.ceil(parts.reduce((a, b) => a + b, 0) / 3_600_000)),
    MAX_FRESHNESS_WINDOW.toHours(),
  );
  return Duration.hours(hours);
}
