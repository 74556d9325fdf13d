// How a product's job gets started (schedule, after another job, the landing event through
// EventBridge and a Glue workflow), each path checked end to end; and reading event patterns.
import type { ProductIntent } from '@meshkit/contracts';
import { evaluate } from '../iam/evaluate.js';
import { isUnresolved, type Resolved } from '../assembly/resolve.js';
import type { JobModel, Located, MeshModel } from '../model.js';

/** How a job gets started. */
export interface TriggerPath {
  kind: 'landing-event' | 'schedule' | 'after-job';
  at: Located;
  /** Why the path does not work, if it does not. */
  broken?: string;
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

/** The values under key `key` anywhere in an event pattern (a list value gives each of its items). */
function entriesAt(pattern: Resolved, key: string): Resolved[] {
  const out: Resolved[] = [];
  const walk = (v: Resolved) => {
    if (Array.isArray(v)) {
      v.forEach(walk);
      return;
    }
    if (v === null || typeof v !== 'object' || isUnresolved(v)) return;
    for (const [k, x] of Object.entries(v)) {
      if (k === key) out.push(...(Array.isArray(x) ? x : [x]));
      walk(x);
    }
  };
  walk(pattern);
  return out;
}

/** Every string value under key `key` anywhere in an event pattern. */
export function valuesAt(pattern: Resolved, key: string): string[] {
  return entriesAt(pattern, key).filter((s): s is string => typeof s === 'string');
}

/** The key prefixes an event pattern matches: `key` values, literal or `{ prefix }`. */
function prefixesAt(pattern: Resolved): string[] {
  return entriesAt(pattern, 'key').flatMap((s) =>
    typeof s === 'string'
      ? [s]
      : s && typeof s === 'object' && !isUnresolved(s) && typeof (s as Record<string, Resolved>).prefix === 'string'
        ? [(s as Record<string, string>).prefix!]
        : [],
  );
}
