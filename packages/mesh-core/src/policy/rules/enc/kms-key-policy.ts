import { violation, type PolicyRule } from '../../rule.js';
import { publicGrants } from '../../public-access.js';
import { stackOf } from '../../values.js';
import { MESH_POLICY_PACK_VERSION } from '../../version.js';

/** No KMS key policy lets anyone use or manage the key. */
export const KmsKeyPolicyRule: PolicyRule = {
  id: 'MESH-ENC-KEY-POLICY',
  area: 'ENC',
  title:
    'KMS key policies allow the key to no one outside named principals: no Allow to Principal `*` without a condition that limits who, no Allow with NotPrincipal',
  rationale:
    "The domain key decrypts every product of the domain: a key policy statement granting `kms:*` (or any use: Decrypt, CreateGrant…) to `*` lets any AWS account read the data whatever the bucket policy says. Decided with the same principal and condition logic as mesh verify, for a caller of another account: conditions on keys the caller chooses (kms:ViaService, kms:EncryptionContext…, aws:SecureTransport) or always true count as none; `Allow` with `NotPrincipal` grants everyone not listed; what cannot be resolved counts as public. The account-root statement (`kms:*` to the key's own account, delegating to IAM) is fine.",
  fix: "Grant the key to the account root (CDK's default), named roles or service principals; limit a `*` principal with kms:CallerAccount, aws:PrincipalOrgID or aws:PrincipalAccount; never use NotPrincipal in an Allow.",
  since: MESH_POLICY_PACK_VERSION,
  resourceTypes: ['AWS::KMS::Key'],
  check(key, ctx) {
    if (key.properties.KeyPolicy === undefined) return 'compliant';
    const arn = stackOf(ctx).getAtt(key.logicalId, 'Arn');
    const grants = publicGrants(key.properties.KeyPolicy, ctx, {
      service: 'kms',
      resourceArn: typeof arn === 'string' ? arn : 'arn:aws:kms:zz-probe-1:000000000000:key/zz-probe',
      kmsKey: true,
    });
    if (grants.length === 0) return 'compliant';
    return violation(
      `key policy lets anyone use the key: ${grants.map((g) => `${g.statement} (${g.actions}) ${g.why}`).join('; ')}. Grant to the account root, named roles or services, or limit a '*' principal with kms:CallerAccount / aws:PrincipalOrgID`,
    );
  },
};
