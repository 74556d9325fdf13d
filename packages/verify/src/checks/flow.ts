import type { ProductIntent } from '@meshkit/contracts';
import type { VerifyFinding } from '../finding.js';
import { tableKey, type BucketModel, type JobModel, type Located, type MeshModel } from '../model.js';
import { triggerPaths, valuesAt } from './flow-triggers.js';

export { triggerPaths, type TriggerPath } from './flow-triggers.js';

/** Records a finding. */
type Report = (id: string, at: Located, message: string, product?: string) => void;

/** One product whose flow is checked: its job exists. */
interface FlowProduct {
  ref: string;
  intent: ProductIntent;
  job: JobModel;
  /** The raw zone bucket, if the assembly has one. */
  raw: BucketModel | undefined;
  /** The format the job reads (`--raw-format`). */
  format: string | undefined;
}

/**
 * Whether each product's data flows: the job has exactly one working trigger path, reads the
 * format and the prefix data lands in, writes where its tables point, Firehose delivers into the
 * raw zone in the format the job reads, every ruleset targets an existing table and every alarm
 * or alert rule names an existing job, stream or ruleset.
 */
export function checkFlow(m: MeshModel): VerifyFinding[] {
  const out: VerifyFinding[] = [];
  const finding: Report = (id, at, message, product) =>
    out.push({ id, stack: at.stack.name, logicalId: at.logicalId, message, ...(product ? { product } : {}) });

  for (const { intent, stack } of m.products) {
    const ref = `${intent.domain}/${intent.product}`;
    const job = m.jobs.get(intent.jobName);
    if (!job) {
      finding(
        'VERIFY-FLOW-NO-JOB',
        { stack, logicalId: '(product)' },
        `${ref}: its Glue job ${intent.jobName} is not in the assembly`,
        ref,
      );
      continue;
    }
    const raw = m.productBuckets.get(ref)?.find((b) => b.zone === 'raw');
    const p: FlowProduct = { ref, intent, job, raw, format: job.args['--raw-format'] };
    checkTriggers(m, p, finding);
    checkInput(p, finding);
    checkOutputs(m, p, finding);
    checkConsumedTables(m, p, finding);
    if (intent.mode === 'stream') checkFirehose(m, p, stack, finding);
    const ruleset = job.args['--dq-ruleset-name'];
    if (ruleset && !m.rulesets.some((r) => r.name === ruleset))
      finding(
        'VERIFY-FLOW-RULESET-TARGET',
        job,
        `${ref}: job ${job.name} evaluates ruleset ${ruleset}, which is not in the assembly`,
        ref,
      );
  }
  checkRulesetTargets(m, finding);
  checkAlarmTargets(m, finding);
  return out;
}

/** Exactly one working trigger path. */
function checkTriggers(m: MeshModel, { ref, intent, job }: FlowProduct, finding: Report): void {
  const paths = triggerPaths(m, job, intent, ref);
  const working = paths.filter((p) => !p.broken);
  for (const p of paths.filter((x) => x.broken))
    finding(
      'VERIFY-FLOW-BROKEN-TRIGGER',
      p.at,
      `${ref}: the ${p.kind} trigger of job ${job.name} would never start it: ${p.broken}`,
      ref,
    );
  if (!working.length)
    finding(
      'VERIFY-FLOW-NO-TRIGGER',
      job,
      `${ref}: nothing starts job ${job.name} (${intent.mode === 'batch' ? 'expected the landing event: S3 → EventBridge → Glue workflow EVENT trigger' : 'expected a SCHEDULED trigger on ingestion.schedule'}); data would land and never be curated`,
      ref,
    );
  if (working.length > 1)
    finding(
      'VERIFY-FLOW-MULTIPLE-TRIGGERS',
      job,
      `${ref}: job ${job.name} has ${working.length} trigger paths (${working.map((p) => `${p.kind} ${p.at.stack.name}/${p.at.logicalId}`).join(', ')}); with one concurrent run allowed, the second start fails`,
      ref,
    );
}

/** The job reads the format that lands, from where it lands. */
function checkInput({ ref, intent, job, raw, format }: FlowProduct, finding: Report): void {
  if (format !== intent.jobInputFormat) {
    finding(
      'VERIFY-FLOW-FORMAT',
      job,
      `${ref}: job ${job.name} reads ${format ?? 'no --raw-format'} but ${intent.mode === 'batch' ? `${intent.landingFormat} lands (product.yaml ingestion.format)` : 'Firehose delivers Parquet'}`,
      ref,
    );
  }
  if (!raw) {
    finding('VERIFY-FLOW-INPUT-PATH', job, `${ref}: no raw zone bucket of ${ref} in the assembly`, ref);
    return;
  }
  const landing = raw.stack.resources[raw.logicalId]?.Metadata?.['meshkit:landing'] as { format?: string } | undefined;
  if (intent.mode === 'batch' && landing?.format !== undefined && landing.format !== format) {
    finding(
      'VERIFY-FLOW-FORMAT',
      job,
      `${ref}: job ${job.name} reads ${format} but the raw zone ${raw.name} is declared to receive ${landing.format}`,
      ref,
    );
  }
  const expected = `s3://${raw.name}/${intent.rawPrefix}`;
  if (job.args['--raw-path'] !== expected)
    finding(
      'VERIFY-FLOW-INPUT-PATH',
      job,
      `${ref}: job ${job.name} reads ${job.args['--raw-path'] ?? 'no --raw-path'}, but data lands under ${expected}`,
      ref,
    );
}

/** Output paths = table locations, the current table's and each served major's. */
function checkOutputs(m: MeshModel, { ref, intent, job }: FlowProduct, finding: Report): void {
  const current = m.tables.get(tableKey(intent.databaseName, intent.tables[0]!));
  if (!current)
    finding(
      'VERIFY-FLOW-OUTPUT-PATH',
      job,
      `${ref}: its output table ${intent.databaseName}.${intent.tables[0]} is not in the assembly`,
      ref,
    );
  else if (job.args['--curated-path'] !== current.location)
    finding(
      'VERIFY-FLOW-OUTPUT-PATH',
      job,
      `${ref}: job ${job.name} writes ${job.args['--curated-path'] ?? 'nowhere (no --curated-path)'} but table ${current.database}.${current.name} reads ${current.location ?? 'no location'}`,
      ref,
    );
  const served = parseServed(job.args['--served-majors']);
  for (const name of intent.tables.slice(1)) {
    const t = m.tables.get(tableKey(intent.databaseName, name));
    const s = served.find((x) => x.table === name);
    if (!t)
      finding(
        'VERIFY-FLOW-OUTPUT-PATH',
        job,
        `${ref}: served-major table ${intent.databaseName}.${name} is not in the assembly`,
        ref,
      );
    else if (!s)
      finding(
        'VERIFY-FLOW-OUTPUT-PATH',
        job,
        `${ref}: job ${job.name} does not derive served major table ${name} (--served-majors)`,
        ref,
      );
    else if (s.path !== t.location)
      finding(
        'VERIFY-FLOW-OUTPUT-PATH',
        job,
        `${ref}: job ${job.name} writes served major ${name} to ${s.path} but the table reads ${t.location ?? 'no location'}`,
        ref,
      );
  }
}

/** Consumed tables exist (and resource links point at tables that exist). */
function checkConsumedTables(m: MeshModel, { ref, job }: FlowProduct, finding: Report): void {
  for (const item of (job.args['--consumed-tables'] ?? '').split(',').filter(Boolean)) {
    const [, qualified = ''] = item.split('=');
    const t = m.tables.get(qualified);
    if (!t)
      finding(
        'VERIFY-FLOW-CONSUMED-TABLE',
        job,
        `${ref}: job ${job.name} reads ${qualified} (--consumed-tables), which no stack of the assembly defines`,
        ref,
      );
    else if (t.target && !m.tables.has(tableKey(t.target.database, t.target.name))) {
      finding(
        'VERIFY-FLOW-CONSUMED-TABLE',
        t,
        `${ref}: resource link ${qualified} points at ${t.target.catalogId}:${t.target.database}.${t.target.name}, which no stack of the assembly defines`,
        ref,
      );
    }
  }
}

/** Stream: Firehose into the raw zone, in the format the job reads. */
function checkFirehose(
  m: MeshModel,
  { ref, intent, job, raw, format }: FlowProduct,
  stack: Located['stack'],
  finding: Report,
): void {
  const fh = m.firehoses.filter((f) => f.stack === stack);
  if (!fh.length)
    finding(
      'VERIFY-FLOW-FIREHOSE',
      job,
      `${ref}: a stream product without a Firehose delivery stream: nothing lands in the raw zone`,
      ref,
    );
  for (const f of fh) {
    if (!raw || f.bucketArn !== raw.arn)
      finding(
        'VERIFY-FLOW-FIREHOSE',
        f,
        `${ref}: Firehose ${f.name} delivers to ${f.bucketArn ?? 'no bucket'}, not the raw zone ${raw?.arn ?? '(missing)'}`,
        ref,
      );
    else if (!(f.prefix ?? '').startsWith(intent.rawPrefix))
      finding(
        'VERIFY-FLOW-FIREHOSE',
        f,
        `${ref}: Firehose ${f.name} delivers under '${f.prefix ?? ''}', outside the prefix ${intent.rawPrefix} the job reads`,
        ref,
      );
    if (f.outputFormat !== format)
      finding(
        'VERIFY-FLOW-FORMAT',
        f,
        `${ref}: Firehose ${f.name} delivers ${f.outputFormat ?? 'an unknown format'} but job ${job.name} reads ${format}`,
        ref,
      );
  }
}

/** Every ruleset targets a table of the assembly. */
function checkRulesetTargets(m: MeshModel, finding: Report): void {
  for (const r of m.rulesets) {
    if (!r.database || !r.table || !m.tables.has(tableKey(r.database, r.table))) {
      finding(
        'VERIFY-FLOW-RULESET-TARGET',
        r,
        `ruleset ${r.name ?? r.logicalId} targets ${r.database ?? '?'}.${r.table ?? '?'}, which no stack of the assembly defines`,
      );
    }
  }
}

/** Every alarm and alert rule names a job, stream or ruleset that exists. */
function checkAlarmTargets(m: MeshModel, finding: Report): void {
  const firehoseNames = new Set(m.firehoses.map((f) => f.name));
  const rulesetNames = new Set(m.rulesets.map((r) => r.name));
  for (const a of m.alarms) {
    const d = a.dimensions;
    if (d.JobName !== undefined && !m.jobs.has(d.JobName))
      finding('VERIFY-FLOW-ALARM-TARGET', a, `alarm watches job ${d.JobName}, which does not exist`);
    if (d.StreamName !== undefined && !m.streams.has(d.StreamName))
      finding('VERIFY-FLOW-ALARM-TARGET', a, `alarm watches stream ${d.StreamName}, which does not exist`);
    if (d.DeliveryStreamName !== undefined && !firehoseNames.has(d.DeliveryStreamName))
      finding(
        'VERIFY-FLOW-ALARM-TARGET',
        a,
        `alarm watches delivery stream ${d.DeliveryStreamName}, which does not exist`,
      );
  }
  for (const r of m.rules) {
    for (const job of valuesAt(r.pattern, 'jobName'))
      if (!m.jobs.has(job))
        finding('VERIFY-FLOW-ALARM-TARGET', r, `alert rule matches job ${job}, which does not exist`);
    for (const name of valuesAt(r.pattern, 'rulesetNames'))
      if (!rulesetNames.has(name))
        finding('VERIFY-FLOW-ALARM-TARGET', r, `alert rule matches ruleset ${name}, which does not exist`);
  }
}

function parseServed(text: string | undefined): Array<{ table: string; path: string }> {
  if (!text) return [];
  try {
    const v = JSON.parse(text) as Array<{ table?: string; path?: string }>;
    return Array.isArray(v) ? v.map((x) => ({ table: String(x.table), path: String(x.path) })) : [];
  } catch {
    return [];
  }
}
