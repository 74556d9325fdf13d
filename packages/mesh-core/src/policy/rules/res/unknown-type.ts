import { violation, type PolicyRule } from '../../rule.js';
import { isCustomResourceType, isKnownResourceType, NESTED_STACK_TYPE } from '../../known-types.js';
import { MESH_POLICY_PACK_VERSION } from '../../version.js';

/** Product and domain stacks hold only resource types the pack knows, or the platform allow-lists (new AWS types fail closed). */
export const UnknownResourceTypeRule: PolicyRule = {
  id: 'MESH-RES-UNKNOWN-TYPE',
  area: 'RES',
  title:
    'Product and domain stacks (nested stacks included) use only resource types the pack knows, or types the platform allow-lists in mesh.config.yaml',
  rationale:
    "The pack checks encryption, access, tags and quality type by type; a type it does not know (a new AWS service, `AWS::S3Express::DirectoryBucket`, `AWS::Glue::Crawler`, a DynamoDB table, a nested stack whose template is not in the assembly) passes every rule unchecked. Unknown types therefore fail closed, case-insensitively (`aws::s3::bucket` is a bucket). The known types are listed in src/policy/known-types.ts (what Meshkit's constructs create and the rules inspect). Platform, replica and other stacks are the platform team's and are not checked by this rule; custom resources are checked by MESH-RES-CUSTOM-RESOURCE.",
  fix: 'Use a Meshkit construct or a type the pack checks (e.g. an `AWS::S3::Bucket` through DataProduct instead of an S3 Express directory bucket). If the type is needed, ask the platform team to add `{ type: <type>, reason: <why it is safe> }` to `policy.allowedResourceTypes` in mesh.config.yaml.',
  since: MESH_POLICY_PACK_VERSION,
  check(r, ctx) {
    if (ctx.stackKind !== 'product' && ctx.stackKind !== 'domain') return 'not-applicable';
    if (isCustomResourceType(r.type)) return 'not-applicable';
    const t = r.type.toLowerCase();
    if (ctx.settings.allowedResourceTypes.some((e) => e.type.trim().toLowerCase() === t)) return 'compliant';
    if (r.type === NESTED_STACK_TYPE) {
      return ctx.resolvedNestedStacks.has(r.logicalId)
        ? 'compliant'
        : violation(
            'nested stack whose template is not part of the cloud assembly (external TemplateURL): the pack cannot check what it deploys; build it as a CDK NestedStack of this app, or ask the platform team to allow-list AWS::CloudFormation::Stack in mesh.config.yaml policy.allowedResourceTypes with a reason',
          );
    }
    if (isKnownResourceType(r.type)) return 'compliant';
    return violation(
      `resource type ${r.type} is not one the policy pack knows, so no rule checks its encryption, access or tags: use a Meshkit construct or a checked type, or ask the platform team to add it to policy.allowedResourceTypes in mesh.config.yaml with a reason`,
    );
  },
};
