import { Token } from 'aws-cdk-lib';
import { isMeshName, MeshError } from '@meshkit/contracts';

/**
 * Validation of construct props shared by the foundation constructs and the naming helpers.
 * Every failure is a {@link MeshError} (`INVALID_CONFIG`) whose message names the construct and
 * the prop, because the values come from `mesh.config.yaml`, `domain.yaml` and `product.yaml`.
 * Unresolved tokens are accepted as they are (they can only be checked at deploy time).
 */

/** ARN of an IAM role or user, in any partition. */
const PRINCIPAL_ARN_PATTERN = /^arn:aws[a-z-]*:iam::\d{12}:(role|user)\/[\w+=,.@/-]{1,512}$/;

function invalid(owner: string, prop: string, message: string): MeshError {
  return new MeshError('INVALID_CONFIG', `${owner}: ${prop} ${message}`);
}

/** Throws unless `value` is a lowercase kebab-case name of 2–40 characters. */
export function assertMeshName(owner: string, prop: string, value: string): void {
  if (!isMeshName(value)) {
    throw invalid(
      owner,
      prop,
      `'${String(value)}' must be lowercase kebab-case, 2-40 characters (e.g. 'sales', 'order-events')`,
    );
  }
}

/** Throws unless `value` is the ARN of an IAM role (or, with `allowUsers`, a user), or a token. */
export function assertPrincipalArn(owner: string, prop: string, value: string, allowUsers = false): void {
  if (Token.isUnresolved(value)) return;
  const match = typeof value === 'string' ? PRINCIPAL_ARN_PATTERN.exec(value) : null;
  if (!match || (!allowUsers && match[1] !== 'role')) {
    const what = allowUsers ? 'an IAM role or user ARN' : 'an IAM role ARN';
    throw invalid(owner, prop, `'${String(value)}' must be ${what} (arn:aws:iam::123456789012:role/name)`);
  }
}

/** Throws unless `value` is an integer ≥ `min` (tokens pass). */
export function assertInteger(owner: string, prop: string, value: number, min: number): void {
  if (Token.isUnresolved(value)) return;
  if (!Number.isInteger(value) || value < min) {
    throw invalid(owner, prop, `must be an integer >= ${min} (got ${String(value)})`);
  }
}

/** Throws unless `value` is a non-blank string. */
export function assertNonBlank(owner: string, prop: string, value: string): void {
  if (typeof value !== 'string' || value.trim() === '') {
    throw invalid(owner, prop, 'must be a non-empty string');
  }
}

/** Throws when `values` holds the same entry twice. */
export function assertUnique(owner: string, prop: string, values: readonly string[]): void {
  const seen = new Set<string>();
  for (const v of values) {
    if (seen.has(v)) throw invalid(owner, prop, `lists '${v}' twice`);
    seen.add(v);
  }
}
