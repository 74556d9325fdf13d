import { violation, type PolicyRule } from '../../rule.js';
import { allowance, isSdkCallResource, sdkCalls } from '../../custom-resources.js';
import { CUSTOM_RESOURCE_TYPE, isCustomResourceType } from '../../known-types.js';
import { MESH_POLICY_PACK_VERSION } from '../../version.js';

/** Custom resources run code at deploy time: only those the platform allow-lists. */
export const CustomResourceRule: PolicyRule = {
  id: 'MESH-RES-CUSTOM-RESOURCE',
  area: 'RES',
  title:
    'Custom resources (`Custom::*`, `AWS::CloudFormation::CustomResource`, AwsCustomResource SDK calls) only when the platform allow-lists them with a reason',
  rationale:
    "A custom resource runs a Lambda function (or an SDK call) while CloudFormation deploys: it can create buckets, drop a public access block or put a bucket policy that no template shows, so the pack cannot check what it does. A Lambda-backed custom resource is allowed by its type (`Custom::Name`, or `AWS::CloudFormation::CustomResource` as such); CDK's AwsCustomResource only per SDK call (`service:Action`, e.g. `s3:GetObject`, each of its Create/Update/Delete calls) — its type `Custom::AWS` alone allows nothing. Checked in every stack.",
  fix: 'Declare the resource in the template with a construct the pack checks. If the custom resource is needed, ask the platform team to add `{ type: "Custom::Name" | "service:Action", reason: <why it is safe> }` to `policy.allowedCustomResources` in mesh.config.yaml.',
  since: MESH_POLICY_PACK_VERSION,
  check(r, ctx) {
    if (!isCustomResourceType(r.type)) return 'not-applicable';
    if (isSdkCallResource(r)) {
      const missing: string[] = [];
      for (const c of sdkCalls(r)) {
        if (c.service === undefined || c.action === undefined) {
          missing.push(`${c.phase} (service or action not statically known)`);
          continue;
        }
        if (!allowance(ctx.settings, `${c.service}:${c.action}`)) missing.push(`${c.phase} ${c.service}:${c.action}`);
      }
      if (missing.length === 0) return 'compliant';
      return violation(
        `AwsCustomResource ${r.type} makes SDK calls at deploy time that the platform has not allowed: ${missing.join(', ')}; declare the resources in the template, or ask the platform team to add each call (service:Action) to policy.allowedCustomResources in mesh.config.yaml with a reason`,
      );
    }
    if (allowance(ctx.settings, r.type)) return 'compliant';
    const what = r.type === CUSTOM_RESOURCE_TYPE ? 'a custom resource' : `custom resource ${r.type}`;
    return violation(
      `${what} runs code at deploy time that the pack cannot check; declare the resources in the template, or ask the platform team to add ${r.type} to policy.allowedCustomResources in mesh.config.yaml with a reason`,
    );
  },
};
