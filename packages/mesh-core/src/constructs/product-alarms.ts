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
    const label = `${props.domain.domainName}/${props.productName}`;
    this.topic = this.alarmTopic(props, label);
    const toTopic = new targets.SnsTopic(this.topic);
    this.jobFailureRule = new events.Rule(this, 'JobFailure', {
      description: `Glue job ${props.jobName} of ${label} failed`,
      eventPattern: {
        source: ['aws.glue'],
        detailType: ['Glue Job State Change'],
        detail: { jobName: [props.jobName], state: ['FAILED', 'TIMEOUT', 'ERROR'] },
      },
      targets: [toTopic],
    });
    this.qualityFailureRule = new events.Rule(this, 'QualityFailure', {
      description: `Data-quality evaluation of ${label} failed`,
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

    this.freshnessHours = freshnessHours(props.freshnessWindow ?? DEFAULT_FRESHNESS_WINDOW);
    const dims = { Domain: props.domain.domainName, Product: props.productName };
    const successfulRuns = meshMetric('SuccessfulRuns', dims);
    this.freshnessAlarm = new cw.Alarm(this, 'Freshness', {
      alarmDescription: `${label} delivered no data for ${this.freshnessHours} h (contract freshness SLA)`,
      metric: successfulRuns,
      threshold: 1,
      comparisonOperator: cw.ComparisonOperator.LESS_THAN_THRESHOLD,
      evaluationPeriods: this.freshnessHours,
      datapointsToAlarm: this.freshnessHours,
      treatMissingData: cw.TreatMissingData.BREACHING,
    });
    const alarms: cw.Alarm[] = [this.freshnessAlarm];
    const widgets: cw.IWidget[] = [
      new cw.GraphWidget({
        title: 'Rows delivered / quarantined',
        width: 12,
        left: [meshMetric('RowsWritten', dims), meshMetric('RowsQuarantined', dims)],
      }),
      new cw.GraphWidget({
        title: 'Glue job',
        width: 12,
        left: [
          glueMetric(props.jobName, 'glue.driver.aggregate.numFailedTasks'),
          glueMetric(props.jobName, 'glue.driver.aggregate.numCompletedTasks'),
        ],
        right: [successfulRuns],
      }),
    ];
    if (props.stream) {
      this.iteratorAgeAlarm = this.streamAlarm(props, props.stream, label, widgets);
      alarms.push(this.iteratorAgeAlarm);
    }
    if (props.deliveryStreamName !== undefined) {
      [this.deliverySuccessAlarm, this.deliveryFreshnessAlarm] = this.deliveryAlarms(
        props,
        props.deliveryStreamName,
        label,
        widgets,
      );
      alarms.push(this.deliverySuccessAlarm, this.deliveryFreshnessAlarm);
    }
    const action = new cwActions.SnsAction(this.topic);
    for (const alarm of alarms) {
      alarm.addAlarmAction(action);
      alarm.addOkAction(action);
    }

    this.dashboard = new cw.Dashboard(this, 'Dashboard', {
      dashboardName: props.dashboardName ?? `${props.domain.domainName}-${props.productName}`,
      widgets: [[new cw.AlarmStatusWidget({ title: label, alarms, width: 24 })], widgets],
    });
  }

  /** The alarm topic, encrypted with the domain key, with the optional e-mail subscription. */
  private alarmTopic(props: ProductAlarmsProps, label: string): sns.Topic {
    const topic = new sns.Topic(this, 'Topic', {
      displayName: `Meshkit alarms of ${label}`,
      masterKey: props.domain.key,
      enforceSSL: true,
    });
    if (props.alarmEmail !== undefined) {
      if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(props.alarmEmail))
        throw new MeshError('INVALID_CONFIG', `alarmEmail is not an e-mail address: '${props.alarmEmail}'`);
      topic.addSubscription(new subs.EmailSubscription(props.alarmEmail));
    }
    return topic;
  }

  /** The Kinesis iterator-age alarm (stream products); adds the Kinesis widget. */
  private streamAlarm(
    props: ProductAlarmsProps,
    stream: kinesis.IStream,
    label: string,
    widgets: cw.IWidget[],
  ): cw.Alarm {
    const age = (props.maxIteratorAge ?? Duration.minutes(15)).toMilliseconds();
    const metric = stream.metricGetRecordsIteratorAgeMilliseconds({
      statistic: 'Maximum',
      period: Duration.minutes(5),
    });
    widgets.push(
      new cw.GraphWidget({
        title: 'Kinesis',
        width: 12,
        left: [metric],
        right: [stream.metricIncomingRecords({ statistic: 'Sum' })],
      }),
    );
    return new cw.Alarm(this, 'IteratorAge', {
      alarmDescription: `Records of ${label} wait more than ${age / 60000} min in Kinesis`,
      metric,
      threshold: age,
      comparisonOperator: cw.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 3,
      treatMissingData: cw.TreatMissingData.NOT_BREACHING,
    });
  }

  /** The Firehose delivery-success and data-freshness alarms (stream products); adds the Firehose widget. */
  private deliveryAlarms(
    props: ProductAlarmsProps,
    deliveryStreamName: string,
    label: string,
    widgets: cw.IWidget[],
  ): [cw.Alarm, cw.Alarm] {
    const success = () => firehoseMetric(deliveryStreamName, 'DeliveryToS3.Success', 'Average');
    const dataFreshness = () => firehoseMetric(deliveryStreamName, 'DeliveryToS3.DataFreshness', 'Maximum');
    const successAlarm = new cw.Alarm(this, 'DeliverySuccess', {
      alarmDescription: `Firehose of ${label} fails to deliver to S3`,
      metric: success(),
      threshold: 1,
      comparisonOperator: cw.ComparisonOperator.LESS_THAN_THRESHOLD,
      evaluationPeriods: 3,
      treatMissingData: cw.TreatMissingData.NOT_BREACHING,
    });
    const freshness = (props.maxDeliveryFreshness ?? Duration.minutes(30)).toSeconds();
    const freshnessAlarm = new cw.Alarm(this, 'DeliveryFreshness', {
      alarmDescription: `Oldest undelivered record of ${label} is older than ${freshness} s`,
      metric: dataFreshness(),
      threshold: freshness,
      comparisonOperator: cw.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 3,
      treatMissingData: cw.TreatMissingData.NOT_BREACHING,
    });
    widgets.push(new cw.GraphWidget({ title: 'Firehose', width: 12, left: [success()], right: [dataFreshness()] }));
    return [successAlarm, freshnessAlarm];
  }
}

/** The freshness window in whole hours. @throws MeshError `INVALID_CONFIG` outside 1–168 whole hours */
function freshnessHours(window: Duration): number {
  const hours = window.toHours({ integral: false });
  if (!Number.isInteger(hours) || hours < 1 || hours > MAX_FRESHNESS_WINDOW.toHours()) {
    throw new MeshError('INVALID_CONFIG', `freshnessWindow must be 1–168 whole hours (got ${hours})`);
  }
  return hours;
}

/** An hourly sum of a metric the product job publishes ({@link MESH_METRICS_NAMESPACE}). */
function meshMetric(metricName: string, dimensionsMap: Record<string, string>): cw.Metric {
  return new cw.Metric({
    namespace: MESH_METRICS_NAMESPACE,
    metricName,
    dimensionsMap,
    statistic: 'Sum',
    period: Duration.hours(1),
  });
}

/** A Glue job metric over all runs. */
function glueMetric(jobName: string, metricName: string): cw.Metric {
  return new cw.Metric({
    namespace: 'Glue',
    metricName,
    dimensionsMap: { JobName: jobName, JobRunId: 'ALL', Type: 'count' },
    statistic: 'Sum',
  });
}

/** A 5-minute Firehose delivery metric. */
function firehoseMetric(deliveryStreamName: string, metricName: string, statistic: string): cw.Metric {
  return new cw.Metric({
    namespace: 'AWS/Firehose',
    metricName,
    dimensionsMap: { DeliveryStreamName: deliveryStreamName },
    statistic,
    period: Duration.minutes(5),
  });
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
