// Reading policy documents and the model's Lake Formation data for the access analysis: pure
// helpers, no evaluation.
import type { PolicyDocument } from '../iam/types.js';
import type { LfGrant, MeshModel, TableModel } from '../model.js';

/** An account id in an ARN. */
export const ACCOUNT_OF = /^arn:aws[a-z-]*:iam::(\d{12}):/;
/** Lake Formation's principal for "everyone IAM allows". */
export const EVERYONE = 'IAM_ALLOWED_PRINCIPALS';

/** A grant to another account: a cross-account share, delegated to that account's administrator. */
export const isShare = (g: LfGrant): boolean => /^\d{12}$/.test(g.principal) && g.principal !== g.stack.account;

/** What a grant covers, in words. */
export function describe(g: LfGrant): string {
  const r = g.resource;
  if (r.kind === 'table') return `${r.database}.${r.table}${r.columns ? ` (${r.columns.join(', ')})` : ''}`;
  if (r.kind === 'tag-policy')
    return `tables tagged ${r.expression.map((e) => `${e.key}∈{${e.values.join(',')}}`).join(' and ')}`;
  return r.description;
}

/** The statements of a policy document that are objects. */
export const statementsOf = (doc: PolicyDocument | undefined): Array<Record<string, unknown>> => {
  const s = doc?.Statement;
  return (Array.isArray(s) ? s : s ? [s] : []).filter(
    (x): x is Record<string, unknown> => typeof x === 'object' && x !== null,
  );
};
/** A policy element as a list. */
export const listOf = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);

/** Principals (role ARNs, account ids) an Allow statement of a resource policy names. */
export function namedPrincipals(doc: PolicyDocument | undefined): string[] {
  const out: string[] = [];
  for (const s of statementsOf(doc)) {
    if (s.Effect !== 'Allow') continue;
    const p = s.Principal;
    const aws = typeof p === 'object' && p !== null ? listOf((p as Record<string, unknown>).AWS) : [];
    for (const a of aws) {
      if (typeof a !== 'string' || a === '*') continue;
      const root = /^arn:aws[a-z-]*:iam::(\d{12}):root$/.exec(a);
      out.push(root ? root[1]! : a);
    }
  }
  return out;
}

/** Allow statements of a resource policy whose principal is everyone, described. */
export function wildcardAllows(doc: PolicyDocument | undefined): string[] {
  const out: string[] = [];
  for (const s of statementsOf(doc)) {
    if (s.Effect !== 'Allow') continue;
    const p = s.Principal;
    const everyone =
      p === '*' || (typeof p === 'object' && p !== null && listOf((p as Record<string, unknown>).AWS).includes('*'));
    if (everyone)
      out.push(`${listOf(s.Action).map(String).join(', ') || 'actions'}${s.Sid ? ` (Sid ${String(s.Sid)})` : ''}`);
  }
  return out;
}

/** Which buckets identity policies may reach with S3 actions, by principal. */
export interface S3Index {
  /** Bucket name → principals whose policies name it. */
  byBucket: Map<string, Set<string>>;
  /** Principals that may reach any bucket. */
  any: Set<string>;
}

/**
 * Which buckets each principal's identity policies may reach with S3 actions: by bucket name,
 * or `any` (a wildcard bucket, `*`, NotResource, NotAction or an unresolved value).
 */
export function s3Index(principals: Iterable<{ id: string; role?: { policies: PolicyDocument[] } }>): S3Index {
  const byBucket = new Map<string, Set<string>>();
  const any = new Set<string>();
  for (const p of principals) {
    if (!p.role) {
      any.add(p.id);
      continue;
    }
    for (const doc of p.role.policies) {
      for (const s of statementsOf(doc)) indexStatement(s, p.id, byBucket, any);
    }
  }
  return { byBucket, any };
}

function indexStatement(s: Record<string, unknown>, id: string, byBucket: Map<string, Set<string>>, any: Set<string>) {
  if (s.Effect === 'Deny') return;
  const actions = listOf(s.Action);
  const s3 =
    s.NotAction !== undefined ||
    actions.some((a) => typeof a !== 'string' || a === '*' || /^s3:/i.test(a) || /^\*:/.test(a) || /^s\*/i.test(a));
  if (!s3) return;
  if (s.NotResource !== undefined) {
    any.add(id);
    return;
  }
  for (const r of listOf(s.Resource)) {
    const m = typeof r === 'string' ? /^arn:aws[a-z-]*:s3:::([^/]*)/.exec(r) : null;
    if (
      typeof r !== 'string' ||
      r === '*' ||
      (m && /[*?]/.test(m[1]!)) ||
      (!m && /^arn:aws[a-z-]*:s3/.test(r) === false && /[*?]/.test(r.split(':')[2] ?? '*'))
    ) {
      any.add(id);
      continue;
    }
    if (m) {
      const set = byBucket.get(m[1]!) ?? new Set<string>();
      set.add(id);
      byBucket.set(m[1]!, set);
    }
  }
}

/** The effective LF-tags of a column: its own, else its table's, else its database's (per key). */
export function lfTags(m: MeshModel): (t: TableModel, column: string) => Record<string, string> {
  const db = new Map<string, Record<string, string[]>>();
  const tbl = new Map<string, Record<string, string[]>>();
  const col = new Map<string, Record<string, string[]>>();
  const merge = (map: Map<string, Record<string, string[]>>, k: string, tags: Record<string, string[]>) =>
    map.set(k, { ...(map.get(k) ?? {}), ...tags });
  for (const a of m.tagAssociations) {
    if (a.columns) for (const c of a.columns) merge(col, `${a.database}.${a.table}.${c}`, a.tags);
    else if (a.table) merge(tbl, `${a.database}.${a.table}`, a.tags);
    else merge(db, a.database, a.tags);
  }
  return (t, column) => {
    const out: Record<string, string> = {};
    for (const layer of [
      db.get(t.database),
      tbl.get(`${t.database}.${t.name}`),
      col.get(`${t.database}.${t.name}.${column}`),
    ]) {
      for (const [k, v] of Object.entries(layer ?? {})) if (v[0] !== undefined) out[k] = v[0];
    }
    return out;
  };
}

/** The bucket name of an S3 ARN. */
export const bucketOfArn = (arn: string): string | undefined => /^arn:aws[a-z-]*:s3:::([^/]+)/.exec(arn)?.[1];
