import { aws_glue as glue } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { MeshError } from '@meshkit/contracts';

/** Properties of {@link ProductScheduleTrigger}. */
export interface ProductScheduleTriggerProps {
  /** Name of the Glue job to start. */
  readonly jobName: string;
  /** Trigger name (unique per account and region). */
  readonly triggerName: string;
  /**
   * EventBridge schedule expression (`product.yaml` `ingestion.schedule`): `cron(…)` with 6
   * fields or a `rate(N unit)` convertible to a Glue cron ({@link glueSchedule}).
   */
  readonly schedule: string;
}

/**
 * The one trigger path of a stream product's job: a SCHEDULED Glue trigger, started on creation,
 * that runs the job on `ingestion.schedule` (default hourly). Each run curates what Firehose
 * delivered to the raw zone since the last one (job bookmarks).
 *
 * Why a schedule and not Firehose's delivery events: Firehose writes one object per buffer flush
 * (every few minutes per shard); starting a Spark job per object would cost a job start each time
 * and collide with `maxConcurrentRuns: 1`. A schedule bounds cost and latency and runs even when
 * nothing arrived (the freshness alarm then tells the product team).
 */
export class ProductScheduleTrigger extends Construct {
  /** The SCHEDULED trigger. */
  readonly trigger: glue.CfnTrigger;

  constructor(scope: Construct, id: string, props: ProductScheduleTriggerProps) {
    super(scope, id);
    this.trigger = new glue.CfnTrigger(this, 'Trigger', {
      name: props.triggerName,
      description: `Runs ${props.jobName} on ${props.schedule}`,
      type: 'SCHEDULED',
      schedule: glueSchedule(props.schedule),
      startOnCreation: true,
      actions: [{ jobName: props.jobName }],
    });
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
    if (fields.length !== 6)
      throw new MeshError(
        'INVALID_CONFIG',
        `ingestion.schedule: a cron expression has 6 fields (minutes hours day-of-month month day-of-week year), got '${e}'`,
      );
    if (minuteInterval(fields[0]!) < MIN_SCHEDULE_MINUTES) {
      throw new MeshError(
        'INVALID_CONFIG',
        `ingestion.schedule '${e}' runs more often than every ${MIN_SCHEDULE_MINUTES} minutes, which Glue triggers do not support`,
      );
    }
    return `cron(${fields.join(' ')})`;
  }
  const rate = /^rate\(\s*(\d+)\s+(minute|minutes|hour|hours|day|days)\s*\)$/.exec(e);
  if (rate) {
    const n = Number(rate[1]);
    const unit = rate[2]!;
    if (unit.startsWith('minute') && n >= MIN_SCHEDULE_MINUTES && n < 60 && 60 % n === 0)
      return `cron(0/${n} * * * ? *)`;
    if (unit.startsWith('minute') && n >= 60 && n % 60 === 0 && 24 % (n / 60) === 0)
      return glueSchedule(`rate(${n / 60} hours)`);
    if (unit.startsWith('hour') && n >= 1 && n < 24 && 24 % n === 0)
      return n === 1 ? 'cron(0 * * * ? *)' : `cron(0 0/${n} * * ? *)`;
    if ((unit.startsWith('hour') && n === 24) || (unit.startsWith('day') && n === 1)) return 'cron(0 0 * * ? *)';
  }
  throw new MeshError(
    'INVALID_CONFIG',
    `ingestion.schedule '${e}' cannot start a Glue job: use cron(…) or a rate of minutes dividing 60 (at least ${MIN_SCHEDULE_MINUTES}), hours dividing 24, or 1 day`,
  );
}

/** The shortest interval Glue triggers support, in minutes. */
export const MIN_SCHEDULE_MINUTES = 5;

/** The smallest gap, in minutes, between two runs a cron minute field allows (60 for a single minute). */
function minuteInterval(field: string): number {
  if (field === '*') return 1;
  const step = /^(?:\*|\d+(?:-\d+)?)\/(\d+)$/.exec(field);
  if (step) return Number(step[1]);
  const values = field
    .split(',')
    .flatMap((part) => {
      const range = /^(\d+)-(\d+)$/.exec(part);
      if (range) return Array.from({ length: Number(range[2]) - Number(range[1]) + 1 }, (_, i) => Number(range[1]) + i);
      return /^\d+$/.test(part) ? [Number(part)] : [];
    })
    .sort((a, b) => a - b);
  if (values.length < 2) return 60;
  let gap = 60 - values[values.length - 1]! + values[0]!;
  for (let i = 1; i < values.length; i++) gap = Math.min(gap, values[i]! - values[i - 1]!);
  return gap;
}
