import { violation, type PolicyRule } from '../../rule.js';
import { IDENTITY_POLICY_TYPES, RESOURCE_POLICY_TYPES, isWildcardAction, policyDocuments, statements } from '../../iam-statements.js';
import { MESH_POLICY_PACK_VERSION } from '../../version.js';

/** No Allow statement grants `*` or `service:*` (or uses NotAction). Key policies are exempt. */
export const NoWildcardActionsRule: PolicyRule = {
  id: 'MESH-IAM-NO-WILDCARD-ACTION',
  area: 'IAM',
  title: 'IAM and resource policies allow no `*` or `service:*` actions (and no NotAction)',
  rationale: 'Least privilege: a wildcard action grants today\'s and tomorrow\'s actions of a service, including destructive and permission-changing ones. Deny statements may use wildcards (e.g. the SSL-only `s3:*` deny). Exempt: KMS key policies (their root statement `kms:*` on `*` is how key policies delegate to IAM).',
  fix: 'List the actions the principal needs (CDK grant methods such as `bucket.grantRead(role)` do); prefix wildcards like `s3:GetObject*` are allowed.',
  since: MESH_POLICY_PACK_VERSION,
  resourceTypes: [...IDENTITY_POLICY_TYPES, ...RESOURCE_POLICY_TYPES],
  check(r) {
    const bad: string[] = [];
    for (const { label, doc } of policyDocuments(r)) {
      for (const s of statements(doc)) {
        if (s.effect !== 'Allow') continue;
        for (const a of s.actions) if (isWildcardAction(a)) bad.push(`${label} allows '${String(a)}'`);
        if (s.notActions.length > 0) bad.push(`${label} allows NotAction ${JSON.stringify(s.notActions)}`);
      }
    }
    return bad.length === 0 ? 'compliant' : violation(bad.join('; '));
  },
};
