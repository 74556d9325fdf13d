import { arnMatches } from '@meshkit/verify';
import type { TemplateContext } from '../../template-context.js';
import { branches, patternOf, stackOf } from '../../values.js';

/** True for a literal reference to an AWS managed key alias (`alias/aws/...`), which is not a CMK. */
export const isAwsManagedKey = (keyId: unknown): boolean =>
  typeof keyId === 'string' && /(^|:)alias\/aws\//.test(keyId);

/** What is wrong with the key of an encryption setting, judged on every value it can take. */
export type KeyProblem =
  | { readonly kind: 'missing'; readonly branch: boolean }
  | { readonly kind: 'aws-managed'; readonly key: string; readonly branch: boolean }
  | { readonly kind: 'unresolved'; readonly why: string; readonly branch: boolean };

/**
 * The first problem of a KMS key property (`KMSMasterKeyID`, `KmsMasterKeyId`, `KeyId`…) over
 * every `Fn::If` branch: no key, an AWS managed key (literal, or through `Fn::Sub`/`Fn::Join`:
 * `alias/aws/…`, `arn:…:alias/aws/…`), or a value that cannot be resolved from the template
 * (worst case: it could be an AWS managed key). Undefined when every branch names a key that is
 * not an AWS managed key.
 */
export function keyProblem(value: unknown, ctx: TemplateContext): KeyProblem | undefined {
  if (value === undefined) return { kind: 'missing', branch: false };
  if (typeof value === 'string') {
    if (value.trim() === '') return { kind: 'missing', branch: false };
    return isAwsManagedKey(value) ? { kind: 'aws-managed', key: value, branch: false } : undefined;
  }
  const all = branches(value);
  const branch = all.length > 1;
  const stack = stackOf(ctx);
  for (const b of all) {
    const resolved = stack.resolve(b);
    if (resolved === null || resolved === '') return { kind: 'missing', branch };
    const p = patternOf(b, ctx);
    if (p === undefined) return { kind: 'unresolved', why: `not a key id (${JSON.stringify(resolved)})`, branch };
    if (isAwsManagedKey(p.text) || couldBeAwsManaged(p.text)) return { kind: 'aws-managed', key: p.text, branch };
    if (p.unresolved.length > 0) return { kind: 'unresolved', why: p.unresolved.join('; '), branch };
  }
  return undefined;
}

const PROBES = ['alias/aws/s3', 'arn:aws:kms:eu-west-1:111111111111:alias/aws/s3'];
const couldBeAwsManaged = (pattern: string): boolean =>
  pattern.includes('*') && PROBES.some((p) => arnMatches(pattern, p)) && pattern !== '*';

/** The violation message of a {@link KeyProblem} (`subject`: "bucket", "topic"…; `prop`: the property). */
export function keyProblemMessage(problem: KeyProblem, subject: string, prop: string): string {
  const where = problem.branch ? ' in one branch of its Fn::If' : '';
  switch (problem.kind) {
    case 'missing':
      return `${subject} has no ${prop}${where}: set it to the domain's customer-managed key (every branch)`;
    case 'aws-managed':
      return `${subject} uses the AWS managed key ${problem.key}${where}: use the domain's customer-managed key`;
    case 'unresolved':
      return `${subject}'s ${prop}${where} cannot be resolved from the template (${problem.why}), so it could be an AWS managed key: reference the domain's customer-managed key (its Arn, or an export of the assembly)`;
  }
}
