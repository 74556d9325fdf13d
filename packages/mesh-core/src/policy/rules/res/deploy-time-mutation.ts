import { violation, type PolicyRule } from '../../rule.js';
import { forbiddenCallReason, isSdkCallResource, sdkCalls } from '../../custom-resources.js';
import { isCustomResourceType } from '../../known-types.js';
import { MESH_POLICY_PACK_VERSION } from '../../version.js';

/** No deploy-time SDK call changes encryption, public access, policies, tags or permissions — whatever the allow-list. */
export const DeployTimeMutationRule: PolicyRule = {
  id: 'MESH-RES-DEPLOY-MUTATION',
  area: 'RES',
  title:
    'No custom resource changes encryption, public access, policies, tags or permissions at deploy time (never allow-listable)',
  rationale:
    'The pack proves the encryption, public access, policies and tags of the templates; an SDK call at deploy time (e.g. s3:DeleteBucketEncryption, s3:DeletePublicAccessBlock, s3:PutBucketPolicy, kms:PutKeyPolicy, kms:ScheduleKeyDeletion, iam:AttachRolePolicy, *:TagResource/UntagResource, lakeformation:GrantPermissions, s3:CreateBucket) would change them after the check. Such calls are refused whatever `policy.allowedCustomResources` says; reads (Get*, List*, Describe*) are not concerned.',
  fix: 'Express the change in the template (bucket encryption and block public access on the bucket, a BucketPolicy or key policy resource, tags through MeshTags, Lake Formation grants as AWS::LakeFormation::PrincipalPermissions), where the pack checks it.',
  since: MESH_POLICY_PACK_VERSION,
  check(r) {
    if (!isCustomResourceType(r.type) || !isSdkCallResource(r)) return 'not-applicable';
    const bad: string[] = [];
    for (const c of sdkCalls(r)) {
      if (c.service === undefined || c.action === undefined) continue; // MESH-RES-CUSTOM-RESOURCE reports unknown calls
      const why = forbiddenCallReason(c.service, c.action);
      if (why) bad.push(`${c.phase} calls ${c.service}:${c.action}: ${why}`);
    }
    return bad.length === 0
      ? 'compliant'
      : violation(
          `${bad.join('; ')} — never allowed at deploy time, even when allow-listed; express the change in the template where the pack checks it`,
        );
  },
};
