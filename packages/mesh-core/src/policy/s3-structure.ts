/**
 * Structure of S3 buckets in a template (and across the templates of an assembly): which bucket
 * receives other buckets' server access logs, which bucket policy belongs to which bucket.
 */
import { asArray, isObject, literalName, path, prop, resolveResource } from './refs.js';
import type { CfnResourceView } from './rule.js';
import type { TemplateContext } from './template-context.js';

export const BUCKET = 'AWS::S3::Bucket';
export const BUCKET_POLICY = 'AWS::S3::BucketPolicy';

/** Default-encryption algorithms of a bucket (`SSEAlgorithm` of every rule) with their keys. */
export function bucketEncryption(bucket: CfnResourceView): Array<{ algorithm: unknown; keyId: unknown }> {
  return asArray(path(bucket.properties, 'BucketEncryption', 'ServerSideEncryptionConfiguration')).map((rule) => ({
    algorithm: path(rule, 'ServerSideEncryptionByDefault', 'SSEAlgorithm'),
    keyId: path(rule, 'ServerSideEncryptionByDefault', 'KMSMasterKeyID'),
  }));
}

interface LogTargets {
  /** `<template key>/<logical id>` of buckets named as a log destination. */
  readonly ids: Set<string>;
  /** Literal bucket names used as a log destination. */
  readonly names: Set<string>;
}

/** Log destinations of every bucket of the assembly (computed once per assembly). */
function logTargets(ctx: TemplateContext): LogTargets {
  return ctx.assembly.memo('s3:log-targets', () => {
    const ids = new Set<string>();
    const names = new Set<string>();
    for (const t of ctx.assembly.all()) {
      for (const b of t.ctx.ofType(BUCKET)) {
        const dest = path(b.properties, 'LoggingConfiguration', 'DestinationBucketName');
        if (dest === undefined) continue;
        if (typeof dest === 'string') {
          names.add(dest);
          continue;
        }
        const target = resolveResource(dest, t.ctx);
        // A bucket logging into itself does not make it a log bucket.
        if (
          target &&
          target.resource.type === BUCKET &&
          !(target.ctx === t.ctx && target.resource.logicalId === b.logicalId)
        ) {
          ids.add(`${target.ctx.key}/${target.resource.logicalId}`);
        }
      }
    }
    return { ids, names };
  });
}

/**
 * True when `bucket` is the target of OTHER buckets' server access logs (their
 * `LoggingConfiguration.DestinationBucketName` refers to it — by `Ref`, by its literal name, or
 * through `Fn::ImportValue` from another stack of the assembly). This is structure, not a tag.
 */
export function isAccessLogTarget(bucket: CfnResourceView, ctx: TemplateContext): boolean {
  const t = logTargets(ctx);
  if (t.ids.has(`${ctx.key}/${bucket.logicalId}`)) return true;
  const name = literalName(bucket, 'BucketName');
  return name !== undefined && t.names.has(name);
}

/** Bucket policies of a bucket (`Bucket` is `{Ref: bucket}` or its literal name). Indexed once. */
export function bucketPoliciesOf(bucket: CfnResourceView, ctx: TemplateContext): readonly CfnResourceView[] {
  const index = ctx.memo('s3:policies-by-bucket', (c) => {
    const m = new Map<string, CfnResourceView[]>();
    const byName = new Map<string, string>();
    for (const b of c.ofType(BUCKET)) {
      const n = literalName(b, 'BucketName');
      if (n !== undefined) byName.set(n, b.logicalId);
    }
    for (const pol of c.ofType(BUCKET_POLICY)) {
      const ref = pol.properties.Bucket;
      const id = typeof ref === 'string' ? byName.get(ref) : (prop(ref, 'Ref') as string | undefined);
      if (typeof id !== 'string') continue;
      let list = m.get(id);
      if (!list) m.set(id, (list = []));
      list.push(pol);
    }
    return m;
  });
  return index.get(bucket.logicalId) ?? [];
}

/** `aws:SecureTransport` is `false` in a `Bool` condition. */
export function deniesInsecureTransport(condition: unknown): boolean {
  if (!isObject(condition)) return false;
  const v = path(condition, 'Bool', 'aws:SecureTransport');
  return v === false || v === 'false' || (Array.isArray(v) && v.length === 1 && (v[0] === false || v[0] === 'false'));
}
