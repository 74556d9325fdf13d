// The principals of the access analysis and the IAM decisions about them (S3 and KMS included),
// with the findings they raise.
import type { ProductIntent } from '@meshkit/contracts';
import { actionMatches } from '../iam/action.js';
import { evaluate } from '../iam/evaluate.js';
import type { DecisionKind, PolicyDocument, RequestPrincipal } from '../iam/types.js';
import type { VerifyFinding } from '../finding.js';
import type { BucketModel, Located, MeshModel, RoleModel } from '../model.js';
import {
  ACCOUNT_OF,
  EVERYONE,
  bucketOfArn,
  listOf,
  namedPrincipals,
  s3Index,
  statementsOf,
  type S3Index,
} from './access-policy.js';
import type { PrincipalInfo } from './access-types.js';

const ALLOW_ALL: PolicyDocument = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
};
const ALLOW_ALL_LIST = [ALLOW_ALL];

/** The S3 actions the matrix asks about. */
export type S3Action = 's3:GetObject' | 's3:PutObject' | 's3:DeleteObject' | 's3:PutBucketPolicy';

/** A product of the assembly: its intent and the stack that defines it. */
export interface ProductEntry {
  intent: ProductIntent;
  stackName: string;
}

/** Whether Lake Formation may assume the role (it trusts lakeformation.amazonaws.com). */
export const trustsLakeFormation = (role: RoleModel | undefined): boolean =>
  role !== undefined && JSON.stringify(role.trust).includes('lakeformation.amazonaws.com');

/**
 * What the access analysis knows of the mesh: its products and principals, and the IAM decisions
 * (identity, bucket and key policies) about what a principal may do; collects the findings.
 */
export class AccessContext {
  readonly findings: VerifyFinding[] = [];
  /** `<domain>/<product>` → the product. */
  readonly products = new Map<string, ProductEntry>();
  /** Principal id → who it is. */
  readonly principals = new Map<string, PrincipalInfo>();
  private readonly reported = new Set<string>();
  /** Role ARN → buckets it registers with Lake Formation. */
  private readonly registers = new Map<string, Set<string>>();
  private readonly index: S3Index;
  private readonly mayAllowCache = new Map<string, boolean>();

  constructor(readonly m: MeshModel) {
    const jobRoles = this.readProducts();
    this.readRoles(jobRoles);
    for (const g of m.grants) if (g.principal !== '?') this.external(g.principal);
    for (const b of m.buckets.values()) for (const p of namedPrincipals(b.policy)) this.external(p);
    this.readRegistrations();
    this.index = s3Index(this.principals.values());
  }

  /** Records a finding at a resource. */
  finding(id: string, at: Located, message: string, product?: string): void {
    this.findings.push({ id, stack: at.stack.name, logicalId: at.logicalId, message, ...(product ? { product } : {}) });
  }

  /** Records, once per resource and question, that the question cannot be decided. */
  unknownOnce(at: Located, what: string, why: string[]): void {
    const key = `${at.stack.name}/${at.logicalId}:${what}`;
    if (this.reported.has(key)) return;
    this.reported.add(key);
    this.finding(
      'VERIFY-ACCESS-UNINTERPRETABLE',
      at,
      `cannot decide ${what}: ${why.join('; ')} — treated as not allowed, never as allowed`,
    );
  }

  /** The raw and curated zone buckets of a product. */
  bucketsOf(ref: string): BucketModel[] {
    return this.m.productBuckets.get(ref) ?? [];
  }

  /**
   * Registration roles are Lake Formation's own readers of the location they register (when Lake
   * Formation can assume them): not grantees there. Anywhere else they are principals like any other.
   */
  isRegistrationFor(principal: string, bucket: string | undefined): boolean {
    return bucket !== undefined && (this.registers.get(principal)?.has(bucket) ?? false);
  }

  /** IAM's decision on one request of a principal, reporting what cannot be decided. */
  decide(
    p: PrincipalInfo,
    action: string,
    resource: string,
    at: Located,
    resourcePolicy: PolicyDocument | undefined,
    opts: { kms?: boolean; account: string; region: string },
  ): DecisionKind {
    const principal = requester(p);
    if (!principal) return 'implicit-deny';
    if (p.role && p.role.unknownManagedPolicies.length) {
      this.unknownOnce(p.role, `what ${p.label} may do`, [
        `managed policies not in the assembly: ${p.role.unknownManagedPolicies.join(', ')}`,
      ]);
    }
    const d = evaluate({
      request: {
        principal,
        action,
        resource,
        resourceAccount: opts.account,
        context: {
          'aws:SecureTransport': true,
          ...(opts.kms ? { 'kms:ViaService': `s3.${opts.region}.amazonaws.com` } : {}),
        },
      },
      identityPolicies: p.role ? p.role.policies : ALLOW_ALL_LIST,
      ...(resourcePolicy ? { resourcePolicy } : {}),
      resourceType: opts.kms ? 'kms-key' : 'other',
    });
    if (d.decision === 'unknown') this.unknownOnce(at, `whether ${p.label} may ${action} ${resource}`, d.unknowns);
    return d.decision;
  }

  /** Whether a principal may do an S3 action on a key of a bucket (and use the bucket's KMS key for it). */
  s3Can(p: PrincipalInfo, b: BucketModel, action: S3Action, key: string): boolean {
    if (!this.identityMayAllow(p, action) && !statementsOf(b.policy).some((st) => st.Effect !== 'Deny')) return false;
    const opts = { account: b.stack.account, region: b.stack.region };
    const resource = action === 's3:PutBucketPolicy' ? b.arn : `${b.arn}/${key}`;
    if (this.decide(p, action, resource, b, b.policy, opts) !== 'allow') return false;
    if (!b.kmsKeyArn || action === 's3:DeleteObject' || action === 's3:PutBucketPolicy') return true;
    const kmsKey = this.m.keys.get(b.kmsKeyArn);
    if (!kmsKey) return true; // a key outside the assembly: its policy is unknown; S3 decided
    const kmsAction = action === 's3:GetObject' ? 'kms:Decrypt' : 'kms:GenerateDataKey';
    return this.decide(p, kmsAction, kmsKey.arn, kmsKey, kmsKey.policy, { ...opts, kms: true }) === 'allow';
  }

  /** The principals that could reach a bucket through S3. */
  candidates(b: BucketModel): PrincipalInfo[] {
    // Accounts and IAM_ALLOWED_PRINCIPALS reach S3 only where the bucket policy names them.
    const ids = new Set([
      ...(this.index.byBucket.get(b.name) ?? []),
      ...[...this.index.any].filter((id) => this.principals.get(id)?.kind !== 'account' && id !== EVERYONE),
      ...namedPrincipals(b.policy),
    ]);
    return [...ids].map((id) => this.principals.get(id)).filter((p): p is PrincipalInfo => p !== undefined);
  }

  /**
   * A fast "certainly not": no identity statement of the principal can allow the action (and the
   * bucket policy allows nothing), so the full evaluation is skipped.
   */
  private identityMayAllow(p: PrincipalInfo, action: string): boolean {
    if (!p.role) return true;
    const k = `${p.id}\u0000${action}`;
    let v = this.mayAllowCache.get(k);
    if (v === undefined) {
      v = p.role.policies.some((doc) =>
        statementsOf(doc).some(
          (st) =>
            st.Effect !== 'Deny' &&
            (st.NotAction !== undefined ||
              listOf(st.Action).some((a) => typeof a !== 'string' || actionMatches(a, action))),
        ),
      );
      this.mayAllowCache.set(k, v);
    }
    return v;
  }

  /** The products; returns the role ARN → product of each product's job. */
  private readProducts(): Map<string, string> {
    const jobRoles = new Map<string, string>();
    for (const { intent, stack } of this.m.products) {
      const ref = `${intent.domain}/${intent.product}`;
      this.products.set(ref, { intent, stackName: stack.name });
      const job = this.m.jobs.get(intent.jobName);
      if (job?.roleArn) jobRoles.set(job.roleArn, ref);
    }
    return jobRoles;
  }

  /** The roles of the assembly, named after what they do for a product where they do. */
  private readRoles(jobRoles: Map<string, string>): void {
    const m = this.m;
    const stackProduct = new Map(m.products.map((p) => [p.stack.name, `${p.intent.domain}/${p.intent.product}`]));
    const roleNames = new Map<string, string>();
    for (const f of m.firehoses)
      if (f.roleArn && stackProduct.has(f.stack.name))
        roleNames.set(f.roleArn, `firehose of ${stackProduct.get(f.stack.name)}`);
    for (const l of m.locations)
      if (l.roleArn && stackProduct.has(l.stack.name))
        roleNames.set(l.roleArn, `lake formation location role of ${stackProduct.get(l.stack.name)}`);
    for (const role of m.roles.values()) {
      const jobOf = jobRoles.get(role.arn);
      const label = jobOf ? `job of ${jobOf}` : (roleNames.get(role.arn) ?? `${role.stack.name}/${role.logicalId}`);
      this.principals.set(role.arn, { id: role.arn, kind: 'role', label, role, ...(jobOf ? { jobOf } : {}) });
    }
  }

  /** A principal outside the assembly: an account, everyone, or a role. */
  private external(id: string): void {
    if (this.principals.has(id)) return;
    if (id === EVERYONE)
      this.principals.set(id, { id, kind: 'everyone', label: 'IAM_ALLOWED_PRINCIPALS (everyone IAM allows)' });
    else if (/^\d{12}$/.test(id))
      this.principals.set(id, { id, kind: 'account', label: `every principal of account ${id}` });
    else this.principals.set(id, { id, kind: 'external-role', label: id });
  }

  private readRegistrations(): void {
    for (const l of this.m.locations) {
      const bucket = bucketOfArn(l.resourceArn);
      if (l.roleArn && bucket && trustsLakeFormation(this.m.roles.get(l.roleArn)))
        this.registers.set(l.roleArn, (this.registers.get(l.roleArn) ?? new Set<string>()).add(bucket));
    }
  }
}

/** The principal of a request IAM evaluates; none for everyone. */
function requester(p: PrincipalInfo): RequestPrincipal | undefined {
  if (p.kind === 'role' || p.kind === 'external-role')
    return {
      arn: p.id,
      kind: p.role?.principalKind ?? 'role',
      ...(ACCOUNT_OF.exec(p.id) ? { account: ACCOUNT_OF.exec(p.id)![1]! } : {}),
    };
  if (p.kind === 'account') return { arn: `arn:aws:iam::${p.id}:role/any-principal`, account: p.id, kind: 'role' };
  return undefined;
}
