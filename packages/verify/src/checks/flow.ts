import type { ProductIntent } from '@meshkit/contracts';
import { evaluate } from '../iam/evaluate.js';
import type { VerifyFinding } from '../finding.js';
import { isUnresolved, type Resolved } from '../assembly/resolve.js';
import { tableKey, type JobModel, type Located, type MeshModel } from '../model.js';

/** How a job gets started. */
export interface TriggerPath {
  kind: 'landing-event' | 'schedule' | 'after-job';
  at: Located;
  /** Why the path does not work, if it does not. */
  broken?: string;
}

/**
 * Whether each product's data flows: the job has exactly one working trigger path, reads the
 * format and the prefix data lands in, writes where its tables point, Firehose delivers into the
 * raw zone in the format the job reads, every ruleset targets an existing table and every alarm
 * or alert rule names an existing job, stream or ruleset.
 */
export function checkFlow(m: MeshModel): VerifyFinding[] {
  const out: VerifyFinding[] = [];
  const finding = (id: string, at: Located, message: string, product?: string) =>
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

    // Trigger paths.
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

    // Format and input.
    const format = job.args['--raw-format'];
    if (format !== intent.jobInputFormat) {
      finding(
        'VERIFY-FLOW-FORMAT',
        job,
        `${ref}: job ${job.name} reads ${format ?? 'no --raw-format'} but ${intent.mode === 'batch' ? `${intent.landingFormat} lands (product.yaml ingestion.format)` : 'Firehose delivers Parquet'}`,
        ref,
      );
    }
    if (raw) {
      const landing = raw.stack.resources[raw.logicalId]?.Metadata?.['meshkit:landing'] as
        { format?: string } | undefined;
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
    } else {
      finding('VERIFY-FLOW-INPUT-PATH', job, `${ref}: no raw zone bucket of ${ref} in the assembly`, ref);
    }

    // Output paths = table locations.
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

    // Consumed tables exist.
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

    // Stream: Firehose into the raw zone, in the format the job reads.
    if (intent.mode === 'stream') {
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
    const ruleset = job.args['--dq-ruleset-name'];
    if (ruleset && !m.rulesets.some((r) => r.name === ruleset))
      finding(
        'VERIFY-FLOW-RULESET-TARGET',
        job,
        `${ref}: job ${job.name} evaluates ruleset ${ruleset}, which is not in the assembly`,
        ref,
      );
  }

  for (const r of m.rulesets) {
    if (!r.database || !r.table || !m.tables.has(tableKey(r.database, r.table))) {
      finding(
        'VERIFY-FLOW-RULESET-TARGET',
        r,
        `ruleset ${r.name ?? r.logicalId} targets ${r.database ?? '?'}.${r.table ?? '?'}, which no stack of the assembly defines`,
      );
    }
  }
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
  return out;
}

/** The ways `job` gets started, each checked end to end. */
export function triggerPaths(m: MeshModel, job: JobModel, intent: ProductIntent, ref: string): TriggerPath[] {
  const paths: TriggerPath[] = [];
  for (const t of m.triggers.filter((x) => x.jobNames.includes(job.name))) {
    const at = { stack: t.stack, logicalId: t.logicalId };
    if (t.type === 'SCHEDULED')
      paths.push({
        kind: 'schedule',
        at,
        ...(t.startOnCreation ? {} : { broken: 'StartOnCreation is not true, so the trigger stays deactivated' }),
      });
    else if (t.type === 'CONDITIONAL') {
      const broken =
        !t.predicateJobs.length || !t.predicateJobs.every((j) => m.jobs.has(j))
          ? `it waits for ${t.predicateJobs.join(', ') || 'nothing'}, which does not exist`
          : !t.startOnCreation && !t.workflow
            ? 'StartOnCreation is not true, so the trigger stays deactivated'
            : undefined;
      paths.push({ kind: 'after-job', at, ...(broken ? { broken } : {}) });
    } else if (t.type === 'EVENT') paths.push({ kind: 'landing-event', at, ...eventPath(m, t.workflow, intent, ref) });
  }
  return paths;
}

function eventPath(
  m: MeshModel,
  workflow: string | undefined,
  intent: ProductIntent,
  ref: string,
): { broken?: string } {
  if (!workflow || !m.workflows.has(workflow))
    return { broken: `its workflow ${workflow ?? '(none)'} is not in the assembly` };
  const wf = m.workflows.get(workflow)!;
  const wfArn = `arn:aws:glue:${wf.stack.region}:${wf.stack.account}:workflow/${workflow}`;
  const raw = m.productBuckets.get(ref)?.find((b) => b.zone === 'raw');
  if (!raw) return { broken: 'the product has no raw zone' };
  if (!raw.eventBridge) return { broken: `the raw zone ${raw.name} does not send its events to EventBridge` };
  const rules = m.rules.filter((r) => r.targets.some((t) => t.arn === wfArn));
  if (!rules.length) return { broken: `no EventBridge rule targets workflow ${workflow}` };
  const problems: string[] = [];
  for (const r of rules) {
    if (!r.enabled) {
      problems.push(`rule ${r.logicalId} is DISABLED`);
      continue;
    }
    const sources = valuesAt(r.pattern, 'source');
    const types = valuesAt(r.pattern, 'detail-type');
    if (!sources.includes('aws.s3') || !types.includes('Object Created')) {
      problems.push(
        `rule ${r.logicalId} matches ${sources.join(', ') || 'any source'} / ${types.join(', ') || 'any detail-type'}, not aws.s3 "Object Created"`,
      );
      continue;
    }
    const buckets = valuesAt(r.pattern, 'name');
    const prefixes = prefixesAt(r.pattern);
    if (!buckets.includes(raw.name)) {
      problems.push(`rule ${r.logicalId} matches bucket ${buckets.join(', ') || '(none)'}, not ${raw.name}`);
      continue;
    }
    if (!prefixes.some((p) => intent.rawPrefix.startsWith(p) || p.startsWith(intent.rawPrefix))) {
      problems.push(
        `rule ${r.logicalId} matches keys under ${prefixes.join(', ') || '(any)'}, not ${intent.rawPrefix}`,
      );
      continue;
    }
    const target = r.targets.find((t) => t.arn === wfArn)!;
    const role = target.roleArn ? m.roles.get(target.roleArn) : undefined;
    if (!role) {
      problems.push(`rule ${r.logicalId} has no role to notify the workflow`);
      continue;
    }
    const d = evaluate({
      request: {
        principal: { arn: role.arn, kind: 'role', account: role.stack.account },
        action: 'glue:NotifyEvent',
        resource: wfArn,
        resourceAccount: wf.stack.account,
      },
      identityPolicies: role.policies,
    });
    if (d.decision !== 'allow') {
      problems.push(
        `the role of rule ${r.logicalId} may not glue:NotifyEvent on ${workflow}${d.unknowns.length ? ` (${d.unknowns.join('; ')})` : ''}`,
      );
      continue;
    }
    return {};
  }
  return { broken: problems.join('; ') };
}

/** Every string value under key `key` anywhere in an event pattern. */
function valuesAt(pattern: Resolved, key: string): string[] {
  const out: string[] = [];
  const walk = (v: Resolved) => {
    if (Array.isArray(v)) {
      v.forEach(walk);
      return;
    }
    if (v === null || typeof v !== 'object' || isUnresolved(v)) return;
    for (const [k, x] of Object.entries(v)) {
      if (k === key) for (const s of Array.isArray(x) ? x : [x]) if (typeof s === 'string') out.push(s);
      walk(x);
    }
  };
  walk(pattern);
  return out;
}

function prefixesAt(pattern: Resolved): string[] {
  const out: string[] = [];
  const walk = (v: Resolved) => {
    if (Array.isArray(v)) {
      v.forEach(walk);
      return;
    }
    if (v === null || typeof v !== 'object' || isUnresolved(v)) return;
    for (const [k, x] of Object.entries(v)) {
      if (k === 'key')
        for (const s of Array.isArray(x) ? x : [x]) {
          if (typeof s === 'string') out.push(s);
          else if (
            s &&
            typeof s === 'object' &&
            !isUnresolved(s) &&
            typeof (s as Record<string, Resolved>).prefix === 'string'
          )
            out.push((s as Record<string, string>).prefix!);
        }
      walk(x);
    }
  };
  walk(pattern);
  return out;
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
